"""The demo city's sensing: a video-AI vendor with four algorithms, cameras on busy streets, a sensor fleet
(GB/T 47678.6-style monitored components: manhole covers, water level, gas, bridge, street lights, bins), alarm
rules — then `simulate` plays the vendor and the fleet so every path has something to show."""

import random

from chengguan.catalog.models import MatterType
from chengguan.grids.models import UnitGrid
from chengguan.org.models import Department, Region

from .models import AlarmRule, Algorithm, Camera, Sensor, SensorType, Vendor

DEMO_SECRET = "demo-vendor-secret"  # the demo vendor's token; a real city sets its own in admin

# code, name, unit, normal min/max, alarm low/high, hysteresis, debounce, offline minutes, matter, opens a case
TYPES = [
    ("cover-tilt", "井盖倾斜", "°", 0, 5, None, 15, 5, 2, 30, "01003", True),
    ("water-level", "积水水位", "cm", 0, 5, None, 20, 5, 3, 30, None, False),
    ("gas", "燃气浓度", "%LEL", 0, 5, None, 20, 5, 2, 15, "01011", True),
    ("bridge-deflection", "桥梁挠度", "mm", 0, 10, None, 25, 5, 3, 60, "02009", False),
    ("lamp-current", "路灯电流", "A", 0.5, 3, 0.2, None, 0.2, 3, 60, None, False),
    ("bin-fill", "垃圾桶满溢", "%", 0, 80, None, 95, 10, 2, 120, "06042", True),
]
ALGORITHMS = [("garbage", "暴露垃圾识别", "06010", False), ("vending", "占道经营识别", "09006", True),
              ("muck", "渣土车抛洒识别", "08011", True), ("ads", "非法小广告识别", "07001", False)]


def _centre(grid: UnitGrid) -> tuple[float, float]:
    ring = grid.geometry["coordinates"][0]
    return sum(p[0] for p in ring[:-1]) / (len(ring) - 1), sum(p[1] for p in ring[:-1]) / (len(ring) - 1)


def load(*, stdout) -> None:
    if Vendor.objects.filter(code="demo-ai").exists():
        stdout.write("demo sensing already loaded; reusing it")
        return
    city = Region.objects.filter(code="410200000000").first()
    grids = list(UnitGrid.objects.filter(code__startswith="410202").order_by("code")) or list(
        UnitGrid.objects.order_by("code")
    )
    if city is None or not grids:
        stdout.write("demo sensing skipped: load the organisation and grids demo first")
        return
    matters = {m.code: m for m in MatterType.objects.filter(is_active=True)}
    vendor = Vendor.objects.create(code="demo-ai", name="示例视频AI平台", secret=DEMO_SECRET)
    for code, name, matter, enforceable in ALGORITHMS:
        if matter in matters:
            Algorithm.objects.create(vendor=vendor, code=code, name=name, matter=matters[matter],
                                     enforceable=enforceable)
    iot = Vendor.objects.create(code="demo-iot", name="示例物联网监测平台", secret=DEMO_SECRET)
    rng = random.Random(19)
    picked = rng.sample(grids, min(len(grids), 60))
    owner = Department.objects.filter(code="KF-CENTRE").first()
    for i, grid in enumerate(picked[:16]):
        lng, lat = _centre(grid)
        Camera.objects.create(
            device_id=f"410202{i + 1:05d}132{i + 1:06d}", name=f"龙亭区监控点{i + 1:02d}", lng=lng, lat=lat,
            unit_grid=grid, community_id=grid.community_id, owner=owner, direction=rng.randrange(0, 360),
            is_online=True,
        )
    types = []
    for code, name, unit, nmin, nmax, low, high, hyst, debounce, offline, matter, opens in TYPES:
        types.append(SensorType.objects.create(
            code=code, name=name, unit=unit, normal_min=nmin, normal_max=nmax, alarm_low=low, alarm_high=high,
            hysteresis=hyst, debounce=debounce, offline_after_minutes=offline, matter=matters.get(matter) if matter
            else None, opens_case=opens and bool(matter and matter in matters),
        ))
    for i, grid in enumerate(picked[16:]):
        lng, lat = _centre(grid)
        stype = types[i % len(types)]
        Sensor.objects.create(
            device_id=f"KF-{stype.code.upper()}-{i + 1:03d}", name=f"{stype.name}监测点{i + 1:02d}",
            type=stype, lng=lng + 0.0004, lat=lat + 0.0003, unit_grid=grid, community_id=grid.community_id,
            vendor=iot,
        )
    AlarmRule.objects.create(name="全市默认", auto_file_confidence=0.9, review_confidence=0.6,
                             suppress_minutes=60, suppress_metres=30, check_window_minutes=240)
    if "09006" in matters:
        AlarmRule.objects.create(name="占道经营 夜间只复核", matter=matters["09006"], start_hour=20, end_hour=24,
                                 auto_file_confidence=2.0, review_confidence=0.5)
    stdout.write(f"demo sensing: {Camera.objects.count()} cameras, {Sensor.objects.count()} sensors")
    from .simulate import simulate

    simulate(minutes=180, stdout=stdout)
