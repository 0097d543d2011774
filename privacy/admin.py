from django.contrib import admin

from privacy.models import RetentionPeriod


@admin.register(RetentionPeriod)
class RetentionPeriodAdmin(admin.ModelAdmin):
    """The records manager sets the retention period per kind of dossier (DOMAIN.md)."""

    list_display = ["dossier_kind", "years"]
