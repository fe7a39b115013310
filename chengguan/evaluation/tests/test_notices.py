"""Red-light (overdue) notices: urge → supervise notice → referral to the supervision office, with deadlines in
working time; the sweeper issues and escalates them, and closes them when the case is handled."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from chengguan.cases.models import CaseEvent
from chengguan.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from chengguan.evaluation.models import RedLightNotice
from chengguan.evaluation.services import red_light_issue, red_light_sweep

from .conftest import at


@pytest.fixture
def overdue(story, city):
    """Dispatched Tue 3/10 09:30 to sanitation, due Fri 3/13 09:30; the clock stands at Mon 3/16 09:00."""
    case = story.report(at(10, 9, 0))
    case = story.walk(
        case,
        (at(10, 9, 10), "accept", "operator"),
        (at(10, 9, 20), "file", "shift_leader"),
        (at(10, 9, 30), "dispatch", "dispatcher", {"department_id": city.sanitation.pk}),
    )
    story.clock.move_to(at(16, 9, 0))
    return case


def test_a_dispatcher_urges_then_supervises_then_refers(overdue, city, story):
    urge = red_light_issue(actor=city["dispatcher"], case=overdue, at=at(16, 9, 0))
    assert (urge.level, urge.department, urge.status) == ("urge", city.sanitation, "open")
    assert urge.deadline == at(17, 9, 0)  # one working day
    assert urge.step_deadline == at(13, 9, 30) and urge.number.startswith("HD2026-")
    assert "催办通知书" in urge.text
    assert CaseEvent.objects.filter(case=overdue, action="urge").count() == 1  # on the case's history too
    supervise = red_light_issue(actor=city["dispatcher"], case=overdue, at=at(17, 10, 0))
    assert (supervise.level, supervise.previous, supervise.deadline) == ("supervise", urge, at(19, 10, 0))
    urge.refresh_from_db()
    assert urge.status == "escalated"
    referral = red_light_issue(actor=city["leader"], case=overdue, at=at(20, 10, 0))
    assert (referral.level, referral.deadline) == ("referral", at(27, 10, 0))  # five working days
    with pytest.raises(Conflict):
        red_light_issue(actor=city["leader"], case=overdue, at=at(30, 10, 0))


def test_the_level_must_be_the_next_one(overdue, city):
    with pytest.raises(ValidationError) as err:
        red_light_issue(actor=city["dispatcher"], case=overdue, level="referral", at=at(16, 9, 0))
    assert err.value.field == "level"


def test_no_notice_for_a_case_on_time(story, city):
    case = story.report(at(10, 9, 0))
    with pytest.raises(Conflict):
        red_light_issue(actor=city["dispatcher"], case=case, at=at(10, 9, 10))


def test_who_may_issue(overdue, city):
    with pytest.raises(PermissionDenied):
        red_light_issue(actor=city["supervisor"], case=overdue, at=at(16, 9, 0))
    with pytest.raises(PermissionDenied):
        red_light_issue(actor=city["outsider"], case=overdue, at=at(16, 9, 0))
    from chengguan.org.models import Role, RoleAssignment, User

    dispatcher_b = User.objects.create_user(username="dispatcher_b", password="x")
    RoleAssignment.objects.create(user=dispatcher_b, role=Role.DISPATCHER, region=city.district_b)
    with pytest.raises(NotFound):
        red_light_issue(actor=dispatcher_b, case=overdue, at=at(16, 9, 0))


def test_the_sweeper_issues_escalates_and_closes(overdue, story, city):
    assert red_light_sweep(now=at(16, 9, 0)) == {"complied": 0, "escalated": 0, "urged": 1}
    assert red_light_sweep(now=at(16, 9, 5)) == {"complied": 0, "escalated": 0, "urged": 0}  # idempotent
    assert CaseEvent.objects.filter(case=overdue, action="urge").count() == 0  # the case sweeper urges
    assert red_light_sweep(now=at(17, 9, 30)) == {"complied": 0, "escalated": 1, "urged": 0}
    assert RedLightNotice.objects.get(status="open").level == "supervise"
    story.act(overdue, at(17, 10, 0), "reply", "department_handler", reason="已清理")
    assert red_light_sweep(now=at(17, 10, 5))["complied"] == 1
    assert not RedLightNotice.objects.filter(status="open").exists()


def test_the_tick_command_runs_the_sweep(overdue):
    out = io.StringIO()
    call_command("tick", stdout=out)
    assert "evaluation: 1 urging notices" in out.getvalue()


def test_the_notices_page(overdue, login, city):
    client = login(city["dispatcher"])
    body = client.get(reverse("evaluation:notices")).content.decode()
    assert overdue.number in body
    response = client.post(reverse("evaluation:notice_issue", args=[overdue.pk]), {"reason": "请尽快处置"})
    assert response.status_code == 302
    notice = RedLightNotice.objects.get()
    assert notice.level == "urge" and "请尽快处置" in notice.text
    outsider = login(city["outsider"])
    assert outsider.post(reverse("evaluation:notice_issue", args=[overdue.pk])).status_code == 403
    assert overdue.number not in outsider.get(reverse("evaluation:notices")).content.decode()


def test_a_notice_reaches_the_department_it_is_addressed_to(overdue, city):
    from chengguan.cases.models import Notification

    def inbox(name):
        return list(Notification.objects.filter(user=city[name], kind="reminder").values_list("text", "link"))

    urge = red_light_issue(actor=city["dispatcher"], case=overdue, at=at(16, 9, 0))
    [(text, link)] = inbox("department_handler")
    assert text.startswith(f"【催办 {urge.number}】催办通知书") and link == f"/cases/{overdue.pk}/"
    assert inbox("roads_handler") == [] and inbox("outsider") == [] and inbox("leader") == []
    red_light_issue(actor=city["dispatcher"], case=overdue, at=at(17, 10, 0))
    red_light_issue(actor=city["leader"], case=overdue, at=at(20, 10, 0))
    assert len(inbox("department_handler")) == 3
    assert [t[:4] for t, _ in inbox("leader")] == ["【移送问"]  # a referral also reaches the leaders
