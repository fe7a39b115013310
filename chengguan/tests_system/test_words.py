"""Every page each staff role reaches, in Chinese, shows no raw code and no English word; the error pages are
Chinese and say what to do next."""

import pytest
import time_machine
from django.test import Client

from chengguan.cases.testing import T0, Walker
from chengguan.cases.workflow import State
from chengguan.catalog.models import MatterType
from chengguan.grids.testing import make_grids

from .crawl import crawl
from .figures import record
from .words import _codes, offending, visible_text

STAFF = ("supervisor", "operator", "shift_leader", "dispatcher", "department_handler", "officer", "assistant",
         "legal_reviewer", "leader", "admin")  # fmt: skip


@pytest.fixture
def busy_city(city):
    """Cases in every open state and a few final ones, an enforcement clue, so case pages and queues are full."""
    from chengguan.enforcement.models import EnforcementBody
    from chengguan.enforcement.services import case_register_clue

    make_grids(city)
    for i, user in enumerate(city.users.values()):  # people have names: a username in English is not a code
        user.full_name = "张王李赵刘陈杨黄周吴郑孙马朱胡"[i % 15] + "同志"
        user.first_name = user.full_name
        user.save(update_fields=["full_name", "first_name"])
    EnforcementBody.objects.create(department=city.bureau, name="开封市城市管理局", short_name="汴城管",
                                   review_authority="开封市人民政府", court="开封市龙亭区人民法院")  # fmt: skip
    with time_machine.travel(T0, tick=False):
        walk = Walker(city, MatterType.objects.get(code="06010"))
        for state in (State.REPORTED, State.ACCEPTED, State.FILED, State.DISPATCHED, State.RETURNED,
                      State.HUNG_UP, State.CHECKING, State.CHECK_PASSED, State.CLOSED, State.REJECTED):  # fmt: skip
            walk.to(state)
        case_register_clue(actor=city["officer"], region=city.community_a1, department=city.brigade_a,
                           source="patrol", title="擅自占用城市道路")  # fmt: skip
    return city


def test_no_staff_page_shows_a_raw_code_or_an_english_word(busy_city):
    codes, problems, refused, pages = _codes(), [], [], 0
    for name in STAFF:
        client = Client()
        client.force_login(busy_city[name])
        seen, _forms = crawl(client)
        for path, response in seen.items():
            assert response.status_code < 500, f"{name}: {path} answered {response.status_code}"
            if response.status_code == 403:
                refused.append(f"{name} {path}")
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            bad = offending(visible_text(response.content.decode()), codes=codes)
            if bad:
                problems.append(f"{name} {path}: {', '.join(bad)}")
    record("words: staff pages checked (role × page)", pages)
    assert pages > 100
    assert not problems, "\n".join(problems)
    assert not refused, "links to pages the role may not open:\n" + "\n".join(refused)


def test_the_checker_catches_a_raw_code_and_english():
    """Positive control: the same check flags what the crawl must never find."""
    html = "<p>当前环节 handle · 来源 wechat_app · 延期 1 working_days</p><p>Filter</p><script>var x='accept'</script>"
    assert offending(visible_text(html)) == ["Filter", "handle", "wechat_app", "working_days"]
    assert offending(visible_text("<p>案卷 KF2026-000001 · A 类区域 · Open311</p>")) == []


@pytest.mark.parametrize("persona", ["officer", "assistant", "supervisor"])
def test_error_pages_are_chinese_and_say_what_to_do(city, persona):
    user = city[persona]
    user.full_name = user.first_name = "张同志"
    user.save(update_fields=["full_name", "first_name"])
    client = Client()
    client.force_login(user)
    for path, status in (("/no-such-page/", 404), ("/cases/999999/", 404), ("/enforcement/review/", 403)):
        response = client.get(path)
        if persona == "supervisor" and path.startswith("/enforcement/review"):
            continue
        assert response.status_code == status, path
        text = visible_text(response.content.decode())
        assert offending(text) == [], (path, text)
        assert "返回" in text or "首页" in text, text


def test_the_server_error_page_is_chinese(client, settings):
    from django.template import loader

    text = visible_text(loader.get_template("500.html").render())
    assert "服务器" in text and offending(text) == []
