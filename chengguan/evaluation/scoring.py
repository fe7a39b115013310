"""Composite scores (综合指标值) and grades from the configured schemes, ladders and grade bands.

score = Σ weight × term score / Σ weight, over the terms whose indicator has a value. The configured weights
sum to 100 %, so with every value present this is the weighted sum of standards.md §5.2; a term without a
value (a zero denominator) drops out instead of counting as 0. A member without any rate value has no score:
a count ladder alone (e.g. "few cases → 100") would rank a department that returned every case first.
A term scores a rate as is, 100 − a rate for "lower is better" rates (the fixed 漏报率 defect), or a count
through a ladder.
"""

from dataclasses import dataclass
from decimal import Decimal

from chengguan.core.errors import ValidationError

from .models import Grade, Ladder, Scheme, SchemeTerm
from .periods import Period

WEIGHT_TOTAL = Decimal(100)


@dataclass(frozen=True)
class LadderRule:
    direction: str
    steps: tuple  # ((bound, score), ...)
    per_unit_grid: bool
    per_month: bool
    floor_score: float
    per_shift: bool = False

    def score(self, value: float, *, period: Period, unit_grids: int = 1, shifts: int | None = None) -> float:
        if self.per_unit_grid:
            value = value / max(unit_grids, 1)
        if self.per_shift:
            value = value / max(shifts or 0, 1)  # no shift on the roster: the count itself
        elif self.per_month:
            value = value / period.months
        if self.direction == Ladder.Direction.AT_LEAST:
            for bound, score in sorted(self.steps, reverse=True):
                if value >= bound:
                    return score
        else:
            for bound, score in sorted(self.steps):
                if value <= bound:
                    return score
        return self.floor_score


@dataclass(frozen=True)
class Term:
    indicator: str
    weight: float
    scoring: str
    ladder: LadderRule | None


@dataclass(frozen=True)
class ScoringConfig:
    schemes: dict  # party → (Term, ...)
    grades: tuple  # ((min score, letter), ...) highest first

    def grade(self, score: float | None) -> str | None:
        if score is None:
            return None
        for minimum, letter in self.grades:
            if score >= minimum:
                return letter
        return self.grades[-1][1] if self.grades else None

    def score(
        self, party: str, values: dict, *, period: Period, unit_grids: int = 1, shifts: int | None = None
    ) -> float | None:
        total = weights = 0.0
        rated = False
        for term in self.schemes.get(party, ()):
            value = values.get(term.indicator)
            if value is None or term.weight <= 0:
                continue
            if term.scoring == SchemeTerm.Scoring.LADDER:
                points = term.ladder.score(value, period=period, unit_grids=unit_grids, shifts=shifts)
            else:
                rated = True
                points = 100.0 - value if term.scoring == SchemeTerm.Scoring.INVERTED else value
            total += term.weight * points
            weights += term.weight
        return round(total / weights, 2) if rated else None


def load_config() -> ScoringConfig:
    """The configuration in three queries."""
    ladders = {}
    for ladder in Ladder.objects.prefetch_related("steps"):
        ladders[ladder.pk] = LadderRule(
            ladder.direction,
            tuple((float(s.bound), float(s.score)) for s in ladder.steps.all()),
            ladder.per_unit_grid,
            ladder.per_month,
            float(ladder.floor_score),
            ladder.per_shift,
        )
    schemes: dict = {}
    for term in SchemeTerm.objects.select_related("scheme").order_by("scheme", "position", "pk"):
        schemes.setdefault(term.scheme.party, []).append(
            Term(term.indicator, float(term.weight), term.scoring, ladders.get(term.ladder_id))
        )
    grades = tuple((float(g.min_score), g.letter) for g in Grade.objects.order_by("-min_score"))
    return ScoringConfig({k: tuple(v) for k, v in schemes.items()}, grades)


def validate_terms(party: str, terms: list[dict]) -> None:
    """Terms as dicts (indicator, weight, scoring, ladder): known indicators, ladders where needed, 100 % total."""
    from .indicators import indicator_for

    total = Decimal(0)
    seen = set()
    for term in terms:
        indicator = indicator_for(party, term["indicator"])
        if indicator is None:
            raise ValidationError(f"{party} has no indicator {term['indicator']!r}.", field="indicator")
        if term["indicator"] in seen:
            raise ValidationError(f"{term['indicator']} appears twice.", field="indicator")
        seen.add(term["indicator"])
        if (term["scoring"] == SchemeTerm.Scoring.LADDER) != (term.get("ladder") is not None):
            raise ValidationError("Ladder scoring needs a ladder, and only it.", field="ladder")
        if term["scoring"] != SchemeTerm.Scoring.LADDER and not indicator.is_rate:
            raise ValidationError(f"{term['indicator']} is a count: score it by a ladder.", field="scoring")
        total += Decimal(str(term["weight"]))
    if terms and total != WEIGHT_TOTAL:
        raise ValidationError(f"The weights add up to {total:g} %, not 100 %.", field="weight")


def validate_scheme(scheme: Scheme) -> None:
    validate_terms(
        scheme.party,
        [
            {"indicator": t.indicator, "weight": t.weight, "scoring": t.scoring, "ladder": t.ladder}
            for t in scheme.terms.all()
        ],
    )


def validate_grades(rows: list[tuple[str, Decimal]]) -> None:
    letters = [letter for letter, _m in rows]
    if len(set(letters)) != len(letters):
        raise ValidationError("Each grade letter appears once.", field="letter")
    if rows and min(m for _l, m in rows) != 0:
        raise ValidationError(
            "The lowest grade must start at 0 so that every score has a grade.", field="min_score"
        )
