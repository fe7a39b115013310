"""Real processes against real databases: a migrated template copied per test (PostgreSQL: CREATE DATABASE
... TEMPLATE, SQLite: a file copy), and the `chengguan` command run as a subprocess against it."""

import contextlib
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, connections

PG_ADMIN_DB = "postgres"


@dataclass
class Template:
    vendor: str
    name: str  # PostgreSQL database name, or SQLite file path
    settings: dict


def _pg_admin(settings_dict):
    import psycopg

    return psycopg.connect(
        dbname=PG_ADMIN_DB,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        autocommit=True,
    )


def make_template(tmp_dir: Path) -> Template:
    """Copy the (migrated, still empty) pytest database into a template other processes can open."""
    settings_dict = dict(connection.settings_dict)
    if connection.vendor == "postgresql":
        name = f"cg_sys_tpl_{uuid.uuid4().hex[:10]}"
        source = settings_dict["NAME"]
        connections.close_all()
        with _pg_admin(settings_dict) as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        return Template("postgresql", name, settings_dict)
    path = tmp_dir / "template.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return Template("sqlite", str(path), settings_dict)


def drop_template(template: Template) -> None:
    if template.vendor == "postgresql":
        with _pg_admin(template.settings) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{template.name}" WITH (FORCE)')


@contextlib.contextmanager
def fresh_database(template: Template, tmp_dir: Path, prefix="cg_sys"):
    """Yield a database URL for a new database cloned from the template; drop it afterwards."""
    if template.vendor == "postgresql":
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        s = template.settings
        with _pg_admin(s) as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template.name}"')
        auth = s.get("USER") or ""
        if s.get("PASSWORD"):
            auth += ":" + s["PASSWORD"]
        host = f"{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}"
        try:
            yield f"postgresql://{auth}@{host}/{name}"
        finally:
            with _pg_admin(s) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_dir / f"{prefix}_{uuid.uuid4().hex[:10]}.sqlite3"
        shutil.copy(template.name, path)
        yield f"sqlite:///{path}"


def cli_env(url: str, media_root: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHENGGUAN_", "DJANGO_", "PYTEST"))}
    env.update(
        CHENGGUAN_DATABASE_URL=url,
        CHENGGUAN_SECRET_KEY="system-test-only-not-a-secret",
        CHENGGUAN_MEDIA_ROOT=str(media_root),
        CHENGGUAN_VAR_DIR=str(Path(media_root).parent),
        CHENGGUAN_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="chengguan.settings",
        PYTHONUNBUFFERED="1",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def cli(*args) -> list[str]:
    return [sys.executable, "-m", "chengguan.cli", *args]


def run_cli(args, env, *, timeout=120, check=True) -> subprocess.CompletedProcess:
    done = subprocess.run(cli(*args), env=env, capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"chengguan {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def run_python(code: str, env, *, timeout=120, check=True) -> subprocess.CompletedProcess:
    """Run Python with Django set up against `env`'s database (used for setup, digests and racers)."""
    prelude = "import django; django.setup()\n"
    done = subprocess.run(
        [sys.executable, "-c", prelude + code], env=env, capture_output=True, text=True, timeout=timeout
    )
    if check and done.returncode != 0:
        raise AssertionError(f"python failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
