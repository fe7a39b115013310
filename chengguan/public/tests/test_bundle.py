"""The exchange bundle (chengguan.cases.bundle, with this app's links): export → import into an empty platform → export is byte-identical, with photos (and their
hashes), a hotline work order with its webhook subscriber, and an Open311 request with its token and media_url."""

import io
from datetime import timedelta
from pathlib import Path

import pytest

from chengguan.cases.bundle import export_bundle, import_bundle
from chengguan.cases.evidence import attachment_create
from chengguan.cases.models import Attachment, Case, ImportCheckpoint
from chengguan.cases.services.sweeper import sweep
from chengguan.cases.testing import POINT_A, Upload, Walker, png_bytes
from chengguan.cases.tests.test_exchange import recompute_rows, recomputed, wipe
from chengguan.cases.workflow import State
from chengguan.catalog.models import RoutingRule
from chengguan.core.testing import package_knows_up_to_2026  # noqa: F401 - autouse fixture
from chengguan.public.models import (
    HotlineSystem,
    HotlineWorkOrder,
    Open311Key,
    Open311Submission,
    PointsEntry,
    Satisfaction,
    WebhookSubscriber,
)
from chengguan.public.services.citizen import points_award, satisfaction_record
from chengguan.public.services.hotline import hotline_system_create, subscriber_create, work_order_receive
from chengguan.public.services.open311 import (
    open311_discard,
    open311_key_create,
    open311_submit,
    submission_for_token,
)


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
    # address-only reports that never became a case: one waiting for a place, one discarded
    open311_submit(key=key, matter=walk.matter, lat=None, long=None, address_string="西门大街 12 号", description="井盖缺失",
                   attributes={"ward": "3"})  # fmt: skip
    discarded = open311_submit(key=key, matter=walk.matter, lat=None, long=None, address_string="不明地址", description="垃圾")
    open311_discard(actor=city["operator"], submission=discarded, reason="地址无法定位")
    # a dispatch that took the routing suggestion
    RoutingRule.objects.create(matter=walk.matter, region=city.district_a, department=city.sanitation_unit)
    routed = walk.to(State.FILED)
    walk.act(routed, "dispatch", "dispatcher")
    # a citizen's case, closed, rated on the portal; its filing earned the reporter points
    rated = walk.to(State.CLOSED, by=None, source="citizen", reporter_name="王五", reporter_phone="13900002222")
    points_award(case=rated, reason="file", at=rated.filed_at)
    satisfaction_record(actor=None, case=rated, score="basic", comment="还行")
    # an overdue case the sweeper urged (and later escalated): flagged, so the new platform does not urge it again
    frozen.shift(timedelta(days=5))
    sweep()
    return order


def files(root: Path) -> dict:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def empty_platform():
    HotlineWorkOrder.objects.all().delete()
    Open311Submission.objects.all().delete()
    Satisfaction.objects.all().delete()
    PointsEntry.objects.all().delete()
    Attachment.objects.all().delete()
    wipe()
    ImportCheckpoint.objects.all().delete()


@pytest.mark.parametrize("as_zip", [False, True])
def test_the_bundle_round_trips_byte_identically_with_photos_and_links(walk, frozen, tmp_path, as_zip):
    city_with_links(walk, frozen)
    before = marks()
    first = tmp_path / ("first.zip" if as_zip else "first")
    counts = export_bundle(first)
    assert counts == {"cases": Case.objects.count(), "photos": 3, "files": {"open311_pending.jsonl": 2}}
    if not as_zip:  # every line is described by the JSON Schema shipped in the package, photos and links too
        import json

        import jsonschema

        from chengguan.cases.exchange import schema

        validator = jsonschema.Draft202012Validator(schema())
        lines = [json.loads(t) for t in (first / "cases.jsonl").read_text(encoding="utf-8").splitlines()]
        for line in lines:
            validator.validate(line)
        assert {name for line in lines for name in line["links"]} == {"hotline", "open311", "satisfaction", "points"}
        assert not validator.is_valid({**lines[0], "photos": [{"sha256": "x", "file": "a", "content_type": "image/gif"}]})
        pending = jsonschema.Draft202012Validator({"$defs": schema()["$defs"], "$ref": "#/$defs/open311_pending"})
        records = [json.loads(t) for t in (first / "open311_pending.jsonl").read_text(encoding="utf-8").splitlines()]
        assert sorted(r["status"] for r in records) == ["discarded", "pending"]
        for record in records:
            pending.validate(record)
        assert not pending.is_valid({**records[0], "status": "lost"})
        manifest = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["files"] == {"open311_pending.jsonl": 2}
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
    submission = Open311Submission.objects.get(case__isnull=False)
    assert submission.media_url == "https://img.example.org/1.jpg" and len(submission.token) == 32
    assert marks() == before  # the sweeper's flags and payloads, the routed dispatch, the rating, the points, tokens


