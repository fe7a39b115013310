"""A web worker loads what it serves with, not Django's test client: chengguan.wsgi loads django.test.signals (for
django-ninja's settings) without the django.test package, which would bring unittest, xml.dom.minidom and Jinja2."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import json, os, sys
if sys.argv[1] == "ours":
    from chengguan.wsgi import application
else:  # Django's own entry point, as a worker would be without chengguan.wsgi
    os.environ["DJANGO_SETTINGS_MODULE"] = "chengguan.settings"
    from django.core.wsgi import get_wsgi_application
    application = get_wsgi_application()
from django.core.signals import setting_changed
from django.urls import get_resolver
get_resolver()._populate()  # every view and API router imported, as after a worker's first request
loaded = {m: m in sys.modules for m in ("ninja", "django.test.signals", "django.test", "unittest", "xml.dom.minidom")}
receivers = sorted({r[1]().__module__ for r in setting_changed.receivers if r[1]() is not None})
first = sys.modules["django.test.signals"]
from django.test import TestCase  # a later import of the package still works and keeps the one signals module
print(json.dumps({"loaded": loaded, "receivers": receivers, "kept": sys.modules["django.test.signals"] is first,
                  "client": TestCase.__name__}))
"""


def probe(entry, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT), "CHENGGUAN_VAR_DIR": str(tmp_path),
           "CHENGGUAN_SECRET_KEY": "test-only", "CHENGGUAN_ALLOWED_HOSTS": "testserver"}
    result = subprocess.run([sys.executable, "-c", PROBE, entry], env=env, capture_output=True, text=True,
                            timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("entry, test_package", [("ours", False), ("django", True)])
def test_a_web_worker_does_not_load_the_test_client(entry, test_package, tmp_path):
    found = probe(entry, tmp_path)
    # Django's entry point loads the test package (the control that shows the probe sees it); ours does not.
    assert found["loaded"] == {"ninja": True, "django.test.signals": True, "django.test": test_package,
                               "unittest": test_package, "xml.dom.minidom": test_package}
    assert "django.test.signals" in found["receivers"]  # its receivers are connected either way
    assert found["kept"] and found["client"] == "TestCase"
