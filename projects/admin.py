from django.contrib import admin

from projects.models import Event, Project, ProjectGroup, ProjectStage


class ProjectGroupInline(admin.TabularInline):
    model = ProjectGroup
    extra = 0


class ProjectStageInline(admin.TabularInline):
    """The funnel's stages; the clients who reached them are recorded by casework, not here."""

    model = ProjectStage
    extra = 0
    ordering = ["position"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "start_date", "end_date", "target"]
    inlines = [ProjectGroupInline, ProjectStageInline]


@admin.register(ProjectStage)
class ProjectStageAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "position"]
    list_filter = ["project"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Events themselves; their participants are client data that casework registers."""

    list_display = ["name", "date", "kind"]
    list_filter = ["kind"]
    date_hierarchy = "date"
