"""A web worker's memory: loading every URL imports none of the heavy modules (dictionaries, projections, office
formats, images) that only some pages use; they are imported on first use. A regression here cost 10 MB per worker
(docs/performance.md, "Web worker memory"). Checked in a fresh interpreter: this test process has imported them."""

import json
import os
import subprocess
import sys
from pathlib import Path

# module → what it costs a worker if imported when the URLs load
HEAVY = {
    "pypinyin": "≈ 55 MB of dictionaries (the gazetteer's search text)",
    "pyproj": "≈ 24 MB (metric area and length)",
    "docx": "≈ 7–15 MB with lxml (documents, sheets, referral packages)",
    "lxml": "the XML library under python-docx",
    "openpyxl": "Excel reading",
    "xlsxwriter": "Excel exports",
    "matplotlib": "charts of the monthly report",
    "duckdb": "benchmarks only",
    "PIL": "≈ 2.4 MB (Pillow: photo checks, map tiles)",
}

PROGRAM = """
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
loaded = {"urls": sorted(m for m in HEAVY if m in sys.modules)}
import chengguan.core.office.docs  # noqa: F401 - the positive control: a first use imports python-docx
loaded["after_first_use"] = sorted(m for m in HEAVY if m in sys.modules)
print(json.dumps(loaded))
"""


def test_loading_the_urls_imports_no_heavy_module():
    root = Path(__file__).resolve().parents[3]
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="chengguan.settings_test", PYTHONPATH=str(root))
    out = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {sorted(HEAVY)!r}\n" + PROGRAM],
        env=env, cwd=root, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert loaded["urls"] == [], {m: HEAVY[m] for m in loaded["urls"]}
    assert {"docx", "lxml"} <= set(loaded["after_first_use"])  # the check sees an import when there is one
