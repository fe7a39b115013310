"""Hotline systems and their work orders: the hotline's id is the idempotency key (same id → same case)."""

import secrets
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from chengguan.cases.models import Source
from chengguan.cases.services import case_report
from chengguan.catalog.models import MatterType, Severity
from chengguan.catalog.services import matter_for_code
from chengguan.core.errors import Conflict, ValidationError
from chengguan.org.models import User
from chengguan.org.services import token_create

from ..models import HotlineCategory, HotlineSystem, HotlineWorkOrder, WebhookSubscriber


def hotline_system_create(
    *, code: str, name: str, default_matter: MatterType | None = None, at: datetime | None = None
) -> tuple[HotlineSystem, str]:
    """A hotline with its own system user (no roles, no password) and an API token, returned once."""
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise ValidationError("Give the hotline's code and name.", field="code")
    if HotlineSystem.objects.filter(code=code).exists():
        raise Conflict(f"The hotline {code} exists already.", field="code", code="duplicate_code")
    at = at or timezone.now()
    with transaction.atomic():
        username = f"hotline-{code}"
        if User.objects.filter(username=username).exists():
            raise Conflict(f"The user {username} exists already.", field="code", code="duplicate_user")
        user = User.objects.create_user(username=username, full_name=name)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        system = HotlineSystem.objects.create(
            code=code, name=name, user=user, default_matter=default_matter, created_at=at
        )
        _token, key = token_create(user=user, name=f"hotline {code}", days=0)
    return system, key


def hotline_category_map(
    *, system: HotlineSystem, code: str, matter: MatterType, name: str = ""
) -> HotlineCategory:
    code = (code or "").strip()
    if not code:
        raise ValidationError("Give the hotline's category code.", field="code")
    row, _created = HotlineCategory.objects.update_or_create(
        system=system, code=code, defaults={"matter": matter, "name": (name or "").strip()[:100]}
    )
    return row


def subscriber_create(
    *, system: HotlineSystem, name: str, url: str, secret: str = "", at: datetime | None = None
) -> tuple[WebhookSubscriber, str]:
    """A webhook endpoint for the hotline; the signing secret is generated unless given, and returned."""
    from django.core.exceptions import ValidationError as DjangoValidationError
    from django.core.validators import URLValidator

    try:
        URLValidator(schemes=["http", "https"])(url or "")
    except DjangoValidationError:
        raise ValidationError("The webhook URL must be an http(s) URL.", field="url") from None
    secret = secret or secrets.token_urlsafe(32)
    if len(secret) < 16:
        raise ValidationError("The signing secret must be at least 16 characters.", field="secret")
    subscriber = WebhookSubscriber.objects.create(
        system=system,
        name=(name or system.name)[:100],
        url=url,
        secret=secret,
        created_at=at or timezone.now(),
    )
    return subscriber, secret


def _matter_for(system: HotlineSystem, category: str, matter_code: str) -> tuple[MatterType, bool]:
    if matter_code:
        return matter_for_code(matter_code), True
    if not category:
        raise ValidationError("Give the work order's category (or our matter_code).", field="category")
    mapping = HotlineCategory.objects.select_related("matter").filter(system=system, code=category).first()
    if mapping is not None and mapping.matter.is_active:
        return mapping.matter, True
    if system.default_matter_id and system.default_matter.is_active:
        return system.default_matter, False
    raise ValidationError(
        f"The category {category!r} is not mapped to a matter type.",
        field="category",
        code="unmapped_category",
    )


def _again(work_order: HotlineWorkOrder, at: datetime) -> HotlineWorkOrder:
    HotlineWorkOrder.objects.filter(pk=work_order.pk).update(
        resend_count=F("resend_count") + 1, last_received_at=at
    )
    work_order.refresh_from_db()
    return work_order


def work_order_receive(
    *,
    system: HotlineSystem,
    external_id: str,
    description: str,
    lng: float,
    lat: float,
    crs: str = "gcj02",
    category: str = "",
    matter_code: str = "",
    address: str = "",
    caller_name: str = "",
    caller_phone: str = "",
    reported_at: datetime | None = None,
    urgent: bool = False,
    at: datetime | None = None,
) -> tuple[HotlineWorkOrder, bool]:
    """Register a work order as a hotline case. Received again (a retry), it answers with the first case and
    `created=False`; two concurrent deliveries of one id make one case."""
    at = at or timezone.now()
    external_id = (external_id or "").strip()
    if not external_id or len(external_id) > 64:
        raise ValidationError("The work order id must be 1–64 characters.", field="id")
    if not system.is_active:
        raise ValidationError("This hotline is switched off.", field="id", code="inactive")
    found = (
        HotlineWorkOrder.objects.select_related("case").filter(system=system, external_id=external_id).first()
    )
    if found is not None:
        return _again(found, at), False
    matter, mapped = _matter_for(system, (category or "").strip(), (matter_code or "").strip())
    try:
        with transaction.atomic():
            case = case_report(
                actor=None,
                source=Source.HOTLINE,
                matter=matter,
                lng=lng,
                lat=lat,
                crs=crs,
                description=description,
                address=address,
                severity=Severity.URGENT if urgent else None,
                reporter_name=caller_name,
                reporter_phone=caller_phone,
                reported_at=reported_at,
                external_id=external_id,
                channel_ref=system.code,
                at=at,
            )
            work_order = HotlineWorkOrder.objects.create(
                system=system,
                external_id=external_id,
                case=case,
                category=(category or matter_code or "")[:50],
                category_mapped=mapped,
                received_at=at,
                last_received_at=at,
            )
    except IntegrityError:
        found = (
            HotlineWorkOrder.objects.select_related("case")
            .filter(system=system, external_id=external_id)
            .first()
        )
        if found is None:
            raise
        return _again(found, at), False
    return work_order, True
