"""Geocoder: a point → unit grid → community → street → district, plus the responsibility grid.

Every process keeps an in-memory index (`spatial.PolygonIndex`) of the unit grids valid today. It is rebuilt
when the grids change:

* in this process, at once (the model signals and the services call `bump_index_version`);
* in any other process, within `settings.GRID_INDEX_CHECK_SECONDS` (default 1 s): the process compares the
  token of the `GridIndexVersion` row with the token its index was built from, at most once per interval;
* an index built from changes that are not committed yet (inside a transaction) is *provisional*: its token is
  checked on every call, so a rollback (and every test's transaction) is noticed at once.

Bulk writes (`bulk_create`, `update`) bypass signals: call `bump_index_version()` after them.
"""

import json
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import date

import numpy as np
import shapely
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.coords import check_crs, to_storage, to_storage_many
from chengguan.core.errors import ValidationError

from .spatial import EMPTY, PolygonIndex


class OutsideCity(ValidationError):
    code = "outside_city"

    def __init__(self, message: str | None = None, *, field: str | None = "lng", code: str | None = None):
        super().__init__(
            message or _("The point is outside every unit grid of the city."), field=field, code=code
        )


@dataclass(frozen=True)
class LocatedObjects:
    unit_grid: object
    community: object
    street: object
    district: object
    responsibility_grid: object


@dataclass(frozen=True, slots=True)
class Location:
    unit_grid_id: int
    unit_grid_code: str
    community_id: int
    street_id: int | None
    district_id: int | None
    responsibility_grid_id: int | None
    lng: float  # storage CRS
    lat: float

    def fetch(self) -> LocatedObjects:
        """The model objects behind the ids (a few queries)."""
        from chengguan.org.models import Region

        from .models import ResponsibilityGrid, UnitGrid

        regions = Region.objects.in_bulk(
            [i for i in (self.community_id, self.street_id, self.district_id) if i is not None]
        )
        return LocatedObjects(
            unit_grid=UnitGrid.objects.get(pk=self.unit_grid_id),
            community=regions.get(self.community_id),
            street=regions.get(self.street_id),
            district=regions.get(self.district_id),
            responsibility_grid=(
                ResponsibilityGrid.objects.get(pk=self.responsibility_grid_id)
                if self.responsibility_grid_id
                else None
            ),
        )

    def as_dict(self) -> dict:
        return {
            "unit_grid_id": self.unit_grid_id,
            "unit_grid_code": self.unit_grid_code,
            "community_id": self.community_id,
            "street_id": self.street_id,
            "district_id": self.district_id,
            "responsibility_grid_id": self.responsibility_grid_id,
            "lng": self.lng,
            "lat": self.lat,
        }


class GridIndex:
    """The spatial index plus, per unit grid (sorted by code), its ids up the hierarchy."""

    def __init__(
        self,
        *,
        geometries,
        rows,
        token: str = "",
        built_on: date | None = None,
        regions: dict | None = None,
        responsibility: dict | None = None,
    ):
        # rows: (unit_grid_id, code, community_id, street_id, district_id, responsibility_grid_id)
        self.spatial = PolygonIndex(geometries)
        self.rows = rows
        self.regions = regions or {}  # id → (code, name)
        self.responsibility = responsibility or {}  # id → (code, name)
        self.token = token
        self.built_on = built_on
        self.provisional = False

    def __len__(self):
        return len(self.rows)

    def locate(self, lng: float, lat: float) -> Location | None:
        i = self.spatial.lookup(lng, lat)
        if i == EMPTY:
            return None
        return Location(*self.rows[i], lng, lat)

    def locate_arrays(self, lngs, lats) -> np.ndarray:
        """Row numbers (into `rows`) of the grids containing the points, -1 outside."""
        return self.spatial.lookup_many(lngs, lats)

    def column(self, i: int) -> np.ndarray:
        """Column i of `rows` as an int64 array with -1 for None, and a trailing -1 for "outside"."""
        cache = self.__dict__.setdefault("_columns", {})
        if i not in cache:
            cache[i] = np.array(
                [(r[i] if r[i] is not None else -1) for r in self.rows] + [-1], dtype=np.int64
            )
        return cache[i]

    def describe(self, location: Location) -> dict:
        """Codes and names of the whole hierarchy, from memory (no query)."""

        def region(pk):
            if pk is None or pk not in self.regions:
                return None
            code, name = self.regions[pk]
            return {"id": pk, "code": code, "name": name}

        rg = self.responsibility.get(location.responsibility_grid_id)
        return {
            "unit_grid": {"id": location.unit_grid_id, "code": location.unit_grid_code},
            "community": region(location.community_id),
            "street": region(location.street_id),
            "district": region(location.district_id),
            "responsibility_grid": (
                {"id": location.responsibility_grid_id, "code": rg[0], "name": rg[1]} if rg else None
            ),
            "lng": location.lng,
            "lat": location.lat,
        }


