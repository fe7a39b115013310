"""The citizen's side after a report: status messages (受理、立案、处置完成) through the channels, the dev/test
outbox and its DEBUG page, "我的上报" behind a one-time SMS code (rate-limited, expiring, never another phone's
cases), the department's reply and after-photo on the follow page, the community instead of "位置 —", "还没修好"
within 7 days, and a report placed without a map (community + address)."""

import re
from datetime import timedelta

import pytest

from chengguan.cases.models import Case
from chengguan.public.models import OutboxMessage, PhoneCode, Reopening

from .conftest import POINT_B, close_case
from .test_portal import PHONE, form, number_in, submit

OTHER = "13800001111"


@pytest.fixture
def ready(city, grids, garbage, frozen, settings):
    settings.CASES_NOTIFICATION_CHANNELS = ["chengguan.public.channels.OutboxChannel"]
    return city


def _code(phone=PHONE) -> str:
    text = OutboxMessage.objects.filter(kind="login_code", phone=phone).latest("pk").text
    return re.search(r"\d{6}", text).group(0)


def _ask_code(client, phone=PHONE):
    return client.post("/p/mine/", {"step": "send", "phone": phone})


def _prove(client, number, phone=PHONE):
    """Days later the session is gone: the citizen proves the case again with its number and phone."""
    assert client.post("/p/follow/", {"number": number, "phone": phone}).status_code == 302


def _sign_in(client, phone=PHONE, code=None):
    return client.post("/p/mine/", {"step": "verify", "phone": phone, "code": code or _code(phone)})


# ---- status messages ----------------------------------------------------------------------------------------


