"""The patrol API at /api/v1/patrol/: track uploads from phones, rosters and requests, reports, campaigns,
operations, shops and small-ad numbers. Parse → selector/service → serialize; errors use the one shape.

Each module adds its routes to the one router; they are imported in the order of the OpenAPI document."""
# ruff: noqa: E402, F401, I001

from ._common import router
from . import tracks
from . import reports
from . import roster
from . import campaigns
from . import shops

__all__ = ["router"]
