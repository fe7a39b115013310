"""No refused upload leaves a file (issue 17 item 3): the media tree is counted before and after each refused
request — multipart API report, portal report, a case action — and a report refused *after* its photos were
checked (outside the city) leaves none either. Unattached uploads have a per-user quota and expire."""

import struct
import zlib
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from chengguan.cases.models import Attachment, Case
from chengguan.cases.testing import POINT_A, Upload, png_bytes
from chengguan.cases.uploads import expire_unattached
from chengguan.grids.testing import make_grids
from chengguan.org.services import token_create

URL = "/api/v1/cases"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb() -> bytes:
    """A few hundred bytes claiming 40000 × 40000 pixels."""
    header = struct.pack(">IIBBBBB", 40000, 40000, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\0" * 1000))
            + _chunk(b"IEND", b""))


def files(root) -> int:
    return sum(1 for p in root.rglob("*") if p.is_file())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def api(city, media):
    make_grids(city)
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token_create(user=city['supervisor'])[1]}"
    return client


def report(**extra):
    data = {"matter_code": "06010", "lng": str(POINT_A[0]), "lat": str(POINT_A[1]), "crs": "gcj02",
            "description": "垃圾", "address": "西门大街"}
    data.update(extra)
    return data


BAD_SETS = {
    "text among photos": lambda: [Upload(png_bytes(fmt="JPEG"), "a.jpg"), Upload(png_bytes(), "b.png"),
                                  Upload(b"not an image at all", "text.jpg")],
    "png bomb beside a photo": lambda: [Upload(png_bytes(), "a.png"), Upload(png_bomb(), "bomb.png")],
}
GOOD = {"text among photos": 2, "png bomb beside a photo": 1}  # the leading photos that are fine


@pytest.mark.parametrize("bad", sorted(BAD_SETS))
def test_a_refused_multipart_api_report_leaves_no_file(api, media, bad):
    before = files(media)
    response = api.post(URL, data={**report(), "photos": BAD_SETS[bad]()})
    assert response.status_code == 422 and response.json()["field"] == "photos", response.content
    assert files(media) == before and Attachment.objects.count() == 0
    # the positive control: the same request with good photos stores both
    response = api.post(URL, data={**report(), "photos": BAD_SETS[bad]()[: GOOD[bad]]})
    assert response.status_code == 201, response.content
    assert files(media) == before + GOOD[bad]


def test_a_report_refused_after_its_photos_were_stored_leaves_no_file(api, media):
    response = api.post(URL, data={**report(lng="116.4", lat="39.9"), "photos": [Upload(png_bytes(), "a.png")]})
    assert response.status_code == 422 and response.json()["field"] == "lng"
    assert files(media) == 0 and Attachment.objects.count() == 0


@pytest.mark.parametrize("bad", sorted(BAD_SETS))
def test_a_refused_portal_report_leaves_no_file(city, media, bad):
    make_grids(city)
    data = {"matter": "06010", "lng": str(POINT_A[0]), "lat": str(POINT_A[1]), "crs": "gcj02",
            "description": "小区门口垃圾", "address": "西门大街", "name": "王五", "phone": "13912341234"}
    response = Client().post("/p/report/", {**data, "photos": BAD_SETS[bad]()})
    assert response.status_code in (200, 400), response.status_code  # the form again, with the error
    assert files(media) == 0 and Attachment.objects.count() == 0 and Case.objects.count() == 0
    response = Client().post("/p/report/", {**data, "photos": BAD_SETS[bad]()[: GOOD[bad]]})
    assert response.status_code == 302 and files(media) == GOOD[bad]


def test_unattached_uploads_have_a_quota_per_user(api, media, settings, city):
    settings.CASES_UNATTACHED_MAX = 3
    for _ in range(3):
        assert api.post(f"{URL}/attachments", {"file": Upload(png_bytes())}).status_code == 201
    response = api.post(f"{URL}/attachments", {"file": Upload(png_bytes())})
    assert response.status_code == 422 and response.json()["code"] == "quota_exceeded"
    assert files(media) == 3
    other = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=city['operator'])[1]}")
    assert other.post(f"{URL}/attachments", {"file": Upload(png_bytes())}).status_code == 201


def test_unattached_uploads_expire_with_their_files_and_orphan_files_are_swept(api, media):
    old = timezone.now() - timedelta(hours=30)
    with time_machine.travel(old, tick=False):
        stale = api.post(f"{URL}/attachments", {"file": Upload(png_bytes())}).json()["id"]
        used = api.post(f"{URL}/attachments", {"file": Upload(png_bytes())}).json()["id"]
        assert api.post(URL, report(photos=[used]), content_type="application/json").status_code == 201
    fresh = api.post(f"{URL}/attachments", {"file": Upload(png_bytes())}).json()["id"]
    orphan = media / "cases" / "2020" / "01" / "left-by-a-killed-process.png"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(png_bytes())
    young_orphan = orphan.with_name("being-written.png")
    young_orphan.write_bytes(png_bytes())
    import os

    os.utime(orphan, (old.timestamp(), old.timestamp()))
    assert files(media) == 5
    assert expire_unattached() == {"expired": 1, "orphan_files": 1}
    assert set(Attachment.objects.values_list("pk", flat=True)) == {used, fresh}
    assert not Attachment.objects.filter(pk=stale).exists() and files(media) == 3 and young_orphan.exists()
    call_command("expire_uploads")  # by hand: nothing more to do
    assert files(media) == 3
