"""The citizen portal under /p/: report a problem, follow it by number + phone, rate it, the public map and
the monthly disclosure. No login: a citizen proves a case is theirs with its number and their phone, and the
session remembers it."""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chengguan.cases.models import Attachment, Case
from chengguan.catalog.models import MatterType
from chengguan.core.errors import DomainError
from chengguan.core.media import file_response
from chengguan.core.office.xlsx import SafeCSVWriter
from chengguan.grids.geocoder import locate

from . import conf, presenters, selectors
from .categories import grouped
from .forms import FollowForm, RatingForm, ReportForm
from .models import Satisfaction
from .services.citizen import citizen_report, points_balance, same_phone, satisfaction_record
from .services.citizen_side import can_reopen, reopen_deadline
from .services.ratelimit import RateLimited, client_ip, hit

SESSION_KEY = "public_cases"
SESSION_MAX = 20


# ---- session: which case numbers this browser proved it may follow -------------------------------------------


def _remember(request, number: str) -> None:
    numbers = [n for n in request.session.get(SESSION_KEY, []) if n != number]
    request.session[SESSION_KEY] = ([number] + numbers)[:SESSION_MAX]


def _followed(request, number: str) -> Case:
    if number not in request.session.get(SESSION_KEY, []):
        raise Http404
    case = (
        Case.objects.select_related(
            "matter", "merged_into", "district", "community", "reopened_from__original"
        )
        .filter(number=number)
        .first()
    )
    if case is None:
        raise Http404
    return case


