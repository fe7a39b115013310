"""Departments from a CSV file for `chengguan setup --departments` (all or nothing, errors name the line):

    code,name,kind,parent,region,phone
    JB-410200,开封市城市管理局,bureau,,410200000000,0371-12319
    ZH-410200,数字城管指挥中心,centre,JB-410200,410200000000,

kind is one of Department.Kind (bureau, centre, brigade, squad, disposal, disposal_unit, street_office, police,
other); parent is a department code given earlier in the file or already in the database; region a 12-digit
region code. A code already present is updated.
"""

import csv
import io

from django.db import transaction

from chengguan.core.errors import ValidationError
from chengguan.org.models import Department, Region

COLUMNS = ("code", "name", "kind", "parent", "region", "phone")


def load_departments(text: str) -> tuple[int, int]:
    """Returns (created, updated); raises ValidationError listing every bad line, having changed nothing."""
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    errors = []
    known = set(Department.objects.values_list("code", flat=True))
    regions = dict(Region.objects.values_list("code", "pk"))
    kinds = set(Department.Kind.values)
    for n, row in enumerate(rows, start=2):
        missing = [c for c in ("code", "name", "kind") if not (row.get(c) or "").strip()]
        if missing:
            errors.append(f"line {n}: {', '.join(missing)} missing")
            continue
        if row["kind"].strip() not in kinds:
            errors.append(f"line {n}: kind {row['kind']!r} is not one of {', '.join(sorted(kinds))}")
        parent = (row.get("parent") or "").strip()
        if parent and parent not in known:
            errors.append(f"line {n}: parent {parent!r} is neither earlier in the file nor in the database")
        region = (row.get("region") or "").strip()
        if region and region not in regions:
            errors.append(f"line {n}: region {region!r} is unknown (load the regions first)")
        known.add(row["code"].strip())
    if errors:
        raise ValidationError("; ".join(errors[:50]), field="departments")
    created = updated = 0
    with transaction.atomic():
        for row in rows:
            code = row["code"].strip()
            parent = (row.get("parent") or "").strip()
            region = (row.get("region") or "").strip()
            _obj, was_created = Department.objects.update_or_create(
                code=code,
                defaults={
                    "name": row["name"].strip(),
                    "kind": row["kind"].strip(),
                    "parent": Department.objects.get(code=parent) if parent else None,
                    "region_id": regions.get(region),
                    "phone": (row.get("phone") or "").strip(),
                },
            )
            created += was_created
            updated += not was_created
    return created, updated
