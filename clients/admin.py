from django.contrib import admin

from clients.models import Client, Contact, Intake, IntakeScore, LadderObservation


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["date", "channel", "subject", "author"]
    raw_id_fields = ["author"]


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["__str__", "target_group", "municipality", "coach", "team", "registered_on"]
    list_filter = ["target_group", "team", "municipality"]
    search_fields = ["last_name", "first_name"]
    list_select_related = ["municipality", "coach", "team"]
    raw_id_fields = ["coach"]
    inlines = [ContactInline]


class IntakeScoreInline(admin.TabularInline):
    model = IntakeScore
    extra = 0


@admin.register(Intake)
class IntakeAdmin(admin.ModelAdmin):
    list_display = ["client", "held_on", "advised_route", "work_estimate"]
    raw_id_fields = ["client", "consultant"]
    inlines = [IntakeScoreInline]


@admin.register(LadderObservation)
class LadderObservationAdmin(admin.ModelAdmin):
    list_display = ["client", "observed_on", "step"]
    raw_id_fields = ["client", "intake", "recorded_by"]
