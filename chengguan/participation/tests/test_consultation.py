"""A draft rule is published, citizens send opinions on the portal (rate limited), the consultation closes and the
response is published with a reply to each opinion; only then are the opinions shown, names masked, phones never."""

from datetime import timedelta

import pytest
from django.urls import reverse

from chengguan.cases.testing import T0
from chengguan.core.errors import Conflict, PermissionDenied
from chengguan.participation.consultation import (
    consultation_create,
    consultation_publish,
    consultation_respond,
    consultations_close,
)
from chengguan.participation.models import Consultation, Opinion

pytestmark = pytest.mark.django_db

DRAFT = "第一条 为规范城市道路临时占用管理，制定本办法。\n第二条 临时占用城市道路设摊的，应当在规定时段和区域内经营。"


@pytest.fixture
def draft(city):
    return consultation_create(actor=city["legal_reviewer"], title="开封市城市道路临时占用管理办法（征求意见稿）",
                               draft_text=DRAFT, department=city.bureau, summary="规范疏导点设置和经营时段。")


def test_a_citizens_opinion_is_published_with_the_response(city, frozen, draft, client, settings):
    settings.PUBLIC_RATE_LIMITS = {"opinion_ip": (2, 3600)}
    url = reverse("participation:portal_consultation", args=[draft.pk])
    assert client.get(url).status_code == 404  # a draft is not public yet
    consultation_publish(actor=city["legal_reviewer"], consultation=draft, closes_at=T0 + timedelta(days=15))
    assert "征求意见稿" in client.get(reverse("participation:portal_consultations")).content.decode()
    sent = client.post(url, {"text": "建议夜市疏导点延长到晚上十一点。", "name": "张三丰", "phone": "13800001111"})
    assert sent.status_code == 302
    client.post(url, {"text": "建议明确占道费用标准。"})
    limited = client.post(url, {"text": "第三条意见，超出频率限制。"})
    assert limited.status_code == 429 and "Retry-After" in limited
    assert Opinion.objects.count() == 2
    page = client.get(url).content.decode()
    assert "建议夜市疏导点" not in page  # opinions stay unpublished until the response

    with pytest.raises(Conflict):  # still open
        consultation_respond(actor=city["legal_reviewer"], consultation=draft, response="尚未截止时不得答复。")
    frozen.move_to(T0 + timedelta(days=16))
    assert consultations_close() == 1 and consultations_close() == 0
    assert client.post(url, {"text": "截止后的意见不再受理。"}).status_code == 400
    first = Opinion.objects.get(name="张三丰")
    leader = reverse("participation:consultation", args=[draft.pk])
    from django.test import Client

    staff = Client()
    staff.force_login(city["legal_reviewer"])
    staff.post(leader, {"act": "respond", "response": "共收到意见 2 条，采纳 1 条，已修改第二条。",
                        f"adopted-{first.pk}": "yes", f"reply-{first.pk}": "已将经营时段延长至 23:00。"})
    draft.refresh_from_db()
    assert draft.status == Consultation.Status.RESPONDED
    page = client.get(url).content.decode()
    assert "共收到意见 2 条" in page and "建议夜市疏导点" in page and "已将经营时段延长至 23:00" in page
    assert "张**" in page and "张三丰" not in page and "13800001111" not in page


@pytest.mark.parametrize("who", ["officer", "outsider", "department_handler", "nobody"])
def test_only_the_leaders_and_the_legal_office_run_consultations(city, frozen, draft, login, who):
    with pytest.raises(PermissionDenied):
        consultation_publish(actor=city[who], consultation=draft, closes_at=T0 + timedelta(days=3))
    client = login(city[who])
    assert client.get(reverse("participation:consultations")).status_code == 403
    assert client.post(reverse("participation:consultation", args=[draft.pk]), {
        "act": "publish", "closes_at": "2026-03-20T18:00"}).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Consultation.Status.DRAFT
    # positive control
    assert login(city["legal_reviewer"]).post(reverse("participation:consultation", args=[draft.pk]), {
        "act": "publish", "closes_at": "2026-03-20T18:00"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Consultation.Status.OPEN
