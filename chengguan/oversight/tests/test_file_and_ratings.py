"""The five-in-one file fills itself from case-file reviews and closed cases; the officer and squad evaluation
counts legal reviews, overturned decisions and timeliness; who may read an officer's file."""

from datetime import date, timedelta

from django.test import Client

from chengguan.enforcement.models import LegalReview, RemedyProceeding
from chengguan.enforcement.services.review import CRITERIA, case_file_review
from chengguan.enforcement.tests.conftest import at
from chengguan.enforcement.tests.test_reports import closed_case
from chengguan.evaluation.models import Grade
from chengguan.evaluation.periods import parse_period
from chengguan.oversight.ratings import officer_ratings, squad_ratings
from chengguan.oversight.selectors import officer_file
from chengguan.patrol.models import OfficerFileEntry

FULL = {code: maximum for code, _label, maximum in CRITERIA}


def test_a_case_file_review_and_a_closed_case_enter_each_handlers_file(city, walk):
    case = closed_case(walk)
    closing = OfficerFileEntry.objects.filter(category="enforcement")
    assert sorted(e.user.username for e in closing) == ["officer", "officer2"]
    assert closing.first().occurred_on == date(2026, 3, 26) and case.reference in closing.first().title
    review = case_file_review(actor=city["legal_reviewer"], case=case, scores={**FULL, "procedure": 15},
                              comments="送达超期", now=at(2026, 4, 2, 10))
    entries = OfficerFileEntry.objects.filter(category="case_review")
    assert sorted(e.user.username for e in entries) == ["officer", "officer2"]
    assert {e.score for e in entries} == {review.total} and "优秀" in entries.first().detail
    assert OfficerFileEntry.objects.filter(user=city["leader"]).count() == 0  # not a handler (control)
    file = officer_file(city["officer"], year=2026)
    assert file.review_average == review.total and len(file.cases) == 1
    assert officer_file(city["officer"], year=2025).review_average is None


def test_the_evaluation_counts_legal_review_overturns_and_timeliness(city, walk):
    case = closed_case(walk)
    LegalReview.objects.create(case=case, submitted_at=at(2026, 3, 6), submitted_by=city["officer"],
                               reviewer=city["legal_reviewer"], reviewed_at=at(2026, 3, 7), opinion="return")
    LegalReview.objects.create(case=case, submitted_at=at(2026, 3, 8), submitted_by=city["officer"],
                               reviewer=city["legal_reviewer"], reviewed_at=at(2026, 3, 8, 15), opinion="approve")
    RemedyProceeding.objects.create(case=case, kind="review", started_on=date(2026, 4, 1),
                                    ended_on=date(2026, 5, 20), outcome="复议撤销", result="revoked")
    Grade.objects.all().delete()
    for letter, floor in (("A", 90), ("B", 75), ("C", 60), ("D", 0)):
        Grade.objects.create(letter=letter, min_score=floor)
    row = {r.key: r for r in officer_ratings(city["leader"], parse_period("2026"))}[city["officer"].pk]
    assert (row.m["handled"], row.m["closed"]) == (1, 1)
    assert (row.m["legal_reviews"], row.m["legal_passed"], row.legal_pass_rate) == (2, 0, 0.0)  # returned first
    assert (row.m["overturned"], row.m["remedies_ended"], row.overturn_rate) == (1, 1, 100.0)
    assert row.m["acts_with_deadline"] > row.m["acts_on_time"]  # the late service counts against timeliness
    expected = (30 * 0 + 30 * row.on_time_rate + 20 * 0 + 20 * 100) / 100
    assert row.score == round(expected, 1) and row.grade == ("D" if row.score < 60 else row.grade)
    squads = squad_ratings(city["leader"], parse_period("2026"))
    assert [s.name for s in squads] == ["龙亭执法大队"] and squads[0].m["overturned"] == 1
    # nothing in 2025: no score, no rank (—)
    assert all(r.score is None for r in officer_ratings(city["leader"], parse_period("2025")))
    # the outsider's scope holds no case; a district B leader sees nothing of district A
    assert officer_ratings(city["outsider"], parse_period("2026")) == []


def test_who_may_read_an_officers_file(city):
    url = f"/oversight/officers/{city['officer'].pk}/"
    for user, status in (("officer", 200), ("leader", 200), ("legal_reviewer", 200), ("officer2", 404),
                         ("outsider", 404), ("nobody", 404)):
        c = Client()
        c.force_login(city[user])
        assert c.get(url).status_code == status, user
    c = Client()
    c.force_login(city["officer"])
    assert c.get("/oversight/ratings/").status_code == 403  # officers see their file, not the ranking
    assert c.get(url).status_code == 200


def test_presence_and_handling_rates_of_a_joint_squad(city):
    from chengguan.oversight.presence import squad_presence
    from chengguan.patrol.models import DutyAssignment, DutyShift, JointSquad, TrackPoint

    squad = JointSquad.objects.create(code="LH-01", name="龙亭联勤一队", region=city.district_a)
    day = date(2026, 3, 10)
    shifts = []
    for hour in (8, 16):
        shift = DutyShift.objects.create(day=day, starts_at=at(2026, 3, 10, hour), ends_at=at(2026, 3, 10, hour + 4),
                                         region=city.district_a, squad=squad)
        for user in (city["officer"], city["assistant"]):
            DutyAssignment.objects.create(shift=shift, user=user, body=user.username)
        shifts.append(shift)
    # the officer walks the whole morning shift (a fix every 5 min), the assistant one hour; nobody the afternoon
    start = at(2026, 3, 10, 8)
    for i in range(49):
        TrackPoint.objects.create(user=city["officer"], client_id=f"o{i}", recorded_at=start + timedelta(minutes=5 * i),
                                  lng=114.31, lat=34.81)
    for i in range(13):
        TrackPoint.objects.create(user=city["assistant"], client_id=f"a{i}",
                                  recorded_at=start + timedelta(minutes=5 * i), lng=114.31, lat=34.81)
    TrackPoint.objects.create(user=city["assistant"], client_id="gap", recorded_at=at(2026, 3, 10, 11),
                              lng=114.31, lat=34.81)  # after a 2-hour gap: not patrolling in between
    (row,) = squad_presence(city["leader"], parse_period("2026-03-10"))
    assert (row.shifts, row.people) == (2, 2)
    assert row.rostered_hours == 16.0 and row.seen_hours == 5.0  # 4 h + 1 h
    assert row.presence_rate == 31.2
    assert row.handling_rate == 0.0  # nothing recorded yet
    from chengguan.patrol.models import AdPhone, AdSighting

    phone = AdPhone.objects.create(number="13900001111", first_seen_at=at(2026, 3, 10, 9),
                                   last_seen_at=at(2026, 3, 10, 9))
    AdSighting.objects.create(phone=phone, seen_at=at(2026, 3, 10, 9), reported_by=city["assistant"],
                              region=city.district_a)
    (row,) = squad_presence(city["leader"], parse_period("2026-03-10"))
    assert (row.shifts_handled, row.handling_rate) == (1, 50.0)
    assert squad_presence(city["outsider"], parse_period("2026-03-10")) == []
