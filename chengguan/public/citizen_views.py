"""The citizen's own pages besides reporting: "我的上报" (behind a one-time SMS code), "还没修好" on a closed
case, and the dev/test outbox of messages (only while DEBUG is on)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chengguan.core.errors import DomainError
from chengguan.core.privacy import mask_phone

from . import presenters
from .forms import CodeForm, PhoneForm, ReopenForm
from .models import OutboxMessage
from .services.citizen import normalize_phone
from .services.citizen_side import case_reopen, cases_of_phone, code_request, code_verify
from .services.ratelimit import RateLimited, client_ip, hit
from .views import SESSION_KEY, _followed, _remember, rate_limited

PHONE_SESSION_KEY = "public_phone"


def _rows(phone):
    return [
        {
            "case": c,
            "state": presenters.state_label(c),
            "status": presenters.status_of(c),
            "place": c.address or (c.community.name if c.community_id else ""),
        }
        for c in cases_of_phone(phone)
    ]


@require_http_methods(["GET", "POST"])
def mine(request):
    """Step 1: the phone → a code by SMS; step 2: the code → the list of this phone's reports."""
    phone = request.session.get(PHONE_SESSION_KEY)
    if phone and request.method == "GET":
        rows = _rows(phone)
        for row in rows:  # the list proves these cases: their pages open without asking again
            _remember(request, row["case"].number)
        return render(request, "public/mine.html", {"rows": rows, "phone": mask_phone(phone)})
    step = request.POST.get("step", "")
    phone_form, code_form, status = PhoneForm(), None, 200
    if request.method == "POST" and step == "send":
        phone_form = PhoneForm(request.POST)
        status = 400
        if phone_form.is_valid():
            number = normalize_phone(phone_form.cleaned_data["phone"])
            try:
                code_request(phone=number, ip=client_ip(request))
            except RateLimited as exc:
                phone_form.add_error(
                    "phone", _("Too many codes asked for; please wait a minute and try again.")
                )
                return rate_limited(
                    render(request, "public/mine_login.html", {"phone_form": phone_form}, status=429), exc
                )
            except DomainError as exc:
                phone_form.add_error(
                    "phone", _("Give the mobile number you reported with.") if exc.field else exc.message
                )
            else:
                code_form, status = CodeForm(initial={"phone": number}), 200
    elif request.method == "POST" and step == "verify":
        code_form = CodeForm(request.POST)
        status = 400
        try:
            hit("code_check_ip", client_ip(request), field="code")
        except RateLimited as exc:
            code_form.is_valid()
            code_form.add_error(None, _("Too many attempts; please try again later."))
            return rate_limited(render(request, "public/mine_login.html", {"code_form": code_form}, status=429), exc)
        if code_form.is_valid():
            number = normalize_phone(code_form.cleaned_data["phone"])
            if code_verify(phone=number, code=code_form.cleaned_data["code"]):
                request.session.cycle_key()  # a new session id once the phone is proved
                request.session[PHONE_SESSION_KEY] = number
                return redirect("public-mine")
            code_form.add_error("code", _("The code is wrong or has expired; ask for a new one."))
    return render(
        request, "public/mine_login.html", {"phone_form": phone_form, "code_form": code_form}, status=status
    )


@require_POST
def mine_leave(request):
    request.session.pop(PHONE_SESSION_KEY, None)
    request.session.pop(SESSION_KEY, None)
    return redirect("public-home")


@require_POST
def reopen(request, number):
    """ "还没修好": the browser that proved the case (number + phone, or the SMS code) reopens it once."""
    case = _followed(request, number)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what is still wrong."))
        return redirect("public-case", number=case.number)
    try:
        new = case_reopen(
            case=case,
            phone=case.reporter_phone,  # the session proved the phone for this case
            description=form.cleaned_data["description"],
            ip=client_ip(request),
            now=timezone.now(),
        )
    except DomainError as exc:
        messages.error(
            request,
            exc.message if exc.status != 429 else _("Too many reports from here; please try again later."),
        )
        return redirect("public-case", number=case.number)
    _remember(request, new.number)
    messages.success(
        request,
        _("Thank you. The problem is reported again as %(number)s, linked to %(old)s.")
        % {"number": new.number, "old": case.number},
    )
    return redirect("public-case", number=new.number)


@require_GET
def dev_messages(request):
    """What the dev/test channel "sent" (codes, status messages): only on a development server."""
    if not settings.DEBUG:
        raise Http404
    rows = [
        {"m": m, "to": mask_phone(m.phone) if m.phone else (_("user %(id)s") % {"id": m.user_id})}
        for m in OutboxMessage.objects.all()[:100]
    ]
    return render(request, "public/dev_messages.html", {"rows": rows})
