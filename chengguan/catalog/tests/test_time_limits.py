"""Time limits per step, most specific match first, and deadlines computed from them."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError

from chengguan.catalog import steps
from chengguan.catalog.models import FilingCondition, MatterType, TimeLimit
from chengguan.catalog.services import area_class_for, compute_deadline, step_time_limit
from chengguan.core.errors import DomainError, ValidationError

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SH)


def test_it_ships_a_default_limit_for_every_step():
    for step in steps.STEPS:
        amount, unit = step_time_limit(step)
        assert amount > 0 and unit in {"minutes", "working_hours", "working_days"}
    assert step_time_limit(steps.ACCEPT) == (30.0, "minutes")
    assert step_time_limit(steps.HANDLE) == (3.0, "working_days")


def test_it_ships_handling_limits_by_severity_and_area_class():
    assert step_time_limit(steps.HANDLE, severity="urgent", area_class="A") == (2.0, "working_hours")
    assert step_time_limit(steps.HANDLE, severity="urgent", area_class="C") == (8.0, "working_hours")
    assert step_time_limit(steps.HANDLE, severity="pressing", area_class="B") == (1.0, "working_days")
    assert step_time_limit(steps.HANDLE, severity="normal", area_class="C") == (5.0, "working_days")
    assert step_time_limit(steps.HANDLE, severity="pressing") == (1.0, "working_days")


def test_it_falls_back_to_the_steps_default_row_for_unconfigured_combinations():
    assert step_time_limit(steps.ACCEPT, severity="urgent", area_class="A") == (30.0, "minutes")
    assert step_time_limit(steps.HANDLE, area_class="A") == (3.0, "working_days")


def test_it_prefers_a_filing_condition_row_over_severity_and_area_rows():
    manhole = FilingCondition.objects.filter(matter__code="01001", default_severity="urgent").get()
    TimeLimit.objects.create(
        step=steps.HANDLE, filing_condition=manhole, amount=Decimal(1), unit="working_hours"
    )
    assert step_time_limit(steps.HANDLE, filing_condition=manhole, severity="normal", area_class="C") == (
        1.0,
        "working_hours",
    )
    TimeLimit.objects.create(
        step=steps.HANDLE, filing_condition=manhole, area_class="C", amount=Decimal(3), unit="working_hours"
    )
    assert step_time_limit(steps.HANDLE, filing_condition=manhole, area_class="C") == (3.0, "working_hours")
    assert step_time_limit(steps.HANDLE, filing_condition=manhole, area_class="A") == (1.0, "working_hours")


def test_it_uses_the_filing_conditions_default_severity_when_none_is_given():
    manhole = FilingCondition.objects.filter(matter__code="01001", default_severity="urgent").get()
    assert step_time_limit(steps.HANDLE, filing_condition=manhole, area_class="A") == (2.0, "working_hours")
    assert step_time_limit(steps.HANDLE, filing_condition=manhole, severity="", area_class="A") == (
        2.0,
        "working_hours",
    )
    assert step_time_limit(steps.HANDLE, filing_condition=manhole, severity="normal", area_class="A") == (
        2.0,
        "working_days",
    )


def test_it_raises_a_clear_error_when_a_step_has_no_default():
    TimeLimit.objects.filter(step=steps.CHECK).delete()
    with pytest.raises(DomainError) as err:
        step_time_limit(steps.CHECK)
    assert err.value.code == "time_limit_missing" and "check" in err.value.message


def test_it_rejects_unknown_steps_severities_and_area_classes():
    for kwargs, field in (
        ({"step": "lunch"}, "step"),
        ({"step": "handle", "severity": "critical"}, "severity"),
        ({"step": "handle", "area_class": "D"}, "area_class"),
    ):
        step = kwargs.pop("step")
        with pytest.raises(ValidationError) as err:
            step_time_limit(step, **kwargs)
        assert err.value.field == field


def test_it_refuses_a_duplicate_default_row():
    duplicate = TimeLimit(step=steps.ACCEPT, amount=Decimal(10), unit="minutes")
    with pytest.raises(DjangoValidationError):
        duplicate.full_clean()


def test_it_computes_a_deadline_across_lunch_and_the_weekend():
    # Friday 11:50, urgent in a B area → 4 working hours: 10 min before lunch + 3 h 50 after it.
    assert compute_deadline(steps.HANDLE, at(2026, 11, 20, 11, 50), severity="urgent", area_class="B") == at(
        2026, 11, 20, 17, 50
    )
    assert compute_deadline(steps.HANDLE, at(2026, 11, 20, 16, 0), severity="urgent", area_class="B") == at(
        2026, 11, 23, 10, 0
    )
    assert compute_deadline(steps.HANDLE, at(2026, 9, 30, 10, 0), severity="pressing", area_class="C") == at(
        2026, 10, 9, 10, 0
    )


def test_it_reads_the_area_class_from_the_unit_grid(grid_a1, grid_a2):
    assert area_class_for(grid_a1) == "A"
    assert area_class_for(grid_a2) == "B"
    grid_a2.management_level = "c"
    assert area_class_for(grid_a2) == "C"
    grid_a2.management_level = "一级"
    assert area_class_for(grid_a2) == "B"
    assert area_class_for(None) == "B"


def test_it_ships_filing_and_closing_conditions_for_every_matter():
    without = MatterType.objects.filter(filing_conditions__isnull=True)
    assert not without.exists()
    garbage = FilingCondition.objects.get(code="0601001")
    assert "暴露垃圾" in garbage.text and garbage.closing_text
    manhole = FilingCondition.objects.filter(matter__code="01003").order_by("code")
    assert [c.default_severity for c in manhole] == ["urgent", "pressing"]
    assert FilingCondition.objects.filter(matter__code="09006").get().closing_text
    lamp = FilingCondition.objects.filter(matter__code="01037")
    assert lamp.count() == 3


def test_it_reloads_the_defaults_without_duplicating_or_overwriting_admin_edits():
    from chengguan.catalog.defaults import load_defaults
    from chengguan.catalog.models import LegacyCode

    TimeLimit.objects.filter(step=steps.ACCEPT, filing_condition=None, severity="", area_class="").update(
        amount=Decimal(20)
    )
    FilingCondition.objects.filter(code="0601001").update(text="本市口径")
    counts = (FilingCondition.objects.count(), TimeLimit.objects.count(), LegacyCode.objects.count())
    assert load_defaults(MatterType, FilingCondition, TimeLimit, LegacyCode) == {
        "conditions": 0,
        "time_limits": 0,
        "legacy_codes": 0,
    }
    assert counts == (FilingCondition.objects.count(), TimeLimit.objects.count(), LegacyCode.objects.count())
    assert step_time_limit(steps.ACCEPT) == (20.0, "minutes")
    assert FilingCondition.objects.get(code="0601001").text == "本市口径"
