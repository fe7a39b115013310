"""Open311: API keys, submissions (`POST requests`) and placing address-only submissions on the map."""

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from chengguan.cases.models import Source
from chengguan.cases.services import case_report
from chengguan.core import rowinsert
from chengguan.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from chengguan.core.memo import TimedMemo, own_copy
from chengguan.core.tokens import secret_token
from chengguan.org.models import Role
from chengguan.org.scope import has_role, sees_everything, user_covers_region

from ..models import Open311Changeset, Open311Key, Open311Submission
from .ratelimit import Window, forget_full

KEY_PREFIX = "o311_"


def open311_key_create(*, name: str, at: datetime | None = None) -> tuple[Open311Key, str]:
    """A new key; the returned secret is shown once and only its hash is kept."""
    name = (name or "").strip()
    if not name:
        raise ValidationError("Name the key (who uses it).", field="name")
    if Open311Key.objects.filter(name=name).exists():
        raise Conflict(f"A key named {name!r} exists already.", field="name", code="duplicate_name")
    secret = secret_token(24)
    raw = KEY_PREFIX + secret
    key = Open311Key.objects.create(
        name=name, prefix=secret[:8], key_hash=Open311Key.hash_key(raw), created_at=at or timezone.now()
    )
    return key, raw


def open311_key_revoke(*, prefix: str, at: datetime | None = None) -> int:
    prefix = (prefix or "").removeprefix(KEY_PREFIX)
    if len(prefix) < 8:
        raise ValidationError("Give the key's 8-character prefix.", field="prefix")
    count = Open311Key.objects.filter(prefix=prefix[:8], revoked_at__isnull=True).update(
        revoked_at=at or timezone.now()
    )
    forget_keys()
    return count


# Keys memoised per process like the API tokens (org/services.py): key hash → the key (core.memo). A change in
# this process clears the memo at once (`forget_keys`: a revocation here, a key's save or delete); other processes
# see a revocation within KEY_CACHE_SECONDS. An unknown or revoked key is never memoised.
KEY_CACHE_SECONDS = 5
_keys = TimedMemo(size=1_000)


def forget_keys(**kwargs) -> None:
    """Empty the key memo, and the memo of the key windows this process saw full (cleared between tests too,
    whose rollbacks drop the counters it stands for)."""
    _keys.clear()
    forget_full()


def open311_key_authenticate(raw: str, *, at: datetime | None = None) -> Open311Key | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    key_hash = Open311Key.hash_key(raw)
    key = _keys.get(
        key_hash,
        lambda: Open311Key.objects.filter(key_hash=key_hash, revoked_at__isnull=True).first(),
        KEY_CACHE_SECONDS,
    )
    if key is None:
        return None
    at = at or timezone.now()
    if key.last_used_at is None or at - key.last_used_at > timedelta(minutes=1):
        Open311Key.objects.filter(pk=key.pk).update(last_used_at=at)
        key.last_used_at = at
    return own_copy(key)  # the request's own copy


def reporter_name(first: str, last: str) -> str:
    """Chinese names are family name first (`张` + `三`); Latin ones `first last`."""
    first, last = (first or "").strip(), (last or "").strip()
    if (first + last).isascii():
        return " ".join(p for p in (first, last) if p)
    return last + first


def open311_submit(
    *,
    key: Open311Key,
    matter,
    lat: float | None,
    long: float | None,
    address_string: str = "",
    address_id: str = "",
    description: str = "",
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    device_id: str = "",
    account_id: str = "",
    media_url: str = "",
    attributes: dict | None = None,
    severity: str | None = None,
    component=None,
    observed_at: datetime | None = None,
    at: datetime | None = None,
    rate: Window | None = None,
) -> Open311Submission:
    """With lat/long the case is registered now; with only an address the submission waits for an operator
    to place it (its token resolves to the case number once placed). `rate`: the key's rate-limit window, counted
    with the submission's INSERT (over the limit, `RateLimited` and nothing is written)."""
    at = at or timezone.now()
    located = lat is not None and long is not None
    with transaction.atomic():
        submission = Open311Submission(
            key=key,
            token=secrets.token_hex(16),
            status=Open311Submission.Status.CREATED if located else Open311Submission.Status.PENDING,
            matter=matter,
            lat=lat,
            long=long,
            address_string=address_string[:300],
            address_id=address_id[:100],
            description=description,
            first_name=first_name[:50],
            last_name=last_name[:50],
            email=email[:254],
            phone=phone[:20],
            device_id=device_id[:100],
            account_id=account_id[:100],
            media_url=media_url[:500],
            attributes={
                **(attributes or {}),
                **({"severity": severity} if severity else {}),
                **({"component_id": component.code} if component is not None else {}),
                **({"observed_at": observed_at.isoformat()} if observed_at else {}),
            },
            received_at=at,
        )
        if located:  # the case first, so that the submission is one INSERT with its case
            submission.case = _register(submission, lng=long, lat=lat, crs="wgs84", at=at)
        _insert(submission, rate, at)
    return submission


