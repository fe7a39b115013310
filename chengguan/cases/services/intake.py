"""Intake: a report from any source becomes a case awaiting acceptance."""

import re
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.catalog.models import MatterType, Severity
from chengguan.catalog.services import area_class_for, photo_required
from chengguan.core import rowinsert, rowqueue
from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.core.memo import own_copy
from chengguan.grids.geocoder import index_memo, locate
from chengguan.grids.models import Component, UnitGrid
from chengguan.org.models import Region, Role
from chengguan.org.scope import has_role, sees_everything

from .. import conf
from ..duplicates import duplicate_candidates
from ..evidence import claim_attachments
from ..models import Case, CaseEvent, Source
from ..notify import is_silenced
from ..signals import case_event_recorded, case_events_written
from .engine import start_step, write_event
from .numbering import allocate_number, insert_numbered, keys_ahead

PHONE_RE = re.compile(r"^\+?[0-9][0-9 -]{4,19}$")
# The longest description any channel may send: Open311 GeoReport v2 allows 4,000 characters, and the desk,
# the portal, the hotline and the API accept the same, so no request is refused by one door and taken by another.
DESCRIPTION_MAX_LENGTH = 4000
# Sources an integration may report without a signed-in user (the public portal, hotline, camera feeds).
ANONYMOUS_SOURCES = frozenset({Source.CITIZEN, Source.HOTLINE, Source.CAMERA})
# Roles allowed to register each source; `None` in the set: any signed-in user (a citizen account).
SOURCE_ROLES = {
    Source.SUPERVISOR: {Role.SUPERVISOR},
    Source.LEADER: {Role.LEADER},
    Source.DEPARTMENT: {Role.DEPARTMENT_HANDLER},
    Source.PATROL: {Role.OFFICER, Role.ASSISTANT},
    Source.CITIZEN: None,
    Source.HOTLINE: {Role.OPERATOR, Role.SHIFT_LEADER, Role.DISPATCHER, Role.LEADER},
    Source.CAMERA: {Role.OPERATOR, Role.SHIFT_LEADER, Role.DISPATCHER, Role.LEADER},
}
CLOCK_SKEW = timedelta(minutes=5)


def _placed(location) -> tuple[UnitGrid, tuple]:
    """The unit grid (id, code and management level: enough for the case row and its area class) and copies of
    the community, street and district rows, memoised with the grid index (dropped when grids or regions
    change), so an intake reads neither table."""
    memo = index_memo()
    grids = memo.setdefault("cases.unit_grids", {})
    pk = location.unit_grid_id
    if pk not in grids:
        grids[pk] = UnitGrid.objects.only("code", "management_level", "community_id").get(pk=pk)
    regions = memo.setdefault("cases.regions", {})
    wanted = (location.community_id, location.street_id, location.district_id)
    missing = [i for i in wanted if i is not None and i not in regions]
    if missing:
        regions.update(Region.objects.defer("boundary").in_bulk(missing))
    return own_copy(grids[pk]), tuple(own_copy(regions[i]) if i is not None else None for i in wanted)


def _reporter_role(actor, source: str) -> str:
    if actor is None:
        if source not in ANONYMOUS_SOURCES:
            raise PermissionDenied(
                _("A %(source)s report needs a signed-in reporter.") % {"source": source},
                field="source",
                code="unauthenticated",
            )
        return "system" if source != Source.CITIZEN else "citizen"
    allowed = SOURCE_ROLES[source]
    if allowed is None:
        if actor.role_assignments.exists() or sees_everything(actor):
            # Citizen points are paid per phone: staff report under their own source, never as a citizen.
            raise PermissionDenied(
                _("Staff may not register citizen reports; use your own source (a caller's report is hotline)."),
                field="source",
            )
        return "citizen"
    if sees_everything(actor):
        return Role.ADMIN.value
    for role in sorted(allowed):
        if has_role(actor, role):
            return str(role)
    raise PermissionDenied(
        _("You may not register %(source)s reports (needs: %(value)s).")
        % {"source": source, "value": ", ".join(sorted(str(r) for r in allowed))},
        field="source",
    )


# `Choices.values` builds a list on every read; the bulk import checks these once per line
SOURCES, SEVERITIES = frozenset(Source.values), frozenset(Severity.values)


