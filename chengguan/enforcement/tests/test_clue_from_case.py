"""A 数字城管 case becomes an enforcement clue from the case page: one button for certified officers of the
area, the photos arrive as hash-chained evidence, a case becomes a clue once, and the outcome shows on the case."""

import hashlib

import pytest
import time_machine
from django.urls import reverse

from chengguan.cases.evidence import attachment_create
from chengguan.cases.testing import Upload, png_bytes, report
from chengguan.catalog.models import MatterType
from chengguan.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from chengguan.enforcement.audit import audit_verify
from chengguan.enforcement.models import AuditRecord, EnforcementCase, Evidence
from chengguan.enforcement.services.from_case import clue_from_case
from chengguan.grids.testing import make_grids
from chengguan.org.models import OfficerCertificate, Role, RoleAssignment, User

from .conftest import PARTY, Walk, at, to_notified

BUTTON = 'id="clue-from-case-form"'


@pytest.fixture
def digital(city, body, items):
    """A 占道经营 case in district A with two photos, reported by the supervisor on 1 March 2026."""
    make_grids(city)
    with time_machine.travel(at(2026, 3, 1, 9), tick=False):
        photos = [attachment_create(actor=city["supervisor"], file=Upload(png_bytes(color)), kind="before").pk
                  for color in ((200, 30, 30), (30, 200, 30))]
        return report(city, MatterType.objects.get(code="09006"), photos=photos, description="人行道上摆摊卖水果",
                      address="西门大街 12 号")


def _officer_b(city):
    """A certified officer of the other district (顺河): the outsider for district A's cases."""
    user = User.objects.create_user(username="officer_b", password="x")
    RoleAssignment.objects.create(user=user, role=Role.OFFICER, region=city.district_b, department=city.brigade_b)
    OfficerCertificate.objects.create(user=user, number="豫A-09999", issuer="河南省人民政府",
                                      valid_from="2024-01-01", valid_to="2029-12-31", exam_passed_on="2023-11-01")
    return user


def _uncertified(city):
    user = User.objects.create_user(username="officer_nocert", password="x")
    RoleAssignment.objects.create(user=user, role=Role.OFFICER, region=city.district_a, department=city.brigade_a)
    return user


def test_a_certified_officer_opens_the_clue_with_location_matter_and_photos(city, digital):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        clue = clue_from_case(actor=city["officer"], case_id=digital.pk)
    assert clue.source == "digital_case" and clue.source_case == digital and clue.source_reference == digital.number
    assert list(digital.enforcement_cases.all()) == [clue]
    assert clue.power_item.code == "CG-CF-026" and clue.title == "占道经营"
    assert (clue.lng, clue.lat) == (digital.lng, digital.lat) and clue.place == "西门大街 12 号"
    assert clue.facts == "人行道上摆摊卖水果" and clue.region == digital.community and clue.department == city.brigade_a
    photos = list(digital.attachments.all())
    evidence = list(clue.evidence.all())
    assert len(photos) == 2 and len(evidence) == 2
    assert sorted(e.sha256 for e in evidence) == sorted(p.sha256 for p in photos)
    for e in evidence:
        with e.file.open("rb") as fh:
            assert hashlib.sha256(fh.read()).hexdigest() == e.sha256  # the stored copy is the same bytes
        assert e.audit_seq and digital.number in e.description and e.kind == "electronic"
    files = [f["sha256"] for r in AuditRecord.objects.filter(act="add_evidence") for f in r.files]
    assert sorted(files) == sorted(p.sha256 for p in photos)
    result = audit_verify()
    assert result.ok and result.checked == 3


@pytest.mark.parametrize(("who", "code"), [("assistant", "assistant_not_certified"), ("uncertified", "no_certificate"),
                                           ("supervisor", "forbidden")])
def test_others_are_refused_and_nothing_is_written(city, digital, who, code):
    actor = _uncertified(city) if who == "uncertified" else city[who]
    with time_machine.travel(at(2026, 3, 2, 9), tick=False), pytest.raises(PermissionDenied) as err:
        clue_from_case(actor=actor, case_id=digital.pk)
    assert err.value.code == code
    assert not EnforcementCase.objects.exists() and not Evidence.objects.exists() and not AuditRecord.objects.exists()
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):  # positive control: the officer may
        assert clue_from_case(actor=city["officer"], case_id=digital.pk).evidence.count() == 2


