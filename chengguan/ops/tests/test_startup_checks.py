"""Start-up refusals are one readable line each, never a traceback."""

import subprocess
import sys

import pytest


def chengguan(*args, tmp_path, **env):
    base = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CHENGGUAN_VAR_DIR": str(tmp_path / "var"),
            "CHENGGUAN_SECRET_KEY": "s" * 50}
    return subprocess.run([sys.executable, "-m", "chengguan.cli", *args], env={**base, **env},
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("sqlite:////nonexistent-dir/for/sure/db.sqlite3", "cannot use the SQLite file /nonexistent-dir/for/sure"),
        ("postgresql://postgres@127.0.0.1:5432/ops_surely_missing",
         "cannot use the PostgreSQL database 'ops_surely_missing' on 127.0.0.1:5432"),
    ],
)
def test_migrate_on_a_missing_database_says_so_in_one_line(tmp_path, url, words):
    done = chengguan("migrate", tmp_path=tmp_path, CHENGGUAN_DATABASE_URL=url)
    assert done.returncode == 2
    assert words in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_serve_refuses_a_weak_secret_a_wildcard_host_and_an_unmigrated_database(tmp_path):
    (tmp_path / "var").mkdir()
    done = chengguan("serve", "--check", tmp_path=tmp_path, CHENGGUAN_SECRET_KEY="short", CHENGGUAN_ALLOWED_HOSTS="*")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("chengguan serve: ")]
    assert len(lines) == 3, done.stderr
    assert "CHENGGUAN_SECRET_KEY is too short" in lines[0]
    assert "CHENGGUAN_ALLOWED_HOSTS contains '*'" in lines[1]
    assert "migrations are not applied yet" in lines[2] and "chengguan setup" in lines[2]


@pytest.mark.django_db
def test_serve_check_passes_on_a_migrated_database(tmp_path, migrated_template):
    from chengguan.tests_system.procs import fresh_database

    with fresh_database(migrated_template, tmp_path, prefix="ops_check") as url:  # positive control
        done = chengguan("serve", "--check", tmp_path=tmp_path, CHENGGUAN_DATABASE_URL=url)
    assert done.returncode == 0 and "start-up checks passed" in done.stdout, done.stderr
