"""Pages for frontage responsibility (门前三包) and the small-ad phone registry."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.catalog.models import MatterType
from chengguan.org.models import Region, Role

from ..access import EVERYONE_IN_PATROL, INSPECTORS, OPERATION_STAFF, may
from ..forms import AgreementForm, InspectionForm, PhoneStatusForm, ShopForm, SightingForm
from ..models import AdPhone
from ..selectors import frontage as frontage_sel
from ..services import ads as ad_services
from ..services import frontage as frontage_services
from ..services import links
from .common import attempt, form_errors, regions_for, require_page

FRONTAGE_MATTERS = ["09005", "09006", "06036", "06010", "07006", "07003"]  # 店外经营, 占道经营, 乱堆杂物 ...


def _shop_form(user, data=None):
    form = ShopForm(data)
    form.fields["region"].choices = [("", "—")] + [(r.pk, r.name) for r in regions_for(user, INSPECTORS)]
    return form


@login_required
def shop_list(request):
    require_page(request.user, EVERYONE_IN_PATROL)
    if request.method == "POST":
        form = _shop_form(request.user, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            region = Region.objects.filter(pk=data.pop("region") or None).first()
            holder = {}

            def register():
                holder["shop"] = frontage_services.shop_register(
                    actor=request.user, region=region, crs="wgs84", **data
                )

            if attempt(request, register, _("Shop registered.")):
                return redirect("patrol:shop", pk=holder["shop"].pk)
        else:
            form_errors(request, form)
        return redirect(request.path)
    shops = frontage_sel.shops_in_scope(request.user)
    q = (request.GET.get("q") or "").strip()
    if q:
        shops = shops.filter(name__contains=q)
    context = {
        "shops": shops.order_by("-open_violations", "name")[:300],
        "q": q,
        "form": _shop_form(request.user) if may(request.user, INSPECTORS) else None,
    }
    return render(request, "patrol/shops.html", context)


def _inspection_form(data=None):
    form = InspectionForm(data)
    form.fields["matter"].choices = [("", "—")] + [
        (m.code, f"{m.code} {m.name}")
        for m in MatterType.objects.filter(code__in=FRONTAGE_MATTERS, is_active=True)
    ]
    return form


@login_required
def shop_detail(request, pk: int):
    shop = get_object_or_404(frontage_sel.shops_in_scope(request.user), pk=pk)
    if request.method == "POST":
        action = request.POST.get("form")
        if action == "agreement":
            form = AgreementForm(request.POST)
            if form.is_valid():
                attempt(
                    request,
                    lambda: frontage_services.agreement_sign(
                        actor=request.user, shop=shop, **form.cleaned_data
                    ),
                    _("Agreement signed."),
                )
            else:
                form_errors(request, form)
        elif action == "inspection":
            _record_inspection(request, shop)
            if request.htmx:
                return render(
                    request, "patrol/_shop_history.html", {**_history(shop), **_rights(request, shop)}
                )
        elif action == "rectified":
            violation = get_object_or_404(shop.violations, pk=request.POST.get("violation"))
            attempt(
                request,
                lambda: frontage_services.violation_rectified(actor=request.user, violation=violation),
                _("Marked as rectified."),
            )
        elif action == "report_case":
            violation = get_object_or_404(shop.violations, pk=request.POST.get("violation"))
            code = request.POST.get("matter") or ""
            matter = MatterType.objects.filter(code=code, is_active=True).first() if code else None
            attempt(
                request,
                lambda: links.violation_report_case(actor=request.user, violation=violation, matter=matter),
                _("Reported as a case."),
            )
        elif action == "open_clue":
            violation = get_object_or_404(shop.violations, pk=request.POST.get("violation"))
            attempt(
                request,
                lambda: links.violation_open_clue(actor=request.user, violation=violation),
                _("Enforcement clue opened."),
            )
        return redirect(request.path)
    today = timezone.localdate()
    context = {
        "shop": shop,
        "agreement": frontage_services.agreement_in_force(shop, today),
        "agreements": shop.agreements.all(),
        "next_measure": frontage_services.ladder_measure(shop, today),
        "agreement_form": AgreementForm(initial={"signed_on": today, "valid_from": today}),
        "inspection_form": _inspection_form(),
        **_rights(request, shop),
        **_history(shop),
    }
    return render(request, "patrol/shop_detail.html", context)


def _rights(request, shop):
    return {
        "can_inspect": may(request.user, INSPECTORS, shop.region),
        "can_open_clue": may(request.user, {Role.OFFICER}, shop.region),
    }


def _history(shop):
    return {
        "shop": shop,
        "inspections": shop.inspections.select_related("inspector").prefetch_related(
            "violations__case", "violations__clue"
        )[:30],
    }


def _record_inspection(request, shop) -> None:
    form = _inspection_form(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return
    data = form.cleaned_data
    matter = MatterType.objects.filter(code=data["matter"]).first() if data["matter"] else None
    failures = [
        {"obligation": o, "description": data["description"] or _("obligation not met"), "matter": matter}
        for o in data["obligations"]
    ]
    attempt(
        request,
        lambda: frontage_services.shop_inspect(
            actor=request.user,
            shop=shop,
            failures=failures,
            findings=data["description"],
            measure=data["measure"] or None,
        ),
        _("Inspection recorded."),
    )


def _sighting_form(user, data=None):
    form = SightingForm(data)
    form.fields["region"].choices = [(r.pk, r.name) for r in regions_for(user, INSPECTORS)]
    return form


@login_required
def ads_page(request):
    require_page(request.user, EVERYONE_IN_PATROL)
    if request.method == "POST":
        action = request.POST.get("form")
        if action == "sighting":
            form = _sighting_form(request.user, request.POST)
            if form.is_valid():
                data = form.cleaned_data
                region = get_object_or_404(Region, pk=data.pop("region"))
                attempt(
                    request,
                    lambda: ad_services.ad_sighting_record(actor=request.user, region=region, **data),
                    _("Sighting recorded."),
                )
            else:
                form_errors(request, form)
        elif action == "status":
            phone = get_object_or_404(
                frontage_sel.ad_phones_in_scope(request.user), pk=request.POST.get("phone")
            )
            form = PhoneStatusForm(request.POST)
            if form.is_valid():
                attempt(
                    request,
                    lambda: ad_services.ad_phone_status_change(
                        actor=request.user, phone=phone, **form.cleaned_data
                    ),
                    _("Status changed."),
                )
            else:
                form_errors(request, form)
        return redirect(request.path)
    phones = frontage_sel.ad_phones_in_scope(request.user)
    status = request.GET.get("status")
    if status:
        phones = phones.filter(status=status)
    q = "".join(ch for ch in (request.GET.get("q") or "") if ch.isdigit())
    if q:
        phones = phones.filter(number__contains=q)
    context = {
        "phones": phones.order_by("-last_seen_at")[:300],
        "statuses": AdPhone.Status.choices,
        "status": status,
        "q": q,
        "form": _sighting_form(request.user) if may(request.user, INSPECTORS) else None,
        "can_change": may(request.user, OPERATION_STAFF),
    }
    return render(request, "patrol/ads.html", context)