def _insert(submission: Open311Submission, rate: Window | None, at: datetime) -> None:
    """What `save(force_insert=True)` does for a new submission, with the key's rate counter (`rate`) counted with
    it (`rowinsert`'s `before`: on PostgreSQL a CTE of the INSERT, elsewhere a statement of its own just before).
    Over the limit, `RateLimited` is raised inside the caller's transaction."""
    count = rowinsert.insert(submission, before=rate.upsert() if rate is not None else None)
    if rate is not None:
        rate.check(count, at)


def _register(submission, *, lng, lat, crs, at):
    attrs = submission.attributes
    component = None
    if attrs.get("component_id"):
        from chengguan.grids.models import Component

        component = Component.objects.filter(code=attrs["component_id"]).first()
    observed = attrs.get("observed_at")
    return case_report(
        actor=None,
        source=Source.CITIZEN,
        matter=submission.matter,
        lng=lng,
        lat=lat,
        crs=crs,
        description=submission.description.strip() or submission.matter.name,
        address=submission.address_string,
        severity=attrs.get("severity") or None,
        component=component,
        reporter_name=reporter_name(submission.first_name, submission.last_name),
        reporter_phone=submission.phone,
        reported_at=datetime.fromisoformat(observed) if observed else None,
        channel_ref=f"open311:{submission.key.name}",
        at=at,
    )


def submission_expires_at(submission: Open311Submission) -> datetime:
    """An address-only submission must be placed (or discarded) within OPEN311_TOKEN_HOURS of its receipt;
    after that it can no longer be placed and its token answers `token_expired`."""
    from .. import conf

    return submission.received_at + timedelta(hours=conf.open311_token_hours())


def submission_expired(submission: Open311Submission, *, now: datetime) -> bool:
    return submission.status == Open311Submission.Status.PENDING and now >= submission_expires_at(submission)


def _check_operator(actor) -> None:
    if not (sees_everything(actor) or has_role(actor, Role.OPERATOR)):
        raise PermissionDenied("Only operators place Open311 submissions.", field="action")


def open311_place(
    *, actor, submission: Open311Submission, lng: float, lat: float, crs: str = "gcj02", at=None
) -> Open311Submission:
    """An operator puts an address-only submission on the map: the case is registered there."""
    _check_operator(actor)
    at = at or timezone.now()
    with transaction.atomic():
        locked = (
            Open311Submission.objects.select_for_update()
            .select_related("key", "matter")
            .get(pk=submission.pk)
        )
        if locked.status != Open311Submission.Status.PENDING:
            raise Conflict("This submission was handled already.", field="action", code="not_pending")
        if submission_expired(locked, now=at):
            raise Conflict(
                "This submission expired: its sender has been told it was not registered.",
                field="action",
                code="expired",
            )
        case = _register(locked, lng=lng, lat=lat, crs=crs, at=at)
        if not user_covers_region(actor, case.community, {Role.OPERATOR}):
            raise PermissionDenied("The point is outside your area.", field="lng")
        locked.case, locked.status = case, Open311Submission.Status.CREATED
        locked.placed_by, locked.placed_at = actor, at
        locked.save(update_fields=["case", "status", "placed_by", "placed_at"])
    return locked


def open311_discard(*, actor, submission: Open311Submission, reason: str, at=None) -> Open311Submission:
    _check_operator(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give a reason.", field="reason")
    with transaction.atomic():
        updated = Open311Submission.objects.filter(
            pk=submission.pk, status=Open311Submission.Status.PENDING
        ).update(
            status=Open311Submission.Status.DISCARDED,
            discard_reason=reason[:200],
            placed_by=actor,
            placed_at=at or timezone.now(),
        )
        if not updated:
            raise Conflict("This submission was handled already.", field="action", code="not_pending")
    return Open311Submission.objects.get(pk=submission.pk)


def submission_for_token(token: str) -> Open311Submission:
    submission = Open311Submission.objects.select_related("case").filter(token=(token or "").strip()).first()
    if submission is None:
        raise NotFound("Unknown token.", field="token")
    return submission


def changeset_bump(*, at: datetime | None = None) -> None:
    """The service list changed (a matter or filing condition was saved): clients refresh their cache."""
    at = at or timezone.now()
    updated = Open311Changeset.objects.filter(pk=1).update(changed_at=at)
    if not updated:
        Open311Changeset.objects.get_or_create(pk=1, defaults={"changed_at": at})
