"""The reference lists of matching and Social Return, for the functional administrator."""

from django.contrib import admin

from employers.models import RejectionReason, Sector, Skill, SroiRule


@admin.register(Sector, Skill, RejectionReason)
class ReferenceItemAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "active"]
    list_filter = ["active"]
    search_fields = ["name", "code"]


@admin.register(SroiRule)
class SroiRuleAdmin(admin.ModelAdmin):
    """Dated: a new rule from a date on; placements that started earlier keep the old one."""

    list_display = ["valid_from", "value_per_placement", "weight_50_plus", "weight_55_plus"]
