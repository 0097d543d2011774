from django.contrib import admin

from reporting.models import Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["kpi", "year", "value"]
    list_filter = ["kpi"]
    ordering = ["-year", "kpi"]
