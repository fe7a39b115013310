"""Cases as Open311 service requests, and the GET requests query with the spec's filters plus paging."""

from datetime import timedelta

from django.db.models import Prefetch

from chengguan.cases.models import Attachment, CaseEvent, Source
from chengguan.cases.workflow import FINAL_STATES

from .. import presenters
from .catalog import _datetime
from .listing import case_rows
from .render import Open311Error

MAX_SPAN = timedelta(days=90)
MAX_PAGE = 1_000_000  # beyond any city's cases; a larger page number is a mistake (and overflows SQLite)


def public_sources() -> list[str]:
    from django.conf import settings

    return list(getattr(settings, "OPEN311_PUBLIC_SOURCES", Source.values))


def _csv(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _positive_int(value, name: str, default: int, maximum: int | None = None) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Open311Error(400, f"{name} must be a positive integer", code="invalid_parameter") from None
    if number < 1 or (maximum is not None and number > maximum):
        limit = f" (at most {maximum})" if maximum else ""
        raise Open311Error(400, f"{name} must be a positive integer{limit}", code="invalid_parameter")
    return number


def _page(params, *, default: int, maximum: int) -> tuple[int, int]:
    page = _positive_int(params.get("page"), "page", 1, MAX_PAGE)
    return page, _positive_int(params.get("page_size"), "page_size", default, maximum)


def _slice(qs, page: int, page_size: int) -> tuple[list, bool]:
    """One page, and whether more rows follow it (one row more is read to know)."""
    start = (page - 1) * page_size
    rows = list(qs[start : start + page_size + 1])
    return rows[:page_size], len(rows) > page_size


def search(params, *, now, page_size: int, page_size_max: int) -> tuple[list, dict]:
    """GET requests: `service_request_id` (overrides the rest), `service_code`, `start_date`, `end_date`,
    `status`, plus the `updated_after`/`updated_before`, `page`/`page_size` and `extensions` extensions.

    Returns (rows of listing.COLUMNS, paging): paging["next"] holds the parameters of the next page when more remain (the
    window's `start_date`/`end_date` pinned, so that new cases do not shift later pages), else None. A
    `service_request_id` list longer than `page_size_max` is refused, never cut; with such a list the
    default page size is the maximum, so every listed id fits in one answer."""
    extensions = (params.get("extensions") or "").lower() == "true"
    ids = list(dict.fromkeys(_csv(params.get("service_request_id"))))
    if len(ids) > page_size_max:
        raise Open311Error(
            400,
            f"service_request_id lists {len(ids)} ids: at most {page_size_max} at a time",
            code="too_many_ids",
        )
    page, size = _page(params, default=page_size_max if ids else page_size, maximum=page_size_max)
    qs = case_rows(public_sources(), extensions=extensions)
    window = {}
    if ids:
        qs = qs.filter(number__in=ids)
    else:
        qs, window = _filter(qs, params, now=now)
    rows, more = _slice(qs.order_by("-reported_at", "-pk"), page, size)
    following = {**window, "page": page + 1, "page_size": size} if more else None
    return rows, {"extensions": extensions, "page": page, "page_size": size, "next": following}


def _filter(qs, params, *, now):
    codes = _csv(params.get("service_code"))
    if codes:
        qs = qs.filter(matter__code__in=codes)
    statuses = _csv(params.get("status"))
    unknown = set(statuses) - {"open", "closed"}
    if unknown:
        raise Open311Error(
            400, "status must be open, closed or both (comma-separated)", code="invalid_status"
        )
    if statuses and len(set(statuses)) == 1:
        qs = qs.filter(is_open=statuses[0] == "open")
    start = _datetime(params.get("start_date"), "start_date")
    end = _datetime(params.get("end_date"), "end_date")
    if start and end and end < start:
        raise Open311Error(400, "end_date is before start_date", code="invalid_date_range")
    if start and end and end - start > MAX_SPAN:
        raise Open311Error(
            400, "start_date and end_date may not span more than 90 days", code="date_range_too_long"
        )
    if not start and not end:
        end, start = now, now - MAX_SPAN
    elif not start:
        start = end - MAX_SPAN
    elif not end:
        end = start + MAX_SPAN
    qs = qs.filter(reported_at__gte=start, reported_at__lte=end)
    window = {"start_date": start.isoformat(), "end_date": end.isoformat()}
    after = _datetime(params.get("updated_after"), "updated_after")
    before = _datetime(params.get("updated_before"), "updated_before")
    if after:
        qs = qs.filter(updated_at__gt=after)
    if before:
        qs = qs.filter(updated_at__lt=before)
    return qs, window


def one(number: str, *, extensions: bool = False) -> dict:
    row = case_rows(public_sources(), extensions=extensions).filter(number=number).first()
    if row is None:
        raise Open311Error(404, f"service_request_id {number} not found", code="request_not_found")
    return row


def updates(params, *, now, absolute, page_size_max: int) -> tuple[list[dict], dict | None]:
    """FixMyStreet's `servicerequestupdates` extension: public events between `start_date` and `end_date`
    (default: the last 24 hours; at most 90 days), oldest first, paged by `page`/`page_size` (default and
    maximum `page_size_max`). Returns (updates, the next page's parameters or None when none remain); the
    next page pins the window, so events recorded meanwhile do not shift it."""
    start = _datetime(params.get("start_date"), "start_date")
    end = _datetime(params.get("end_date"), "end_date") or now
    start = start or end - timedelta(days=1)
    if end < start:
        raise Open311Error(400, "end_date is before start_date", code="invalid_date_range")
    if end - start > MAX_SPAN:
        raise Open311Error(
            400, "start_date and end_date may not span more than 90 days", code="date_range_too_long"
        )
    page, size = _page(params, default=page_size_max, maximum=page_size_max)
    events, more = _slice(
        CaseEvent.objects.filter(
            at__gte=start,
            at__lte=end,
            action__in=list(presenters.PUBLIC_ACTIONS),
            case__source__in=public_sources(),
        )
        .select_related("case", "department")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.filter(kind="after")))
        .order_by("at", "pk"),
        page,
        size,
    )
    following = None
    if more:
        following = {"start_date": start.isoformat(), "end_date": end.isoformat(), "page": page + 1,
                     "page_size": size}  # fmt: skip
    result = []
    for e in events:
        photos = list(e.attachments.all())
        result.append(
            {
                "update_id": str(e.pk),
                "service_request_id": e.case.number,
                "status": "closed" if e.to_state in FINAL_STATES else "open",
                "external_status_code": e.to_state,
                "updated_datetime": presenters.iso(e.at),
                "description": presenters.event_text(e),
                "media_url": absolute(presenters.photo_url(photos[-1])) if photos else None,
            }
        )
    return result, following
