from django.contrib import admin

from .models import CalendarYear, Deadline, DeadlinePolicy, Holiday


class ReadOnlyAdmin(admin.ModelAdmin):
    """Calendar and deadline edits must go through the services (they recompute and audit)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Holiday)
class HolidayAdmin(ReadOnlyAdmin):
    list_display = ["date", "kind", "name", "source"]
    list_filter = ["kind", "source"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "entered"]


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(ReadOnlyAdmin):
    list_display = ["code", "label", "unit", "amount", "roll_to_workday"]


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["id", "policy", "start", "due", "provisional", "state", "escalation_level"]
    list_filter = ["state", "provisional", "policy"]
