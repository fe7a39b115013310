"""The review queue (accept files a case, reject counts a false positive), precision per algorithm, off-site
enforcement clues with hash-chained snapshot evidence, and who may do each (outsiders refused)."""

import pytest

from chengguan.cases.models import Case
from chengguan.enforcement.models import Evidence
from chengguan.org.models import Role, RoleAssignment, User

from .. import selectors
from ..alarms import alarms_receive
from ..models import Alarm
from ..services import alarm_to_clue
from .test_alarm_intake import alarm


@pytest.fixture
def body(city):
    from chengguan.enforcement.models import EnforcementBody

    return EnforcementBody.objects.create(
        department=city.bureau, name="开封市城市管理局", short_name="汴城管", review_authority="开封市人民政府",
        court="开封市龙亭区人民法院", bank="中国工商银行开封分行营业部",
    )


@pytest.fixture
def pending(fleet):
    results = alarms_receive(
        vendor=fleet["vendor"],
        payload={"alarms": [alarm(1, confidence=0.7), alarm(2, algorithm="vending", confidence=0.7)]},
    )
    return [Alarm.objects.get(pk=r["alarm"]) for r in results]


def test_an_operator_accepts_and_rejects_with_one_click_each(api_client, city, pending):
    client = api_client(city["operator"])
    r = client.post(f"/api/v1/sensing/alarms/{pending[0].pk}/accept")
    assert r.status_code == 200, r.content
    case = Case.objects.get(number=r.json()["case"])
    assert case.state == "dispatched" and case.source == "camera"
    r = client.post(f"/api/v1/sensing/alarms/{pending[1].pk}/reject", {"reason": "是快递车"},
                    content_type="application/json")
    assert r.json()["status"] == "rejected" and Case.objects.count() == 1
    # a second click is a conflict, nothing changes
    assert client.post(f"/api/v1/sensing/alarms/{pending[0].pk}/accept").status_code == 409
    rows = {r["name"]: r for r in selectors.precision(city["operator"])}
    assert rows["暴露垃圾识别"]["precision"] == 1.0 and rows["占道经营识别"]["false_positive"] == 1.0
    by_camera = selectors.precision(city["operator"], by="camera")
    assert by_camera[0]["accepted"] == 1 and by_camera[0]["rejected"] == 1


def test_outsiders_cannot_see_or_decide(api_client, city, pending):
    other_operator = User.objects.create_user(username="op-b", password="x")
    RoleAssignment.objects.create(user=other_operator, role=Role.OPERATOR, region=city.district_b)
    assert api_client(other_operator).post(f"/api/v1/sensing/alarms/{pending[0].pk}/accept").status_code == 404
    assert api_client(other_operator).get("/api/v1/sensing/alarms").json() == []
    for name in ("outsider", "nobody", "department_handler"):
        r = api_client(city[name]).post(f"/api/v1/sensing/alarms/{pending[0].pk}/accept")
        assert r.status_code == 403, name
    assert Alarm.objects.get(pk=pending[0].pk).status == "pending" and Case.objects.count() == 0
    # positive control: the district's operator sees both
    assert len(api_client(city["operator"]).get("/api/v1/sensing/alarms").json()) == 2


def test_an_officer_turns_an_enforceable_camera_alarm_into_a_clue_with_hashed_evidence(city, pending, body):
    vending = pending[1]
    clue = alarm_to_clue(actor=city["officer"], alarm=vending, department=city.brigade_a)
    assert clue.source == "camera" and clue.state == "clue"
    evidence = Evidence.objects.get(case=clue)
    assert evidence.sha256 == vending.snapshot_sha256 and evidence.audit_seq
    vending.refresh_from_db()
    assert vending.clue == clue
    with pytest.raises(Exception) as exc:  # twice is refused
        alarm_to_clue(actor=city["officer"], alarm=vending, department=city.brigade_a)
    assert exc.value.field == "alarm"


def test_a_non_enforceable_alarm_or_a_non_officer_makes_no_clue(city, pending, body):
    from chengguan.enforcement.models import EnforcementCase

    with pytest.raises(Exception) as exc:
        alarm_to_clue(actor=city["officer"], alarm=pending[0], department=city.brigade_a)
    assert exc.value.field == "alarm"
    with pytest.raises(Exception) as exc:
        alarm_to_clue(actor=city["operator"], alarm=pending[1], department=city.brigade_a)
    assert exc.value.status == 403
    assert EnforcementCase.objects.count() == 0
