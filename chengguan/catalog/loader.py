"""Load the shipped GB/T 47678.5-2026 catalogue (idempotent; used by a data migration and by tests)."""

import csv
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
COMPONENTS_CSV = DATA_DIR / "gbt47678.5-2026_components.csv"
MATTERS_CSV = DATA_DIR / "gbt47678.5-2026_matters.csv"


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def standard_codes(kind: str) -> frozenset[str]:
    """The type codes of the national standard: kind "component" (Annex A) or "matter" (Annex C)."""
    path = COMPONENTS_CSV if kind == "component" else MATTERS_CSV
    return frozenset(row["type_code"] for row in read_rows(path))


def load_standard_catalogue(ComponentType, MatterType) -> tuple[int, int]:
    components = {}
    for row in read_rows(COMPONENTS_CSV):
        obj, _ = ComponentType.objects.update_or_create(
            code=row["type_code"],
            defaults={"name": row["name"], "major_code": row["major_code"], "major_name": row["major_name"]},
        )
        components[obj.code] = obj
    count = 0
    for row in read_rows(MATTERS_CSV):
        MatterType.objects.update_or_create(
            code=row["type_code"],
            defaults={
                "name": row["name"],
                "major_code": row["major_code"],
                "major_name": row["major_name"],
                # Majors 01–05 are "<component>异常": the problem of the component with the same code.
                "component_type": components.get(row["type_code"]) if row["major_code"] <= "05" else None,
            },
        )
        count += 1
    return len(components), count
