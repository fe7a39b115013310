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
        assert "登录失败次数过多" in response.content.decode()
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


def _message(response) -> str:
    import re

    return re.search(r'<p class="error"[^>]*>(.*?)</p>', response.content.decode()).group(1)


def test_an_unknown_account_and_a_real_one_answer_the_same_before_and_after_the_limit(client, city, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    with time_machine.travel("2026-11-20 09:00 +0800", tick=False):
        answers = {}
        for name in ("operator", "no-such-user"):
            answers[name] = [_message(_post(client, name, "wrong")) for _ in range(4)]
        assert answers["operator"] == answers["no-such-user"]
        assert answers["operator"][0] == "用户名或密码错误。" and "登录失败次数过多" in answers["operator"][3]


def test_a_guesser_from_one_address_does_not_lock_the_owner_out_from_another(city, settings):
    from django.test import Client

    settings.LOGIN_FAILURE_LIMIT = 3
    attacker, owner = Client(REMOTE_ADDR="203.0.113.9"), Client(REMOTE_ADDR="10.1.2.3")
    with time_machine.travel("2026-11-20 09:00 +0800", tick=False):
        for _ in range(5):
            _post(attacker, "operator", "wrong")
        assert _post(attacker, "operator", "pw-operator").status_code == 200  # refused unchecked
        assert _post(owner, "operator", "pw-operator").status_code == 302
    assert LoginEvent.objects.filter(username="operator", outcome="failure").count() == 3


def test_one_address_trying_many_accounts_is_throttled(city, settings):
    from django.test import Client

    settings.LOGIN_IP_FAILURE_LIMIT = 4
    sprayer = Client(REMOTE_ADDR="203.0.113.7")
    with time_machine.travel("2026-11-20 09:00 +0800", tick=False):
        for name in ("a1", "a2", "a3", "a4"):
            assert "登录失败次数过多" not in _post(sprayer, name, "wrong").content.decode()
        assert "登录失败次数过多" in _post(sprayer, "operator", "pw-operator").content.decode()
        assert _post(Client(REMOTE_ADDR="10.9.9.9"), "operator", "pw-operator").status_code == 302


def test_many_addresses_guessing_one_account_hit_the_account_ceiling(city, settings):
    from django.test import Client

    settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 3, 4
    with time_machine.travel("2026-11-20 09:00 +0800", tick=False):
        for i in range(4):
            _post(Client(REMOTE_ADDR=f"203.0.113.{i}"), "operator", "wrong")
        assert _post(Client(REMOTE_ADDR="10.9.9.9"), "operator", "pw-operator").status_code == 200
    with time_machine.travel("2026-11-20 09:16 +0800", tick=False):
        assert _post(Client(REMOTE_ADDR="10.9.9.9"), "operator", "pw-operator").status_code == 302


def test_a_success_clears_the_failures_of_that_account(client, city, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    with time_machine.travel("2026-11-20 09:00 +0800", tick=False):
        for _ in range(2):
            _post(client, "operator", "wrong")
        assert _post(client, "operator", "pw-operator").status_code == 302
        client.post(reverse("logout"))
        for _ in range(2):
            _post(client, "operator", "wrong")
        assert _post(client, "operator", "pw-operator").status_code == 302


def test_an_account_locked_by_an_administrator_is_refused_with_the_same_answer(client, city):
    from datetime import timedelta

    from django.utils import timezone

    city["operator"].locked_until = timezone.now() + timedelta(hours=1)
    city["operator"].save()
    assert "登录失败次数过多" in _post(client, "operator", "pw-operator").content.decode()


def test_the_purge_job_drops_old_counters(client, city):
    from chengguan.org import throttle
    from chengguan.org.models import LoginThrottle

    with time_machine.travel("2026-11-18 09:00 +0800", tick=False):
        _post(client, "operator", "wrong")
    with time_machine.travel("2026-11-20 09:00 +0800", tick=False):
        _post(client, "dispatcher", "wrong")
        assert LoginThrottle.objects.count() == 5  # the address's counter started a new window
        assert throttle.purge() == 2  # operator's two, two days old
    assert LoginThrottle.objects.count() == 3
