"""The norm's patrol-day defaults must not trip Django's fixed-default check at the hour they name.

CI once failed at 23:00: `chengguan migrate` printed Django's "Fixed default value provided" warning (fields.W161)
for ``patrol_day_end = TimeField(default=time(23, 0))``, because that check warns whenever the clock reads
within ten seconds of a fixed time default.
"""

from datetime import datetime, time
from unittest import mock

import pytest
from django.core import checks
from django.db import models

from chengguan.patrol.models import Norm


def _checks_at(clock, field):
    with mock.patch("django.db.models.fields._get_naive_now", return_value=clock):
        return [m.id for m in field.check()]


@pytest.mark.parametrize("hour", [7, 23])
def test_the_patrol_day_defaults_raise_no_warning_at_the_hour_they_name(hour):
    clock = datetime(2026, 12, 6, hour, 0, 3)
    for name in ("patrol_day_start", "patrol_day_end"):
        assert "fields.W161" not in _checks_at(clock, Norm._meta.get_field(name))
    # positive control: the same check does warn for a fixed time at that moment
    fixed = models.TimeField(default=time(hour, 0))
    fixed.set_attributes_from_name("fixed")
    fixed.model = Norm
    assert "fields.W161" in _checks_at(clock, fixed)


def test_a_new_norm_still_gets_seven_to_eleven():
    norm = Norm()
    assert (norm.patrol_day_start, norm.patrol_day_end) == (time(7, 0), time(23, 0))


def test_the_whole_project_checks_clean_at_23_00():
    clock = datetime(2026, 12, 6, 23, 0, 0)
    with mock.patch("django.db.models.fields._get_naive_now", return_value=clock):
        found = [m for m in checks.run_checks() if m.level >= checks.WARNING]
    assert found == []
