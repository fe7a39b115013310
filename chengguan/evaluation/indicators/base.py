"""The vocabulary of indicators: an indicator (a count, or a rate = numerator / denominator × 100), a source
(a fact table, the date column that places a row in a period, the column that names the party member, a
filter and the sums to take) and a party (its sources and indicators)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

PROACTIVE_SOURCES = ("supervisor", "camera", "department", "leader")
ACCEPT_DECISIONS = ("accept", "reject", "merge")
REGION_LEVELS = ("district", "street", "community", "grid")
LEVEL_FIELD = {"district": "district", "street": "street", "community": "community", "grid": "unit_grid"}
LEVEL_LABELS = {
    "district": _("district"),
    "street": _("street"),
    "community": _("community"),
    "grid": _("unit grid"),
}


@dataclass(frozen=True)
class Indicator:
    key: str
    label: object
    num: str = ""  # a rate: measure keys of numerator and denominator
    den: str = ""
    better: str = "higher"  # "higher", "lower" or "" (information only)

    @property
    def is_rate(self) -> bool:
        return bool(self.den)


def rate(key, label, num, den, better="higher"):
    return Indicator(key, label, num, den, better)


def count(key, label, better=""):
    return Indicator(key, label, better=better)


@dataclass(frozen=True)
class Source:
    model: type
    date_field: str
    group: str
    filter: Q
    measures: Callable[[dict], dict]
    # Monthly rollups (`evaluation.rollups`): measures that depend on the time of the report, not only on the facts,
    # are never stored; they are counted from the facts on every read, among the rows `live_filter` keeps (a
    # narrow, indexed subset).
    live: tuple = ()
    live_filter: Q = Q()
    # A group through a many-to-many join that can change without any fact changing (a grid's supervisors) is
    # stored by the fact's own column (`rollup_group`, rows kept by `rollup_filter`) and spread over the members
    # when read: `expand(keys)` → {stored key: [member, …]}.
    rollup_group: str = ""
    rollup_filter: Q | None = None
    expand: Callable | None = None


@dataclass(frozen=True)
class PartySpec:
    key: str
    label: object
    sources: Callable[[dict], list[Source]]
    indicators: tuple
    derived: Callable[[dict], dict] = lambda m: {}
    trend: tuple = ()
    scope: str = "region"
    # Measures that count the member's own work; a member with none of them in a period has no score ("—"),
    # whatever rates of others' work (e.g. the grid's 漏报率) say.
    activity: tuple = ()

    def is_active(self, values: dict) -> bool:
        return not self.activity or any(values.get(key) for key in self.activity)


def _sum(name, **where):
    return Sum(name, filter=Q(**where)) if where else Sum(name)


def _count(**where):
    return Count("pk", filter=Q(**where)) if where else Count("pk")
