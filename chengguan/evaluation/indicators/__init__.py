"""Indicators per evaluated party (standards.md §5.1), as sums and ratios over the fact tables.

`parties` declares what is measured, `engine` runs it; see docs/evaluation.md for the definitions.
"""

from .base import LEVEL_FIELD, LEVEL_LABELS, REGION_LEVELS, Indicator, PartySpec, Source
from .engine import Measured, collect, collect_series, finish
from .parties import PARTIES, indicator_choices, indicator_for, party_spec

__all__ = [
    "LEVEL_FIELD",
    "LEVEL_LABELS",
    "PARTIES",
    "REGION_LEVELS",
    "Indicator",
    "Measured",
    "PartySpec",
    "Source",
    "collect",
    "collect_series",
    "finish",
    "indicator_choices",
    "indicator_for",
    "party_spec",
]
