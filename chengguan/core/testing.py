"""Test helpers for the working-time calendar, shared by every app's tests (not a test module)."""

from pathlib import Path

import chinese_calendar
import pytest

from . import workcalendar

NOTICE_DIR = Path(__file__).resolve().parent / "data"
NOTICE_2027 = NOTICE_DIR / "notice_2027_sample.txt"  # written in the State Council's format, not official
KNOWN_UP_TO = 2026  # the installed chinesecalendar's last year


@pytest.fixture(autouse=True)
def package_knows_up_to_2026(monkeypatch):
    """Pin what chinesecalendar knows to 2004–2026 (the installed version) so that a newer release cannot
    turn the unknown-year stories green for the wrong reason or red for no reason. Import it into a test
    module (or a conftest) to apply it there."""
    real = chinese_calendar.is_workday

    def is_workday(day):
        if day.year > KNOWN_UP_TO:
            raise NotImplementedError(f"no available data for year {day.year}")
        return real(day)

    monkeypatch.setattr(chinese_calendar, "is_workday", is_workday)
    workcalendar.clear_cache()
    yield
    workcalendar.clear_cache()
