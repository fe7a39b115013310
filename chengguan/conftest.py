"""Shared test fixtures: a small two-district city and one persona per role, plus outsiders.

Personas (usernames): supervisor, operator, shift_leader, dispatcher, department_handler (环卫 sanitation),
officer, officer2 (both certified), assistant, legal_reviewer, leader, admin; `outsider` is a supervisor of
the other district; `nobody` is signed in with no role at all.
Coordinates are GCJ-02 lon/lat; district A (龙亭) is the square 114.30–114.32 × 34.80–34.82, district B (顺河)
the square east of it, 114.32–114.34.
"""

from dataclasses import dataclass, field
from datetime import date

import pytest

from chengguan.org.models import Department, OfficerCertificate, Region, Role, RoleAssignment, User


@pytest.fixture(autouse=True)
def _default_language(settings):
    """Every test starts in the site's default language (Chinese): a request made in English by an earlier test
    leaves English active in the thread, which would make later tests depend on the order they run in."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _process_caches():
    """Per-process memos (matter types, time limits) are forgotten between tests: a test's rollback sends no
    signal, so a row it changed would otherwise outlive it in the memo (API tokens too)."""
    from chengguan.cases.services.engine import forget_time_limits
    from chengguan.catalog.services import forget_matters
    from chengguan.org.services import forget_tokens
    from chengguan.public.services.open311 import forget_keys

    forget_matters()
    forget_tokens()
    forget_keys()
    forget_time_limits()
    yield


def square(x0, y0, x1, y1) -> dict:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


@dataclass
class City:
    city: Region
    district_a: Region
    district_b: Region
    street_a: Region
    street_b: Region
    community_a1: Region
    community_a2: Region
    community_b1: Region
    bureau: Department
    centre: Department
    sanitation: Department
    sanitation_unit: Department
    roads: Department
    brigade_a: Department
    brigade_b: Department
    users: dict = field(default_factory=dict)

    def __getitem__(self, username: str) -> User:
        return self.users[username]


def _user(username, role, *, region=None, department=None, **extra) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username, full_name=username, **extra)
    if role:
        RoleAssignment.objects.create(user=user, role=role, region=region, department=department)
    return user


@pytest.fixture
def city(db) -> City:
    c = Region.objects.create(
        code="410200000000",
        name="开封市",
        level="city",
        population=1_000_000,
        boundary=square(114.30, 34.80, 114.34, 34.82),
    )
    da = Region.objects.create(
        code="410202000000",
        name="龙亭区",
        level="district",
        parent=c,
        population=400_000,
        boundary=square(114.30, 34.80, 114.32, 34.82),
    )
    db_ = Region.objects.create(
        code="410203000000",
        name="顺河回族区",
        level="district",
        parent=c,
        population=300_000,
        boundary=square(114.32, 34.80, 114.34, 34.82),
    )
    sa = Region.objects.create(
        code="410202001000",
        name="北道门街道",
        level="street",
        parent=da,
        boundary=square(114.30, 34.80, 114.32, 34.82),
    )
    sb = Region.objects.create(
        code="410203001000",
        name="清平街道",
        level="street",
        parent=db_,
        boundary=square(114.32, 34.80, 114.34, 34.82),
    )
    ca1 = Region.objects.create(
        code="410202001001",
        name="西门社区",
        level="community",
        parent=sa,
        boundary=square(114.30, 34.80, 114.31, 34.82),
    )
    ca2 = Region.objects.create(
        code="410202001002",
        name="东门社区",
        level="community",
        parent=sa,
        boundary=square(114.31, 34.80, 114.32, 34.82),
    )
    cb1 = Region.objects.create(
        code="410203001001",
        name="清平社区",
        level="community",
        parent=sb,
        boundary=square(114.32, 34.80, 114.34, 34.82),
    )
    bureau = Department.objects.create(code="CGJ", name="城市管理局", kind="bureau", region=c)
    centre = Department.objects.create(
        code="CENTRE", name="监督指挥中心", kind="centre", parent=bureau, region=c
    )
    sanitation = Department.objects.create(code="SANIT", name="环卫处", kind="disposal", region=c)
    sanitation_unit = Department.objects.create(
        code="SANIT-1", name="环卫处一队", kind="disposal_unit", parent=sanitation, region=da
    )
    roads = Department.objects.create(code="ROADS", name="市政工程处", kind="disposal", region=c)
    brigade_a = Department.objects.create(
        code="ZD-A", name="龙亭执法大队", kind="brigade", parent=bureau, region=da
    )
    brigade_b = Department.objects.create(
        code="ZD-B", name="顺河执法大队", kind="brigade", parent=bureau, region=db_
    )
    for dept in (bureau, centre, sanitation, roads):
        dept.regions_served.set([c])
    sanitation_unit.regions_served.set([da])
    brigade_a.regions_served.set([da])
    brigade_b.regions_served.set([db_])
    users = {
        "supervisor": _user("supervisor", Role.SUPERVISOR, region=da),
        "operator": _user("operator", Role.OPERATOR, region=c, department=centre),
        "shift_leader": _user("shift_leader", Role.SHIFT_LEADER, region=c, department=centre),
        "dispatcher": _user("dispatcher", Role.DISPATCHER, region=c, department=centre),
        "department_handler": _user("department_handler", Role.DEPARTMENT_HANDLER, department=sanitation),
        "roads_handler": _user("roads_handler", Role.DEPARTMENT_HANDLER, department=roads),
        "officer": _user("officer", Role.OFFICER, region=da, department=brigade_a),
        "officer2": _user("officer2", Role.OFFICER, region=da, department=brigade_a),
        "assistant": _user("assistant", Role.ASSISTANT, region=da, department=brigade_a),
        "legal_reviewer": _user("legal_reviewer", Role.LEGAL_REVIEWER, region=c, department=bureau),
        "leader": _user("leader", Role.LEADER, region=c, department=bureau),
        "admin": _user("admin", Role.ADMIN, region=c, department=bureau, is_staff=True, is_superuser=True),
        "outsider": _user("outsider", Role.SUPERVISOR, region=db_),
        "nobody": _user("nobody", None),
    }
    for i, name in enumerate(["officer", "officer2"]):
        OfficerCertificate.objects.create(
            user=users[name],
            number=f"豫A-{i:05d}",
            issuer="河南省人民政府",
            valid_from=date(2024, 1, 1),
            valid_to=date(2029, 12, 31),
            exam_passed_on=date(2023, 11, 1),
        )
    from django.apps import apps

    if apps.is_installed("chengguan.oversight"):  # the assistant holds a work permit (持证上岗), as in service
        from django.utils import timezone

        from chengguan.oversight.models import AssistantPermit

        AssistantPermit.objects.create(user=users["assistant"], number="XG410202-2024-0001", region=da,
                                       issuer="开封市城市管理局", valid_from=date(2024, 1, 1),
                                       valid_to=date(2029, 12, 31), issued_at=timezone.now())
    return City(
        c,
        da,
        db_,
        sa,
        sb,
        ca1,
        ca2,
        cb1,
        bureau,
        centre,
        sanitation,
        sanitation_unit,
        roads,
        brigade_a,
        brigade_b,
        users,
    )


@pytest.fixture
def login(client):
    """Sign a persona in to the test client: `login(city["operator"])`."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api_client(client):
    """A client that sends a fresh bearer token for the given user: `api_client(user).get(...)`."""
    from chengguan.org.services import token_create

    def _for(user):
        _token, key = token_create(user=user)
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        return client

    return _for
