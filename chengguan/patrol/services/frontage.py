"""Frontage responsibility (门前三包/五包): shops, agreements, inspections and violations, the 721 way.

Education comes before penalties: a shop's first failed inspection (in the look-back window, default a year) is met
with education and persuasion, the next with a written warning, then a rectification order, and only then
is it referred for a penalty. An inspector may always choose a lighter measure, never a heavier one.
"""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.catalog.models import MatterType
from chengguan.core.errors import Conflict, ValidationError
from chengguan.grids.geocoder import OutsideCity, locate
from chengguan.org.models import Region, User

from ..access import INSPECTORS, require
from ..models import (
    FIVE_PACKAGES,
    MEASURE_LADDER,
    THREE_PACKAGES,
    FrontageAgreement,
    Measure,
    Obligation,
    Shop,
    ShopInspection,
    ShopViolation,
)
from ..selectors.norms import norm_for
from ._base import log, require_choice, require_text
from .links import open_case_for_violation

RECTIFY_DAYS = {Measure.EDUCATION: 1, Measure.WARNING: 3, Measure.ORDER: 7}


@transaction.atomic
def shop_register(
    *,
    actor: User,
    name: str,
    operator_name: str,
    address: str,
    region: Region | None = None,
    lng: float | None = None,
    lat: float | None = None,
    crs: str = "gcj02",
    credit_code: str = "",
    phone: str = "",
    business_type: str = "",
    frontage_m: float | None = None,
) -> Shop:
    """Register a shop; with a position the unit grid and community are found from the grid map."""
    unit_grid_id = None
    if lng is not None and lat is not None:
        try:
            location = locate(lng, lat, crs)
        except OutsideCity as exc:
            raise ValidationError(_("The position is outside the city's grids."), field="lng") from exc
        lng, lat = location.lng, location.lat
        unit_grid_id = location.unit_grid_id
        region = Region.objects.get(pk=location.community_id)
    elif region is None:
        raise ValidationError(_("Give the shop's position or region."), field="region")
    require(actor, INSPECTORS, region)
    if frontage_m is not None and not 0 < frontage_m < 1000:
        raise ValidationError(_("Enter the frontage length in metres."), field="frontage_m")
    shop = Shop.objects.create(
        name=require_text(name, "name", max_length=100),
        operator_name=require_text(operator_name, "operator_name", max_length=50),
        address=require_text(address, "address", max_length=200),
        region=region,
        unit_grid_id=unit_grid_id,
        lng=lng,
        lat=lat,
        credit_code=credit_code.strip(),
        phone=phone.strip(),
        business_type=business_type.strip(),
        frontage_m=frontage_m,
        registered_by=actor,
    )
    log(actor, "shop.register", shop, region=region, summary=shop.name)
    return shop


def agreement_in_force(shop: Shop, day: date) -> FrontageAgreement | None:
    for agreement in shop.agreements.all():
        if agreement.is_in_force_on(day):
            return agreement
    return None


@transaction.atomic
def agreement_sign(
    *,
    actor: User,
    shop: Shop,
    number: str,
    scheme: str,
    zone: str,
    signed_on: date,
    valid_from: date,
    valid_to: date,
    obligations: list[str] | None = None,
    zone_depth_m: float | None = None,
) -> FrontageAgreement:
    """Sign a responsibility agreement. A new agreement replaces the one in force (which ends the day before)."""
    require(actor, INSPECTORS, shop.region)
    require_choice(scheme, FrontageAgreement.Scheme, "scheme")
    default = THREE_PACKAGES if scheme == FrontageAgreement.Scheme.THREE else FIVE_PACKAGES
    obligations = [str(o) for o in (obligations or default)]
    for o in obligations:
        require_choice(o, Obligation, "obligations")
    if not set(map(str, default)) <= set(obligations):
        raise ValidationError(_("The scheme's obligations must all be included."), field="obligations")
    if valid_to < valid_from:
        raise ValidationError(_("The end is before the start."), field="valid_to")
    if signed_on > valid_to:
        raise ValidationError(_("The agreement is signed after it ends."), field="signed_on")
    number = require_text(number, "number", max_length=40)
    if FrontageAgreement.objects.filter(number=number).exists():
        raise ValidationError(_("This agreement number is already used."), field="number")
    Shop.objects.select_for_update().get(pk=shop.pk)
    for old in shop.agreements.filter(
        terminated_on__isnull=True, valid_to__gte=valid_from, valid_from__lte=valid_to
    ):
        if old.valid_from >= valid_from:
            raise Conflict(_("A later agreement already exists."), field="valid_from")
        old.terminated_on = valid_from
        old.save(update_fields=["terminated_on"])
    agreement = FrontageAgreement.objects.create(
        shop=shop,
        number=number,
        scheme=scheme,
        obligations=sorted(set(obligations), key=[str(o) for o in Obligation].index),
        zone=require_text(zone, "zone", max_length=200),
        zone_depth_m=zone_depth_m,
        signed_on=signed_on,
        valid_from=valid_from,
        valid_to=valid_to,
        signed_by=actor,
    )
    log(actor, "shop.agreement", shop, region=shop.region, summary=number, agreement=agreement.pk)
    return agreement


