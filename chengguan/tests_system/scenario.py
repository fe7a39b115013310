"""A small but complete city state built through the real services: cases in several states with photos
(media files), and audit records, on top of the `city` fixture. Used by the backup and race proofs."""

from datetime import datetime
from zoneinfo import ZoneInfo

from chengguan.cases import testing as case_testing
from chengguan.cases.testing import Upload  # noqa: F401  (the system tests take it from here)

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 10, 9, 0, tzinfo=TZ)  # a working Tuesday
POINT_A = (114.3075, 34.8075)  # inside the supervisor's responsibility grid, district A


def png_bytes(color=(200, 30, 30), size=(16, 12)) -> bytes:
    return case_testing.png_bytes(color, size)


def garbage_matter():
    from chengguan.catalog.models import MatterType

    return MatterType.objects.get(code="06010")  # 暴露垃圾


def report(city, *, by="supervisor", point=POINT_A, description="路边有暴露垃圾", photos=()):
    from chengguan.cases.services import case_report

    kwargs = {"photos": list(photos)} if photos else {}
    return case_report(
        actor=city[by], source="supervisor", matter=garbage_matter(), lng=point[0], lat=point[1], crs="gcj02",
        description=description, address="西门大街 12 号", **kwargs,
    )


def photo(city, by="supervisor", color=(200, 30, 30)):
    from chengguan.cases.evidence import attachment_create

    return attachment_create(actor=city[by], file=Upload(png_bytes(color)), kind="before")


def dispatched_case(city):
    """A case accepted, filed and dispatched to sanitation."""
    from chengguan.cases.services import case_act
    from chengguan.catalog.models import FilingCondition

    case = report(city)
    case = case_act(actor=city["operator"], case=case, action="accept")
    condition = FilingCondition.objects.filter(matter=case.matter, is_active=True).order_by("pk").first()
    params = {"filing_condition_id": condition.pk} if condition else {}
    case = case_act(actor=city["shift_leader"], case=case, action="file", **params)
    return case_act(actor=city["dispatcher"], case=case, action="dispatch", department_id=city.sanitation.pk)


def build(city, *, cases=6):
    """Cases in several states, two with photos, and a few audit records naming a stored file."""
    from chengguan.cases.services import case_act
    from chengguan.enforcement.audit import audit_append, file_entry, sha256_file

    made = []
    for i in range(cases):
        pics = [photo(city, color=(20 * i, 100, 50)).pk] if i < 2 else []
        case = report(city, description=f"第{i}处暴露垃圾", photos=pics)
        if i % 3 == 1:
            case = case_act(actor=city["operator"], case=case, action="accept")
        elif i % 3 == 2:
            case = case_act(actor=city["operator"], case=case, action="reject", reason="不属于城管范围")
        made.append(case)
    made.append(dispatched_case(city))
    attachment = made[0].attachments.first()
    with attachment.file.open("rb") as fh:
        digest = sha256_file(fh)
    for i, case in enumerate(made[:3]):
        audit_append(
            actor=city["officer"], subject_type="cases.case", subject_id=case.pk, act=f"note-{i}",
            payload={"amount": "200.50", "text": "现场检查"}, files=[file_entry(attachment.file.name, digest)],
        )
    return made