def test_each_status_change_reaches_the_reporter_through_the_channels(
    client, ready, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = Case.objects.get(number=number_in(submit(client)))
        close_case(ready, case)
    kinds = list(OutboxMessage.objects.filter(phone=PHONE).order_by("pk").values_list("kind", "text"))
    status = [text for kind, text in kinds if kind == "case_status"]
    assert len(status) == 3  # 受理、立案、处置完成
    assert "已受理" in status[0] and "已立案" in status[1] and "处置完成" in status[2]
    assert all(case.number in text for text in status)
    assert {kind for kind, _t in kinds} >= {"case_status", "closed", "rating_invitation"}  # 结案 too


def test_staff_reports_send_no_citizen_message(ready, story_case):
    assert not OutboxMessage.objects.filter(kind="case_status").exists()
    assert story_case.reporter_phone == ""  # the control: a supervisor's report has no phone to tell


@pytest.fixture
def story_case(ready, django_capture_on_commit_callbacks):
    from chengguan.cases.services import case_act, case_report
    from chengguan.catalog.models import MatterType

    with django_capture_on_commit_callbacks(execute=True):
        case = case_report(
            actor=ready["supervisor"], source="supervisor", matter=MatterType.objects.get(code="06010"),
            lng=POINT_B[0] - 0.025, lat=POINT_B[1], description="垃圾",
        )  # fmt: skip
        return case_act(actor=ready["operator"], case=case, action="accept")


def test_the_dev_messages_page_shows_only_in_debug(client, ready, settings):
    OutboxMessage.objects.create(kind="login_code", phone=PHONE, text="验证码 123456", channel="outbox")
    settings.DEBUG = False
    assert client.get("/p/dev/messages/").status_code == 404
    settings.DEBUG = True
    html = client.get("/p/dev/messages/").content.decode()
    assert "验证码 123456" in html and "139****1234" in html and PHONE not in html


# ---- my reports -----------------------------------------------------------------------------------------------


def test_my_reports_after_a_one_time_code_never_another_phones(
    client, ready, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mine = number_in(submit(client))
        theirs = number_in(submit(client, phone=OTHER, description="别人的上报"))
    client.session.flush()
    fresh = client.__class__()
    assert fresh.get("/p/mine/").status_code == 200  # the phone form
    with django_capture_on_commit_callbacks(execute=True):
        assert _ask_code(fresh).status_code == 200
    assert PhoneCode.objects.count() == 1 and PHONE not in str(PhoneCode.objects.values().get())
    assert _sign_in(fresh).status_code == 302
    html = fresh.get("/p/mine/").content.decode()
    assert mine in html and theirs not in html
    assert fresh.get(f"/p/cases/{mine}/").status_code == 200  # the list proves its own cases
    assert (
        fresh.get(f"/p/cases/{theirs}/").status_code == 302
    )  # another phone's case still asks for the phone
    # the code is spent
    other = client.__class__()
    response = other.post("/p/mine/", {"step": "verify", "phone": PHONE, "code": _code()})
    assert response.status_code == 400 and "public_phone" not in other.session


def test_a_wrong_or_expired_code_is_refused_and_five_wrong_guesses_spend_it(
    client, ready, frozen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client)
        _ask_code(client)
    good = _code()
    wrong = "000000" if good != "000000" else "111111"
    response = _sign_in(client, code=wrong)
    assert response.status_code == 400 and "wrong or has expired" in response.content.decode()
    frozen.shift(timedelta(minutes=11))
    assert _sign_in(client, code=good).status_code == 400  # expired
    frozen.shift(timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        _ask_code(client)
    good = _code()
    for _i in range(5):
        _sign_in(client, code=wrong)
    assert _sign_in(client, code=good).status_code == 400  # spent by the guesses
    assert "public_phone" not in client.session


def test_code_requests_are_rate_limited_and_silent_for_unknown_phones(
    client, ready, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client)
        assert _ask_code(client).status_code == 200
        again = _ask_code(client)
    assert again.status_code == 429 and again["Retry-After"]
    assert OutboxMessage.objects.filter(kind="login_code").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        unknown = _ask_code(client, phone=OTHER)
    assert unknown.status_code == 200 and 'id="code-form"' in unknown.content.decode()  # the same answer
    assert not OutboxMessage.objects.filter(kind="login_code", phone=OTHER).exists()
    bad = _ask_code(client, phone="12345")
    assert bad.status_code == 400 and PhoneCode.objects.count() == 1  # only the first, valid request made one


# ---- the follow page and "still not fixed" ------------------------------------------------------------------------


def test_the_follow_page_shows_the_reply_the_after_photo_and_the_community(
    client, ready, django_capture_on_commit_callbacks
):
    response = submit(client, address="")
    case = Case.objects.get(number=number_in(response))
    html = client.get(response["Location"]).content.decode()
    place = re.search(r'id="case-place">([^<]*)<', html).group(1)
    assert ready.community_a1.name in place and place != "—"
    with django_capture_on_commit_callbacks(execute=True):
        close_case(ready, case)
    html = client.get(response["Location"]).content.decode()
    result = html.split('id="handling-result"')[1].split("</section>")[0]
    assert "已清理" in result and "after-photo" in result and "环卫处" in result


def test_still_not_fixed_reopens_within_seven_days_once(
    client, ready, frozen, django_capture_on_commit_callbacks
):
    response = submit(client)
    case = Case.objects.get(number=number_in(response))
    with django_capture_on_commit_callbacks(execute=True):
        close_case(ready, case)
    assert 'id="reopen-form"' in client.get(response["Location"]).content.decode()
    stranger = client.__class__()
    assert stranger.post(f"/p/cases/{case.number}/reopen/", {"description": "x"}).status_code == 404
    frozen.shift(timedelta(days=6))
    _prove(client, case.number)
    with django_capture_on_commit_callbacks(execute=True):
        reopened = client.post(f"/p/cases/{case.number}/reopen/", {"description": "垃圾又堆起来了"})
    new = Case.objects.get(number=number_in(reopened))
    assert new.pk != case.pk and Reopening.objects.get(new_case=new).original == case
    assert new.reporter_phone == PHONE and new.matter == case.matter and case.number in new.description
    assert case.number in client.get(f"/p/cases/{new.number}/").content.decode()  # the link shows
    client.post(f"/p/cases/{case.number}/reopen/", {"description": "再一次"})
    assert Reopening.objects.count() == 1  # once per case


def test_still_not_fixed_is_refused_after_seven_days(
    client, ready, frozen, django_capture_on_commit_callbacks
):
    response = submit(client)
    case = Case.objects.get(number=number_in(response))
    with django_capture_on_commit_callbacks(execute=True):
        close_case(ready, case)
    frozen.shift(timedelta(days=8))
    _prove(client, case.number)
    count = Case.objects.count()
    page = client.post(f"/p/cases/{case.number}/reopen/", {"description": "还是脏"}, follow=True)
    assert "within 7 days" in page.content.decode()
    assert Case.objects.count() == count and not Reopening.objects.exists()
    assert 'id="reopen-form"' not in page.content.decode()


# ---- a report without the map -------------------------------------------------------------------------------


def test_a_report_placed_by_community_and_address_without_the_map(client, ready):
    response = submit(
        client, lng=None, lat=None, community=str(ready.community_a1.pk), address="西门大街 12 号"
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    case = Case.objects.get(number=number_in(response))
    assert case.community == ready.community_a1 and case.address == "西门大街 12 号"


def test_without_a_place_or_an_address_nothing_is_stored(client, ready):
    count = Case.objects.count()
    nowhere = submit(client, lng=None, lat=None)
    assert nowhere.status_code == 400 and "choose the community" in nowhere.content.decode()
    vague = submit(client, lng=None, lat=None, community=str(ready.community_a1.pk), address="")
    assert vague.status_code == 400 and "Say where in the community" in vague.content.decode()
    assert Case.objects.count() == count


def test_satisfaction_shows_a_dash_when_nobody_rated(client, ready):
    submit(client)
    html = client.get("/p/stats/").content.decode()
    card = html.split("Satisfaction")[1].split("</div>")[0]
    assert "—" in card and "0.0%" not in card


def test_the_form_data_is_complete():
    assert form()["phone"] == PHONE  # the shared helper still gives a full report
