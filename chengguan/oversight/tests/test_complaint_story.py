"""A complaint from the citizen portal to the officer's five-in-one file and into the officer evaluation."""

from datetime import date

import pytest
import time_machine
from django.test import Client

from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.enforcement.tests.conftest import at
from chengguan.evaluation.periods import parse_period
from chengguan.oversight.models import Complaint, State
from chengguan.oversight.ratings import officer_ratings
from chengguan.oversight.selectors import officer_file
from chengguan.oversight.services import (
    complaint_assign,
    complaint_conclude,
    complaint_investigate,
    complaint_receive,
    complaint_reply,
)
from chengguan.patrol.models import AccountabilityRecord

FORM = {"conduct": "rude", "place": "鼓楼街夜市", "occurred_on": "2026-03-05", "officer_hint": "执法证号 豫A-00000",
        "text": "执法人员态度粗暴，推搡摊主。", "name": "王女士", "phone": "13800000001"}


def _portal(city, **extra):
    with time_machine.travel(at(2026, 3, 6, 10), tick=False):
        return Client().post("/complain/", {**FORM, "district": city.district_a.pk, **extra})


def test_a_complaint_from_the_portal_reaches_the_officer_file_and_the_evaluation(city, walk):
    from chengguan.enforcement.tests.test_reports import closed_case

    closed_case(walk)  # the officer has work in the period, so is rated
    response = _portal(city)
    assert response.status_code == 200
    c = Complaint.objects.get()
    assert c.number in response.content.decode() and c.number == "TS202600001"
    assert (c.channel, c.state, c.officer, c.received_by) == ("portal", "received", None, None)
    # working days of the core calendar: received Friday 6 March → assign by Tuesday 10 March
    assert c.assign_due.date() == date(2026, 3, 10) and c.reply_due.date() == date(2026, 3, 27)
    # the outsider (another district) may not assign, nor may the officer complained about investigate
    with pytest.raises(PermissionDenied):
        complaint_assign(actor=city["outsider"], complaint=c, investigator=city["legal_reviewer"])
    with pytest.raises(ValidationError):
        complaint_assign(actor=city["leader"], complaint=c, investigator=city["officer"], officer=city["officer"])
    with time_machine.travel(at(2026, 3, 9, 9), tick=False):
        c = complaint_assign(actor=city["leader"], complaint=c, investigator=city["legal_reviewer"],
                             officer=city["officer"], department=city.brigade_a)
    assert c.state == State.ASSIGNED and c.investigation_due.date() == date(2026, 3, 23)
    with pytest.raises(PermissionDenied):
        complaint_investigate(actor=city["leader"], complaint=c, findings="x")  # not the investigator
    with pytest.raises(Conflict):
        complaint_conclude(actor=city["leader"], complaint=c, substantiated=True, conclusion="x")  # not yet
    with time_machine.travel(at(2026, 3, 12, 15), tick=False):
        c = complaint_investigate(actor=city["legal_reviewer"], complaint=c,
                                  findings="调取执法记录仪视频，确有推搡行为。")
    with pytest.raises(ValidationError) as err:
        complaint_conclude(actor=city["leader"], complaint=c, substantiated=True, conclusion="属实")
    assert err.value.field == "measure"
    with pytest.raises(PermissionDenied):
        complaint_conclude(actor=city["outsider"], complaint=c, substantiated=True, conclusion="x", measure="warning")
    with time_machine.travel(at(2026, 3, 13, 10), tick=False):
        c = complaint_conclude(actor=city["leader"], complaint=c, substantiated=True, measure="criticism",
                               conclusion="投诉属实，给予通报批评。")
        c = complaint_reply(actor=city["legal_reviewer"], complaint=c, text="您反映的问题属实，已对当事执法人员通报批评。")
    assert c.state == State.REPLIED and not c.replied_late
    # the five-in-one file: an accountability record with the complaint number, written at once
    record = AccountabilityRecord.objects.get(user=city["officer"])
    assert (record.kind, record.reference, record.decided_on) == ("criticism", c.number, date(2026, 3, 13))
    file = officer_file(city["officer"], year=2026)
    assert file.substantiated == 1 and file.accountability == [record]
    assert officer_file(city["officer2"], year=2026).substantiated == 0  # the other handler (control)
    leader = Client()
    leader.force_login(city["leader"])
    page = leader.get(f"/oversight/officers/{city['officer'].pk}/?year=2026").content.decode()
    assert c.number in page and "通报批评" in page
    # the evaluation: a substantiated complaint costs 25 of the complaint score
    rows = {r.key: r for r in officer_ratings(city["leader"], parse_period("2026"))}
    mine, other = rows[city["officer"].pk], rows[city["officer2"].pk]
    assert (mine.m["complaints"], mine.m["substantiated"], mine.complaint_score) == (1, 1, 75)
    assert mine.legal_pass_rate is None and mine.overturn_rate is None  # no legal review, no remedy in this case
    assert mine.score == round((30 * mine.on_time_rate + 20 * 75) / 50, 1)
    assert other.complaint_score == 100 and other.m["substantiated"] == 0
    page = leader.get("/oversight/ratings/?period=2026").content.decode()
    assert f'/oversight/officers/{city["officer"].pk}/' in page and "执法办案评议考核" in page


