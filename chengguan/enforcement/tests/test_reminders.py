"""A statutory deadline reaches the case's officers two working days before and on the day, once each, with a
link to the case; nobody else is told."""

import time_machine
from django.utils import timezone

from chengguan.cases.models import Notification
from chengguan.enforcement.reminders import run
from chengguan.enforcement.services import case_register_clue

from .conftest import at


def test_the_officers_are_reminded_before_and_on_the_day_once_each(city, body):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        clue = case_register_clue(actor=city["officer"], region=city.community_a1, department=city.brigade_a,
                                  source="patrol", title="擅自占用城市道路")  # fmt: skip
    due = timezone.localtime(clue.verification_due)
    assert due, "a clue has a verification deadline"
    with time_machine.travel(due - timezone.timedelta(days=20), tick=False):
        assert run() == 0  # far from the deadline: nothing yet
    with time_machine.travel(due.replace(hour=8) - timezone.timedelta(days=1), tick=False):
        assert run() >= 1
        assert run() == 0  # once
    with time_machine.travel(due.replace(hour=8), tick=False):
        assert run() >= 1
    notes = Notification.objects.filter(kind="reminder").order_by("pk")
    assert {n.user for n in notes} == {city["officer"]}  # officer2 and the assistant are not on the case
    assert notes[0].link == f"/enforcement/cases/{clue.pk}/" and "届满" in notes.last().text
    assert "今天" in notes.last().text


def test_the_notice_page_links_to_the_work(city, body, client):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        clue = case_register_clue(actor=city["officer"], region=city.community_a1, department=city.brigade_a,
                                  source="patrol", title="擅自占用城市道路")  # fmt: skip
    with time_machine.travel(timezone.localtime(clue.verification_due).replace(hour=8), tick=False):
        run()
    client.force_login(city["officer"])
    page = client.get("/cases/notifications/").content.decode()
    assert f'href="/enforcement/cases/{clue.pk}/"' in page
    client.force_login(city["officer2"])
    assert f'href="/enforcement/cases/{clue.pk}/"' not in client.get("/cases/notifications/").content.decode()
