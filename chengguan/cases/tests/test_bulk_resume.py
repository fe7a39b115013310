"""A bulk import killed with SIGKILL in the middle resumes at its last committed chunk: no case twice, none lost,
and the result is the same as an import that was never interrupted."""

import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from chengguan.evaluation.models import CaseFact

from ..bulk import bulk_import
from ..exchange import export_cases
from ..models import Case, ImportCheckpoint
from .test_exchange import legacy_line, wipe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
LINES, CHUNK = 1500, 50


def make_file(path: Path) -> int:
    """LINES cases; every 97th is a duplicate merged into a case 120 lines further on (a later chunk) or 120
    lines back (an earlier one). Returns the number of events."""
    out, events = [], 0
    for i in range(LINES):
        if i % 97 == 5:
            target = i + 120 if i + 120 < LINES else i - 120
            line = legacy_line(
                number=f"OLD-{i:05d}", reported_at="2026-03-02T09:30:00+08:00",
                events=[{"action": "merge", "at": "2026-03-02T09:45:00+08:00", "actor_role": "operator",
                         "target": f"OLD-{target:05d}"}],
            )  # fmt: skip
        else:
            line = legacy_line(number=f"OLD-{i:05d}", address=f"西门大街 {i} 号")
        events += len(json.loads(line)["events"])
        out.append(line)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return events


def database(tmp_path) -> tuple[str, object]:
    """The URL a child process reaches the test database by, and a function running SQL on it. An in-memory
    SQLite test database is copied to a file first (the child works on the copy)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        import sqlite3

        copy = tmp_path / "db.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        connection.connection.backup(target)
        target.close()

        def sql(query):
            with sqlite3.connect(copy) as db:
                return db.execute(query).fetchall()

        return f"sqlite:///{copy}", sql
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")

    def sql(query):
        with connection.cursor() as cursor:
            cursor.execute(query)
            return cursor.fetchall()

    return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}", sql


def dump() -> bytes:
    out = io.StringIO()
    export_cases(out)
    return out.getvalue().encode()


def test_a_killed_bulk_import_resumes_without_duplicates_or_loss(walk, tmp_path):
    path = tmp_path / "migration.jsonl"
    events = make_file(path)
    url, sql = database(tmp_path)
    env = {**os.environ, "CHENGGUAN_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "chengguan.settings_test",
           "PYTHONPATH": str(Path(__file__).resolve().parents[3])}  # fmt: skip
    command = [sys.executable, "-m", "django", "cases"]
    child = subprocess.Popen(
        [*command, "import", str(path), "--bulk", "--chunk", str(CHUNK)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    seen, other = [], []
    for line in child.stderr:  # one progress line per committed chunk
        other.append(line)
        if "cases/s" in line:
            seen.append(line)
        if len(seen) == 3:
            child.send_signal(signal.SIGKILL)
            break
    child.wait(60)
    assert child.returncode == -signal.SIGKILL, (child.returncode, "".join(other[-6:]))
    [(last_line, counted, finished)] = sql("SELECT last_line, cases, finished_at FROM cases_importcheckpoint")
    [(committed,)] = sql("SELECT COUNT(*) FROM cases_case")
    assert finished is None and 3 * CHUNK <= committed < LINES
    assert committed == counted and committed % CHUNK == 0  # whole chunks only
    assert last_line == committed  # every line so far was good: line n is case n

    resumed = subprocess.run(
        [*command, "import", str(path), "--bulk", "--chunk", str(CHUNK)], env=env, capture_output=True, text=True
    )
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert f"resumed after line {last_line:,}" in resumed.stdout
    assert sql("SELECT COUNT(*), COUNT(DISTINCT number) FROM cases_case") == [(LINES, LINES)]
    assert sql("SELECT COUNT(*) FROM cases_caseevent") == [(LINES + events,)]
    assert sql("SELECT COUNT(*) FROM evaluation_casefact") == [(LINES,)]
    assert sql("SELECT COUNT(*) FROM cases_case WHERE merged_into_id IS NOT NULL") == [(len(range(5, LINES, 97)),)]
    exported = subprocess.run([*command, "export"], env=env, capture_output=True, check=True).stdout

    if connection.vendor != "sqlite":  # the child wrote into this very database
        wipe()
        ImportCheckpoint.objects.all().delete()
    assert not Case.objects.exists()
    bulk_import(path, chunk=CHUNK)
    assert Case.objects.count() == LINES and CaseFact.objects.count() == LINES
    assert dump() == exported  # the same as an import never interrupted