# --- building from the database ---------------------------------------------------------------------------


def geometries_from_geojson(values) -> np.ndarray:
    """GeoJSON dicts (as stored in JSON columns) → shapely geometries, vectorised."""
    return shapely.from_geojson([json.dumps(v) for v in values])


def _hierarchy():
    from chengguan.org.models import Region

    parent, level, names = {}, {}, {}
    for pk, parent_id, lvl, code, name in Region.objects.values_list(
        "id", "parent_id", "level", "code", "name"
    ):
        parent[pk], level[pk], names[pk] = parent_id, lvl, (code, name)

    def up(pk, wanted):
        seen = 0
        while pk is not None and seen < 10:
            if level.get(pk) == wanted:
                return pk
            pk, seen = parent.get(pk), seen + 1
        return None

    return up, names


def build_index(*, token: str = "", today: date | None = None) -> GridIndex:
    from .models import ResponsibilityGrid, UnitGrid

    today = today or timezone.localdate()
    grids = list(
        UnitGrid.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .order_by("code")
        .values_list("id", "code", "community_id", "geometry")
    )
    responsibility = {}
    through = ResponsibilityGrid.unit_grids.through
    for unit_grid_id, rg_id in through.objects.values_list("unitgrid_id", "responsibilitygrid_id").order_by(
        "-responsibilitygrid__code"
    ):
        responsibility[unit_grid_id] = rg_id  # the lowest code wins when a grid is in several
    up, names = _hierarchy()
    rows = [
        (pk, code, community, up(community, "street"), up(community, "district"), responsibility.get(pk))
        for pk, code, community, _geometry in grids
    ]
    geometries = geometries_from_geojson([g[3] for g in grids]) if grids else []
    used = {r[i] for r in rows for i in (2, 3, 4)}
    return GridIndex(
        geometries=geometries,
        rows=rows,
        token=token,
        built_on=today,
        regions={pk: names[pk] for pk in used if pk in names},
        responsibility=dict(
            (pk, (code, name))
            for pk, code, name in ResponsibilityGrid.objects.filter(
                pk__in={r[5] for r in rows if r[5]}
            ).values_list("id", "code", "name")
        ),
    )


# --- the process-wide index and its refresh ---------------------------------------------------------------

_lock = threading.RLock()
_index: GridIndex | None = None
_checked_at = 0.0
# `invalidate()` bumps `_generation`; an index is current when it was built from `_generation` as it stood before
# the build began. (A flag cleared at the start of a build would let readers on other threads take the old index
# as current while it is rebuilt, and would lose an invalidation that lands between the token read and the build.)
_generation = 0
_built_generation = -1
_pending = False  # this process changed grids in a transaction that has not committed yet


def _read_token() -> str:
    from .models import GridIndexVersion

    return GridIndexVersion.objects.filter(pk=1).values_list("token", flat=True).first() or ""


def _clear_pending():
    global _pending
    _pending = False


def invalidate() -> None:
    """Forget this process's index (the next lookup rebuilds it)."""
    global _generation, _pending
    _generation += 1
    if transaction.get_connection().in_atomic_block:
        _pending = True
        transaction.on_commit(_clear_pending)


def bump_index_version() -> None:
    """Record that grids changed: every process rebuilds its index (this one at once)."""
    from .models import GridIndexVersion

    token = uuid.uuid4().hex
    updated = GridIndexVersion.objects.filter(pk=1).update(
        version=F("version") + 1, token=token, changed_at=timezone.now()
    )
    if not updated:
        try:
            with transaction.atomic():
                GridIndexVersion.objects.create(pk=1, version=1, token=token)
        except IntegrityError:  # another process created it meanwhile
            GridIndexVersion.objects.filter(pk=1).update(version=F("version") + 1, token=token)
    invalidate()