def _domain_error(form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    if exc.field in ("matter_code",):
        field = "matter"
    if exc.field in ("lng", "lat", "crs"):
        field = "lng"
    form.add_error(field, exc.message)


# ---- pages -------------------------------------------------------------------------------------------------------


@require_GET
def portal_home(request):
    return render(request, "public/home.html", {"followed": request.session.get(SESSION_KEY, [])[:5]})


def matter_groups():
    """About 15 groups in plain words (public/categories.py), not the catalogue's administrative classes."""
    return grouped(
        MatterType.objects.filter(is_active=True).order_by("code").only("code", "name", "major_name")
    )


@require_http_methods(["GET", "POST"])
def report(request):
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = citizen_report(
                    matter=data["matter"],
                    lng=data["lng"],
                    lat=data["lat"],
                    crs=data["crs"],
                    description=data["description"],
                    address=data["address"],
                    name=data["name"],
                    phone=data["phone"],
                    photos=request.FILES.getlist("photos"),
                    ip=client_ip(request),
                )
            except RateLimited as exc:
                form.add_error(None, _("Too many reports from here; please try again later."))
                return rate_limited(_report_page(request, form, 429), exc)
            except DomainError as exc:
                _domain_error(form, exc)
            else:
                _remember(request, case.number)
                messages.success(
                    request,
                    _("Thank you. Your case number is %(number)s: keep it to follow the case.")
                    % {"number": case.number},
                )
                return redirect("public-case", number=case.number)
    return _report_page(request, form, status)


def rate_limited(response, exc: RateLimited):
    """A page refused by a rate limit (its status already 429) says when to try again."""
    response["Retry-After"] = str(exc.retry_after)
    return response


def _report_page(request, form, status):
    selected = form["matter"].value() if form.is_bound else ""
    return render(
        request,
        "public/report.html",
        {"form": form, "groups": matter_groups(), "selected": selected, "max_photos": conf.max_photos()},
        status=status,
    )


@require_GET
def locate_point(request):
    """Where is this point? Converts to the map's system (GCJ-02) and names the community, or says why not."""
    try:
        lng, lat = float(request.GET.get("lng", "")), float(request.GET.get("lat", ""))
        location = locate(lng, lat, request.GET.get("crs") or "gcj02")
    except ValueError:
        return JsonResponse({"ok": False, "error": _("No valid point given.")}, status=400)
    except DomainError as exc:
        return JsonResponse({"ok": False, "error": exc.message}, status=400)
    objects = location.fetch()
    return JsonResponse(
        {
            "ok": True,
            "lng": location.lng,
            "lat": location.lat,
            "crs": "gcj02",
            "community": objects.community.name,
            "district": objects.district.name if objects.district else "",
        }
    )


@require_GET
def nearby(request):
    """The duplicate suggestion: open reports of the same problem close by (an HTML fragment)."""
    matter = MatterType.objects.filter(code=request.GET.get("matter", ""), is_active=True).first()
    rows = []
    if matter is not None:
        try:
            rows = selectors.nearby_open(
                matter=matter,
                lng=float(request.GET.get("lng", "")),
                lat=float(request.GET.get("lat", "")),
                crs=request.GET.get("crs") or "gcj02",
                now=timezone.now(),
            )
        except (ValueError, DomainError):
            rows = []
    return render(request, "public/_nearby.html", {"rows": [(c, round(d)) for c, d in rows]})


@require_http_methods(["GET", "POST"])
def follow(request):
    form = FollowForm(request.POST or None, initial={"number": request.GET.get("number", "")})
    status = 200
    if request.method == "POST":
        status = 400
        try:
            hit("follow_ip", client_ip(request), field="number")
        except RateLimited as exc:
            form.is_valid()
            form.add_error(None, _("Too many attempts; please try again later."))
            return rate_limited(render(request, "public/follow.html", {"form": form}, status=429), exc)
        if form.is_valid():
            number = form.cleaned_data["number"].strip().upper()
            case = Case.objects.filter(number=number).only("number", "reporter_phone").first()
            if case is not None and same_phone(case.reporter_phone, form.cleaned_data["phone"]):
                _remember(request, case.number)
                return redirect("public-case", number=case.number)
            # one message for both: never tell a stranger whether the number exists
            form.add_error(None, _("No case with this number was reported with this phone."))
    return render(request, "public/follow.html", {"form": form}, status=status)


@require_GET
def case_page(request, number):
    if number not in request.session.get(SESSION_KEY, []):
        # a link from an SMS or another device: prove it with the phone first (the number is prefilled)
        return redirect(f"{reverse('public-follow')}?{urlencode({'number': number})}")
    case = _followed(request, number)
    rating = Satisfaction.objects.filter(case=case).first()
    now = timezone.now()
    context = {
        "case": case,
        "place": presenters.place_of(case),
        "reply": presenters.public_reply(case),
        "can_reopen": can_reopen(case, now),
        "reopen_until": reopen_deadline(case),
        "reopened_from": getattr(getattr(case, "reopened_from", None), "original", None),
        "state_label": presenters.state_label(case),
        "status": presenters.status_of(case),
        "timeline": presenters.timeline(case),
        "before": presenters.before_photos(case),
        "after": presenters.after_photos(case),
        "rating": rating,
        "rating_form": RatingForm() if rating is None and case.state in ("closed",) else None,
        "points": points_balance(case.reporter_phone) if conf.points_rules() else None,
    }
    return render(request, "public/case.html", context)


@require_POST
def rate(request, number):
    case = _followed(request, number)
    form = RatingForm(request.POST)
    try:
        hit("rate_ip", client_ip(request))
        if not form.is_valid():
            messages.error(request, _("Choose how satisfied you are."))
        else:
            satisfaction_record(
                actor=None, case=case, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"]
            )
            messages.success(request, _("Thank you for your rating."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("public-case", number=case.number)


@require_GET
def photo(request, pk):
    """A case photo for the public: after-photos (taken by staff) of any case shown publicly; the reporter's own
    before-photos only to the browser that proved the case is theirs."""
    attachment = Attachment.objects.select_related("case").filter(pk=pk, case__isnull=False).first()
    if attachment is None or attachment.case.state in selectors.HIDDEN_STATES:
        raise Http404
    if attachment.kind != "after" and attachment.case.number not in request.session.get(SESSION_KEY, []):
        raise Http404
    return file_response(attachment.file, content_type=attachment.content_type)


@require_GET
def public_map(request):
    return render(request, "public/map.html", {"days": conf.map_days()})


@require_GET
def map_data(request):
    cases, photos = selectors.map_cases(now=timezone.now(), status=request.GET.get("status", ""))
    features = []
    for c in cases:
        lng, lat = c.lng, c.lat  # GCJ-02, the map's system
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]},
                "properties": {
                    "number": c.number,
                    "matter": c.matter.name,
                    "status": presenters.status_of(c),
                    "state": presenters.state_label(c),
                    "address": c.address,
                    "reported": timezone.localtime(c.reported_at).strftime("%Y-%m-%d"),
                    "closed": timezone.localtime(c.closed_at).strftime("%Y-%m-%d") if c.closed_at else "",
                    "photo": reverse("public-photo", args=[photos[c.pk]]) if c.pk in photos else "",
                    "url": reverse("public-case", args=[c.number]),
                },
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": features})


@require_GET
def regions_data(request):
    """District outlines for the map when no tile server is configured (public administrative geography)."""
    from chengguan.org.models import Region

    features = [
        {"type": "Feature", "geometry": r.boundary, "properties": {"name": r.name, "level": r.level}}
        for r in Region.objects.filter(level__in=["city", "district"], boundary__isnull=False)
    ]
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Cache-Control"] = "public, max-age=3600"
    return response


# ---- disclosure -----------------------------------------------------------------------------------------------


def _month(request) -> date:
    today = timezone.localdate()
    raw = request.GET.get("month", "")
    try:
        year, month = (int(x) for x in raw.split("-"))
        chosen = date(year, month, 1)
    except ValueError:
        return today.replace(day=1)
    return min(chosen, today.replace(day=1))


def _months_back(start: date, count: int = 12) -> list[date]:
    months, current = [], start
    for _i in range(count):
        months.append(current)
        current = date(current.year - (current.month == 1), (current.month - 2) % 12 + 1, 1)
    return months


def disclosure_links() -> list[tuple[str, str]]:
    """The enforcement app's public power list and penalty decisions, when it provides them."""
    links = []
    for name, label in (
        ("enforcement:public_powers", _("Power and responsibility list")),
        ("enforcement:public_decisions", _("Administrative penalty decisions")),
    ):
        try:
            links.append((reverse(name), label))
        except NoReverseMatch:
            continue
    return links


@require_GET
def statistics(request):
    month = _month(request)
    stats = selectors.monthly_statistics(month, now=timezone.now())
    return render(
        request,
        "public/stats.html",
        {"month": month, "stats": stats, "months": _months_back(timezone.localdate().replace(day=1)),
         "links": disclosure_links()},
    )  # fmt: skip


@require_GET
def statistics_csv(request):
    month = _month(request)
    stats = selectors.monthly_statistics(month, now=timezone.now())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistics-{month:%Y-%m}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV with a BOM correctly
    writer = SafeCSVWriter(response)
    writer.writerow(
        [_("breakdown"), _("code"), _("name"), _("reported"), _("filed"), _("closed"), _("closure rate (%)")]
    )
    for kind, rows in ((_("district"), stats["by_district"]), (_("major class"), stats["by_class"])):
        for r in rows:
            writer.writerow(
                [
                    kind,
                    r.key,
                    r.label,
                    r.reported,
                    r.filed,
                    r.closed,
                    r.closure_rate if r.closure_rate is not None else "",
                ]
            )
    t = stats["total"]
    writer.writerow(
        [
            _("total"),
            "",
            "",
            t.reported,
            t.filed,
            t.closed,
            t.closure_rate if t.closure_rate is not None else "",
        ]
    )
    return response
