"""Discretion suggestion: from the facts entered on a case to a level and an amount range.

The rules, in order (行政处罚法 Arts. 30, 32, 33 and the item's published benchmark):
1. under 14 → no penalty (mandatory); minor, no harmful consequence and corrected in time → no penalty
   (mandatory, when the benchmark has the minor-violation rule); first violation, slight harm and corrected
   → no penalty may be chosen (when the item or benchmark is on the first-violation list);
2. the base level is the most severe band whose conditions hold (default: 一般 general);
3. aggravating factors move it up, mitigating ones down (14–17 years old is a mandatory mitigation);
4. the band's numbers become yuan by its basis (per m², % of construction cost, × value, per unit), clipped
   to the statutory range.
The officer may depart from the suggestion but must record why; `departs()` says whether a choice does.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.translation import gettext, override
from django.utils.translation import gettext as _

from chengguan.core.errors import ValidationError

from .models import LEVEL_ORDER, AmountBasis, DiscretionBenchmark, DiscretionFactor, PowerItem

HARM_VALUES = ("none", "minor", "serious")
BASIS_FACT = {
    AmountBasis.PER_M2: "area_m2",
    AmountBasis.PERCENT_OF_COST: "construction_cost",
    AmountBasis.MULTIPLE_OF_VALUE: "value",
    AmountBasis.PER_UNIT: "count",
}
NUMERIC_FACTS = ("area_m2", "construction_cost", "value", "count", "repeat_count", "age")
BOOLEAN_FACTS = ("first_violation", "corrected")


@dataclass
class Suggestion:
    no_penalty: bool = False
    no_penalty_mandatory: bool = False
    level: str = ""
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    reasons: list = field(default_factory=list)

    @property
    def level_label(self) -> str:
        from .models import DiscretionLevel

        return str(DiscretionLevel(self.level).label) if self.level else ""

    def as_dict(self) -> dict:
        return {
            "no_penalty": self.no_penalty,
            "no_penalty_mandatory": self.no_penalty_mandatory,
            "level": self.level,
            "amount_min": None if self.amount_min is None else str(self.amount_min),
            "amount_max": None if self.amount_max is None else str(self.amount_max),
            "reasons": self.reasons,
        }


def clean_facts(raw: dict) -> dict:
    """Validate and normalise the facts entered by the officer; errors name the fact."""
    facts = {}
    for key in NUMERIC_FACTS:
        value = raw.get(key)
        if value in (None, ""):
            continue
        try:
            number = Decimal(str(value))
        except ArithmeticError as exc:
            raise ValidationError(_("%(field)s must be a number") % {"field": key}, field=key) from exc
        if number < 0:
            raise ValidationError(_("%(field)s must not be negative") % {"field": key}, field=key)
        facts[key] = number
    for key in BOOLEAN_FACTS:
        value = raw.get(key)
        facts[key] = value in (True, "true", "1", "on", "yes", 1)
    harm = raw.get("harm") or "minor"
    if harm not in HARM_VALUES:
        raise ValidationError(_("harm must be none, minor or serious"), field="harm")
    facts["harm"] = harm
    factors = raw.get("factors") or []
    if isinstance(factors, str):
        factors = [f.strip() for f in factors.split(",") if f.strip()]
    facts["factors"] = sorted(set(factors))
    if raw.get("party_type"):
        facts["party_type"] = raw["party_type"]
    return facts


def age_on(birth: date | None, day: date | None) -> int | None:
    if not birth or not day:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _holds(conditions: dict, facts: dict) -> bool:
    for key, expected in conditions.items():
        name, _, op = key.partition("__")
        value = facts.get(name)
        if op in ("gte", "gt", "lte", "lt"):
            if value is None:
                return False
            value, expected = Decimal(str(value)), Decimal(str(expected))
            ok = {"gte": value >= expected, "gt": value > expected, "lte": value <= expected, "lt": value < expected}
            if not ok[op]:
                return False
        elif value != expected:
            return False
    return True


def benchmark_for(item: PowerItem, party_type: str) -> DiscretionBenchmark | None:
    benchmarks = {b.party_type: b for b in item.benchmarks.prefetch_related("bands")}
    return benchmarks.get(party_type) or benchmarks.get("")


def _yuan(value: Decimal) -> Decimal:
    return value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def _to_yuan(benchmark, band, facts) -> tuple[Decimal, Decimal]:
    low, high = band.amount_min, band.amount_max
    fact = BASIS_FACT.get(benchmark.basis)
    if fact:
        quantity = facts.get(fact)
        if quantity is None:
            raise ValidationError(_("this benchmark needs %(fact)s to compute the amount") % {"fact": fact}, field=fact)
        scale = quantity / 100 if benchmark.basis == AmountBasis.PERCENT_OF_COST else quantity
        low, high = low * scale, high * scale
    low = max(low, benchmark.statutory_min)
    if benchmark.statutory_max is not None:
        high = min(high, benchmark.statutory_max)
        low = min(low, high)
    return _yuan(low), _yuan(high)


def suggest(item: PowerItem, facts: dict, *, party_type: str) -> Suggestion:
    """The suggested outcome for `facts` (as returned by `clean_facts`, plus `age` if known)."""
    result = Suggestion()
    benchmark = benchmark_for(item, party_type)
    age = facts.get("age")
    if age is not None and age < 14:
        result.no_penalty = result.no_penalty_mandatory = True
        result.reasons.append("不满十四周岁，不予行政处罚（行政处罚法第30条）")
        return result
    minor_rule = benchmark.minor_exempt if benchmark else True
    if minor_rule and facts.get("harm") == "none" and facts.get("corrected"):
        result.no_penalty = result.no_penalty_mandatory = True
        result.reasons.append("违法行为轻微并及时改正，没有造成危害后果，不予行政处罚（行政处罚法第33条第1款）")
        return result
    first_rule = item.first_violation_exempt or (benchmark is not None and benchmark.first_violation_exempt)
    if first_rule and facts.get("first_violation") and facts.get("harm") != "serious" and facts.get("corrected"):
        result.no_penalty = True  # optional: the range below still applies if a penalty is chosen
        result.reasons.append("初次违法且危害后果轻微并及时改正，可以不予行政处罚（行政处罚法第33条第1款）")
    if benchmark is None or not benchmark.bands.all():
        result.reasons.append("本事项未制定裁量基准，按法定幅度裁量")
        return result
    bands = sorted(benchmark.bands.all(), key=lambda b: LEVEL_ORDER.index(b.level))
    base = next((b for b in reversed(bands) if b.conditions and _holds(b.conditions, facts)), None)
    if base is None:
        base = next((b for b in bands if b.level == "general"), bands[0])
        result.reasons.append(f"基础裁量阶次：{_level_cn(base)}")
    else:
        result.reasons.append(f"基础裁量阶次：{_level_cn(base)}（{base.criteria or base.conditions}）")
    shift = 0
    chosen = set(facts.get("factors") or [])
    by_code = {}
    for factor in DiscretionFactor.objects.filter(Q(item__isnull=True) | Q(item=item), code__in=chosen):
        if factor.code not in by_code or factor.item_id:  # an item's own factor overrides the global one
            by_code[factor.code] = factor
    for factor in by_code.values():
        sign = 1 if factor.kind == DiscretionFactor.Kind.AGGRAVATING else -1
        shift += sign * factor.shift
        result.reasons.append(f"{factor.get_kind_display()}：{factor.label}")
    unknown = chosen - set(by_code)
    if unknown:
        raise ValidationError(_("unknown discretion factor: %(codes)s") % {"codes": ", ".join(sorted(unknown))}, field="factors")
    if age is not None and age < 18:
        shift -= 1
        result.reasons.append("已满十四周岁不满十八周岁，应当从轻或者减轻（行政处罚法第30条）")
    index = max(0, min(len(bands) - 1, bands.index(base) + shift))
    band = bands[index]
    result.level = band.level
    result.amount_min, result.amount_max = _to_yuan(benchmark, band, facts)
    if index != bands.index(base):
        result.reasons.append(f"调整后裁量阶次：{band.get_level_display()}")
    return result


def departs(suggestion: Suggestion, *, no_penalty: bool, amount: Decimal | None) -> bool:
    """Whether a chosen outcome differs from the suggestion (and therefore needs a recorded reason).

    A mandatory no-penalty suggestion cannot be departed from: `check_choice` refuses it."""
    if no_penalty:
        return not suggestion.no_penalty
    if suggestion.amount_min is None or amount is None:
        return False
    return not (suggestion.amount_min <= amount <= suggestion.amount_max)


def check_choice(suggestion: Suggestion, *, no_penalty: bool) -> None:
    if suggestion.no_penalty_mandatory and not no_penalty:
        raise ValidationError(
            _("the facts entered require no penalty (行政处罚法第30条/第33条); correct the facts or decide no penalty"),
            field="outcome",
        )


def suggest_for_case(case, raw_facts: dict) -> Suggestion:
    """The suggestion for a case from raw facts (a form or a JSON body), with the party's age if known."""
    if case.power_item is None:
        raise ValidationError(gettext("choose the power item (legal basis) first"), field="power_item")
    facts = clean_facts({**raw_facts, "party_type": case.party_type})
    age = age_on(case.party_birth_date, case.violation_date)
    if age is not None:
        facts["age"] = age
    return suggest(case.power_item, facts, party_type=case.party_type)



def _level_cn(band) -> str:
    """The level as the documents print it (Chinese), whatever the language of the request that computed it."""
    with override("zh-hans"):
        return str(band.get_level_display())
