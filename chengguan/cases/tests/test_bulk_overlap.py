"""The bulk import validating in a forked child while it writes: what is written before the whole file is valid
stays in one open transaction, so a bad line late in the file still leaves nothing written, and a kill -9 in that
phase leaves nothing either (the import then starts over). A slow `line_check` (it runs in the child) holds the
validation back after the first spool batch, so the parent surely writes chunks before the child has finished."""

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from chengguan.evaluation.models import CaseFact

from ..bulk import SPOOL_BATCH, bulk_import
from ..exchange import ExchangeError, export_cases
from ..models import Case, CaseEvent, ImportCheckpoint
from .test_bulk_resume import database
from .test_exchange import legacy_line, wipe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
LINES, CHUNK, HELD = 1300, 50, SPOOL_BATCH + 1  # the child pauses at line HELD, after handing over batches


def make_file(path: Path, bad_line: int | None = None) -> None:
    out = []
    for i in range(1, LINES + 1):
        if i == bad_line:  # parses (pass 1a), refused by the replay: outside the city
            out.append(legacy_line(number=f"OLD-{i:05d}", lng=116.4, lat=39.9))
        else:
            out.append(legacy_line(number=f"OLD-{i:05d}", address=f"西门大街 {i} 号"))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def slow(line) -> None:
    if line.no == HELD:
        time.sleep(1.5)


def dump() -> str:
    out = io.StringIO()
    export_cases(out)
    return out.getvalue()


def test_a_bad_line_late_in_the_file_leaves_nothing_though_chunks_were_written_meanwhile(walk, tmp_path):
    path = tmp_path / "bad.jsonl"
    make_file(path, bad_line=LINES - 20)
    seen = []  # cases in the database (this transaction) each time a chunk was written

    def hook(rows):
        seen.append(Case.objects.count())

    with pytest.raises(ExchangeError) as err:
        bulk_import(path, chunk=CHUNK, line_check=slow, chunk_hook=hook)
    assert err.value.line == LINES - 20 and err.value.source_field == "lng"
    assert seen and seen[-1] >= 5 * CHUNK  # written before the child found the bad line...
    assert not Case.objects.exists() and not CaseEvent.objects.exists()  # ...and rolled back
    assert not CaseFact.objects.exists() and not ImportCheckpoint.objects.exists()


def test_the_overlapped_import_writes_what_validating_first_writes(walk, tmp_path):
    path = tmp_path / "good.jsonl"
    make_file(path)
    written = []
    result = bulk_import(path, chunk=CHUNK, line_check=slow, chunk_hook=lambda rows: written.append(len(rows)),
                         progress=lambda *a: None)  # fmt: skip
    assert result["overlapped"] and result["cases"] == LINES and sum(written) == LINES
    assert Case.objects.count() == CaseFact.objects.count() == LINES
    checkpoint = ImportCheckpoint.objects.get()
    assert checkpoint.last_line == LINES and checkpoint.cases == LINES and checkpoint.finished_at is not None
    overlapped = dump()
    wipe()
    ImportCheckpoint.objects.all().delete()
    result = bulk_import(path, chunk=CHUNK, overlap=False)
    assert not result["overlapped"] and result["cases"] == LINES
    assert dump() == overlapped


def test_commits_fall_on_chunk_boundaries_and_progress_follows_them(walk, tmp_path):
    path = tmp_path / "good.jsonl"
    make_file(path)
    committed = []
    bulk_import(path, chunk=CHUNK, line_check=slow, progress=lambda done, total, s: committed.append(done))
    # the first commit (once the child had validated everything) holds many chunks, then one per chunk
    assert committed[0] >= 10 * CHUNK and committed[-1] == LINES
    assert all(done % CHUNK == 0 for done in committed[:-1])
    assert all(b - a == CHUNK for a, b in zip(committed, committed[1:-1], strict=False))


SCRIPT = textwrap.dedent(
    """
    import os, signal, sys, time
    import django
    django.setup()
    from chengguan.cases.bulk import bulk_import
    calls = []
    def slow(line):
        if line.no == int(sys.argv[2]):
            time.sleep(3)
    def hook(rows):
        calls.append(len(rows))
        if len(calls) == 5:  # the child is still validating (it sleeps): nothing is committed yet
            os.kill(os.getpid(), signal.SIGKILL)
    bulk_import(sys.argv[1], chunk=int(sys.argv[3]), line_check=slow, chunk_hook=hook)
    """
)


def test_a_kill_while_the_child_validates_leaves_nothing_and_the_import_starts_over(walk, tmp_path):
    path = tmp_path / "migration.jsonl"
    make_file(path)
    url, sql = database(tmp_path)
    env = {**os.environ, "CHENGGUAN_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "chengguan.settings_test",
           "PYTHONPATH": str(Path(__file__).resolve().parents[3])}  # fmt: skip
    killed = subprocess.run([sys.executable, "-c", SCRIPT, str(path), str(HELD), str(CHUNK)], env=env,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert sql("SELECT COUNT(*) FROM cases_case") == [(0,)]
    assert sql("SELECT COUNT(*) FROM cases_importcheckpoint") == [(0,)]

    command = [sys.executable, "-m", "django", "cases"]
    again = subprocess.run([*command, "import", str(path), "--bulk", "--chunk", str(CHUNK)], env=env,
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert again.returncode == 0, again.stderr[-2000:]
    assert "resumed" not in again.stdout
    assert sql("SELECT COUNT(*), COUNT(DISTINCT number) FROM cases_case") == [(LINES, LINES)]
    assert sql("SELECT COUNT(*) FROM evaluation_casefact") == [(LINES,)]
    exported = subprocess.run(
        [*command, "export"], env=env, capture_output=True, check=True, text=True
    ).stdout

    if url.startswith("postgresql"):  # the child wrote into this very database
        wipe()
        ImportCheckpoint.objects.all().delete()
    assert not Case.objects.exists()
    bulk_import(path, chunk=CHUNK)
    assert dump() == exported  # the same as an import never interrupted
