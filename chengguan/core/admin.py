"""Admin for the working-time calendar: working hours per weekday, date overrides and published years."""

import chinese_calendar
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .models import CalendarDay, CalendarYear, Weekday, WorkingHours


def package_years() -> tuple[int, int]:
    """The first and last year the installed chinesecalendar package knows."""
    years = [d.year for d in chinese_calendar.constants.holidays]
    return min(years), max(years)


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin):
    list_display = ["weekday", "start", "end"]
    list_filter = ["weekday"]
    ordering = ["weekday", "start"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "hours", "note"]
    list_filter = ["kind"]
    search_fields = ["note"]
    date_hierarchy = "date"
    ordering = ["-date"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return Weekday(obj.date.weekday()).label


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "overrides", "note"]
    ordering = ["-year"]

    @admin.display(description=_("date overrides"))
    def overrides(self, obj):
        return CalendarDay.objects.filter(date__year=obj.year).count()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # the year is official from now on: provisional deadlines follow (issue 12)
            from .calendar_service import recompute

            changes = recompute(years=[obj.year], actor=request.user)
            self.message_user(request, _("%(count)s provisional deadlines were recomputed.") % {"count": len(changes)})

    def changelist_view(self, request, extra_context=None):
        first, last = package_years()
        extra_context = {
            **(extra_context or {}),
            "title": _(
                "Calendar years entered by hand (chinesecalendar already knows %(first)s–%(last)s). The quickest "
                "way: paste the State Council notice on the page “Enter the holiday arrangement” (home page). By "
                "hand: first enter the year's holidays and make-up workdays as date overrides, then add the year here."
            )
            % {"first": first, "last": last},
        }
        return super().changelist_view(request, extra_context)


# Django's admin (5.x) names its app tables' columns for screen readers, and its Chinese catalogue lacks them;
# these markers keep our translations of them in core's catalogue (makemessages would drop them otherwise).
ADMIN_WORDS = (gettext_noop("Model name"), gettext_noop("Add link"), gettext_noop("Change or view list link"))
