"""The placements sections of a right-of-access export (privacy.export): placements, wage-value
assessments with their task tables, provisions with subsidy calculations, aftercare follow-ups.
Five queries however many rows; imported by PlacementsConfig.ready()."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from audit import history
from clients.models import Client
from core import gdpr
from core.gdpr import Section, choice_label, field_label, person
from placements.models import (
    AssessmentTask,
    Contract,
    Decision,
    FollowUp,
    FollowUpKind,
    JobCoachKind,
    Placement,
    PlacementEndReason,
    PlacementKind,
    Provision,
    ProvisionKind,
    SubsidyCalculation,
    WageValueAssessment,
)

for _model, _lookup in (
    (Placement, "client"),
    (WageValueAssessment, "client"),
    (AssessmentTask, "assessment__client"),
    (Provision, "client"),
    (SubsidyCalculation, "provision__client"),
):
    history.register_owned_records(_model, _lookup)


def _fields(model, names):
    return [(name, field_label(model, name)) for name in names]


PLACEMENT_EXPORT = [
    "employer",
    "kind",
    "job_title",
    "start_date",
    "end_date",
    "contract",
    "contract_end_date",
    "hours_per_week",
    "hourly_wage",
    "sroi",
    "end_reason",
    "notes",
]


@gdpr.register(70)
def placements(client: Client) -> Section:
    rows = Placement.objects.filter(client=client).select_related("employer")
    return Section(
        key="placements",
        title=_("Placements"),
        fields=_fields(Placement, PLACEMENT_EXPORT),
        records=[
            {
                **{name: getattr(p, name) for name in PLACEMENT_EXPORT},
                "employer": str(p.employer),
                "kind": choice_label(p.kind, PlacementKind.choices),
                "contract": choice_label(p.contract, Contract.choices),
                "end_reason": choice_label(p.end_reason, PlacementEndReason.choices),
            }
            for p in rows.order_by("start_date", "pk")
        ],
    )


@gdpr.register(71)
def assessments(client: Client) -> Section:
    rows = (
        WageValueAssessment.objects.filter(client=client)
        .select_related("placement__employer")
        .prefetch_related(
            Prefetch("tasks", queryset=AssessmentTask.objects.order_by("position", "pk"))
        )
        .order_by("assessed_on", "pk")
    )
    names = ["assessed_on", "wage_value_percent", "method", "assessor", "reference_job", "notes"]
    return Section(
        key="wage_value_assessments",
        title=_("Wage-value assessments"),
        fields=[
            ("placement", field_label(WageValueAssessment, "placement")),
            *_fields(WageValueAssessment, names),
            ("tasks", _("Main tasks")),
        ],
        records=[
            {
                "placement": str(a.placement or ""),
                **{name: getattr(a, name) for name in names},
                "tasks": [
                    {
                        "description": t.description,
                        "share_percent": t.share_percent,
                        "quality_percent": t.quality_percent,
                        "pace_percent": t.pace_percent,
                        "employability_percent": t.employability_percent,
                    }
                    for t in a.tasks.all()
                ],
            }
            for a in rows
        ],
    )


PROVISION_EXPORT = [
    "kind",
    "requested_on",
    "decision",
    "decided_on",
    "start_date",
    "end_date",
    "amount_eur",
    "reassess_on",
    "job_coach_kind",
    "job_coach_hours",
    "notes",
]


@gdpr.register(72)
def provisions(client: Client) -> Section:
    rows = (
        Provision.objects.filter(client=client)
        .select_related("placement__employer")
        .prefetch_related(
            Prefetch("calculations", queryset=SubsidyCalculation.objects.order_by("created_at"))
        )
        .order_by("requested_on", "pk")
    )
    return Section(
        key="provisions",
        title=_("Provisions"),
        fields=[
            ("placement", field_label(Provision, "placement")),
            *_fields(Provision, PROVISION_EXPORT),
            ("calculations", _("Wage-cost subsidy calculations")),
        ],
        records=[
            {
                "placement": str(p.placement or ""),
                **{name: getattr(p, name) for name in PROVISION_EXPORT},
                "kind": choice_label(p.kind, ProvisionKind.choices),
                "decision": choice_label(p.decision, Decision.choices),
                "job_coach_kind": choice_label(p.job_coach_kind, JobCoachKind.choices),
                "calculations": [
                    {
                        "reference_date": c.reference_date,
                        "wage_value_percent": c.wage_value_percent,
                        "contract_hours": c.contract_hours,
                        "full_time_hours": c.full_time_hours,
                        "minimum_wage_month": c.minimum_wage_month,
                        "subsidy_eur": c.subsidy_eur,
                    }
                    for c in p.calculations.all()
                ],
            }
            for p in rows
        ],
    )


@gdpr.register(73)
def follow_ups(client: Client) -> Section:
    rows = (
        FollowUp.objects.filter(client=client)
        .select_related("assigned_to", "done_by")
        .order_by("due_on", "pk")
    )
    return Section(
        key="follow_ups",
        title=_("Aftercare follow-ups"),
        fields=_fields(FollowUp, ["kind", "due_on", "assigned_to", "done_at", "done_by"]),
        records=[
            {
                "kind": choice_label(f.kind, FollowUpKind.choices),
                "due_on": f.due_on,
                "assigned_to": person(f.assigned_to),
                "done_at": f.done_at,
                "done_by": person(f.done_by),
            }
            for f in rows
        ],
    )
