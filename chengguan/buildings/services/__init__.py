"""Every state change of the ledger: register, stop on site, link or open enforcement, retain, demolish, assign."""

from .ledger import (
    building_assign,
    building_demolish,
    building_link_case,
    building_open_clue,
    building_register,
    building_retain,
    building_stop,
)

__all__ = ["building_assign", "building_demolish", "building_link_case", "building_open_clue", "building_register",
           "building_retain", "building_stop"]  # fmt: skip
