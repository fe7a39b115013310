"""The device registry: create or update cameras and sensors (placed in their unit grid, so in someone's scope),
and import them from CSV or GeoJSON — all rows valid, or nothing is written (the error names row and column).

CSV columns: kind (camera|sensor), device_id, name, lng, lat[, type, direction, live_url, owner, vendor]; GeoJSON:
Point features whose properties carry the same names. Coordinates are GCJ-02 unless `crs` says otherwise."""

import csv
import io
import json

from django.db import transaction
from django.utils.translation import gettext as _

from chengguan.core.errors import ValidationError
from chengguan.grids.geocoder import OutsideCity, locate
from chengguan.org.models import Department

from .models import GB28181_RE, Camera, Sensor, SensorType, Vendor


def _place(device, lng, lat, crs, field):
    try:
        loc = locate(float(lng), float(lat), crs)
    except (OutsideCity, TypeError, ValueError) as exc:
        raise ValidationError(_("The point is outside every unit grid of the city."), field=field) from exc
    device.lng, device.lat = loc.lng, loc.lat
    device.unit_grid_id, device.community_id = loc.unit_grid_id, loc.community_id


def device_save(*, row: dict, crs: str = "gcj02", where: str = "") -> Camera | Sensor:
    kind = (row.get("kind") or "").strip()
    device_id = (row.get("device_id") or "").strip()
    name = (row.get("name") or "").strip()
    if not name:
        raise ValidationError(_("Give the device a name."), field=f"{where}name")
    if kind == "camera":
        if not GB28181_RE.match(device_id):
            raise ValidationError(_("A GB/T 28181 device id has 20 digits."), field=f"{where}device_id")
        device = Camera.objects.filter(device_id=device_id).first() or Camera(device_id=device_id)
        direction = str(row.get("direction") or "").strip()
        if direction and not (direction.isdigit() and int(direction) < 360):
            raise ValidationError(_("The view direction is 0–359 degrees."), field=f"{where}direction")
        device.direction = int(direction) if direction else None
        url = (row.get("live_url") or "").strip()
        if url and not url.startswith(("http://", "https://", "webrtc://", "rtmp://")):
            raise ValidationError(_("The live-view URL is not a URL."), field=f"{where}live_url")
        device.live_url = url
    elif kind == "sensor":
        if not 0 < len(device_id) <= 40:
            raise ValidationError(_("Give the sensor's id (1–40 characters)."), field=f"{where}device_id")
        stype = SensorType.objects.filter(code=(row.get("type") or "").strip()).first()
        if stype is None:
            raise ValidationError(_("Unknown sensor type."), field=f"{where}type")
        device = Sensor.objects.filter(device_id=device_id).first() or Sensor(device_id=device_id)
        device.type = stype
        vendor = (row.get("vendor") or "").strip()
        if vendor:  # the vendor whose HTTP pushes may write this sensor's readings
            device.vendor = Vendor.objects.filter(code=vendor).first()
            if device.vendor is None:
                raise ValidationError(_("Unknown vendor."), field=f"{where}vendor")
    else:
        raise ValidationError(_("The kind is 'camera' or 'sensor'."), field=f"{where}kind")
    device.name = name[:100]
    owner = (row.get("owner") or "").strip()
    if owner:
        device.owner = Department.objects.filter(code=owner).first()
        if device.owner is None:
            raise ValidationError(_("Unknown owner department."), field=f"{where}owner")
    _place(device, row.get("lng"), row.get("lat"), crs, f"{where}lng")
    device.save()
    return device


def _rows_from_geojson(text: str) -> list[dict]:
    try:
        data = json.loads(text)
        rows = []
        for feature in data["features"]:
            lng, lat = feature["geometry"]["coordinates"][:2]
            rows.append({**{k: str(v) for k, v in (feature.get("properties") or {}).items()}, "lng": lng, "lat": lat})
    except (ValueError, KeyError, TypeError) as exc:
        raise ValidationError(_("Not a GeoJSON FeatureCollection of points."), field="file") from exc
    return rows


def devices_import(*, text: str, fmt: str, crs: str = "gcj02") -> list:
    rows = _rows_from_geojson(text) if fmt == "geojson" else list(csv.DictReader(io.StringIO(text)))
    if not rows:
        raise ValidationError(_("The file has no devices."), field="file")
    with transaction.atomic():
        return [device_save(row=row, crs=crs, where=f"rows[{i}].") for i, row in enumerate(rows)]
