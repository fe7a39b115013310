"""The commands: `open311 key create|list|revoke`, `hotline add|map|list`, `webhooks list|retry`."""

import io

import pytest
from django.core.management import CommandError, call_command

from chengguan.public.models import HotlineCategory, HotlineSystem, Open311Key, WebhookSubscriber


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_it_creates_an_open311_key_and_keeps_only_its_hash(db):
    raw = run("open311", "key", "create", "FixMyStreet Kaifeng").strip()
    key = Open311Key.objects.get()
    assert raw.startswith("o311_") and key.key_hash == Open311Key.hash_key(raw) and raw not in key.key_hash
    assert key.name == "FixMyStreet Kaifeng" and key.prefix in raw
    assert "FixMyStreet Kaifeng" in run("open311", "key", "list")
    with pytest.raises(CommandError):
        run("open311", "key", "create", "FixMyStreet Kaifeng")
    assert run("open311", "key", "revoke", key.prefix).strip() == "revoked 1 key(s)"


def test_it_registers_a_hotline_with_a_webhook_and_maps_a_category(city, garbage):
    out = run(
        "hotline",
        "add",
        "12345",
        "12345 热线",
        "--webhook",
        "https://hotline.example.cn/hooks",
        "--default-matter",
        "06010",
    )
    system = HotlineSystem.objects.get()
    assert "API token" in out and "signing secret" in out and system.default_matter == garbage
    assert WebhookSubscriber.objects.get().secret in out
    assert "06010" in run("hotline", "map", "12345", "HJWS-01", "06010", "--name", "环境卫生")
    assert HotlineCategory.objects.get().matter == garbage
    assert "12345" in run("hotline", "list")
    with pytest.raises(CommandError):
        run("hotline", "add", "12345", "again")
    with pytest.raises(CommandError):
        run("hotline", "map", "99999", "X", "06010")


def test_it_refuses_a_webhook_url_that_is_not_http(city, garbage):
    with pytest.raises(CommandError):
        run("hotline", "add", "12319", "12319", "--webhook", "ftp://example.cn/x")


def test_a_key_whose_secret_would_start_with_a_dash_is_still_revocable(db):
    from unittest import mock

    draws = iter(["-Ab" + "c" * 29, "xY" + "z" * 30])
    with mock.patch("chengguan.core.tokens.secrets.token_urlsafe", side_effect=lambda n: next(draws)):
        run("open311", "key", "create", "Dash")
    key = Open311Key.objects.get(name="Dash")
    assert key.prefix == "xYzzzzzz"
    assert run("open311", "key", "revoke", key.prefix).strip() == "revoked 1 key(s)"