def _check_inputs(*, source, matter, description, severity, component, reporter_phone, reported_at, at):
    if not isinstance(source, str) or source not in SOURCES:
        raise ValidationError(
            _("Unknown source %(source)r; use one of %(value)s.")
            % {"source": source, "value": ", ".join(Source.values)},
            field="source",
        )
    if not isinstance(matter, MatterType) or not matter.is_active:
        raise ValidationError(_("Choose an active matter type."), field="matter_code")
    if not (description or "").strip():
        raise ValidationError(_("Describe the problem."), field="description")
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise ValidationError(
            _("The description is longer than %(limit)s characters.") % {"limit": DESCRIPTION_MAX_LENGTH},
            field="description",
        )
    if severity is not None and (not isinstance(severity, str) or severity not in SEVERITIES):
        raise ValidationError(_("Unknown severity %(severity)r.") % {"severity": severity}, field="severity")
    if reporter_phone and not PHONE_RE.match(reporter_phone):
        raise ValidationError(_("The phone number is not valid."), field="reporter_phone")
    if reported_at is not None and reported_at > at + CLOCK_SKEW:
        raise ValidationError(_("The report time is in the future."), field="reported_at")
    if component is not None:
        if not isinstance(component, Component):
            raise ValidationError(_("Unknown component."), field="component_id")
        if matter.component_type_id and component.type_id != matter.component_type_id:
            raise ValidationError(
                _("The component %(component_code)s is a %(value)s, not a %(matter_name)s component.")
                % {
                    "component_code": component.code,
                    "value": component.type.name,
                    "matter_name": matter.name,
                },
                field="component_id",
            )


# Sources whose reporter stands at the problem with a phone: where the filing condition asks for a photo, they take one.
FIELD_SOURCES = frozenset({Source.SUPERVISOR, Source.PATROL, Source.DEPARTMENT})


def _check_photo(*, source, matter, photos):
    if source in FIELD_SOURCES and not photos and photo_required(matter):
        raise ValidationError(
            _("A report of %(matter_name)s needs a photo of the problem: take one and report again.")
            % {"matter_name": matter.name},
            field="photos",
        )


def _check_backdating(actor, reported_at, at, *, importing: bool) -> float | None:
    """A report time in the past (recorded on the report event as `backdated_hours`). Anyone may be up to
    `CASES_BACKDATE_GRACE_HOURS` (24: a phone that was offline) late; further back only the import path, the
    in-process integrations (hotline work orders, Open311's `observed_at`) and users holding a role listed in
    `CASES_BACKDATE_ROLES` (default none), at most `CASES_BACKDATE_MAX_DAYS` (31) back. A published month of
    statistics is not rewritten by a staff member's typo or wish."""
    if reported_at is None or reported_at >= at - CLOCK_SKEW:
        return None
    hours = round((at - reported_at).total_seconds() / 3600, 2)
    if importing:
        return hours
    if hours <= conf.backdate_grace_hours():
        return hours
    trusted = actor is None or any(has_role(actor, role) for role in conf.backdate_roles())
    if not trusted:
        raise PermissionDenied(
            _("A report time more than %(hours)s hours ago is for imports and listed integrations only.")
            % {"hours": conf.backdate_grace_hours()},
            field="reported_at",
        )
    if hours > conf.backdate_max_days() * 24:
        raise ValidationError(
            _("The report time is more than %(days)s days ago.") % {"days": conf.backdate_max_days()},
            field="reported_at",
        )
    return hours


def case_report(
    *,
    actor,
    source: str,
    matter: MatterType,
    lng: float,
    lat: float,
    crs: str = "gcj02",
    description: str,
    address: str = "",
    severity: str | None = None,
    component: Component | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    photos=(),
    reported_at: datetime | None = None,
    external_id: str = "",
    channel_ref: str | None = None,
    number: str = "",
    at: datetime | None = None,
    system_role: str | None = None,
    duplicates_for: tuple | None = None,
) -> Case:
    """Register a report; it awaits acceptance. `actor=None` is an integration (citizen, hotline, camera).

    `number` is for migrations only (the importer keeps the old system's numbers); `at` is the registration
    time (now, or the historical time when replaying); `system_role` (the importer) records the reporter's
    role without checking it. `duplicates_for` ((reader, fields)): the open cases nearby of the same matter that
    reader sees (`duplicate_candidates(case, user=reader, only=fields)`) are set on `case.duplicates` — the
    API's answer; on PostgreSQL searched in the round trip that takes the keys.
    """
    at = at or timezone.now()
    reporter_phone = (reporter_phone or "").strip()
    _check_inputs(
        source=source,
        matter=matter,
        description=description,
        severity=severity,
        component=component,
        reporter_phone=reporter_phone,
        reported_at=reported_at,
        at=at,
    )
    if not system_role:
        _check_photo(source=source, matter=matter, photos=photos)
    role = system_role or _reporter_role(actor, source)
    backdated = _check_backdating(actor, reported_at, at, importing=bool(system_role))
    location = locate(lng, lat, crs)
    unit_grid, regions = _placed(location)
    if number and Case.objects.filter(number=number).exists():
        raise Conflict(
            _("A case numbered %(number)s exists already.") % {"number": number},
            field="number",
            code="duplicate_number",
        )
    fields = dict(
        number=number,
        source=source,
        channel=(channel_ref or "")[:32],
        external_id=(external_id or "")[:64],
        matter=matter,
        component=component,
        severity=severity or Severity.NORMAL,
        description=description.strip(),
        lng=location.lng,
        lat=location.lat,
        address=(address or "").strip()[:200],
        unit_grid=unit_grid,
        responsibility_grid_id=location.responsibility_grid_id,
        community_id=location.community_id,
        street_id=location.street_id,
        district_id=location.district_id,
        area_class=area_class_for(unit_grid),
        reporter=actor if actor is not None else None,
        reporter_name=(reporter_name or (str(actor) if actor is not None else "")).strip()[:50],
        reporter_phone=reporter_phone[:20],
        reported_at=reported_at or at,
        created_at=at,
    )
    # PostgreSQL without photos: the keys first, the number last (`numbering.insert_numbered`); else first
    late = not number and not photos and connection.vendor == "postgresql"
    written = dict(regions=regions, at=at, actor=actor, role=role, photos=photos, backdated=backdated, late=late,
                   duplicates_for=duplicates_for)  # fmt: skip
    # The intake owns its transaction (no caller's atomic block around it): its COMMIT goes with the last statement,
    # one round trip sooner. When that statement inserted nothing (the year's first case: no counter row yet; a
    # number an imported case holds), the commit fails, nothing is written, and the intake runs again without it.
    for commit in [True, False] if late and not connection.in_atomic_block else [False]:
        try:
            return _written(Case(**fields), commit=commit, **written)
        except rowinsert.NotCommitted:  # (raised with `commit` only: the next turn runs without it)
            continue


