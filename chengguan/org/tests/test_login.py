import time_machine
from django.urls import reverse

from chengguan.org.models import LoginEvent


def _post(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_it_shows_a_chinese_login_page(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_it_signs_in_with_the_right_password(client, city):
    response = _post(client, "operator", "pw-operator")
    assert response.status_code == 302
    assert LoginEvent.objects.filter(username="operator", outcome="success").exists()


def test_it_locks_the_account_after_repeated_failures_and_logs_them(client, city, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCK_MINUTES = 15
    with time_machine.travel("2026-11-20 09:00 +0800", tick=False):
        for _ in range(3):
            assert _post(client, "operator", "wrong").status_code == 200
        response = _post(client, "operator", "pw-operator")
        assert response.status_code == 200  # right password, but locked
        assert "锁定" in response.content.decode()
        city["operator"].refresh_from_db()
        assert city["operator"].locked_until is not None
    assert LoginEvent.objects.filter(username="operator", outcome="failure").count() == 3
    assert LoginEvent.objects.filter(username="operator", outcome="locked").count() == 1
    with time_machine.travel("2026-11-20 09:16 +0800", tick=False):
        assert _post(client, "operator", "pw-operator").status_code == 302


def test_a_failure_for_an_unknown_user_is_logged_without_error(client, db):
    assert _post(client, "ghost", "x").status_code == 200
    assert LoginEvent.objects.filter(username="ghost", user=None).exists()


def test_home_requires_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_english_is_available(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Sign in" in response.content.decode()
