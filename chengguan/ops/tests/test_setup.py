from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chengguan.core.errors import ValidationError
from chengguan.ops.departments import load_departments
from chengguan.org.models import Department, Region, Role, RoleAssignment, User

EXAMPLE = Path(__file__).resolve().parents[3] / "deploy" / "example"
pytestmark = pytest.mark.django_db


def test_setup_loads_the_city_creates_the_first_administrator_and_checks(monkeypatch, settings):
    settings.CITY_CODE = "410200000000"
    monkeypatch.setenv("CHENGGUAN_ADMIN_PASSWORD", "Kf-admin-2026!")
    out, err = StringIO(), StringIO()
    call_command("setup", "--admin", "root", "--regions", str(EXAMPLE / "regions.geojson"),
                 "--departments", str(EXAMPLE / "departments.csv"), "--no-static", stdout=out, stderr=err)
    assert Region.objects.filter(code__startswith="4102").count() == 5
    assert Department.objects.get(code="ZD-410202").parent.code == "JB-410200"
    root = User.objects.get(username="root")
    assert root.is_superuser and root.check_password("Kf-admin-2026!")
    assert RoleAssignment.objects.get(user=root).role == Role.ADMIN
    assert "setup done" in out.getvalue()
    # again (an upgrade): nothing duplicated, the administrator is kept
    call_command("setup", "--regions", str(EXAMPLE / "regions.geojson"),
                 "--departments", str(EXAMPLE / "departments.csv"), "--no-static", stdout=StringIO(), stderr=StringIO())
    assert User.objects.filter(is_superuser=True).count() == 1 and Department.objects.filter(code="JB-410200").count() == 1


def test_setup_says_what_is_missing(monkeypatch, settings):
    settings.CITY_CODE = "999900000000"
    monkeypatch.delenv("CHENGGUAN_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="pass --admin USERNAME"):
        call_command("setup", "--no-static", stdout=StringIO(), stderr=StringIO())
    User.objects.create_superuser("boss", password="x-Long-enough-1", email="")
    err = StringIO()
    call_command("setup", "--no-static", stdout=StringIO(), stderr=err)
    assert "CHENGGUAN_CITY_CODE=999900000000 but no region has that code" in err.getvalue()


def test_a_bad_departments_file_names_each_line_and_changes_nothing(city):
    before = Department.objects.count()
    text = "code,name,kind,parent,region\nA1,甲,bureau,,\nA2,乙,wizard,A1,\nA3,丙,centre,NOPE,999\n,丁,centre,,\n"
    with pytest.raises(ValidationError) as exc:
        load_departments(text)
    message = exc.value.message
    assert "line 3: kind 'wizard'" in message and "line 4: parent 'NOPE'" in message
    assert "line 4: region '999'" in message and "line 5: code missing" in message
    assert Department.objects.count() == before


def test_the_settings_table_lists_every_setting_the_code_reads():
    from chengguan.ops.settings_doc import DOC, SETTINGS, read_by_code, table

    read = read_by_code()
    assert "CHENGGUAN_DATABASE_URL" in read and "CHENGGUAN_S3_BUCKET" in read  # the scan finds settings
    assert sorted(read - set(SETTINGS)) == [], "read by the code but not in chengguan/ops/settings_doc.py"
    assert sorted(set(SETTINGS) - read) == [], "listed in chengguan/ops/settings_doc.py but read nowhere"
    assert table() in DOC.read_text(encoding="utf-8"), "run: python -m chengguan.ops.settings_doc --write"


def test_json_logs_are_one_object_per_line():
    import json
    import logging
    import sys

    from chengguan.ops.logjson import JsonFormatter

    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("chengguan.x", logging.ERROR, __file__, 1, "case %s 超期", ("KF1",), sys.exc_info())
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert "\n" not in line and entry["message"] == "case KF1 超期" and entry["level"] == "ERROR"
    assert "ValueError: boom" in entry["exception"]
