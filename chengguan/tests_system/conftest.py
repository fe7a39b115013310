"""System proofs across apps: shared fixtures and the figures summary printed at the end of the run."""

import pytest
from django.db import connection

from .browser import browser, chromium  # noqa: F401 (fixtures of the browser journeys)
from .figures import FIGURES, write_json
from .procs import drop_template, make_template


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: a journey in headless Chromium (skipped without chromium)")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not FIGURES:
        return
    engine = connection.vendor
    terminalreporter.section(f"chengguan system figures ({engine})")
    for name in sorted(FIGURES):
        terminalreporter.write_line(f"{name}: {FIGURES[name]}")
    write_json(f"system-figures-{engine}.json", FIGURES)


@pytest.fixture(scope="session")
def migrated_template(django_db_setup, django_db_blocker, tmp_path_factory):
    """A migrated database other processes can clone (see procs.fresh_database), made once per run."""
    with django_db_blocker.unblock():
        template = make_template(tmp_path_factory.mktemp("dbtemplate"))
    yield template
    drop_template(template)
