from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.models import Municipality, PostcodeArea, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_active"]
    list_filter = ["groups", "is_active", "is_staff"]
    actions = ["deactivate"]
    # The functional administrator sets each coach's capacity here (clients.handover).
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Caseload"), {"fields": ["casework_hours", "max_caseload"]}),
    ]

    # Only a superuser hands out superuser status or loose permissions: a functional
    # administrator gives roles (groups), whose permissions core.roles keeps, and cannot
    # give anyone, themselves included, more than a role holds (dossiers, for one).
    BEYOND_ROLES = ("is_superuser", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += self.BEYOND_ROLES
        return fields

    def has_delete_permission(self, request, obj=None):
        # A user is never deleted, only deactivated: the audit trail names them, and deleting
        # would set the actor of their change-log rows to NULL, an UPDATE the append-only
        # audit tables refuse (audit/migrations/0002_append_only_triggers.py).
        return False

    @admin.action(description=_("Deactivate the selected users"), permissions=["change"])
    def deactivate(self, request, queryset):
        # A plain UPDATE of the user table: no audit row is touched.
        count = queryset.filter(is_active=True).update(is_active=False)
        self.message_user(
            request,
            ngettext("%(count)d user deactivated.", "%(count)d users deactivated.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name"]
    filter_horizontal = ["members"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code", "in_service_area", "latitude", "longitude"]
    list_filter = ["in_service_area"]
    search_fields = ["name"]


@admin.register(PostcodeArea)
class PostcodeAreaAdmin(admin.ModelAdmin):
    """Centres of four-digit postcode areas for distances in matching; many at once with
    `manage.py load_coordinates FILE --postcode-areas`."""

    list_display = ["code", "municipality", "latitude", "longitude"]
    list_filter = ["municipality"]
    search_fields = ["code"]
