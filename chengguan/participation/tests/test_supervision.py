"""A social supervisor reads the enforcement outcomes of their district without the party's personal data, comments,
and the comment is answered within 5 working days; a late one reminds the answerers."""

from datetime import timedelta

import pytest
from django.urls import reverse

from chengguan.cases.models import Notification
from chengguan.cases.testing import T0
from chengguan.core.errors import PermissionDenied
from chengguan.participation.models import SupervisorComment
from chengguan.participation.supervision import comment_add, comment_answer, overdue_sweep

pytestmark = pytest.mark.django_db


def test_a_supervisors_comment_is_answered_within_the_deadline(city, frozen, social_supervisor, closed_case, login):
    client = login(social_supervisor)
    listing = client.get(reverse("participation:outcomes")).content.decode()
    assert "擅自占用城市道路堆放杂物" in listing
    page = client.get(reverse("participation:outcome", args=[closed_case.pk])).content.decode()
    for secret in ("张三丰", "13800001111", "410202199001011234", "西门大街88号"):
        assert secret not in page and secret not in listing
    assert "汴城管罚决字〔2026〕3号" in page and "罚款人民币" in page
    client.post(reverse("participation:outcome", args=[closed_case.pk]), {"text": "罚款 500 元是否适用了裁量基准？"})
    comment = SupervisorComment.objects.get()
    assert comment.due.date() == (T0 + timedelta(days=7)).date()  # 5 working days: Tuesday → next Tuesday
    assert Notification.objects.filter(user=city["leader"], key=f"supervisor-comment:{comment.pk}").exists()

    frozen.move_to(T0 + timedelta(days=2))
    leader = login(city["leader"])
    assert "罚款 500 元" in leader.get(reverse("participation:comments")).content.decode()
    leader.post(reverse("participation:answer", args=[comment.pk]), {"answer": "适用一般档次，已在决定书中说明理由。"})
    comment.refresh_from_db()
    assert comment.status == "answered" and comment.answered_by == city["leader"] and not comment.answered_late
    assert "适用一般档次" in login(social_supervisor).get(
        reverse("participation:outcome", args=[closed_case.pk])).content.decode()


def test_a_late_comment_reminds_the_answerers_once(city, frozen, social_supervisor, closed_case):
    comment = comment_add(actor=social_supervisor, case=closed_case, text="执法过程是否全程记录？")
    frozen.move_to(comment.due + timedelta(hours=1))
    assert overdue_sweep() >= 1
    assert Notification.objects.filter(user=city["leader"], key=f"supervisor-comment-late:{comment.pk}").exists()
    assert overdue_sweep() == 0
    done = comment_answer(actor=city["legal_reviewer"], comment=comment, answer="已全程记录，视频已归档。")
    assert done.answered_late


def test_outsiders_see_no_outcome_and_cannot_comment_or_answer(city, frozen, social_supervisor, supervisor_b,
                                                             closed_case, volunteer_user, login):
    comment = comment_add(actor=social_supervisor, case=closed_case, text="请说明处罚依据。")
    other = login(supervisor_b)  # a supervisor of the other district
    assert closed_case.title not in other.get(reverse("participation:outcomes")).content.decode()
    assert other.get(reverse("participation:outcome", args=[closed_case.pk])).status_code == 404
    with pytest.raises(Exception) as exc:
        comment_add(actor=supervisor_b, case=closed_case, text="越权评论内容")
    assert getattr(exc.value, "status", None) == 404
    for who in (volunteer_user, city["officer"], city["outsider"], city["nobody"]):
        assert login(who).get(reverse("participation:outcomes")).status_code == 403
        assert login(who).get(reverse("participation:comments")).status_code == 403
        with pytest.raises(PermissionDenied):
            comment_answer(actor=who, comment=comment, answer="越权的回复内容")
    assert login(social_supervisor).get(reverse("participation:comments")).status_code == 403
    comment.refresh_from_db()
    assert comment.status == "open"


def test_an_open_case_is_not_an_outcome(city, frozen, social_supervisor, closed_case, login):
    type(closed_case).objects.filter(pk=closed_case.pk).update(state="investigating", decided_at=None)
    assert login(social_supervisor).get(reverse("participation:outcome", args=[closed_case.pk])).status_code == 404


@pytest.fixture
def volunteer_user(volunteer):
    return volunteer
