"""Test and demo helpers (not a test module): a vendor with two algorithms, cameras and sensors over the
`city` fixture's grids, and request helpers that sign like a vendor."""

import base64
import json
import time

from chengguan.cases.testing import png_bytes
from chengguan.catalog.models import MatterType, RoutingRule

from .models import Algorithm, Camera, Sensor, SensorType, Vendor
from .vendors import signature

CAMERA_A = "41020200001320000001"  # district A (龙亭)
CAMERA_B = "41020300001320000002"  # district B (顺河)
SECRET = "vendor-secret-for-tests"


def make_fleet(city):
    vendor = Vendor.objects.create(code="acme", name="某视频AI厂商", secret=SECRET)
    garbage = MatterType.objects.get(code="06010")
    vending = MatterType.objects.get(code="09006")
    cover = MatterType.objects.get(code="01003")
    RoutingRule.objects.create(matter=garbage, department=city.sanitation)
    RoutingRule.objects.create(matter=cover, department=city.sanitation)  # the fixture staffs sanitation
    algo_garbage = Algorithm.objects.create(vendor=vendor, code="garbage", name="暴露垃圾识别", matter=garbage)
    algo_vending = Algorithm.objects.create(
        vendor=vendor, code="vending", name="占道经营识别", matter=vending, enforceable=True
    )
    cam_a = Camera.objects.create(
        device_id=CAMERA_A, name="西门大街东口", lng=114.3075, lat=34.8075, community=city.community_a1
    )
    cam_b = Camera.objects.create(
        device_id=CAMERA_B, name="清平路口", lng=114.3325, lat=34.8075, community=city.community_b1
    )
    cover_type = SensorType.objects.create(
        code="cover-tilt", name="井盖倾斜", unit="°", normal_min=0, normal_max=5, alarm_high=15, hysteresis=5,
        debounce=2, offline_after_minutes=30, matter=cover, opens_case=True,
    )
    sensor = Sensor.objects.create(
        device_id="COVER-0001", name="西门大街雨水井盖", type=cover_type, lng=114.3070, lat=34.8070,
        community=city.community_a1, vendor=vendor,
    )
    return {
        "vendor": vendor, "garbage": algo_garbage, "vending": algo_vending, "camera_a": cam_a,
        "camera_b": cam_b, "cover_type": cover_type, "sensor": sensor,
    }


def snapshot_b64(color=(200, 30, 30)) -> str:
    return base64.b64encode(png_bytes(color=color, size=(32, 24))).decode()


def post_signed(client, path, payload, *, vendor="acme", secret=SECRET, stamp=None):
    body = json.dumps(payload).encode()
    stamp = str(int(stamp if stamp is not None else time.time()))
    return client.post(
        path, body, content_type="application/json",
        HTTP_X_VENDOR=vendor, HTTP_X_TIMESTAMP=stamp, HTTP_X_SIGNATURE=signature(secret, stamp, body),
    )
