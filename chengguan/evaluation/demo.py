"""Demo data of the evaluation app: facts rebuilt from the demo cases, a month of assessment records with
evidence and accountability, and red-light notices for the overdue demo cases. Idempotent: records are
added once (tagged 演示), the facts rebuild and the notice sweep change nothing on a second run."""

import io
import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from chengguan.org.models import Department, Region, User

from .facts import facts_rebuild
from .models import AssessmentItem, AssessmentRecord, FoundBy, RedLightNotice
from .services import (
    accountability_record,
    assessment_record,
    evidence_attach,
    red_light_issue,
    red_light_sweep,
)

TAG = "（演示）"
SEED = 2026
RECORDS = 24


def _photo() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 140, 60)).save(buf, format="PNG")
    return SimpleUploadedFile("现场照片.png", buf.getvalue(), content_type="image/png")


def _assessor():
    return (
        User.objects.filter(is_superuser=True).order_by("pk").first()
        or User.objects.filter(role_assignments__role="leader").order_by("pk").first()
    )


def _records(actor, now, stdout) -> None:
    if AssessmentRecord.objects.filter(description__endswith=TAG).exists():
        return
    streets = list(Region.objects.filter(level=Region.Level.STREET).order_by("code")[:12])
    departments = list(Department.objects.filter(kind__in=["disposal", "disposal_unit"]).order_by("code")[:8])
    items = list(AssessmentItem.objects.filter(is_active=True).order_by("code"))
    if not streets or not items:
        return
    rng = random.Random(SEED)
    today = timezone.localdate(now)
    created = []
    for i in range(RECORDS):
        item = rng.choice(items)
        to_street = item.applies_to == "street" or (item.applies_to == "both" and rng.random() < 0.6)
        if not to_street and not departments:
            continue
        record = assessment_record(
            actor=actor,
            item=item,
            street=rng.choice(streets) if to_street else None,
            department=None if to_street else rng.choice(departments),
            occurred_on=today - timedelta(days=rng.randrange(0, 40)),
            found_by=rng.choice(FoundBy.values),
            quantity=rng.choice([1, 1, 1, 2, 3]),
            description=f"{item.name}，现场核实{TAG}",
            at=now,
        )
        created.append(record)
        if i % 4 == 0:
            evidence_attach(actor=actor, record=record, file=_photo(), at=now)
    worst = min(created, key=lambda r: r.points, default=None)
    if worst is not None:
        accountability_record(
            actor=actor,
            kind="interview",
            street=worst.street,
            department=worst.department,
            person="分管负责人",
            reason=f"{worst.item.name}，扣 {-worst.points:g} 分{TAG}",
            decided_on=worst.occurred_on,
            record=worst,
            at=now,
        )
    stdout.write(f"evaluation: {len(created)} assessment records")


def _notices(actor, now, stdout) -> None:
    result = red_light_sweep(now=now)
    escalated = 0
    if not RedLightNotice.objects.filter(level="supervise").exists():
        for notice in RedLightNotice.objects.filter(status="open", level="urge").order_by("step_deadline")[
            :3
        ]:
            red_light_issue(actor=actor, case=notice.case, at=now, reason="经催办仍未处置" + TAG)
            escalated += 1
    stdout.write(f"evaluation: {result['urged']} urging notices, {escalated} supervision notices")


def load(*, stdout) -> None:
    n = facts_rebuild()
    stdout.write(f"evaluation: facts rebuilt for {n} cases")
    actor = _assessor()
    if actor is None:
        return
    now = timezone.now()
    _records(actor, now, stdout)
    _notices(actor, now, stdout)