def marks() -> dict:
    """What the exchange used to drop, by natural keys."""
    from chengguan.cases.models import CaseEvent

    return {
        "flags": sorted(Case.objects.values_list("number", "overdue_notified", "escalated", "urge_count")),
        "auto": sorted(
            (e.case.number, e.action, e.payload["deadline"], e.deadline.isoformat())
            for e in CaseEvent.objects.filter(payload__auto=True).select_related("case")
        ),
        "suggested": sorted(
            CaseEvent.objects.filter(payload__suggested=True).values_list("case__number", "department__code")
        ),
        "ratings": list(Satisfaction.objects.values_list("case__number", "score", "comment", "channel", "rated_at")),
        "points": list(PointsEntry.objects.values_list("case__number", "phone", "reason", "points", "at")),
        "tokens": sorted(
            (s.token, s.status, s.case.number if s.case_id else None, s.discard_reason, s.attributes)
            for s in Open311Submission.objects.select_related("case")
        ),
    }


def test_the_bundle_carries_what_the_sweeper_routing_ratings_and_pending_open311_reports_left(walk, frozen, tmp_path):
    city_with_links(walk, frozen)
    before = marks()
    # positive controls: each of them is there to be carried
    assert any(flag for _n, flag, _e, _u in before["flags"]) and any(esc for _n, _f, esc, _u in before["flags"])
    assert {action for _n, action, _d, _e in before["auto"]} == {"urge", "supervise"}
    assert all(payload == deadline for _n, _a, payload, deadline in before["auto"])  # the deadline then
    assert before["suggested"] and before["ratings"] and before["points"]
    pending = {status: token for token, status, number, _r, _a in before["tokens"] if number is None}
    assert set(pending) == {"pending", "discarded"}
    export_bundle(tmp_path / "b")
    empty_platform()
    assert marks() != before
    result = import_bundle(tmp_path / "b")
    assert result["files"] == {"open311_pending.jsonl": 2}
    assert marks() == before
    # a client's token answers as before the migration: still waiting for a place, or discarded with its reason
    assert submission_for_token(pending["pending"]).status == "pending"
    assert submission_for_token(pending["discarded"]).discard_reason == "地址无法定位"
    # the new platform's sweeper does not urge again what the old one urged already
    assert sweep() == {"urged": 0, "escalated": 0}
    # a bundle imported again writes no second copy of the pending reports
    assert import_bundle(tmp_path / "b", on_error="skip")["files"] == {"open311_pending.jsonl": 0}


def test_a_malformed_rating_or_pending_report_is_refused_naming_the_field(walk, frozen, tmp_path):
    import json

    from chengguan.core.errors import DomainError

    city_with_links(walk, frozen)
    export_bundle(tmp_path / "b")
    empty_platform()
    lines = (tmp_path / "b" / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    rated = next(i for i, t in enumerate(lines) if "satisfaction" in json.loads(t)["links"])
    record = json.loads(lines[rated])
    record["links"]["satisfaction"]["score"] = "meh"
    lines[rated] = json.dumps(record, ensure_ascii=False)
    (tmp_path / "b" / "cases.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rejects = io.StringIO()
    result = import_bundle(tmp_path / "b", on_error="skip", rejects=rejects)
    assert result["rejected"] == 1 and f"{rated + 1}\t\tscore\t" in rejects.getvalue()
    empty_platform()
    pending = tmp_path / "b" / "open311_pending.jsonl"
    records = pending.read_text(encoding="utf-8").splitlines()
    pending.write_text(records[0] + "\n" + records[1].replace('"received_at": "', '"received_at": "yesterday'),
                       encoding="utf-8")  # fmt: skip
    with pytest.raises(DomainError) as err:
        import_bundle(tmp_path / "b")
    assert err.value.field == "received_at" and "open311_pending.jsonl line 2" in err.value.message
    assert not Case.objects.exists() and not Open311Submission.objects.exists()  # nothing half-written


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


def test_the_command_reports_the_other_files_and_refuses_a_bad_one_clearly(walk, frozen, tmp_path):
    from django.core.management import CommandError, call_command

    city_with_links(walk, frozen)
    out, err = io.StringIO(), io.StringIO()
    call_command("cases", "export", "--bundle", str(tmp_path / "b"), stdout=out, stderr=err)
    assert "open311_pending.jsonl: 2 records" in err.getvalue()
    empty_platform()
    call_command("cases", "import", str(tmp_path / "b"), stdout=out, stderr=err)
    assert "open311_pending.jsonl: 2 records restored" in out.getvalue()
    empty_platform()
    manifest = tmp_path / "b" / "manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"files": {', '"files": {"ratings.jsonl": 1, '),
                        encoding="utf-8")  # fmt: skip
    with pytest.raises(CommandError, match="ratings.jsonl: no installed app reads this file"):
        call_command("cases", "import", str(tmp_path / "b"), stdout=out, stderr=err)
    assert not Case.objects.exists()


def test_the_bundle_round_trips_a_recomputed_deadline(walk, frozen, tmp_path):
    """The holiday arrangement entered late: two cases' `recompute_deadline` rows (old/new deadline, years) and what
    they did to the open step (deadline, escalation point, the sweeper's flags cleared) survive the migration."""
    city_with_links(walk, frozen)
    recomputed(walk, frozen)
    before = sorted(recompute_rows())
    assert len(before) == 2
    export_bundle(tmp_path / "b")
    empty_platform()
    assert import_bundle(tmp_path / "b")["rejected"] == 0
    assert sorted(recompute_rows()) == before
    export_bundle(tmp_path / "c")
    assert files(tmp_path / "c") == files(tmp_path / "b")
