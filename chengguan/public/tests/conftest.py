"""Fixtures for the public app: grids over the `city`, a frozen working Tuesday, an Open311 key, a hotline with
a webhook subscriber, and `close_case` to walk a case through the real services to closure."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from PIL import Image

from chengguan.cases.evidence import attachment_create
from chengguan.cases.services import case_act
from chengguan.catalog.models import FilingCondition, MatterType
from chengguan.grids.testing import make_grids

TZ = ZoneInfo("Asia/Shanghai")


T0 = datetime(2026, 3, 10, 9, 0, tzinfo=TZ)  # a Tuesday in a normal working week
POINT_A = (114.3075, 34.8075)  # GCJ-02, 西门社区 (district A), in the supervisor's responsibility grid
POINT_B = (114.3325, 34.8075)  # district B (顺河)


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: a journey in headless Chromium (skipped without chromium)")


def png_bytes(color=(30, 120, 200), size=(8, 8), fmt="PNG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format=fmt)
    return buf.getvalue()


class Upload(io.BytesIO):
    def __init__(self, data: bytes, name="photo.png", content_type="image/png"):
        super().__init__(data)
        self.name = name
        self.size = len(data)
        self.content_type = content_type


@pytest.fixture
def frozen():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def grids(city):
    return make_grids(city)


@pytest.fixture
def garbage(db):
    return MatterType.objects.get(code="06010")  # 暴露垃圾


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english(client):
    """Assertions read English messages; the Chinese default is tested on its own (test_translations)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def open311_key(db):
    from chengguan.public.services.open311 import open311_key_create

    _key, raw = open311_key_create(name="fixmystreet")
    return raw


def act(city, case, action, by, **params):
    return case_act(actor=city[by], case=case, action=action, **params)


def close_case(city, case, *, photo=True):
    """accept → file → dispatch (sanitation) → reply with an after-photo → check → close, as people do."""
    condition = FilingCondition.objects.filter(matter=case.matter, is_active=True).order_by("pk").first()
    case = act(city, case, "accept", "operator")
    case = act(city, case, "file", "shift_leader", filing_condition_id=condition.pk if condition else None)
    case = act(city, case, "dispatch", "dispatcher", department_id=city.sanitation.pk)
    photos = []
    if photo:
        photos = [
            attachment_create(actor=city["department_handler"], file=Upload(png_bytes()), kind="after").pk
        ]
    case = act(city, case, "reply", "department_handler", reason="已清理", photos=photos)
    checker = "outsider" if case.district_id == city.district_b.pk else "supervisor"  # the grid's supervisor
    case = act(city, case, "check_pass", checker)
    return act(city, case, "close", "shift_leader")
