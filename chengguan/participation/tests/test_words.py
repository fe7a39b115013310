"""The pages of the light roles and the portal pages (which the staff crawl of tests_system does not reach) are in
Chinese: no raw code and no English word, with the data of a busy day on them."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from chengguan.cases.testing import POINT_A, T0
from chengguan.catalog.models import MatterType
from chengguan.grids.testing import make_grids
from chengguan.participation.consultation import consultation_create, consultation_publish, opinion_submit
from chengguan.participation.models import Place
from chengguan.participation.places import duty_assign
from chengguan.participation.supervision import comment_add
from chengguan.participation.volunteers import volunteer_report
from chengguan.tests_system.crawl import crawl
from chengguan.tests_system.words import _codes, offending, visible_text

pytestmark = pytest.mark.django_db


def test_light_role_and_portal_pages_show_no_code_or_english_word(city, frozen, media, volunteer, social_supervisor,
                                                                   closed_case):
    for user in city.users.values():
        user.full_name = "张同志"
        user.save(update_fields=["full_name"])
    make_grids(city)
    volunteer_report(actor=volunteer, matter=MatterType.objects.get(code="06010"), lng=POINT_A[0], lat=POINT_A[1],
                     description="垃圾桶满溢")
    comment_add(actor=social_supervisor, case=closed_case, text="请说明裁量理由。")
    place = Place.objects.create(kind="booth", name="西门便民岗亭", address="西门大街", lng=114.305, lat=34.81,
                                 region=city.community_a1, department=city.brigade_a, hours="08:00–20:00")
    duty_assign(actor=city["leader"], place=place, person=city["officer"], starts_at=T0, ends_at=T0 + timedelta(hours=8))
    c = consultation_create(actor=city["legal_reviewer"], title="门前三包管理规定（征求意见稿）", department=city.bureau,
                            draft_text="第一条 临街单位对门前责任区的市容、绿化、秩序负责。")
    c = consultation_publish(actor=city["legal_reviewer"], consultation=c, closes_at=T0 + timedelta(days=9))
    opinion_submit(consultation=c, text="建议先行告知沿街商户。")
    codes, problems, pages, checked = _codes(), [], 0, set()
    visitors = [("volunteer", volunteer, "/"), ("social_supervisor", social_supervisor, "/"),
                ("citizen", None, reverse("participation:portal_places")),
                ("citizen", None, reverse("participation:portal_consultations"))]
    for name, user, start in visitors:
        client = Client()
        if user is not None:
            client.force_login(user)
        seen, _forms = crawl(client, start=start)
        for path, response in seen.items():
            assert response.status_code < 500, f"{name}: {path}"
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            checked.add(path)
            bad = offending(visible_text(response.content.decode()), codes=codes)
            if bad:
                problems.append(f"{name} {path}: {', '.join(bad)}")
    wanted = {reverse("participation:volunteer"), reverse("participation:outcomes"),
              reverse("participation:outcome", args=[closed_case.pk]), reverse("participation:portal_places"),
              reverse("participation:portal_consultation", args=[c.pk])}
    assert wanted <= checked, wanted - checked
    assert not problems, "\n".join(problems)