def _written(case, *, regions, at, actor, role, photos, backdated, late, commit, duplicates_for) -> Case:
    """One attempt at writing the report `case` (not saved yet), its event and facts, in its transaction."""
    # Without photos nothing in the block is expected to fail but the database itself: no savepoint of its own
    # (two round trips); a caller that needs to survive a failure wraps the call in its own atomic block.
    with transaction.atomic(savepoint=bool(photos)), rowqueue.deferred():
        keys = [None, None]
        if not late and not case.number:
            case.number = allocate_number(at)
        case.community, case.street, case.district = regions  # from memory: the answer names them
        if late:  # owning the transaction, the keys go with the rows: the whole report is one round trip
            keys = keys_ahead(case, (Case, CaseEvent), duplicates_for, later=commit)
            case.pk = keys[0]
        start_step(case, at)
        if not late:
            rowinsert.insert(case)  # save() without compiling its ~45 columns each time
        attachments = claim_attachments(actor=actor, ids=photos, kind="before")
        event = write_event(
            case,
            pk=keys[1],
            action="report",
            actor=actor,
            role=role,
            at=at,
            from_state="",
            ended=("", None, None),
            payload={
                "source": case.source,
                "channel": case.channel,
                "severity": case.severity,
                "reported_at": case.reported_at.isoformat(),
                **({"backdated_hours": backdated} if backdated else {}),
            },
        )
        for a in attachments:
            a.case, a.event = case, event
            a.save(update_fields=["case", "event", "kind"])
        if not is_silenced():
            case_events_written.send(sender=type(event), events=[event])
            transaction.on_commit(lambda: case_event_recorded.send(sender=type(event), event=event))
        if late:
            insert_numbered(case, at, commit=commit)
            if commit:  # the keys the batch took (`rowqueue.Later` until then)
                case.pk = keys[0].value
                event.pk, event.__dict__["case_id"] = keys[1].value, case.pk  # (case_id's setter drops .case)
        elif duplicates_for is not None:
            case.duplicates = duplicate_candidates(case, user=duplicates_for[0], only=duplicates_for[1])
    return case


def _checked_key(key) -> str:
    key = (key or "").strip()
    if not key or len(key) > 100:
        raise ValidationError(_("The Idempotency-Key must be 1–100 characters."), field="Idempotency-Key")
    return key


def case_for_key(*, actor, key: str, request_hash: str) -> Case | None:
    """The case an earlier request with this Idempotency-Key created (None if none did); the same key with a
    different request is a conflict. The API asks before it stores a replay's photos again."""
    from ..models import IdempotencyKey

    row = IdempotencyKey.objects.select_related("case").filter(user=actor, key=_checked_key(key)).first()
    if row is not None and row.request_hash != request_hash:
        raise Conflict(
            _("This Idempotency-Key was used for a different request."),
            field="Idempotency-Key",
            code="idempotency_mismatch",
        )
    return row.case if row else None


def case_report_once(*, actor, key: str, request_hash: str, **report) -> tuple[Case, bool]:
    """`case_report` guarded by an `Idempotency-Key` (per user): a replay returns the first case and
    `created=False`; the same key with a different request is a conflict. Concurrent replays create one case."""
    from django.db import IntegrityError

    from ..models import IdempotencyKey

    key = _checked_key(key)

    def existing():
        return case_for_key(actor=actor, key=key, request_hash=request_hash)

    found = existing()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            case = case_report(actor=actor, **report)
            IdempotencyKey.objects.create(
                user=actor, key=key, request_hash=request_hash, case=case, created_at=case.created_at
            )
    except IntegrityError:
        found = existing()  # a concurrent request with the same key won; answer with its case
        if found is None:
            raise
        return found, False
    return found or case, True
