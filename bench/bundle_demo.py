"""The demo city's bundle round trip, by hand: export → import into a copy emptied of cases → export, compared.

    CHENGGUAN_VAR_DIR=/tmp/var-demo chengguan demo --no-server      # once
    CHENGGUAN_VAR_DIR=/tmp/var-demo python bench/bundle_demo.py

Works on a copy of the demo's SQLite database (`var/chengguan.sqlite3` → `var/bundle-copy.sqlite3`): every case and
what hangs on cases (facts, deliveries, work orders, submissions, photos, clues...) is deleted there, the bundle is
imported, and exported again. Prints the counts and whether the two bundles are byte-identical.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

VAR = Path(os.environ["CHENGGUAN_VAR_DIR"])
ROOT = Path(__file__).resolve().parent.parent
CHILD = r"""
import sys, time
import django
django.setup()
from django.db import transaction
from chengguan.cases.bundle import export_bundle, import_bundle
from chengguan.cases.models import Case, CaseEvent

step, path = sys.argv[1], sys.argv[2]
t = time.monotonic()
if step == "export":
    print("export", export_bundle(path), f"{time.monotonic() - t:.1f} s")
elif step == "empty":
    with transaction.atomic():
        from django.db.models import ProtectedError

        def purge(qs):  # delete, first deleting whatever protects the rows (other apps' rows about cases)
            while True:
                try:
                    return qs.delete()
                except ProtectedError as exc:
                    for obj in exc.protected_objects:
                        purge(type(obj)._base_manager.filter(pk=obj.pk))

        for model in (CaseEvent, Case):  # hidden relations (related_name="+") too
            for rel in model._meta.get_fields(include_hidden=True):
                if rel.auto_created and not rel.concrete and rel.related_model not in (Case, CaseEvent):
                    purge(rel.related_model._base_manager.filter(**{f"{rel.field.name}__isnull": False}))
        Case.objects.update(merged_into=None)
        Case.objects.all().delete()
        from chengguan.public.models import Open311Submission, PointsEntry
        Open311Submission.objects.all().delete()  # those without a case travel in open311_pending.jsonl
        PointsEntry.objects.filter(case__isnull=True).delete()  # hand adjustments are not carried
    print("emptied: cases left", Case.objects.count())
else:
    import io
    rejects = io.StringIO()
    r = import_bundle(path, on_error="skip", rejects=rejects)
    print("import", {k: r[k] for k in ("cases", "events", "rejected", "files")}, f"{time.monotonic() - t:.1f} s")
    print(rejects.getvalue().strip())
"""


def run(step, path, db):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "chengguan.settings", "CHENGGUAN_DEBUG": "1",
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    if db:
        env["CHENGGUAN_DATABASE_URL"] = f"sqlite:///{db}"
    out = subprocess.run([sys.executable, "-c", CHILD, step, str(path)], env=env, capture_output=True, text=True)
    if out.returncode:
        sys.exit(out.stderr[-3000:])
    print(out.stdout.strip())


def main():
    work = Path(tempfile.mkdtemp())
    original, copy = VAR / "chengguan.sqlite3", VAR / "bundle-copy.sqlite3"
    run("export", work / "a.zip", None)
    shutil.copy(original, copy)
    for suffix in ("-wal", "-shm"):
        Path(str(copy) + suffix).unlink(missing_ok=True)
    run("empty", "-", copy)
    run("import", work / "a.zip", copy)
    run("export", work / "b.zip", copy)
    same = (work / "a.zip").read_bytes() == (work / "b.zip").read_bytes()
    print(f"a.zip {(work / 'a.zip').stat().st_size:,} bytes; byte-identical after the round trip: {'yes' if same else 'NO'}")
    if not same:  # which lines differ (a rejected line is missing from b)
        import zipfile

        a, b = zipfile.ZipFile(work / "a.zip"), zipfile.ZipFile(work / "b.zip")
        la, lb = a.read("cases.jsonl").decode().splitlines(), b.read("cases.jsonl").decode().splitlines()
        missing = [line[:40] for line in la if line not in set(lb)]
        extra = [line[:40] for line in lb if line not in set(la)]
        media_same = all(a.read(n) == b.read(n) for n in b.namelist() if n.startswith("media/"))
        print(f"cases.jsonl: {len(la)} lines in a, {len(lb)} in b; in a only: {missing}; in b only: {extra}; "
              f"media files of b identical to a's: {media_same}")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
