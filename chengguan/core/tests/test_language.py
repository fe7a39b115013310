"""Which language a page speaks: Chinese by default, the browser's language when allowed, the header switch always."""

from django.urls import reverse


def _login_page(client, **headers):
    return client.get(reverse("login"), **headers).content.decode()


def test_an_english_browser_gets_english_by_default(client, db):
    page = _login_page(client, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "登录" not in page and "Sign in" in page


def test_a_city_may_speak_chinese_to_every_browser(client, db, settings):
    settings.BROWSER_LANGUAGE = False
    assert "登录" in _login_page(client, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")


def test_the_header_switch_still_chooses_english_when_the_browser_is_ignored(client, db, settings):
    settings.BROWSER_LANGUAGE = False
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Sign in" in _login_page(client, HTTP_ACCEPT_LANGUAGE="zh-CN")
