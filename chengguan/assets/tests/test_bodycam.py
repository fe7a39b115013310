"""Body-camera files attached to an enforcement case: stored as the case's audio-visual evidence through the
enforcement evidence service (SHA-256, hash-chained record), with the device id; shown on the case page; only
the squad's certified officers, with their squad's cameras."""

import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chengguan.enforcement.models import Evidence

from ..models import BodyCameraFile

DATA = b"\x00\x00\x00\x18ftypmp42" + b"bodycam" * 100


def upload(name="DSJ-A-0001_20260302.mp4"):
    return SimpleUploadedFile(name, DATA, content_type="video/mp4")


def test_an_officer_attaches_a_body_camera_file_with_its_hash(client, city, fleet, clue):
    client.force_login(city["officer"])
    page = client.get(f"/enforcement/cases/{clue.pk}/").content.decode()
    assert "执法记录仪文件" in page and "DSJ-A-0001" in page and "DSJ-B-0001" not in page  # the form offers A's
    r = client.post(f"/assets/bodycam/{clue.pk}/attach",
                    {"camera": fleet["cam_a"].pk, "recorded_at": "2026-03-02T08:30", "file": upload()})
    assert r.status_code == 302
    f = BodyCameraFile.objects.get()
    assert f.device_id == "DSJ-A-0001" and f.sha256 == hashlib.sha256(DATA).hexdigest()
    assert f.evidence.kind == Evidence.Kind.AUDIOVISUAL and f.evidence.sha256 == f.sha256 and f.evidence.audit_seq
    assert timezone.localtime(f.recorded_at).hour == 8 and f.case == clue
    page = client.get(f"/enforcement/cases/{clue.pk}/").content.decode()
    assert f.sha256 in page and f"/enforcement/cases/{clue.pk}/evidence/{f.evidence_id}/" in page


def test_another_squads_camera_an_assistant_and_an_outsider_are_refused(client, city, fleet, clue):
    client.force_login(city["officer"])
    client.post(f"/assets/bodycam/{clue.pk}/attach", {"camera": fleet["cam_b"].pk, "file": upload()})
    client.post(f"/assets/bodycam/{clue.pk}/attach", {"camera": fleet["kit_a"].pk, "file": upload()})
    client.force_login(city["assistant"])
    client.post(f"/assets/bodycam/{clue.pk}/attach", {"camera": fleet["cam_a"].pk, "file": upload()})
    client.force_login(city["outsider"])
    assert client.post(f"/assets/bodycam/{clue.pk}/attach",
                       {"camera": fleet["cam_a"].pk, "file": upload()}).status_code == 404
    assert not BodyCameraFile.objects.exists() and not Evidence.objects.exists()  # nothing half-written
    client.force_login(city["officer"])  # positive control
    client.post(f"/assets/bodycam/{clue.pk}/attach", {"camera": fleet["cam_a"].pk, "file": upload()})
    assert BodyCameraFile.objects.count() == 1


def test_a_refusal_reads_in_chinese_on_the_case_page(client, city, fleet, clue):
    client.force_login(city["officer"])
    r = client.post(f"/assets/bodycam/{clue.pk}/attach", {"camera": fleet["cam_b"].pk, "file": upload()},
                    follow=True)
    assert "该执法记录仪属于其他中队" in r.content.decode()
