"""The model-based Open311 request serialiser that public/open311/listing.py replaced (at ee761ea), kept as the
reference the fast path is compared with: a queryset of Case models with select_related/prefetch_related, one
dict per case through the presenters, and the XML through ElementTree."""

from xml.etree import ElementTree as ET

from django.db.models import OuterRef, Prefetch, Subquery

from chengguan.cases.models import Attachment, Case, CaseEvent
from chengguan.core.coords import gcj02_to_wgs84
from chengguan.public import presenters
from chengguan.public.open311.render import ITEM_TAGS, _text
from chengguan.public.open311.requests import public_sources


def base_queryset(*, extensions: bool = False):
    latest = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-at", "-pk").values("at")[:1]
    qs = (
        Case.objects.filter(source__in=public_sources())
        .select_related("matter", "current_department", "merged_into", "open311_submission")
        .annotate(updated_at=Subquery(latest))
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk")))
    )
    if extensions:
        qs = qs.prefetch_related(
            Prefetch("events", queryset=CaseEvent.objects.select_related("department").order_by("at", "pk"))
        )
    return qs


def _media_url(case, absolute) -> str | None:
    submission = getattr(case, "open311_submission", None)
    if submission is not None and submission.media_url:
        return submission.media_url
    photos = presenters.after_photos(case)
    return absolute(presenters.photo_url(photos[-1])) if photos else None


def request_dict(case, *, absolute, extensions: bool = False) -> dict:
    lng, lat = gcj02_to_wgs84(case.lng, case.lat)
    updated = getattr(case, "updated_at", None) or case.reported_at
    data = {
        "service_request_id": case.number,
        "status": presenters.status_of(case),
        "status_notes": presenters.status_note(case) if extensions else presenters.state_label(case),
        "service_name": case.matter.name,
        "service_code": case.matter.code,
        "description": presenters.scrub_text(case.description)[:4000] or None,
        "agency_responsible": case.current_department.name if case.current_department_id else None,
        "service_notice": None,
        "requested_datetime": presenters.iso(case.reported_at),
        "updated_datetime": presenters.iso(
            case.closed_at if case.closed_at and not case.is_open else updated
        ),
        "expected_datetime": presenters.iso(case.deadline)
        if case.is_open and case.step == "handle"
        else None,
        "address": case.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": round(lat, 6),
        "long": round(lng, 6),
        "media_url": _media_url(case, absolute),
    }
    if extensions:
        data["extended_attributes"] = {
            "detailed_status": case.state,
            "detailed_status_label": presenters.state_label(case),
            "channel": case.source,
            "duplicate_of": case.merged_into.number if case.merged_into_id else None,
            "photos": [absolute(presenters.photo_url(a)) for a in presenters.after_photos(case)],
        }
        data["notes"] = [
            {
                "datetime": presenters.iso(e.at),
                "type": presenters.NOTE_TYPES.get(e.action, "activity"),
                "summary": e.action,
                "description": presenters.event_text(e),
            }
            for e in presenters.public_events(case)
        ]
    return data


def _fill(element, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item)
    elif isinstance(value, list | tuple):
        tag = ITEM_TAGS.get(element.tag, "item")
        for item in value:
            _fill(ET.SubElement(element, tag), item)
    else:
        element.text = _text(value)


def to_xml(root: str, value) -> str:
    element = ET.Element(root)
    _fill(element, value)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="unicode")
