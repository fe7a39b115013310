"""Staff files: profiles, certificates (on org's OfficerCertificate), training, rotation, accountability."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import Conflict, ValidationError
from chengguan.org.models import Department, OfficerCertificate, Region, User

from ..access import MANAGERS, require
from ..models import (
    AccountabilityRecord,
    Body,
    OfficerFileEntry,
    RotationRecord,
    StaffProfile,
    TrainingRecord,
)
from ._base import log, require_choice, require_text


def _valid_certificates_now(user: User, day: date) -> list[OfficerCertificate]:
    return [c for c in user.certificates.all() if c.is_valid_on(day)]


@transaction.atomic
def staff_profile_save(
    *,
    actor: User,
    user: User,
    body: str,
    region: Region,
    department: Department | None = None,
    staff_number: str = "",
    post: str = "",
    establishment: str = "",
    employment: str = "",
    employer: str = "",
    hired_on: date | None = None,
) -> StaffProfile:
    """Create or update a person's staff file. Assistants need an employment type and an employer, and may not
    hold a valid enforcement certificate: they only assist officers (城市管理执法办法 Arts. 17–18)."""
    require(actor, MANAGERS, region)
    require_choice(body, Body, "body")
    if establishment:
        require_choice(establishment, StaffProfile.Establishment, "establishment")
    if employment:
        require_choice(employment, StaffProfile.Employment, "employment")
    employer = employer.strip()
    if body == Body.ASSISTANT:
        if not employment:
            raise ValidationError(_("An assistant needs an employment type."), field="employment")
        if not employer:
            raise ValidationError(_("An assistant needs an employer."), field="employer")
        if _valid_certificates_now(user, timezone.localdate()):
            raise ValidationError(
                _(
                    "This person holds a valid enforcement certificate; an assistant may not. Revoke it first."
                ),
                field="body",
            )
    profile = StaffProfile.objects.select_for_update().filter(user=user).first()
    created = profile is None
    if created:
        profile = StaffProfile(user=user)
    else:
        require(actor, MANAGERS, profile.region)  # moving a file needs the right on both sides
    old = {"body": profile.body, "region": profile.region_id} if not created else {}
    profile.body = body
    profile.region = region
    profile.department = department
    profile.staff_number = staff_number.strip()
    profile.post = post.strip()
    profile.establishment = establishment
    profile.employment = employment
    profile.employer = employer
    profile.hired_on = hired_on
    profile.save()
    log(
        actor,
        "staff.create" if created else "staff.update",
        profile,
        region=region,
        summary=str(profile),
        old=old,
    )
    return profile


@transaction.atomic
def staff_exit(*, actor: User, profile: StaffProfile, left_on: date, reason: str) -> StaffProfile:
    """Record that a person left the service (for assistants: the exit mechanism)."""
    require(actor, MANAGERS, profile.region)
    reason = require_text(reason, "reason", max_length=200)
    profile = StaffProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.left_on is not None:
        raise Conflict(_("This person has already left."), field="left_on")
    if profile.hired_on and left_on < profile.hired_on:
        raise ValidationError(_("The exit date is before the hiring date."), field="left_on")
    profile.left_on, profile.exit_reason = left_on, reason
    profile.save(update_fields=["left_on", "exit_reason"])
    log(actor, "staff.exit", profile, region=profile.region, summary=reason, left_on=left_on.isoformat())
    return profile


@transaction.atomic
def certificate_issue(
    *,
    actor: User,
    user: User,
    number: str,
    issuer: str,
    valid_from: date,
    valid_to: date,
    exam_passed_on: date | None,
) -> OfficerCertificate:
    """Register an enforcement certificate. Only officers with a staff file who passed the qualification exam get
    one: no exam, no certificate (凡进必考, 持证上岗)."""
    profile = StaffProfile.objects.filter(user=user).select_related("region").first()
    if profile is None:
        raise ValidationError(_("Create the person's staff file first."), field="user")
    require(actor, MANAGERS, profile.region)
    if profile.body != Body.OFFICER:
        raise ValidationError(_("Only enforcement officers hold enforcement certificates."), field="user")
    number = require_text(number, "number", max_length=40)
    issuer = require_text(issuer, "issuer", max_length=100)
    if exam_passed_on is None:
        raise ValidationError(_("The qualification exam must be passed first."), field="exam_passed_on")
    if exam_passed_on > valid_from:
        raise ValidationError(
            _("The certificate cannot be valid before the exam was passed."), field="valid_from"
        )
    if valid_to < valid_from:
        raise ValidationError(_("The end of validity is before its start."), field="valid_to")
    if OfficerCertificate.objects.filter(number=number).exists():
        raise ValidationError(_("This certificate number is already registered."), field="number")
    try:
        with transaction.atomic():
            cert = OfficerCertificate.objects.create(
                user=user,
                number=number,
                issuer=issuer,
                valid_from=valid_from,
                valid_to=valid_to,
                exam_passed_on=exam_passed_on,
            )
    except IntegrityError as exc:
        raise ValidationError(_("This certificate number is already registered."), field="number") from exc
    log(actor, "certificate.issue", cert, region=profile.region, summary=number, user=user.pk)
    return cert


@transaction.atomic
def certificate_revoke(*, actor: User, certificate: OfficerCertificate, reason: str) -> OfficerCertificate:
    """Revoke a certificate; from this moment the holder may no longer perform enforcement acts."""
    profile = StaffProfile.objects.filter(user_id=certificate.user_id).select_related("region").first()
    require(actor, MANAGERS, profile.region if profile else None)
    reason = require_text(reason, "reason", max_length=200)
    cert = OfficerCertificate.objects.select_for_update().get(pk=certificate.pk)
    if cert.revoked_at is not None:
        raise Conflict(_("This certificate is already revoked."), field="certificate")
    cert.revoked_at = timezone.now()
    cert.save(update_fields=["revoked_at"])
    log(actor, "certificate.revoke", cert, region=profile.region if profile else None, summary=reason)
    return cert


def _profile_for(user: User) -> StaffProfile:
    profile = StaffProfile.objects.filter(user=user).select_related("region").first()
    if profile is None:
        raise ValidationError(_("Create the person's staff file first."), field="user")
    return profile


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("Enter a number of hours."), field="hours") from exc
    if hours <= 0 or hours > 10000:
        raise ValidationError(_("Hours must be positive."), field="hours")
    return hours


@transaction.atomic
def training_record_add(
    *,
    actor: User,
    user: User,
    subject: str,
    category: str,
    started_on: date,
    hours,
    result: str,
    provider: str = "",
    ended_on: date | None = None,
) -> TrainingRecord:
    profile = _profile_for(user)
    require(actor, MANAGERS, profile.region)
    require_choice(category, TrainingRecord.Category, "category")
    require_choice(result, TrainingRecord.Result, "result")
    if ended_on and ended_on < started_on:
        raise ValidationError(_("The end is before the start."), field="ended_on")
    record = TrainingRecord.objects.create(
        user=user,
        subject=require_text(subject, "subject", max_length=120),
        category=category,
        provider=provider.strip(),
        started_on=started_on,
        ended_on=ended_on,
        hours=_hours(hours),
        result=result,
        recorded_by=actor,
    )
    log(actor, "training.add", record, region=profile.region, summary=record.subject, result=result)
    return record


@transaction.atomic
def staff_rotate(
    *,
    actor: User,
    profile: StaffProfile,
    to_region: Region,
    effective_on: date,
    to_department: Department | None = None,
    to_post: str = "",
    reason: str = "",
) -> RotationRecord:
    """Move a person to another unit/region/post (交流轮岗); the history keeps where they came from."""
    require(actor, MANAGERS, profile.region)
    require(actor, MANAGERS, to_region)
    profile = StaffProfile.objects.select_for_update().get(pk=profile.pk)
    if (profile.region_id, profile.department_id, profile.post) == (
        to_region.pk,
        to_department.pk if to_department else None,
        to_post.strip() or profile.post,
    ):
        raise ValidationError(_("The new posting is the same as the current one."), field="to_region")
    record = RotationRecord.objects.create(
        user=profile.user,
        effective_on=effective_on,
        from_department=profile.department,
        to_department=to_department,
        from_region=profile.region,
        to_region=to_region,
        from_post=profile.post,
        to_post=to_post.strip() or profile.post,
        reason=reason.strip(),
        recorded_by=actor,
    )
    profile.region, profile.department, profile.post = to_region, to_department, record.to_post
    profile.save(update_fields=["region", "department", "post"])
    log(actor, "staff.rotate", profile, region=to_region, summary=str(record), rotation=record.pk)
    return record


@transaction.atomic
def accountability_record_add(
    *,
    actor: User,
    user: User,
    decided_on: date,
    kind: str,
    reason: str,
    authority: str = "",
    reference: str = "",
) -> AccountabilityRecord:
    profile = _profile_for(user)
    require(actor, MANAGERS, profile.region)
    require_choice(kind, AccountabilityRecord.Kind, "kind")
    record = AccountabilityRecord.objects.create(
        user=user,
        decided_on=decided_on,
        kind=kind,
        reason=require_text(reason, "reason"),
        authority=authority.strip(),
        reference=reference.strip(),
        recorded_by=actor,
    )
    log(actor, "accountability.add", record, region=profile.region, summary=record.get_kind_display())
    return record


@transaction.atomic
def file_entry_add(
    *,
    actor: User,
    user: User,
    category: str,
    occurred_on: date,
    title: str,
    detail: str = "",
    score=None,
) -> OfficerFileEntry:
    profile = _profile_for(user)
    require(actor, MANAGERS, profile.region)
    require_choice(category, OfficerFileEntry.Category, "category")
    if score is not None:
        try:
            score = Decimal(str(score))
        except (InvalidOperation, ValueError) as exc:
            raise ValidationError(_("Enter a number."), field="score") from exc
        if not Decimal(0) <= score <= Decimal(100):
            raise ValidationError(_("A score is between 0 and 100."), field="score")
    entry = OfficerFileEntry.objects.create(
        user=user,
        category=category,
        occurred_on=occurred_on,
        title=require_text(title, "title", max_length=150),
        detail=detail.strip(),
        score=score,
        recorded_by=actor,
    )
    log(actor, "file.add", entry, region=profile.region, summary=entry.title, category=category)
    return entry
