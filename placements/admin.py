from django.contrib import admin

from placements.models import WageParameters


@admin.register(WageParameters)
class WageParametersAdmin(admin.ModelAdmin):
    """The dated figures of the wage-cost subsidy, kept by a functional administrator.

    A new minimum wage is a new row from its date: calculations made before keep the figures
    they used (placements.SubsidyCalculation), so a row is never deleted.
    """

    list_display = [
        "valid_from",
        "minimum_wage_month",
        "holiday_pay_factor",
        "cap_percent",
        "employer_cost_percent",
        "source",
    ]
    ordering = ["-valid_from"]

    def has_delete_permission(self, request, obj=None):
        return False
