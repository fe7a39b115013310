"""The exchange bundle (chengguan.cases.bundle, with this app's links): export → import into an empty platform → export is byte-identical, with photos (and their
hashes), a hotline work order with its webhook subscriber, and an Open311 request with its token and media_url."""

import io
from datetime import timedelta
from pathlib import Path

import pytest

from chengguan.cases.bundle import export_bundle, import_bundle
from chengguan.cases.evidence import attachment_create
from chengguan.cases.models import Attachment, Case, ImportCheckpoint
from chengguan.cases.testing import POINT_A, Upload, Walker, png_bytes
from chengguan.cases.tests.test_exchange import wipe
from chengguan.cases.workflow import State
from chengguan.public.models import (
    HotlineSystem,
    HotlineWorkOrder,
    Open311Key,
    Open311Submission,
    WebhookSubscriber,
)
from chengguan.public.services.hotline import hotline_system_create, subscriber_create, work_order_receive
from chengguan.public.services.open311 import open311_key_create, open311_submit


@pytest.fixture
def walk(city, grids, garbage, frozen):
    return Walker(city, garbage)


def city_with_links(walk, frozen):
    city = walk.city
    photo = attachment_create(actor=city["supervisor"], file=Upload(png_bytes((10, 200, 10))), kind="before")
    reported = walk.new(photos=[photo.pk])
    walk.act(reported, "accept", "operator")
    frozen.shift(timedelta(minutes=20))
    handled = walk.to(State.DISPATCHED)
    after = attachment_create(actor=city["department_handler"], file=Upload(png_bytes((1, 2, 3))), kind="after")
    walk.act(handled, "reply", "department_handler", reason="已清理", photos=[after.pk])
    walk.to(State.SELF_HANDLED)  # a photo with the supervisor's own fix
    system, _token = hotline_system_create(code="12345", name="热线", default_matter=walk.matter)
    subscriber_create(system=system, name="工单回传", url="https://hotline.example.cn/hook")
    order, _created = work_order_receive(system=system, external_id="KF12345-0001", description="来电反映垃圾", matter_code="06010",
                                         lng=POINT_A[0], lat=POINT_A[1], caller_phone="13900001111")  # fmt: skip
    frozen.shift(timedelta(hours=1))
    walk.act(order.case, "accept", "operator")
    key, _raw = open311_key_create(name="fixmystreet")
    open311_submit(key=key, matter=walk.matter, lat=34.8062, long=114.3013, description="路边垃圾",
                   media_url="https://img.example.org/1.jpg", first_name="Ann", email="ann@example.org")  # fmt: skip
    return order


def files(root: Path) -> dict:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def empty_platform():
    HotlineWorkOrder.objects.all().delete()
    Open311Submission.objects.all().delete()
    Attachment.objects.all().delete()
    wipe()
    ImportCheckpoint.objects.all().delete()


@pytest.mark.parametrize("as_zip", [False, True])
def test_the_bundle_round_trips_byte_identically_with_photos_and_links(walk, frozen, tmp_path, as_zip):
    city_with_links(walk, frozen)
    first = tmp_path / ("first.zip" if as_zip else "first")
    counts = export_bundle(first)
    assert counts == {"cases": Case.objects.count(), "photos": 3}
    if not as_zip:  # every line is described by the JSON Schema shipped in the package, photos and links too
        import json

        import jsonschema

        from chengguan.cases.exchange import schema

        validator = jsonschema.Draft202012Validator(schema())
        lines = [json.loads(t) for t in (first / "cases.jsonl").read_text(encoding="utf-8").splitlines()]
        for line in lines:
            validator.validate(line)
        assert {name for line in lines for name in line["links"]} == {"hotline", "open311"}
        assert not validator.is_valid({**lines[0], "photos": [{"sha256": "x", "file": "a", "content_type": "image/gif"}]})
    empty_platform()
    # the uploader's quota of unattached photos is full: restoring photos is not uploading them
    for _ in range(20):
        attachment_create(actor=walk.city["supervisor"], file=Upload(png_bytes()), kind="before")
    result = import_bundle(first)
    assert result["rejected"] == 0 and result["cases"] == counts["cases"]
    again = tmp_path / ("again.zip" if as_zip else "again")
    export_bundle(again)
    assert again.read_bytes() == first.read_bytes() if as_zip else files(again) == files(first)
    assert Attachment.objects.filter(case__isnull=False).count() == 3
    order = HotlineWorkOrder.objects.get()
    assert order.external_id == "KF12345-0001" and order.case.source == "hotline"
    assert WebhookSubscriber.objects.get().system == order.system
    submission = Open311Submission.objects.get()
    assert submission.media_url == "https://img.example.org/1.jpg" and len(submission.token) == 32


def test_a_bundle_into_a_platform_without_the_hotline_creates_its_configuration(walk, frozen, tmp_path):
    city_with_links(walk, frozen)
    export_bundle(tmp_path / "b")
    empty_platform()
    WebhookSubscriber.objects.all().delete()
    HotlineSystem.objects.all().delete()
    Open311Key.objects.all().delete()
    import_bundle(tmp_path / "b")
    export_bundle(tmp_path / "c")
    assert files(tmp_path / "c") == files(tmp_path / "b")


def test_a_photo_that_does_not_match_its_hash_refuses_the_line(walk, frozen, tmp_path):
    city_with_links(walk, frozen)
    export_bundle(tmp_path / "b")
    empty_platform()
    photo = next((tmp_path / "b" / "media").iterdir())
    photo.write_bytes(photo.read_bytes() + b"x")
    rejects = io.StringIO()
    result = import_bundle(tmp_path / "b", on_error="skip", rejects=rejects)
    assert result["rejected"] == 1 and "SHA-256" in rejects.getvalue() and "\tphotos\t" in rejects.getvalue()
