"""A certificate expiring within 30 days reaches its holder and the managers once; a later one nobody."""

from datetime import date

import time_machine

from chengguan.cases.models import Notification
from chengguan.patrol.reminders import run


def test_the_holder_and_the_leader_hear_of_an_expiring_certificate_once(city):
    cert = city["officer"].certificates.get()
    with time_machine.travel(date(2029, 11, 1), tick=False):
        assert run() == 0  # 60 days ahead: too early
    with time_machine.travel(date(2029, 12, 10), tick=False):
        assert run() >= 2
        assert run() == 0
    told = set(Notification.objects.filter(kind="reminder").values_list("user__username", flat=True))
    assert {"officer", "leader", "admin"} <= told and "assistant" not in told and "officer2" in told
    mine = Notification.objects.get(user=city["officer"], key__startswith=f"certificate:{cert.pk}:")
    assert "2029-12-31" in mine.text and mine.link == "/patrol/"
