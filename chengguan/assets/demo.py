"""Kaifeng demo: the enforcement brigades' vehicles (two with a track of the last hours, sent through the same
upload service as the terminals), body cameras kept by the demo officers, evidence-gathering equipment, and a
body-camera still attached to an open enforcement case of 龙亭区执法大队."""

import io
import math
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chengguan.enforcement.models import EnforcementCase
from chengguan.grids.models import UnitGrid
from chengguan.org.models import Department, User

from .models import Asset, BodyCameraFile
from .services import bodycam_attach, vehicle_points_upload

VEHICLES = [  # code, name, plate, squad, model
    ("KF-CL-001", "执法巡查车1号", "豫B·Z0101", "KF-ZD-LT", "比亚迪 秦PLUS 执法版"),
    ("KF-CL-002", "执法巡查车2号", "豫B·Z0102", "KF-ZD-LT-1", "五菱 宏光 执法版"),
    ("KF-CL-003", "渣土巡查车", "豫B·Z0103", "KF-ZD-LT", "长城 炮 皮卡"),
    ("KF-CL-004", "执法巡查车", "豫B·Z0201", "KF-ZD-SH", "比亚迪 秦PLUS 执法版"),
]
CAMERAS = [  # code, device id, squad, keeper
    ("KF-JLY-001", "DSJ-4102020001", "KF-ZD-LT", "officer"),
    ("KF-JLY-002", "DSJ-4102020002", "KF-ZD-LT", "officer2"),
    ("KF-JLY-003", "DSJ-4102020003", "KF-ZD-LT", "assistant"),
    ("KF-JLY-004", "DSJ-4102030001", "KF-ZD-SH", None),
]
KITS = [("KF-QZ-001", "激光测距仪", "KF-ZD-LT", "徕卡 DISTO D2"), ("KF-QZ-002", "执法取证无人机", "KF-ZD-LT", "大疆 Mavic 3E"),
        ("KF-QZ-003", "便携式噪声检测仪", "KF-ZD-SH", "AWA5688")]


def _centre(grid):
    ring = grid.geometry["coordinates"][0][:-1]
    return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)


def _route(grids, start: int, length: int) -> list[tuple[float, float]]:
    """Nearest-neighbour walk over unit-grid centres: a plausible patrol route through adjacent grids."""
    centres = [_centre(g) for g in grids]
    route, left = [centres[start]], set(range(len(centres))) - {start}
    while left and len(route) < length:
        here = route[-1]
        nxt = min(left, key=lambda i: (centres[i][0] - here[0]) ** 2 + (centres[i][1] - here[1]) ** 2)
        left.discard(nxt)
        route.append(centres[nxt])
    return route


def _points(route, start, prefix):
    points, t = [], start
    for (x1, y1), (x2, y2) in zip(route, route[1:], strict=False):
        steps = max(1, int(math.hypot(x2 - x1, y2 - y1) / 0.0003))  # ≈ every 30 m
        for k in range(steps):
            f = k / steps
            points.append({"id": f"{prefix}-{len(points)}", "t": t, "lng": x1 + (x2 - x1) * f,
                           "lat": y1 + (y2 - y1) * f, "speed": 25.0})
            t += timedelta(seconds=5)
    return points


def _still() -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 180), (40, 44, 52))
    ImageDraw.Draw(img).rectangle([20, 40, 300, 150], outline=(230, 200, 40), width=4)
    buf = io.BytesIO()
    img.save(buf, "JPEG")
    return SimpleUploadedFile("DSJ-4102020001-still.jpg", buf.getvalue(), content_type="image/jpeg")


def load(*, stdout) -> None:
    if Asset.objects.exists():
        stdout.write("demo assets already loaded; reusing it")
        return
    squads = {d.code: d for d in Department.objects.filter(code__startswith="KF-ZD")}
    users = {u.username: u for u in User.objects.filter(username__in=["officer", "officer2", "assistant"])}
    if "KF-ZD-LT" not in squads:
        stdout.write("demo assets skipped: load the organisation demo first")
        return
    bought = date(2024, 3, 1)
    vehicles = [Asset.objects.create(kind=Asset.Kind.VEHICLE, code=c, name=n, plate=p, squad=squads[s], model=m,
                                     acquired_on=bought) for c, n, p, s, m in VEHICLES if s in squads]
    for c, dev, s, keeper in CAMERAS:
        if s in squads:
            Asset.objects.create(kind=Asset.Kind.BODY_CAMERA, code=c, name=f"执法记录仪 {dev[-4:]}", device_id=dev,
                                 squad=squads[s], keeper=users.get(keeper), model="海康威视 DSJ-T7", acquired_on=bought)
    for c, n, s, m in KITS:
        if s in squads:
            Asset.objects.create(kind=Asset.Kind.EVIDENCE_KIT, code=c, name=n, squad=squads[s], model=m,
                                 acquired_on=bought)
    grids = list(UnitGrid.objects.filter(code__startswith="410202").order_by("code"))
    officer = users.get("officer")
    tracked = 0
    if grids and officer is not None:
        now = timezone.now()
        for vehicle, first, length in ((vehicles[0], 0, 45), (vehicles[1], len(grids) // 2, 30)):
            points = _points(_route(grids, first, length), now - timedelta(hours=3), vehicle.code)
            for i in range(0, len(points), 2000):
                tracked += vehicle_points_upload(actor=officer, vehicle=vehicle, points=points[i:i + 2000],
                                                 crs="gcj02").accepted
    case = next((c for c in EnforcementCase.objects.filter(department=squads["KF-ZD-LT"]).order_by("-pk")
                 if c.is_open), None)
    camera = Asset.objects.filter(device_id="DSJ-4102020001").first()
    if case is not None and officer is not None and camera is not None:
        try:
            bodycam_attach(actor=officer, case=case, camera=camera, file=_still(),
                           recorded_at=timezone.now() - timedelta(hours=2), description="执法记录仪现场取证截图")
        except Exception as exc:  # noqa: BLE001 - the demo goes on; say why
            stdout.write(f"demo assets: body-camera file not attached: {exc}")
    stdout.write(f"demo assets: {len(vehicles)} vehicles ({tracked} track points), "
                 f"{Asset.objects.filter(kind=Asset.Kind.BODY_CAMERA).count()} body cameras, "
                 f"{BodyCameraFile.objects.count()} body-camera file on a case")
