from django.contrib import admin

from documents.models import DocumentKind


@admin.register(DocumentKind)
class DocumentKindAdmin(admin.ModelAdmin):
    """The list of document kinds; a kind in use cannot be deleted (PROTECT), only switched off."""

    list_display = ["name", "code", "active"]
    list_filter = ["active"]
    search_fields = ["name", "code"]
