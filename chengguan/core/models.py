"""The working-time calendar: working hours per weekday, date overrides and admin-published years.

Which days are workdays comes from, in order: a date override (`CalendarDay`), the statutory calendar of the
`chinesecalendar` package (holidays and 调休 make-up workdays), and for a year the package does not know, a
`CalendarYear` row saying an admin has entered that year's holidays and make-up workdays as overrides (the
remaining days then follow Monday–Friday). See docs/calendar.md; the arithmetic is in `workcalendar.py`.
"""

import re
from datetime import date, time

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

HOURS_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def parse_hours(text: str) -> list[tuple[time, time]]:
    """Parse "08:00-12:00, 14:00-18:00" into sorted, non-overlapping (start, end) pairs."""
    periods = []
    for chunk in filter(None, (c.strip() for c in re.split(r"[,，;；]", text or ""))):
        match = HOURS_RE.match(chunk)
        if not match:
            raise ValidationError(_("Write working hours as 08:00-12:00, 14:00-18:00."), code="hours_format")
        h1, m1, h2, m2 = (int(x) for x in match.groups())
        if h2 == 24 and m2 == 0:
            h2, m2 = 23, 59
        if not (h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60):
            raise ValidationError(_("%(value)s is not a valid time range."), params={"value": chunk})
        start, end = time(h1, m1), time(h2, m2)
        if start >= end:
            raise ValidationError(_("%(value)s ends before it starts."), params={"value": chunk})
        periods.append((start, end))
    periods.sort()
    for (_s1, e1), (s2, _e2) in zip(periods, periods[1:], strict=False):
        if s2 < e1:
            raise ValidationError(_("Working periods must not overlap."), code="hours_overlap")
    return periods


def validate_hours(text: str) -> None:
    parse_hours(text)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WorkingHours(models.Model):
    """One working period of a weekday, e.g. Monday 08:00–12:00. A weekday may have several periods."""

    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("to"))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["weekday", "start"]
        constraints = [
            models.UniqueConstraint(fields=["weekday", "start"], name="working_hours_unique_start"),
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")),
                name="working_hours_start_before_end",
                violation_error_message=_("A working period must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self):
        if self.start is None or self.end is None or self.weekday is None:
            return
        overlapping = WorkingHours.objects.filter(
            weekday=self.weekday, start__lt=self.end, end__gt=self.start
        )
        if overlapping.exclude(pk=self.pk).exists():
            raise ValidationError(_("This period overlaps another period of the same weekday."))


class CalendarDay(models.Model):
    """A date override: a whole day declared a workday or a holiday, optionally with its own hours."""

    class Kind(models.TextChoices):
        WORKDAY = "workday", _("workday")
        HOLIDAY = "holiday", _("holiday")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    hours = models.CharField(
        _("working hours"),
        max_length=100,
        blank=True,
        validators=[validate_hours],
        help_text=_(
            "Only for workdays, e.g. 08:00-12:00, 14:00-18:00. Empty: the hours of its weekday "
            "(Monday's hours when the weekday has none, e.g. a make-up Saturday)."
        ),
    )
    note = models.CharField(_("note"), max_length=100, blank=True, help_text=_("e.g. 国庆节 or 国庆节调休"))

    class Meta:
        verbose_name = _("date override")
        verbose_name_plural = _("date overrides")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    def clean(self):
        if self.kind == self.Kind.HOLIDAY and self.hours.strip():
            raise ValidationError({"hours": _("A holiday has no working hours.")})


class CalendarYear(models.Model):
    """A year whose holidays and make-up workdays an admin has entered as date overrides.

    Needed only for years the installed chinesecalendar package does not know yet (it knows up to 2026);
    for such a year, days without an override follow the weekday rule (Monday–Friday work).
    """

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("e.g. the State Council notice number")
    )

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)

    def clean(self):
        import chinese_calendar

        if self.year is None:
            return
        try:
            chinese_calendar.is_workday(date(self.year, 1, 1))
        except NotImplementedError:
            return
        raise ValidationError(
            {
                "year": _(
                    "chinesecalendar already knows %(year)s; enter exceptions for single days as date overrides."
                )
                % {"year": self.year}
            }
        )


def _calendar_changed(sender, **kwargs):
    from chengguan.core.workcalendar import clear_cache

    clear_cache()


for _model in (WorkingHours, CalendarDay, CalendarYear):
    models.signals.post_save.connect(
        _calendar_changed, sender=_model, dispatch_uid=f"calendar-{_model.__name__}"
    )
    models.signals.post_delete.connect(
        _calendar_changed, sender=_model, dispatch_uid=f"calendar-del-{_model.__name__}"
    )
