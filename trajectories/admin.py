from django.contrib import admin

from trajectories.models import ActivityKind, BranchTeam, Route


@admin.register(Route)
class RouteAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "active"]
    list_filter = ["active"]


@admin.register(BranchTeam)
class BranchTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "sectors", "active"]
    list_filter = ["active"]
    filter_horizontal = ["coaches"]


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "evaluated", "evaluation_interval_days", "active"]
    list_filter = ["active", "evaluated"]