def test_portal_form_names_the_field_and_is_rate_limited(city, settings):
    response = _portal(city, phone="123")
    assert response.status_code == 400 and "电话" in response.content.decode()
    assert not Complaint.objects.exists()
    settings.PUBLIC_RATE_LIMITS = {"report_phone": (2, 3600)}
    assert _portal(city).status_code == 200
    assert _portal(city).status_code == 200
    refused = _portal(city)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert Complaint.objects.count() == 2


def test_staff_intake_by_channel_and_scope(city):
    c = complaint_receive(actor=city["operator"], channel="hotline", region=city.district_a, conduct="inaction",
                          text="投诉城管不作为", phone="0371-12345678", hotline_reference="12345-2026-001")
    assert c.received_by == city["operator"]
    with pytest.raises(PermissionDenied):  # an operator records hotline calls, not supervisors' findings
        complaint_receive(actor=city["operator"], channel="supervisor", region=city.district_a, conduct="rude",
                          text="x", phone="13800000000")
    with pytest.raises(PermissionDenied):  # a supervisor of the other district
        complaint_receive(actor=city["outsider"], channel="supervisor", region=city.district_a, conduct="rude",
                          text="x", phone="13800000000")
    with pytest.raises(ValidationError):
        complaint_receive(actor=None, channel="portal", region=city.district_a, conduct="rude", text=" ",
                          phone="13800000000")
    c2 = complaint_receive(actor=city["supervisor"], channel="supervisor", region=city.district_a,
                           conduct="appearance", text="未佩戴执法记录仪", phone="13800000000", officer=city["officer"])
    assert c2.officer == city["officer"]
    with pytest.raises(ValidationError):  # complaints are about officers and assistants
        complaint_receive(actor=city["supervisor"], channel="supervisor", region=city.district_a, conduct="rude",
                          text="x", phone="13800000000", officer=city["operator"])


def test_a_complaint_not_substantiated_leaves_no_mark(city):
    c = complaint_receive(actor=city["supervisor"], channel="supervisor", region=city.district_a, conduct="rude",
                          text="x", phone="13800000000", officer=city["officer"])
    complaint_assign(actor=city["leader"], complaint=c, investigator=city["leader"])
    complaint_investigate(actor=city["leader"], complaint=c, findings="视频显示执法规范")
    c = complaint_conclude(actor=city["leader"], complaint=c, substantiated=False, conclusion="不属实",
                           measure="warning")
    assert c.substantiated is False and c.measure == "" and c.accountability is None
    assert not AccountabilityRecord.objects.exists()


def test_complaint_deadlines_remind_the_areas_leaders_once(city):
    from chengguan.cases.models import Notification
    from chengguan.oversight.reminders import run

    with time_machine.travel(at(2026, 3, 6, 10), tick=False):
        c = complaint_receive(actor=city["supervisor"], channel="supervisor", region=city.district_a,
                              conduct="rude", text="x", phone="13800000000")
    assert run(now=at(2026, 3, 6, 11)) == 0  # assign by Tuesday 10 March: not yet within two days
    assert run(now=at(2026, 3, 9, 9)) == 1  # the leader (city) is told; the outsider (district B) is not
    assert Notification.objects.filter(user=city["leader"], key=f"complaint:{c.pk}:received:soon").exists()
    assert run(now=at(2026, 3, 9, 15)) == 0
    assert run(now=at(2026, 3, 11, 9)) == 1  # overdue now
    assert not Notification.objects.filter(user=city["outsider"]).exists()