def test_an_officer_of_another_district_gets_404(city, digital):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False), pytest.raises(NotFound):
        clue_from_case(actor=_officer_b(city), case_id=digital.pk)
    assert not EnforcementCase.objects.exists()


def test_a_second_time_is_refused_and_names_the_existing_clue(city, digital):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        first = clue_from_case(actor=city["officer"], case_id=digital.pk)
        with pytest.raises(Conflict) as err:
            clue_from_case(actor=city["officer2"], case_id=digital.pk)
    assert first.clue_number in err.value.message and err.value.code == "already_opened"
    assert EnforcementCase.objects.count() == 1 and Evidence.objects.count() == 2


def test_an_unmapped_matter_needs_the_officer_to_pick_an_item(city, body, items):
    make_grids(city)
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        garbage = report(city, MatterType.objects.get(code="06010"))  # 暴露垃圾: no single power item
        with pytest.raises(ValidationError) as err:
            clue_from_case(actor=city["officer"], case_id=garbage.pk)
        assert err.value.field == "power_item" and not EnforcementCase.objects.exists()
        clue = clue_from_case(actor=city["officer"], case_id=garbage.pk, power_item="CG-CF-008")
    assert clue.power_item.code == "CG-CF-008"


def test_the_case_page_shows_the_button_only_to_certified_officers(city, digital, login, client):
    url = reverse("cases:detail", args=[digital.pk])
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        for user in (city["assistant"], _uncertified(city), city["supervisor"]):
            client.force_login(user)
            page = client.get(url)
            assert page.status_code == 200 and BUTTON not in page.content.decode()
        login(city["officer"])
        page = client.get(url).content.decode()
        assert BUTTON in page and "立为执法线索" in page and "CG-CF-026" in page
        client.force_login(_officer_b(city))
        assert client.post(reverse("enforcement:clue_from_case", args=[digital.pk])).status_code == 404
        client.force_login(city["assistant"])
        refused = client.post(reverse("enforcement:clue_from_case", args=[digital.pk]), follow=True)
        assert "协管员" in refused.content.decode() and not EnforcementCase.objects.exists()
        login(city["officer"])
        done = client.post(reverse("enforcement:clue_from_case", args=[digital.pk]))
        clue = EnforcementCase.objects.get()
        assert done.status_code == 302 and done["Location"] == reverse("enforcement:detail", args=[clue.pk])
        again = client.post(reverse("enforcement:clue_from_case", args=[digital.pk]))
        assert again["Location"] == reverse("enforcement:detail", args=[clue.pk]) and EnforcementCase.objects.count() == 1
        page = client.get(url).content.decode()
    assert BUTTON not in page and clue.clue_number in page and "尚未作出决定" in page


def test_the_outcome_shows_on_the_case_page(city, digital, client):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        clue = clue_from_case(actor=city["officer"], case_id=digital.pk)
    walk = Walk(city, clue)
    particulars = {k: v for k, v in PARTY.items() if k not in ("power_item", "violation_date", "place", "facts")}
    walk.do("update_particulars", "officer", at(2026, 3, 2, 9, 30), **particulars)
    to_notified(walk, fine="5000")
    walk.do("record_statement", "officer", at(2026, 3, 6, 9), statement="已收摊", review="申辩理由不成立，不予采纳")
    case = walk.do("decide", "leader", at(2026, 3, 13, 9))
    client.force_login(city["supervisor"])  # a 数字城管 supervisor sees the outcome, without the enforcement page
    with time_machine.travel(at(2026, 3, 13, 10), tick=False):
        page = client.get(reverse("cases:detail", args=[digital.pk])).content.decode()
    assert case.number in page and case.decision_number in page and "5000" in page and "处罚" in page
    assert reverse("enforcement:detail", args=[case.pk]) not in page
