"""Service requests for GET requests (and requests/<id>): the needed columns only, serialised without models.

The main query reads one row of columns per case (`values()`: no model instances, no related model
instances) with the id of its latest after-photo; with `extensions=true` (every after-photo, the public
events) the page's photos and events come in one more query each. The answer is then built item by item as plain dicts and
streamed in chunks (`render.stream`), the same fields, values and bytes as the model-based serialiser this
replaced (public/tests/test_open311_listing.py compares both on every kind of request).
"""

import functools

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone, translation

from chengguan.cases.models import Attachment, Case, CaseEvent
from chengguan.cases.workflow import STATE_LABELS
from chengguan.core.coords import gcj02_to_wgs84

from .. import presenters

COLUMNS = (
    "pk", "number", "source", "state", "step", "is_open", "description", "address", "lng", "lat",
    "reported_at", "closed_at", "deadline", "updated_at", "matter__name", "matter__code",
    "current_department__name", "merged_into__number", "open311_submission__media_url",
)  # fmt: skip


def case_rows(public_sources: list[str], *, extensions: bool = False):
    """Public cases as rows of `COLUMNS`, with `updated_at` (the latest event's time) to filter on; without
    extensions (which list every after-photo) the latest after-photo's id too, so the page is one query."""
    latest = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-at", "-pk").values("at")[:1]
    qs = Case.objects.filter(source__in=public_sources).annotate(updated_at=Subquery(latest))
    if extensions:
        return qs.values(*COLUMNS)
    photo = (
        Attachment.objects.filter(case=OuterRef("pk"), kind="after")
        .order_by("-uploaded_at", "-pk")
        .values("pk")
    )
    return qs.annotate(last_photo=Subquery(photo[:1])).values(*COLUMNS, "last_photo")


@functools.lru_cache(maxsize=4096)  # ~1 MB; a client polling pages asks for the same cases again
def _wgs84(lng: float, lat: float) -> tuple[float, float]:
    """(lat, long) in WGS-84, rounded as the answer gives them (the GCJ-02 inversion iterates: ~30 µs)."""
    wlng, wlat = gcj02_to_wgs84(lng, lat)
    return round(wlat, 6), round(wlng, 6)


class _Department:
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


class _Event:
    """What presenters.event_text reads of an event, from a row."""

    __slots__ = ("at", "action", "department_id", "department", "payload", "reason")

    def __init__(self, row):
        self.at, self.action, self.payload, self.reason = (
            row["at"],
            row["action"],
            row["payload"],
            row["reason"],
        )
        self.department_id = row["department_id"]
        self.department = _Department(row["department__name"]) if self.department_id else None


def _photos(ids) -> dict[int, list[int]]:
    """Each case's after-photo ids, oldest first (as presenters.after_photos orders them)."""
    found: dict[int, list[int]] = {}
    rows = (
        Attachment.objects.filter(case_id__in=ids, kind="after")
        .order_by("uploaded_at", "pk")
        .values_list("case_id", "pk")
    )
    for case_id, pk in rows:
        found.setdefault(case_id, []).append(pk)
    return found


def _events(ids) -> dict[int, list[_Event]]:
    """Each case's public events, oldest first (presenters.public_events)."""
    found: dict[int, list[_Event]] = {}
    rows = (
        CaseEvent.objects.filter(case_id__in=ids, action__in=list(presenters.PUBLIC_ACTIONS))
        .order_by("at", "pk")
        .values("case_id", "at", "action", "department_id", "department__name", "payload", "reason")
    )
    for row in rows:
        found.setdefault(row["case_id"], []).append(_Event(row))
    return found


class Serialiser:
    """Turns the rows of one page into Open311 request dicts; `absolute(path)` makes a full URL."""

    def __init__(self, rows: list[dict], *, absolute, extensions: bool = False):
        ids = [row["pk"] for row in rows]
        self.rows, self.absolute, self.extensions = rows, absolute, extensions
        self.photos = _photos(ids) if ids and extensions else {}
        self.events = _events(ids) if ids and extensions else {}
        self.tz = timezone.get_current_timezone()
        self.language = translation.get_language()  # a streamed answer is built after the view returned
        self.labels: dict[str, str] = {}
        self.photo_path = reverse("public-photo", args=[0])[: -len("0/")]  # "/p/photos/"

    def __iter__(self):
        with translation.override(self.language):
            for row in self.rows:
                yield self.item(row)

    def iso(self, value) -> str | None:
        return value.astimezone(self.tz).isoformat(timespec="seconds") if value else None

    def label(self, state: str) -> str:
        if state not in self.labels:
            self.labels[state] = str(STATE_LABELS.get(state, state))
        return self.labels[state]

    def photo(self, pk: int) -> str:
        return self.absolute(f"{self.photo_path}{pk}/")

    def item(self, row) -> dict:
        lat, lng = _wgs84(row["lng"], row["lat"])
        is_open, closed_at = row["is_open"], row["closed_at"]
        if self.extensions:
            photos, events = self.photos.get(row["pk"], ()), self.events.get(row["pk"], [])
            last_photo = photos[-1] if photos else None
        else:
            photos, events, last_photo = (), None, row["last_photo"]
        media_url = row["open311_submission__media_url"] or (self.photo(last_photo) if last_photo else None)
        data = {
            "service_request_id": row["number"],
            "status": "open" if is_open else "closed",
            "status_notes": (
                presenters.state_note(row["state"], events, row["merged_into__number"])
                if self.extensions
                else self.label(row["state"])
            ),
            "service_name": row["matter__name"],
            "service_code": row["matter__code"],
            "description": presenters.scrub_text(row["description"])[:4000] or None,
            "agency_responsible": row["current_department__name"],
            "service_notice": None,
            "requested_datetime": self.iso(row["reported_at"]),
            "updated_datetime": self.iso(
                closed_at if closed_at and not is_open else (row["updated_at"] or row["reported_at"])
            ),
            "expected_datetime": self.iso(row["deadline"]) if is_open and row["step"] == "handle" else None,
            "address": row["address"] or None,
            "address_id": None,
            "zipcode": None,
            "lat": lat,
            "long": lng,
            "media_url": media_url,
        }
        if self.extensions:
            data["extended_attributes"] = {
                "detailed_status": row["state"],
                "detailed_status_label": self.label(row["state"]),
                "channel": row["source"],
                "duplicate_of": row["merged_into__number"],
                "photos": [self.photo(pk) for pk in photos],
            }
            data["notes"] = [
                {
                    "datetime": self.iso(e.at),
                    "type": presenters.NOTE_TYPES.get(e.action, "activity"),
                    "summary": e.action,
                    "description": presenters.event_text(e),
                }
                for e in events
            ]
        return data
