import pytest
from django.db import connection
from django.test import override_settings

from chengguan import __version__


@pytest.mark.django_db
def test_healthz_reports_the_database_and_version(client):
    body = client.get("/healthz").json()
    assert {k: body[k] for k in ("status", "database", "version")} == {
        "status": "ok",
        "database": "postgresql" if connection.vendor == "postgresql" else "sqlite",
        "version": __version__,
    }


def test_the_server_refuses_to_start_without_a_secret_key(tmp_path):
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "CHENGGUAN_VAR_DIR": str(tmp_path), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "chengguan.cli", "check"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "CHENGGUAN_SECRET_KEY" in result.stderr


def test_help_lists_our_commands():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "chengguan.cli", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert "demo" in result.stdout and "token" in result.stdout


@override_settings(LANGUAGE_CODE="zh-hans")
def test_settings_default_to_shanghai_time_and_chinese(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"


def test_the_site_has_an_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("core/favicon.svg")
    assert 'rel="icon"' in client.get("/accounts/login/").content.decode()
