from django.contrib import admin

from projects.models import Event, Project, ProjectGroup, ProjectStage, ScreeningCriterion


class ProjectGroupInline(admin.TabularInline):
    model = ProjectGroup
    extra = 0


class ProjectStageInline(admin.TabularInline):
    """The funnel's stages; the clients who reached them are recorded by casework, not here."""

    model = ProjectStage
    extra = 0
    ordering = ["position"]


class ScreeningCriterionInline(admin.TabularInline):
    model = ScreeningCriterion
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    """Projects are created and kept in the product (projects:create, projects:edit); members are
    client data and stay out of the administration."""

    list_display = ["name", "code", "kind", "funder", "start_date", "end_date", "closed_on"]
    list_filter = ["kind", "funder"]
    filter_horizontal = ["leaders"]
    inlines = [ProjectStageInline, ProjectGroupInline, ScreeningCriterionInline]


@admin.register(ProjectStage)
class ProjectStageAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "position", "milestone"]
    list_filter = ["project"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Events themselves; their participants are client data that casework registers."""

    list_display = ["name", "date", "kind"]
    list_filter = ["kind"]
    date_hierarchy = "date"