def ladder_measure(shop: Shop, day: date) -> str:
    """The heaviest measure the 721 ladder allows at the shop's next failed inspection: one step up for each
    failed inspection within the look-back window."""
    window = timedelta(days=norm_for(shop.region).warning_window_days)
    since = timezone.make_aware(datetime.combine(day - window, datetime.min.time()))
    earlier = shop.inspections.filter(passed=False, inspected_at__gte=since).count()
    return MEASURE_LADDER[min(earlier, len(MEASURE_LADDER) - 1)]


@transaction.atomic
def shop_inspect(
    *,
    actor: User,
    shop: Shop,
    failures: list[dict] = (),
    findings: str = "",
    measure: str | None = None,
    open_cases: bool = True,
) -> ShopInspection:
    """Record an inspection. `failures` lists {"obligation", "description", "matter"?: MatterType}; no
    failures means the shop passed. Each failure becomes a violation with the measure the ladder allows for
    this occasion (or the lighter `measure` asked for); with a matter, a violation opens a case."""
    require(actor, INSPECTORS, shop.region)
    shop = Shop.objects.select_for_update().get(pk=shop.pk)
    now = timezone.now()
    today = timezone.localdate(now)
    agreement = agreement_in_force(shop, today)
    if failures and agreement is None:
        raise ValidationError(
            _("The shop has no agreement in force: sign one and explain the obligations first."),
            field="failures",
        )
    if measure is not None:
        require_choice(measure, Measure, "measure")
    cleaned = []
    for failure in failures:
        obligation = str(failure.get("obligation") or "")
        require_choice(obligation, Obligation, "failures")
        if obligation not in agreement.obligations:
            raise ValidationError(_("The agreement does not include this obligation."), field="failures")
        matter = failure.get("matter")
        if matter is not None and not isinstance(matter, MatterType):
            raise ValidationError(_("Unknown matter."), field="failures")
        cleaned.append(
            (obligation, require_text(failure.get("description", ""), "failures", max_length=300), matter)
        )
    allowed = ladder_measure(shop, today)
    chosen = measure or allowed
    if cleaned and MEASURE_LADDER.index(chosen) > MEASURE_LADDER.index(allowed):
        raise ValidationError(
            _("Education and warnings come first: the heaviest measure now is “%(m)s”.")
            % {"m": Measure(allowed).label},
            field="measure",
        )
    inspection = ShopInspection.objects.create(
        shop=shop,
        agreement=agreement,
        inspected_at=now,
        inspector=actor,
        passed=not cleaned,
        obligations_failed=sorted({o for o, _d, _m in cleaned}),
        findings=findings.strip(),
    )
    for obligation, description, matter in cleaned:
        violation = ShopViolation.objects.create(
            shop=shop,
            inspection=inspection,
            obligation=obligation,
            matter=matter,
            description=description,
            measure=chosen,
            status=ShopViolation.Status.REFERRED if chosen == Measure.PENALTY else ShopViolation.Status.OPEN,
            rectify_by=today + timedelta(days=RECTIFY_DAYS[chosen]) if chosen in RECTIFY_DAYS else None,
            created_at=now,
        )
        if open_cases and matter is not None:
            open_case_for_violation(actor=actor, violation=violation)
    log(actor, "shop.inspect", shop, region=shop.region, passed=inspection.passed, violations=len(cleaned))
    return inspection


@transaction.atomic
def violation_rectified(*, actor: User, violation: ShopViolation) -> ShopViolation:
    require(actor, INSPECTORS, violation.shop.region)
    violation = ShopViolation.objects.select_for_update().get(pk=violation.pk)
    if violation.status != ShopViolation.Status.OPEN:
        raise Conflict(_("Only an open violation can be marked rectified."), field="violation")
    violation.status, violation.rectified_at = ShopViolation.Status.RECTIFIED, timezone.now()
    violation.save(update_fields=["status", "rectified_at"])
    log(actor, "shop.rectified", violation, region=violation.shop.region)
    return violation
