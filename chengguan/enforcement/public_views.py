"""Public pages, no login: the power & responsibility list with its discretion benchmarks, and disclosed
penalty decisions with citizens' names masked (执法公示)."""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .models import PowerItem, PowerLevel, PowerType
from .privacy import public_party
from .selectors import public_decisions, public_powers
from .services.base import legal_basis_text, penalty_text


def powers_page(request):
    q, power_type, level = (request.GET.get(k, "").strip() for k in ("q", "type", "level"))
    items = public_powers(q=q, power_type=power_type if power_type in PowerType.values else "",
                          level=level if level in PowerLevel.values else "")
    totals = dict(PowerItem.objects.filter(is_public=True).values_list("power_type").annotate(n=Count("pk")))
    return render(request, "enforcement/public/powers.html", {
        "items": items, "q": q, "type": power_type, "level": level, "types": PowerType.choices,
        "levels": PowerLevel.choices, "totals": [(label, totals.get(value, 0)) for value, label in PowerType.choices
                                                  if totals.get(value)],
    })


def power_detail_page(request, code):
    item = get_object_or_404(PowerItem, code=code, is_public=True)
    return render(request, "enforcement/public/power_detail.html", {
        "item": item, "transfers": item.transfers.all(),
        "benchmarks": item.benchmarks.prefetch_related("bands"), "factors": item.factors.all(),
    })


def _public(case) -> dict:
    party, party_id = public_party(case)
    return {"case": case, "party": party, "party_id": party_id, "basis": legal_basis_text(case.power_item),
            "penalty": penalty_text(case)}


def decisions_page(request):
    return render(request, "enforcement/public/decisions.html",
                  {"decisions": [_public(c) for c in public_decisions()[:200]]})


def decision_detail_page(request, pk):
    case = public_decisions().filter(pk=pk).first()
    if case is None:
        raise Http404
    return render(request, "enforcement/public/decision_detail.html", _public(case))
