"""System proofs across apps: shared fixtures and the figures summary printed at the end of the run."""

from django.db import connection

from .figures import FIGURES, write_json


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not FIGURES:
        return
    engine = connection.vendor if connection.settings_dict.get("ENGINE") else "?"
    terminalreporter.section(f"chengguan system figures ({engine})")
    for name in sorted(FIGURES):
        terminalreporter.write_line(f"{name}: {FIGURES[name]}")
    write_json(f"system-figures-{engine}.json", FIGURES)
