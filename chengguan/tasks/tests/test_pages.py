"""The pages as the people who use them, and every page refused to the outsider, the volunteer and nobody."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from chengguan.cases.testing import T0, Upload, png_bytes
from chengguan.tasks.models import Meeting, ProgressEvidence, Task
from chengguan.tasks.services import meeting_decide, meeting_record, problem_raise, progress_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(city, frozen, media):
    meeting = meeting_record(actor=city["leader"], kind="biweekly", title="双周例会", held_at=T0, region=city.city)
    task = meeting_decide(actor=city["leader"], meeting=meeting, title="清理龙亭区占道经营",
                          owner_department=city.brigade_a, owner_person=city["officer"], due=date(2026, 3, 31))
    problem_raise(actor=city["leader"], title="夜市占道", source="inspection", department=city.brigade_a, task=task)
    progress_report(actor=city["officer"], task=task, percent=30, text="第一轮整治", files=[Upload(png_bytes())])
    return meeting, task


def _pages(meeting, task):
    evidence = ProgressEvidence.objects.get(report__task=task)
    return {
        "index": reverse("tasks:index"), "detail": reverse("tasks:detail", args=[task.pk]),
        "meetings": reverse("tasks:meetings"), "meeting": reverse("tasks:meeting", args=[meeting.pk]),
        "problems": reverse("tasks:problems"), "responsibility": reverse("tasks:responsibility"),
        "board": reverse("tasks:board"), "evidence": reverse("tasks:evidence", args=[task.pk, evidence.pk]),
    }


def test_the_leader_and_the_owner_see_every_page_in_chinese(city, story, login):
    meeting, task = story
    for who in ("leader", "officer"):
        client = login(city[who])
        for name, url in _pages(meeting, task).items():
            response = client.get(url)
            assert response.status_code == 200, (who, name)
    client = login(city["leader"])
    body = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "清理龙亭区占道经营" in body and "第一轮整治" in body and "报送进展" in body
    board = client.get(reverse("tasks:board")).content.decode()
    assert task.number in board and "牵头领导" in board
    resp = client.get(reverse("tasks:responsibility")).content.decode()
    assert "龙亭执法大队" in resp and "officer" in resp


@pytest.mark.parametrize("who", ["outsider", "volunteer", "nobody"])
def test_outsiders_see_none_of_it(city, story, login, who, volunteer):
    meeting, task = story
    client = login(city.users.get(who) or volunteer)
    pages = _pages(meeting, task)
    for name in ("detail", "meeting", "evidence"):
        assert client.get(pages[name]).status_code in (403, 404), name
    for name in ("index", "problems", "responsibility", "board", "meetings"):
        response = client.get(pages[name])
        if response.status_code == 200:  # a staff member of another district: an empty list
            assert task.number not in response.content.decode(), name
        else:
            assert response.status_code == 403, name
    assert client.post(reverse("tasks:report", args=[task.pk]), {"percent": 90, "text": "x"}).status_code in (
        403, 404)
    assert client.post(reverse("tasks:urge", args=[task.pk])).status_code in (403, 404)
    task.refresh_from_db()
    assert task.percent == 30


def test_an_outsider_of_the_staff_gets_an_empty_list_but_the_leader_a_full_one(city, story, login):
    _meeting, task = story
    assert task.number not in login(city["outsider"]).get(reverse("tasks:index")).content.decode()
    assert task.number in login(city["leader"]).get(reverse("tasks:index")).content.decode()


def test_the_owner_reports_progress_on_the_page_and_a_bad_file_writes_nothing(city, story, login, media):
    _meeting, task = story
    client = login(city["officer"])
    files_before = sorted(p.name for p in media.rglob("*") if p.is_file())
    bad = Upload(b"MZ\x90\x00 not an image", name="virus.jpg")
    response = client.post(reverse("tasks:report", args=[task.pk]), {"percent": 80, "text": "进展", "files": bad},
                           follow=True)
    assert "PDF" in response.content.decode()
    assert sorted(p.name for p in media.rglob("*") if p.is_file()) == files_before
    task.refresh_from_db()
    assert task.percent == 30 and task.reports.count() == 1
    good = Upload(b"%PDF-1.7 done", name="整治台账.pdf")
    client.post(reverse("tasks:report", args=[task.pk]),
                {"percent": 100, "text": "整治完成", "closes": "on", "files": good})
    task.refresh_from_db()
    assert task.status == Task.Status.DONE


def test_the_leader_records_a_meeting_and_its_decision_on_the_pages(city, frozen, login):
    client = login(city["leader"])
    response = client.post(reverse("tasks:meetings"), {
        "kind": "monthly", "title": "三月月度例会", "held_at": "2026-03-10T09:00", "region": city.city.pk,
        "attendees": "局班子", "minutes": "部署"})
    meeting = Meeting.objects.get(title="三月月度例会")
    assert response.status_code == 302
    client.post(reverse("tasks:meeting", args=[meeting.pk]), {
        "title": "完成垃圾分类试点", "owner_department": city.sanitation.pk,
        "owner_person": city["department_handler"].pk, "working_days": 10})
    task = Task.objects.get(meeting=meeting)
    assert task.owner_person == city["department_handler"] and task.leader == city["leader"]
    # a dispatcher may read meetings but not add decisions
    assert login(city["dispatcher"]).post(reverse("tasks:meeting", args=[meeting.pk]), {
        "title": "越权", "owner_department": city.sanitation.pk, "working_days": 3}).status_code in (403, 404)
    assert Task.objects.filter(meeting=meeting).count() == 1


def test_the_centre_puts_a_meeting_problem_on_the_list_on_the_page(city, story, login):
    from chengguan.tasks.models import Problem

    meeting, task = story
    client = login(city["dispatcher"])
    page = client.get(reverse("tasks:problems")).content.decode()
    assert "双周例会" in page and task.number in page  # the meeting and the open task to choose from
    client.post(reverse("tasks:problems"), {"title": "夜市油烟扰民", "source": "meeting", "meeting": meeting.pk,
                                            "department": city.brigade_a.pk, "task": task.pk})
    problem = Problem.objects.get(title="夜市油烟扰民")
    assert problem.meeting == meeting and problem.task == task and problem.raised_by == city["dispatcher"]
    refused = login(city["officer"]).post(reverse("tasks:problems"), {
        "title": "越权", "source": "inspection", "department": city.brigade_a.pk, "working_days": 3})
    assert refused.status_code == 403 and not Problem.objects.filter(title="越权").exists()


def test_the_leader_urges_an_overdue_task_from_its_page(city, story, login, frozen):
    _meeting, task = story
    url = reverse("tasks:urge", args=[task.pk])
    assert login(city["leader"]).post(url).status_code == 302
    task.refresh_from_db()
    assert task.notice_level == ""  # not overdue yet: nothing issued
    frozen.move_to(task.deadline + timedelta(hours=1))
    assert login(city["officer"]).post(url).status_code == 403  # the owner does not urge themselves
    login(city["leader"]).post(url)
    task.refresh_from_db()
    assert task.notice_level == "urge" and task.notices.get().issued_by == city["leader"]


def test_the_task_list_costs_the_same_queries_for_3_or_12_tasks(city, story, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chengguan.tasks.services import task_create

    client = login(city["leader"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("tasks:index")).status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        task_create(actor=city["leader"], title=f"任务{i}", owner_department=city.roads,
                    owner_person=city["roads_handler"], working_days=5)
    few = count()
    for i in range(9):
        task_create(actor=city["leader"], title=f"更多任务{i}", owner_department=city.sanitation,
                    owner_person=city["department_handler"], leader=city["leader"], working_days=5 + i)
    assert count() == few
