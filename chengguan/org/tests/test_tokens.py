from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from chengguan.org.models import ApiToken
from chengguan.org.services import token_create, token_revoke


def test_only_the_hash_of_a_token_is_stored(city):
    token, key = token_create(user=city["operator"])
    assert key.startswith("cg_")
    assert key not in {t.key_hash for t in ApiToken.objects.all()}
    assert token.key_hash == ApiToken.hash_key(key)


def test_the_command_prints_a_working_token(city, client):
    out = StringIO()
    call_command("token", "create", "--user", "operator", stdout=out)
    key = out.getvalue().strip()
    response = client.get("/api/v1/org/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["username"] == "operator"
    assert "operator" in response.json()["roles"]


def test_a_revoked_token_is_refused(city, client):
    token, key = token_create(user=city["operator"])
    token_revoke(token=token)
    response = client.get("/api/v1/org/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_revoke_by_prefix_via_command(city):
    token, key = token_create(user=city["operator"])
    call_command("token", "revoke", token.prefix, stdout=StringIO())
    token.refresh_from_db()
    assert token.revoked_at is not None
    with pytest.raises(CommandError):
        call_command("token", "revoke", "nope0000", stdout=StringIO())


def test_unknown_user_is_a_clear_error(db):
    with pytest.raises(CommandError, match="no user named"):
        call_command("token", "create", "--user", "ghost", stdout=StringIO())


def test_no_token_is_401(client, db):
    response = client.get("/api/v1/org/me")
    assert response.status_code == 401


def test_sign_in_throttling_leaves_tokens_working_but_an_administrators_lock_stops_them(city, client, settings):
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone

    settings.LOGIN_FAILURE_LIMIT = 2
    _token, key = token_create(user=city["operator"])
    guesser = Client()
    for _ in range(3):
        guesser.post("/accounts/login/", {"username": "operator", "password": "wrong"})
    assert "登录失败次数过多" in guesser.post(
        "/accounts/login/", {"username": "operator", "password": "pw-operator"}).content.decode()
    assert client.get("/api/v1/org/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    city["operator"].locked_until = timezone.now() + timedelta(hours=1)
    city["operator"].save()
    assert client.get("/api/v1/org/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
