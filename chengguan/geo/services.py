"""Every change to the gazetteer: import a file (all rows or none, or skipping rejected rows), clear demo data."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.coords import check_crs, to_storage_many
from chengguan.core.errors import ValidationError
from chengguan.grids.geocoder import locate_many

from . import importer, text
from .models import Address, AddressImport, cell_key

BATCH = 5000
MAX_LISTED = 10


def full_address(v: dict) -> str:
    if v.get("full"):
        return v["full"]
    parts = [v.get("district", ""), v.get("road", "")]
    if v.get("number"):
        number = v["number"]
        parts.append(number if number.endswith("号") else number + "号")
    if v.get("name"):
        parts.append(v["name"])
    for key, suffix in (("building", "号楼"), ("unit", "")):
        value = v.get(key, "")
        parts.append(value + suffix if value and value.isdigit() else value)
    return "".join(p for p in parts if p)[:255]


def build_address(v: dict, *, lng: float, lat: float, location, batch=None, is_demo=False) -> Address:
    """An unsaved Address from cleaned values and its point in the storage system (`location` may be None)."""
    aliases = [a for a in (v.get("aliases") or "").split("|") if a]
    community_name = ""
    if location is not None:
        community_name = _region_name(location.community_id)
        v = dict(v)
        v["district"] = v.get("district") or _region_name(location.district_id)
        v["street"] = v.get("street") or _region_name(location.street_id)
    names = [v.get(k, "") for k in ("district", "street", "road", "number", "building", "unit", "name")]
    district, street, road, name = (v.get(k, "") for k in ("district", "street", "road", "name"))
    search = text.index_tokens(
        [*names, community_name, *aliases],
        [road, name, district, street, *aliases],
        chain=((district, street), (street, road), (district, road), (road, name), (community_name, road),
               (district, name), *((district, a) for a in aliases)),
    )
    return Address(
        code=v.get("code", ""),
        level=v["level"],
        **{k: v.get(k, "") for k in ("district", "street", "road", "number", "building", "unit", "name", "poi_kind")},
        aliases="|".join(aliases),
        full=full_address(v),
        lng=lng,
        lat=lat,
        cell=cell_key(lng, lat),
        unit_grid_id=location.unit_grid_id if location else None,
        community_id=location.community_id if location else None,
        search=search,
        batch=batch,
        is_demo=is_demo,
    )


_REGION_NAMES: dict = {}


def _region_name(region_id) -> str:
    if region_id is None:
        return ""
    if region_id not in _REGION_NAMES:
        from chengguan.org.models import Region

        _REGION_NAMES[region_id] = Region.objects.filter(pk=region_id).values_list("name", flat=True).first() or ""
    return _REGION_NAMES[region_id]


def _existing_codes(rows) -> set:
    codes = [r.values["code"] for r in rows if r.values.get("code")]
    found = set()
    for i in range(0, len(codes), 900):
        found.update(Address.objects.filter(code__in=codes[i : i + 900]).values_list("code", flat=True))
    return found


def refusal_text(rejected) -> str:
    lines = [_("line %(line)s: %(reason)s") % {"line": line, "reason": reason} for line, reason, _raw in rejected]
    more = len(lines) - MAX_LISTED
    text_ = "; ".join(lines[:MAX_LISTED])
    if more > 0:
        text_ += " " + _("(and %(count)d more)") % {"count": more}
    return text_


def addresses_import(*, actor, data: bytes, filename: str, crs: str = "gcj02", on_error: str = "fail",
                     is_demo: bool = False) -> tuple[AddressImport, list]:
    """Import a gazetteer file. `on_error="fail"`: any bad row refuses the whole file (ValidationError listing
    line and reason), nothing is written. `"skip"`: good rows are imported, rejected ones returned as
    (line, reason, raw) for a reject file."""
    crs = check_crs(crs)
    if on_error not in ("fail", "skip"):
        raise ValidationError(_("on_error is fail or skip."), field="on_error")
    _REGION_NAMES.clear()
    try:
        file_format, rows = importer.read(data, filename)
    except importer.FileRefused as exc:
        raise ValidationError(str(exc), field="file") from exc
    checked = importer.check(rows, _existing_codes(rows))
    if checked.rejected and on_error == "fail":
        raise ValidationError(
            _("The file was refused, nothing was imported: %(reasons)s") % {"reasons": refusal_text(checked.rejected)},
            field="file",
        )
    if not checked.good:
        raise ValidationError(_("The file holds no address to import."), field="file")
    with transaction.atomic():
        batch = AddressImport.objects.create(
            filename=filename[:255], file_format=file_format, crs=crs, is_demo=is_demo,
            rows_imported=len(checked.good), rows_rejected=len(checked.rejected), actor=actor, at=timezone.now(),
        )
        for start in range(0, len(checked.good), BATCH):
            chunk = checked.good[start : start + BATCH]
            xs, ys = to_storage_many([r.values["lng"] for r in chunk], [r.values["lat"] for r in chunk], crs)
            locations = locate_many(list(zip(xs.tolist(), ys.tolist(), strict=True)), crs="gcj02")
            Address.objects.bulk_create(
                build_address(r.values, lng=x, lat=y, location=loc, batch=batch, is_demo=is_demo)
                for r, x, y, loc in zip(chunk, xs.tolist(), ys.tolist(), locations, strict=True)
            )
    return batch, checked.rejected


def demo_clear() -> int:
    with transaction.atomic():
        count, _detail = Address.objects.filter(is_demo=True).delete()
        AddressImport.objects.filter(is_demo=True).delete()
    return count
