"""Address search and reverse lookup.

Search runs in the database's own text index (FTS5 on SQLite, a GIN tsvector index on PostgreSQL): every
query term must match, at most `FETCH` rows come back and are ranked here. When nothing matches, two
fallbacks follow: homophone typos (姨山 for 夷山) through the pinyin initials, then a name dictionary lookup
that replaces a mistyped road or place name with the closest known one (bigram overlap).
"""

import math
from difflib import SequenceMatcher

from django.db import connection

from chengguan.core.coords import check_crs, to_storage

from . import text
from .models import CELL_DEG, Address, cell_key

FETCH = 60
FALLBACK_PENALTY = 0.8
REVERSE_RINGS = (1, 3, 8)  # cells of 0.001° (~100 m) around the point, widened when empty


def _sqlite_match(terms) -> str:
    return " AND ".join(f'"{tok}"*' if prefix else f'"{tok}"' for tok, prefix in terms)


def _pg_query(terms) -> str:
    return " & ".join(f"'{tok}':*" if prefix else f"'{tok}'" for tok, prefix in terms)


def _match_ids(terms, limit: int = FETCH) -> list[int]:
    if not terms:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT id FROM geo_address WHERE array_to_tsvector(string_to_array(search, ' ')) "
                "@@ %s::tsquery LIMIT %s",
                [_pg_query(terms), limit],
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT rowid FROM geo_address_fts WHERE geo_address_fts MATCH %s LIMIT %s",
                [_sqlite_match(terms), limit],
            )
        else:  # pragma: no cover - another engine: correct, without an index
            qs = Address.objects.all()
            for tok, _prefix in terms:
                qs = qs.filter(search__contains=tok)
            return list(qs.values_list("id", flat=True)[:limit])
        return [row[0] for row in cursor.fetchall()]


def _closest_name(run: str) -> str | None:
    """The known road/place name closest to a mistyped CJK run, or None below half similarity."""
    grams = text.bigrams(run)
    ids = []
    for gram in grams:  # any shared bigram: a small set of names sharing it
        ids.extend(_match_ids([(gram, False)], limit=40))
    best, best_ratio = None, 0.5
    seen = set()
    for names in Address.objects.filter(id__in=ids).values_list("road", "name", "street", "district"):
        for name in names:
            if not name or name in seen:
                continue
            seen.add(name)
            ratio = SequenceMatcher(None, run, text.normalize(name)).ratio()
            if ratio > best_ratio:
                best, best_ratio = name, ratio
    return best


def _dictionary_terms(q: str) -> list[tuple[str, bool]] | None:
    changed = False
    parts = []
    for run in text.runs(q):
        if text.is_cjk(run) and len(run) >= 3:
            name = _closest_name(run)
            if name and text.normalize(name) != run:
                parts.append(name)
                changed = True
                continue
        parts.append(run)
    return text.query_terms(" ".join(parts)) if changed else None


def _score(addr: Address, q_norm: str, digits: list[str]) -> float:
    target = text.normalize(addr.full + (addr.name or "") + (addr.aliases or "").replace("|", ""))
    score = 0.6 * SequenceMatcher(None, q_norm, target).ratio()
    if digits and addr.number and text.normalize(addr.number).rstrip("号") == digits[0]:
        score += 0.25
        if not addr.building and not addr.unit:
            score += 0.05  # the house itself before its buildings
    if addr.name and text.normalize(addr.name) in q_norm:
        score += 0.3
    return min(score, 1.0)


_PREFIXES: dict = {}


def _city_prefixes() -> list[str]:
    """Names of the province and city regions (开封市, 河南省, and without 市/省), read once per process."""
    if "names" not in _PREFIXES:
        from chengguan.org.models import Region

        names = Region.objects.filter(level__in=("province", "city")).values_list("name", flat=True)
        found = {text.normalize(n) for n in names} | {"河南省"}
        _PREFIXES["names"] = sorted(found | {n[:-1] for n in found if len(n) > 2}, key=len, reverse=True)
    return _PREFIXES["names"]


def search(q: str, *, limit: int = 10) -> list[tuple[Address, float]]:
    """Ranked candidates (address, score 0..1) for what a caller said; [] when nothing resembles it."""
    q = text.strip_city((q or "").strip(), _city_prefixes())
    terms = text.query_terms(q)
    if not terms:
        return []
    penalty = 1.0
    ids = _match_ids(terms)
    if not ids and any(text.is_cjk(r) for r in text.runs(q)):
        penalty = FALLBACK_PENALTY
        ids = _match_ids(text.homophone_terms(q))
        if not ids:
            corrected = _dictionary_terms(q)
            ids = _match_ids(corrected) if corrected else []
    if not ids:
        return []
    q_norm = "".join(text.runs(q))
    digits = [r for r in text.runs(q) if r.isdigit()]
    rows = Address.objects.filter(id__in=ids).select_related("unit_grid", "community")
    ranked = sorted(
        ((a, round(_score(a, q_norm, digits) * penalty, 4)) for a in rows),
        key=lambda pair: (-pair[1], len(pair[0].full), pair[0].id),
    )
    return ranked[:limit]


def _nearest_sql(cells: list[int]) -> str:
    """Candidates of the listed cells, read from the partial (cell, lng, lat, id) index alone (no table rows)."""
    return (f"SELECT id, lng, lat FROM geo_address WHERE cell IN ({', '.join(str(int(c)) for c in cells)}) "
            "AND NOT (level = 'road')")  # the index's own condition, word for word (SQLite matches it so)


def nearest_id(x: float, y: float) -> int | None:
    """The id of the nearest address (not a road) to a stored point within ~800 m, or None.

    One query per ring of cells (most points need one): `cell IN (...)` over the partial index
    `geo_address_near` on (cell, lng, lat, id), so both engines answer from the index without visiting the table;
    the nearest is picked here, in metres (a degree of longitude is shorter than one of latitude). A candidate
    farther than the ring surely covers widens the search once more, so the answer is the true nearest."""
    centre = cell_key(x, y)
    k = math.cos(math.radians(y))
    best = None
    for ring in REVERSE_RINGS:
        cells = [centre + dx * 1_000_000 + dy for dx in range(-ring, ring + 1) for dy in range(-ring, ring + 1)]
        with connection.cursor() as cursor:
            cursor.execute(_nearest_sql(cells))
            rows = cursor.fetchall()
        if rows:
            best = min(rows, key=lambda r: (((r[1] - x) * k) ** 2 + (r[2] - y) ** 2, r[0]))
            d = math.hypot((best[1] - x) * k, best[2] - y)
            if d <= ring * CELL_DEG * k:  # nothing outside the ring can be nearer
                return best[0]
    return best[0] if best else None


def reverse(lng: float, lat: float, crs: str = "gcj02") -> Address | None:
    """The nearest address to a point within ~800 m, or None."""
    x, y = to_storage(lng, lat, check_crs(crs))
    found = nearest_id(x, y)
    if found is None:
        return None
    fields = Address._meta.concrete_fields  # the row by its key, without the ORM's query compiler (~1 ms)
    with connection.cursor() as cursor:
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)  # "full" is reserved in PostgreSQL
        cursor.execute(f"SELECT {columns} FROM geo_address WHERE id = %s", [found])
        row = cursor.fetchone()
    return Address.from_db(connection.alias, [f.attname for f in fields], row) if row else None