def current_index() -> GridIndex:
    global _index, _checked_at, _built_generation, _pending
    index = _index
    now = time.monotonic()
    interval = getattr(settings, "GRID_INDEX_CHECK_SECONDS", 1.0)
    if (index is not None and _built_generation == _generation and not index.provisional
            and now - _checked_at < interval):
        return index
    with _lock:
        index = _index
        generation = _generation  # read before the token and the grids: a later invalidation forces another build
        token = _read_token()
        today = timezone.localdate()
        if index is None or generation != _built_generation or token != index.token or index.built_on != today:
            if not transaction.get_connection().in_atomic_block:
                _pending = False
            index = build_index(token=token, today=today)
            index.provisional = _pending
            _index = index
            _built_generation = generation
        elif index.provisional and not _pending:
            index.provisional = False
        _checked_at = now
        return index


# --- the public API ---------------------------------------------------------------------------------------


def locate(lng: float, lat: float, crs: str = "gcj02") -> Location:
    """The unit grid (and its hierarchy) containing the point; `OutsideCity` if there is none."""
    if (
        crs == settings.STORAGE_CRS
        and type(lng) is float
        and type(lat) is float
        and -180.0 <= lng <= 180.0
        and -90.0 <= lat <= 90.0
    ):
        x, y = lng, lat  # the common case, already in the storage system: skip the general conversion
    else:
        x, y = to_storage(lng, lat, crs)
    found = current_index().locate(x, y)
    if found is None:
        raise OutsideCity()
    return found


def locate_many(points, crs: str = "gcj02") -> list[Location | None]:
    """Batch lookup of (lng, lat) pairs; None for a point outside every grid or not a valid coordinate."""
    crs = check_crs(crs)
    arr = np.asarray(points, dtype=np.float64).reshape(-1, 2) if len(points) else np.zeros((0, 2))
    lngs, lats = arr[:, 0], arr[:, 1]
    valid = np.isfinite(lngs) & np.isfinite(lats) & (np.abs(lngs) <= 180) & (np.abs(lats) <= 90)
    xs, ys = to_storage_many(np.where(valid, lngs, 0.0), np.where(valid, lats, 0.0), crs)
    index = current_index()
    found = index.locate_arrays(xs, ys)
    found[~valid] = EMPTY
    rows = index.rows
    return [
        Location(*rows[i], x, y) if i != EMPTY else None
        for i, x, y in zip(found.tolist(), xs.tolist(), ys.tolist(), strict=True)
    ]


@dataclass(frozen=True)
class LocatedArrays:
    """Ids per point (numpy int64 arrays, -1 where a point is outside every grid), storage coordinates."""

    unit_grid_id: np.ndarray
    community_id: np.ndarray
    street_id: np.ndarray
    district_id: np.ndarray
    responsibility_grid_id: np.ndarray
    lng: np.ndarray
    lat: np.ndarray


def locate_arrays(lngs, lats, crs: str = "gcj02") -> LocatedArrays:
    """Vectorised lookup for analytics and large batches (GPS tracks, heat maps): no Python object per point,
    so millions of points per second. Invalid coordinates count as outside."""
    lngs = np.asarray(lngs, dtype=np.float64)
    lats = np.asarray(lats, dtype=np.float64)
    valid = np.isfinite(lngs) & np.isfinite(lats) & (np.abs(lngs) <= 180) & (np.abs(lats) <= 90)
    xs, ys = to_storage_many(np.where(valid, lngs, 0.0), np.where(valid, lats, 0.0), check_crs(crs))
    index = current_index()
    found = index.locate_arrays(xs, ys)
    found[~valid] = EMPTY
    columns = [index.column(i)[found] for i in (0, 2, 3, 4, 5)]  # found == -1 picks the trailing -1
    return LocatedArrays(*columns, xs, ys)


def describe(location: Location) -> dict:
    """The location with codes and names of its community, street, district and responsibility grid."""
    return current_index().describe(location)


def index_memo() -> dict:
    """A per-process dict that lives as long as the current index: it is dropped whenever grids or regions change
    (in this process at once, elsewhere within `GRID_INDEX_CHECK_SECONDS`), so callers may keep rows derived from
    grids and regions in it (the intake's unit grids and region rows) without a query per request. Take a key of
    your own (`index_memo().setdefault("app.what", {})`)."""
    return current_index().__dict__.setdefault("_memo", {})
