"""The clients app's sections of a right-of-access export (privacy.export): the client's data,
contacts, intakes with scores and participation-ladder measurements. Each reads in a fixed number
of queries; registered in ClientsConfig.ready()."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from audit import history
from clients.models import (
    Barrier,
    Channel,
    Client,
    Contact,
    Correspondence,
    DeregistrationReason,
    Instrument,
    Intake,
    IntakeScore,
    LadderObservation,
    LadderStep,
    LanguageLevel,
    Route,
    TargetGroup,
    WorkEstimate,
)
from clients.services import CLIENT_FIELDS
from core import gdpr
from core.gdpr import Section, choice_label, field_label, person

for _model, _lookup in (
    (Contact, "client"),
    (Intake, "client"),
    (IntakeScore, "intake__client"),
    (LadderObservation, "client"),
):
    history.register_owned_records(_model, _lookup)


@gdpr.register(10)
def personal_data(client: Client) -> Section:
    """The client row itself, with the full BSN (it is the client's own request)."""
    # Everything a user can enter (the service's field list), and what the product adds.
    names = [*CLIENT_FIELDS, "anonymised_at", "created_at", "updated_at"]
    record = {"client_number": client.pk} | {name: getattr(client, name) for name in names}
    record["municipality"] = str(client.municipality)
    record["coach"] = person(client.coach)
    record["team"] = str(client.team) if client.team else ""
    record["target_group"] = choice_label(client.target_group, TargetGroup.choices)
    record["correspondence"] = choice_label(client.correspondence, Correspondence.choices)
    record["deregistration_reason"] = choice_label(
        client.deregistration_reason, DeregistrationReason.choices
    )
    return Section(
        key="personal_data",
        title=_("Personal data"),
        fields=[("client_number", _("Client number"))]
        + [(name, field_label(Client, name)) for name in names],
        records=[record],
        template="privacy/sections/_fields.html",
    )


# A record removed with a reason (issue 17) is still held, so the client gets it, marked.
REMOVED_LABEL = _("removed (date and reason)")


def removal(record) -> str:
    if record.removed_at is None:
        return ""
    return f"{date_format(timezone.localdate(record.removed_at))}: {record.removal_reason}"


@gdpr.register(20)
def contacts(client: Client) -> Section:
    rows = (
        Contact.with_removed.filter(client=client).select_related("author").order_by("date", "pk")
    )
    return Section(
        key="contacts",
        title=_("Contact moments"),
        fields=[
            ("date", field_label(Contact, "date")),
            ("channel", field_label(Contact, "channel")),
            ("subject", field_label(Contact, "subject")),
            ("notes", field_label(Contact, "notes")),
            ("author", field_label(Contact, "author")),
            ("removed", REMOVED_LABEL),
        ],
        records=[
            {
                "date": c.date,
                "channel": choice_label(c.channel, Channel.choices),
                "subject": c.subject,
                "notes": c.notes,
                "author": person(c.author),
                "removed": removal(c),
            }
            for c in rows
        ],
    )


_INTAKE_TEXT = [
    "dream",
    "functional_limitations",
    "capacity",
    "advice_notes",
]


@gdpr.register(30)
def intakes(client: Client) -> Section:
    """Intakes with their scores: two queries (intakes, scores)."""
    rows = (
        Intake.with_removed.filter(client=client)
        .select_related("consultant", "ladder_observation")
        .prefetch_related(Prefetch("scores", queryset=IntakeScore.objects.order_by("pk")))
        .order_by("held_on", "pk")
    )
    records = []
    for intake in rows:
        observation = getattr(intake, "ladder_observation", None)
        records.append(
            {
                "held_on": intake.held_on,
                "consultant": person(intake.consultant),
                "ladder_step": choice_label(observation.step, LadderStep.choices)
                if observation
                else "",
                "advised_route": choice_label(intake.advised_route, Route.choices),
                "work_estimate": choice_label(intake.work_estimate, WorkEstimate.choices),
                "barriers": [choice_label(b, Barrier.choices) for b in intake.barriers],
                "language_spoken": choice_label(intake.language_spoken, LanguageLevel.choices),
                "language_written": choice_label(intake.language_written, LanguageLevel.choices),
                "hours_per_week": intake.hours_per_week,
                "available_from": intake.available_from,
                **{name: getattr(intake, name) for name in _INTAKE_TEXT},
                "removed": removal(intake),
                "scores": [
                    {
                        "instrument": choice_label(s.instrument, Instrument.choices),
                        "domain": s.get_domain_display(),
                        "score": s.score,
                        "scale_max": s.scale_max,
                        "purpose": s.purpose,
                    }
                    for s in intake.scores.all()
                ],
            }
        )
    return Section(
        key="intakes",
        title=_("Intakes and scores"),
        fields=[
            ("held_on", field_label(Intake, "held_on")),
            ("consultant", field_label(Intake, "consultant")),
            ("ladder_step", _("participation ladder step")),
            ("advised_route", field_label(Intake, "advised_route")),
            ("work_estimate", field_label(Intake, "work_estimate")),
            ("barriers", field_label(Intake, "barriers")),
            ("language_spoken", field_label(Intake, "language_spoken")),
            ("language_written", field_label(Intake, "language_written")),
            ("hours_per_week", field_label(Intake, "hours_per_week")),
            ("available_from", field_label(Intake, "available_from")),
            *[(name, field_label(Intake, name)) for name in _INTAKE_TEXT],
            ("removed", REMOVED_LABEL),
            ("scores", _("Scores")),
        ],
        records=records,
        template="privacy/sections/_intakes.html",
    )


@gdpr.register(40)
def ladder(client: Client) -> Section:
    rows = (
        LadderObservation.with_removed.filter(client=client)
        .select_related("recorded_by")
        .order_by("observed_on", "pk")
    )
    return Section(
        key="ladder_observations",
        title=_("Participation ladder measurements"),
        fields=[
            ("observed_on", field_label(LadderObservation, "observed_on")),
            ("step", field_label(LadderObservation, "step")),
            ("recorded_by", field_label(LadderObservation, "recorded_by")),
            ("at_intake", _("measured at an intake")),
            ("removed", REMOVED_LABEL),
        ],
        records=[
            {
                "observed_on": o.observed_on,
                "step": choice_label(o.step, LadderStep.choices),
                "recorded_by": person(o.recorded_by),
                "at_intake": o.intake_id is not None,
                "removed": removal(o),
            }
            for o in rows
        ],
        template="privacy/sections/_table.html",
    )
