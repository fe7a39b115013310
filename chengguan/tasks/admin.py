from django.contrib import admin

from .models import Category, Meeting, Milestone, Problem, Programme, ProgressReport, Task, TaskNotice


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "year"]
    inlines = [CategoryInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    """Tasks are set and reported on through the pages (the rules live in the services); admin reads them."""

    list_display = ["number", "title", "owner_department", "owner_person", "deadline", "status", "percent",
                    "notice_level"]
    list_filter = ["status", "kind", "notice_level"]
    search_fields = ["number", "title"]
    readonly_fields = ["number", "status", "closed_at", "percent", "notice_level", "notice_due", "created_by",
                       "created_at"]
    inlines = [MilestoneInline]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["task", "author", "at", "percent", "closes"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TaskNotice)
class TaskNoticeAdmin(admin.ModelAdmin):
    list_display = ["task", "level", "issued_at", "deadline", "status"]
    list_filter = ["level", "status"]

    def has_add_permission(self, request):
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "held_at", "chair"]
    list_filter = ["kind"]


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "source", "department", "task", "status"]
    list_filter = ["source", "status"]
    readonly_fields = ["number", "status", "resolved_at", "raised_by", "raised_at"]
