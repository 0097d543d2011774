import datetime
import json
import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Concat
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients import duplicates
from clients.models import (
    SCALES,
    Barrier,
    Client,
    Contact,
    Instrument,
    Intake,
    LadderObservation,
    LadderStep,
)
from clients.services import CLIENT_FIELDS, ScoreInput
from core import roles
from core.filters import without_nul
from core.forms import VersionField, limit_to_current_municipalities
from core.idempotency import SubmitOnceFormMixin
from core.models import Team, User
from core.validators import normalize_bsn, normalize_postcode, validate_bsn


class DateInput(forms.DateInput):
    """The browser's own date picker; its value is always YYYY-MM-DD, whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def not_in_future(value: datetime.date | None, message) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(message, code="future")


def caseworkers():
    """Users who can carry a caseload: work coaches and diagnosis consultants."""
    return User.objects.filter(
        is_active=True, groups__name__in=[roles.WORK_COACH, roles.DIAGNOSIS_CONSULTANT]
    ).distinct()


class ClientForm(SubmitOnceFormMixin, forms.ModelForm):
    class Meta:
        model = Client
        fields = list(CLIENT_FIELDS)
        widgets = {
            "birth_date": DateInput(),
            "registered_on": DateInput(),
            "deregistered_on": DateInput(),
            "bsn": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # People type BSNs and postcodes with spaces or dots; clean_*() normalises them.
        self.fields["bsn"].max_length = 13
        self.fields["bsn"].validators = []
        self.fields["bsn"].widget.attrs["maxlength"] = 13
        self.fields["postcode"].max_length = 10
        self.fields["postcode"].validators = []
        self.fields["postcode"].widget.attrs["maxlength"] = 10
        typed_names(self, "client", teams=["team"], coaches=["coach"])
        # A post without it (an older page, a script) keeps what the client has (or the default).
        self.fields["correspondence"].required = False
        limit_to_current_municipalities(self)
        bsn_cell = Column("bsn", css_class="col-md-6")
        if self.instance.pk:
            # The version the user started from: a save over someone else's change is refused.
            self.fields["version"] = VersionField()
            self.initial.setdefault("version", self.instance.version)
            # An existing client's BSN is shown masked, as everywhere, and changed on a page of
            # its own with a reason (clients:bsn_change): never in the page, so never unlogged.
            del self.fields["bsn"]
            bsn_cell = Column(
                HTML('{% include "clients/_bsn_masked_field.html" with client=form.instance %}'),
                css_class="col-md-6",
            )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                _("Personal details"),
                Row(
                    Column("first_name", css_class="col-md-5"),
                    Column("name_prefix", css_class="col-md-2"),
                    Column("last_name", css_class="col-md-5"),
                ),
                Row(bsn_cell, Column("birth_date", css_class="col-md-6")),
            ),
            Fieldset(
                _("Contact details"),
                Row(
                    Column("email", css_class="col-md-4"),
                    Column("phone", css_class="col-md-4"),
                    Column("correspondence", css_class="col-md-4"),
                ),
                Row(
                    Column("address", css_class="col-md-6"),
                    Column("postcode", css_class="col-md-2"),
                    Column("municipality", css_class="col-md-4"),
                ),
            ),
            Fieldset(
                _("Registration"),
                Row(
                    Column("target_group", css_class="col-md-6"),
                    Column("target_group_register", css_class="col-md-6 pt-md-4"),
                ),
                Row(
                    Column("registered_on", css_class="col-md-4"),
                    Column("deregistered_on", css_class="col-md-4"),
                    Column("deregistration_reason", css_class="col-md-4"),
                ),
                Row(
                    Column("team", datalist("client", "team"), css_class="col-md-6"),
                    Column("coach", datalist("client", "coach"), css_class="col-md-6"),
                ),
            ),
            Submit("save", _("Save"), css_class="mt-2"),
        )

    def clean_bsn(self):
        value = normalize_bsn(self.cleaned_data["bsn"])
        validate_bsn(value)
        return value

    def clean_correspondence(self):
        return self.cleaned_data["correspondence"] or self.instance.correspondence

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        return normalize_postcode(value) if value else ""

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        not_in_future(value, _("The date of birth cannot be in the future."))
        if value and value.year < 1900:
            raise ValidationError(_("Check the year of birth."), code="too_old")
        return value

    def clean(self):
        data = super().clean()
        registered, deregistered = data.get("registered_on"), data.get("deregistered_on")
        reason = data.get("deregistration_reason")
        if registered and deregistered and deregistered < registered:
            self.add_error(
                "deregistered_on",
                ValidationError(
                    _("The deregistration date cannot be before the registration date."),
                    code="before_registration",
                ),
            )
        if deregistered and not reason:
            self.add_error(
                "deregistration_reason",
                ValidationError(_("Give the reason for deregistration."), code="required"),
            )
        if reason and not deregistered and "deregistered_on" not in self.errors:
            self.add_error(
                "deregistered_on",
                ValidationError(
                    _("Give the deregistration date, or leave the reason empty."),
                    code="required",
                ),
            )
        return data

    def validate_constraints(self, exclude=None):
        # clean() already put each constraint's message next to its field.
        if self.errors:
            return
        super().validate_constraints(exclude=exclude)

    def validate_unique(self):
        """A BSN registered already to a client nobody is assigned to: say where that client
        waits and whom to ask, not only that it exists. Nothing more about them: the user may
        not be allowed to see them."""
        super().validate_unique()
        bsn = self.instance.bsn  # the refused value left cleaned_data
        taken = [e for e in self.errors.as_data().get("bsn", ()) if e.code == "unique"]
        if bsn and taken and Client.objects.filter(bsn=bsn).unassigned().exists():
            del self.errors["bsn"]
            self.add_error(
                "bsn",
                ValidationError(
                    _(
                        "A client with this BSN is already registered, without a team or work "
                        "coach: they are on the list of unassigned clients. Ask a manager "
                        "(team leader) to assign them to you or your team."
                    ),
                    code="unique_unassigned",
                ),
            )


def require_confirmation(form, confirmed: bool) -> None:
    """A form that found `duplicate_candidates` (clients.duplicates.near_duplicates) saves
    only once the user ticked `other_person`: this is another person."""
    if form.duplicate_candidates and not confirmed:
        form.add_error(
            "other_person",
            ValidationError(
                _(
                    "A client born on the same day with a similar name is registered "
                    "already. Check the clients above; if this is another person, tick "
                    "this box."
                ),
                code="near_duplicate",
            ),
        )


class ClientRegisterForm(ClientForm):
    """Registering a client: a BSN registered already is refused with where that dossier is
    (a link, or whom to ask); a client born the same day with a similar name asks the user to
    confirm that this is another person (clients.duplicates)."""

    other_person = forms.BooleanField(
        label=_("This is another person, register anyway"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.duplicate_candidates = []
        # The candidates and the confirmation, above the save button, once there are any.
        self.helper.layout.insert(
            len(self.helper.layout) - 1, HTML('{% include "clients/_duplicates.html" %}')
        )

    def clean(self):
        data = super().clean()
        confirmed = data.pop("other_person", False)  # not a client field
        if data.get("first_name") and data.get("last_name") and data.get("birth_date"):
            self.duplicate_candidates = duplicates.near_duplicates(
                user=self.user,
                first_name=data["first_name"],
                name_prefix=data.get("name_prefix", ""),
                last_name=data["last_name"],
                birth_date=data["birth_date"],
            )
        require_confirmation(self, confirmed)
        return data

    def validate_unique(self):
        """Say where the client with this BSN is: a link if the user may open the dossier,
        else whom to ask (never the name)."""
        super().validate_unique()
        if not any(e.code == "unique" for e in self.errors.as_data().get("bsn", ())):
            return  # not taken, or taken by an unassigned client (ClientForm says so)
        owner = duplicates.bsn_owner(self.instance.bsn)
        if owner is None:
            return
        del self.errors["bsn"]
        message = duplicates.bsn_taken_message(owner, self.user)
        self.add_error("bsn", ValidationError(message, code="unique"))


class BsnChangeForm(SubmitOnceFormMixin, forms.Form):
    """Correct a client's BSN: the new one and why (clients.services.client_bsn_change)."""

    bsn = forms.CharField(
        label=_("New BSN"),
        max_length=13,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        help_text=_("For example: a typing error at registration, confirmed with an ID document."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("bsn", "reason", Submit("save", _("Change BSN")))

    def clean_bsn(self):
        value = normalize_bsn(self.cleaned_data["bsn"])
        validate_bsn(value)
        return value


class ClientIdsField(forms.Field):
    """The ids of the rows ticked in a list (checkboxes that share one name)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            return [int(v) for v in value or ()]
        except (TypeError, ValueError):
            raise ValidationError(_("Choose clients from the list."), code="invalid") from None


SUGGESTIONS = 20  # at most this many names in a field's list of suggestions


def coach_text(user: User) -> str:
    """How a coach is written in the assign form: the name, and the unique user name."""
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


def team_suggestions(text: str) -> list[tuple[str, str]]:
    """(value, label) of the first teams whose name holds `text`, for the assign form."""
    teams = Team.objects.filter(name__icontains=text.strip()).order_by("name")[:SUGGESTIONS]
    return [(team.name, "") for team in teams]


def coach_suggestions(text: str, team_name: str = "") -> list[tuple[str, str]]:
    """(value, label) of the first caseworkers whose name or user name holds every word of
    `text`; the members of the team named `team_name` first (the team chosen before)."""
    coaches = caseworkers()
    # A field that holds a suggestion already ("Sanne de Vries (coach)") asks by the name.
    for word in re.sub(r"\([^()]*\)\s*$", " ", text).split():
        coaches = coaches.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
        )
    in_team = Exists(Team.objects.filter(name__iexact=team_name.strip(), members=OuterRef("pk")))
    coaches = coaches.annotate(in_team=in_team).order_by(
        "-in_team", "first_name", "last_name", "username"
    )
    return [
        (coach_text(coach), str(_("in the team")) if coach.in_team else "")
        for coach in coaches[:SUGGESTIONS]
    ]


class TeamNameField(forms.CharField):
    """A team, typed by its (unique) name: a search with suggestions, not a list of every team
    of the region."""

    # Core's list filters take an unknown name as a filter that selects nothing.
    names_a_record = True

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        # The name as written first: two teams may differ only in their capitals.
        teams = Team.objects.all()
        team = teams.filter(name=value).first() or teams.filter(name__iexact=value).first()
        if team is None:
            raise ValidationError(
                _("There is no team called %(name)s: choose one of the suggestions."),
                params={"name": value},
                code="invalid_choice",
            )
        return team


class CoachNameField(forms.CharField):
    """A work coach (or diagnosis consultant), typed as the suggestions write them: the name
    with the user name in brackets, or a name only one caseworker has. `current`, the coach a
    record already has, stays valid as written even when they left (as a reference item that
    became inactive does): a change of address does not force a new coach."""

    def __init__(self, *args, current: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        if self.current is not None and value == coach_text(self.current):
            return self.current
        written = re.fullmatch(r".*\(\s*([^()]+?)\s*\)", value)
        if written:
            found = list(caseworkers().filter(username=written[1])[:2])
        else:
            full_name = Concat("first_name", Value(" "), "last_name")
            found = list(
                caseworkers()
                .annotate(full_name=full_name)
                .filter(Q(username=value) | Q(full_name__iexact=value))[:2]
            )
        # The field's own word for the person: work coach, job coach, coach.
        params = {"name": value, "role": str(self.label or _("Work coach")).lower()}
        if len(found) > 1:
            raise ValidationError(
                _(
                    "More than one %(role)s is called %(name)s: choose one of the "
                    "suggestions (they add the user name)."
                ),
                params=params,
                code="ambiguous",
            )
        if not found:
            raise ValidationError(
                _("There is no %(role)s called %(name)s: choose one of the suggestions."),
                params=params,
                code="invalid_choice",
            )
        return found[0]


def suggested(field, *, kind: str, datalist: str, url: str, team_input: str = "", name: str = ""):
    """Let htmx fill the typed field's `<datalist id=datalist>` with suggestions from `url`
    (clients:suggest, or the worklist) while one types: `kind` is team or coach, `name` the
    field's name where it is not the kind's (job_coach), and a coach's field sends the team's
    input (`team_input`, its id) so that team's members come first."""
    attrs = {
        "list": datalist,
        "autocomplete": "off",
        "hx-get": url,
        "hx-trigger": "input changed delay:250ms, focus once",
        "hx-target": f"#{datalist}",
        "hx-vals": json.dumps({"suggest": kind, **({"field": name} if name else {})}),
        "hx-sync": "this:replace",
    }
    if team_input:
        attrs["hx-include"] = f"#{team_input}"
    field.widget.attrs.update(attrs)


def typed_names(form, prefix: str, *, teams=(), coaches=()):
    """Replace the form's choices of a team and of a caseworker (`teams`, `coaches`: field
    names) by the name typed with suggestions, as the assign form has them: a `<select>` of
    every team and caseworker of the region made a page of 1.1-1.4 s at a million clients
    (2,000 teams, 20,000 coaches; README, "A million clients"). Each field keeps its label,
    help text and whether it is required; a value it starts with (a pk or a record) is written
    as the suggestions write it. A coach the form's record already has stays a valid value
    even when they left. The layout puts `datalist(prefix, name)` beside each field."""
    url = reverse("clients:suggest")
    instance = getattr(form, "instance", None)
    for name in (*teams, *coaches):
        kind = "team" if name in teams else "coach"
        old = form.fields[name]
        options = {"label": old.label, "required": old.required, "help_text": old.help_text}
        start = form.initial.get(name)
        if kind == "team":
            form.fields[name] = TeamNameField(max_length=100, **options)
            form.initial[name] = _team_written(start)
        else:
            saved = getattr(instance, f"{name}_id", None) if instance and instance.pk else None
            coach = _coach(start, saved)
            form.fields[name] = CoachNameField(
                max_length=300, current=coach if coach and coach.pk == saved else None, **options
            )
            form.initial[name] = coach_text(coach) if coach else _text(start)
        team_input = f"id_{teams[0]}" if kind == "coach" and teams else ""
        suggested(
            form.fields[name],
            kind=kind,
            datalist=_options_id(prefix, name),
            url=url,
            team_input=team_input,
            name=name if name != kind else "",
        )


def _text(value) -> str:
    """A start value that is already text, as it is; "" for anything else."""
    return value if isinstance(value, str) else ""


def _named(value):
    """A start value that names a record (the record or its pk); None for none and for text,
    which the field shows as it is."""
    return None if value in (None, "") or isinstance(value, str) else value


def _team_written(value) -> str:
    """A team (a record or its pk) as the typed field shows it; text as it is; "" for none."""
    named = _named(value)
    if named is None:
        return _text(value)
    team = named if isinstance(named, Team) else Team.objects.filter(pk=named).first()
    return team.name if team else ""


def _coach(value, saved: int | None) -> User | None:
    """The caseworker a typed coach field starts with (a record or its pk), or the coach its
    record has (`saved`) whoever they are now; None for none, for text, or for anyone else who
    is no caseworker (any more): the field would refuse them."""
    named = _named(value)
    if named is None:
        return None
    pk = named.pk if isinstance(named, User) else named
    users = User.objects.all() if pk == saved else caseworkers()
    return users.filter(pk=pk).first()


def _options_id(prefix: str, name: str) -> str:
    return f"{prefix}-{name}-options"


def datalist(prefix: str, name: str) -> HTML:
    """The list htmx fills with a typed field's suggestions, for a crispy layout."""
    return HTML(f'<datalist id="{_options_id(prefix, name)}"></datalist>')


def suggestions(query) -> list[tuple[str, str]] | None:
    """The suggestions a typed team or coach field asks for (`suggest`: team or coach; the
    text typed is under `field`, by default the kind's own name); None for another question."""
    kind = query.get("suggest")
    text = query.get(query.get("field") or kind or "", "")
    if kind == "team":
        return team_suggestions(text)
    if kind == "coach":
        return coach_suggestions(text, query.get("team", ""))
    return None


def suggestions_answer(request, kinds=("team", "coach")) -> HttpResponse | None:
    """The page's answer when htmx asks it for a typed field's suggestions of one of `kinds`
    (`suggestions`); None when the request asks none. Three pages answer them (the casework
    forms', the worklist's and the caseload overview's), each behind its own permission."""
    query = without_nul(request.GET)
    if query.get("suggest") not in kinds:
        return None
    options = suggestions(query)
    return render(request, "clients/_assign_suggestions.html", {"options": options})


class AssignForm(SubmitOnceFormMixin, forms.Form):
    """Assign clients of the unassigned worklist to a team and work coach (clients_assign).

    Team and coach are typed, with suggestions the worklist gives while typing (at most
    SUGGESTIONS, the chosen team's members first): a region of 2,000 coaches would otherwise
    send them all as options with every page (issue 20)."""

    SELECTED, ALL = "selected", "all"

    team = TeamNameField(label=_("Team"), max_length=100)
    coach = CoachNameField(
        label=_("Work coach"),
        required=False,
        max_length=300,
        help_text=_("Becomes a member of the team if not yet. Empty: the team's clients."),
    )
    selected = ClientIdsField(required=False)
    scope = forms.ChoiceField(choices=[(SELECTED, SELECTED), (ALL, ALL)], widget=forms.HiddenInput)

    def __init__(self, *args, suggest_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("team", "coach"):  # htmx asks the worklist for suggestions as one types
            suggested(
                self.fields[name],
                kind=name,
                datalist=_options_id("assign", name),
                url=suggest_url,
                team_input="id_team" if name == "coach" else "",
            )

    def clean(self):
        data = super().clean()
        team = data.get("team")
        if team and not data.get("coach") and not team.members.filter(is_active=True).exists():
            self.add_error(
                "coach",
                ValidationError(
                    _("Nobody works in %(team)s (any more): choose a work coach too."),
                    params={"team": team},
                    code="team_without_members",
                ),
            )
        if data.get("scope") == self.SELECTED and not data.get("selected"):
            raise ValidationError(
                _("Tick the clients to assign, or assign everyone in this selection."),
                code="none_selected",
            )
        return data


class ContactForm(SubmitOnceFormMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["date", "channel", "subject", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("date", css_class="col-sm-6"), Column("channel", css_class="col-sm-6")),
            "subject",
            "notes",
        )

    def clean_date(self):
        value = self.cleaned_data["date"]
        not_in_future(value, _("A contact moment cannot be in the future."))
        return value


class LadderObservationForm(SubmitOnceFormMixin, forms.ModelForm):
    class Meta:
        model = LadderObservation
        fields = ["observed_on", "step"]
        widgets = {"observed_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_observed_on(self):
        value = self.cleaned_data["observed_on"]
        not_in_future(value, _("A measurement cannot be in the future."))
        return value


def _score_field(instrument: Instrument, label) -> forms.TypedChoiceField:
    low, high, _domains = SCALES[instrument]
    return forms.TypedChoiceField(
        label=label,
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "–")] + [(i, str(i)) for i in range(low, high + 1)],
    )


class IntakeForm(SubmitOnceFormMixin, forms.ModelForm):
    """The diagnosis intake; the instrument scores are generated fields, one per domain."""

    ladder_step = forms.TypedChoiceField(
        label=_("Participation ladder step"), coerce=int, choices=LadderStep.choices
    )
    barriers = forms.MultipleChoiceField(
        label=_("Barriers"),
        choices=Barrier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Intake
        fields = [
            "held_on",
            "dream",
            "barriers",
            "language_spoken",
            "language_written",
            "hours_per_week",
            "available_from",
            "functional_limitations",
            "capacity",
            "advised_route",
            "work_estimate",
            "advice_notes",
        ]
        widgets = {
            "held_on": DateInput(),
            "available_from": DateInput(),
            "dream": forms.Textarea(attrs={"rows": 2}),
            "functional_limitations": forms.Textarea(attrs={"rows": 3}),
            "capacity": forms.Textarea(attrs={"rows": 3}),
            "advice_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hours_per_week"].widget.attrs.update(min=0, max=40)
        for instrument in (Instrument.LIFE_WHEEL, Instrument.EMPLOYEE_SKILL, Instrument.ZRM):
            for code, label in SCALES[instrument][2].choices:
                self.fields[self.score_name(instrument, code)] = _score_field(instrument, label)
                if instrument == Instrument.ZRM:
                    self.fields[self.purpose_name(code)] = forms.CharField(
                        label=_("Purpose of the score for %(domain)s") % {"domain": label},
                        required=False,
                        max_length=300,
                    )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                _("Intake"),
                Row(
                    Column("held_on", css_class="col-md-4"),
                    Column("ladder_step", css_class="col-md-8"),
                ),
                "dream",
            ),
            Fieldset(
                _("Life wheel (1 = very dissatisfied, 10 = very satisfied)"),
                self._score_grid(Instrument.LIFE_WHEEL),
            ),
            Fieldset(
                _("Employee skills (1 = insufficient, 5 = good)"),
                self._score_grid(Instrument.EMPLOYEE_SKILL),
            ),
            Fieldset(
                _("Self-sufficiency matrix (optional)"),
                HTML(
                    '<p class="form-text">{}</p>'.format(
                        _(
                            "Score only the domains you need, and record for each score the "
                            "purpose it serves. 1 = acute problem, 5 = fully self-sufficient."
                        )
                    )
                ),
                *[
                    Row(
                        Column(self.score_name(Instrument.ZRM, code), css_class="col-md-4"),
                        Column(self.purpose_name(code), css_class="col-md-8"),
                    )
                    for code, _label in SCALES[Instrument.ZRM][2].choices
                ],
            ),
            Fieldset(
                _("Possibilities and barriers"),
                "barriers",
                Row(
                    Column("language_spoken", css_class="col-md-6"),
                    Column("language_written", css_class="col-md-6"),
                ),
                Row(
                    Column("hours_per_week", css_class="col-md-6"),
                    Column("available_from", css_class="col-md-6"),
                ),
                "functional_limitations",
                "capacity",
            ),
            Fieldset(
                _("Advice"),
                Row(
                    Column("advised_route", css_class="col-md-6"),
                    Column("work_estimate", css_class="col-md-6"),
                ),
                "advice_notes",
            ),
            Submit("save", _("Save intake"), css_class="mt-2"),
        )

    @staticmethod
    def score_name(instrument: Instrument, code: str) -> str:
        return f"{instrument}_{code}"

    @staticmethod
    def purpose_name(code: str) -> str:
        return f"zrm_{code}_purpose"

    def _score_grid(self, instrument: Instrument) -> Row:
        return Row(
            *[
                Column(self.score_name(instrument, code), css_class="col-sm-6 col-lg-3")
                for code, _label in SCALES[instrument][2].choices
            ]
        )

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        not_in_future(value, _("An intake cannot be held in the future."))
        return value

    def clean_hours_per_week(self):
        value = self.cleaned_data["hours_per_week"]
        if value is not None and value > 40:
            raise ValidationError(_("A week has at most 40 working hours."), code="max_hours")
        return value

    def clean(self):
        data = super().clean()
        for code, _label in SCALES[Instrument.ZRM][2].choices:
            score = data.get(self.score_name(Instrument.ZRM, code))
            purpose = (data.get(self.purpose_name(code)) or "").strip()
            if score is not None and not purpose:
                self.add_error(
                    self.purpose_name(code),
                    ValidationError(
                        _("Record the purpose of this score, or leave the score empty."),
                        code="purpose_required",
                    ),
                )
            if purpose and score is None:
                self.add_error(
                    self.score_name(Instrument.ZRM, code),
                    ValidationError(
                        _("Give a score, or leave the purpose empty."), code="score_required"
                    ),
                )
        return data

    def scores(self) -> list[ScoreInput]:
        """The scores that were filled in, ready for `intake_record`."""
        result = []
        for instrument, (_low, _high, domains) in SCALES.items():
            for code, _label in domains.choices:
                score = self.cleaned_data.get(self.score_name(instrument, code))
                if score is None:
                    continue
                purpose = ""
                if instrument == Instrument.ZRM:
                    purpose = self.cleaned_data.get(self.purpose_name(code), "").strip()
                result.append(ScoreInput(instrument, code, score, purpose))
        return result

    def intake_details(self) -> dict:
        """The intake's own fields, for `intake_record`."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class BsnSearchForm(forms.Form):
    """Find a client by full BSN. Posted, never in a URL (it would end up in logs and history)."""

    bsn = forms.CharField(
        label=_("BSN"),
        max_length=11,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def clean_bsn(self):
        return normalize_bsn(self.cleaned_data["bsn"])


# --- Correcting the record ----------------------------------------------------------------------

REASON_HELP = _("Kept in the change history and shown on the timeline.")


def reason_field(required=True, label=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Reason for the correction"),
        required=required,
        max_length=1000,
        help_text=REASON_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def client_choice(user, current: Client) -> forms.ModelChoiceField:
    """The clients a record can be moved to: those the user may change (their caseload and
    teams, not anonymised), the current one first."""
    field = forms.ModelChoiceField(
        label=_("Client"),
        queryset=Client.objects.for_user(user).not_anonymised().order_by("last_name", "pk"),
        help_text=_("Logged on the wrong client? Choose the client it belongs to."),
    )
    field.label_from_instance = lambda c: f"{c.sort_name} ({c.birth_date:%d-%m-%Y})"
    field.initial = current.pk
    return field


class CorrectionMixin:
    """A record's edit form for a correction: the client, the version and a reason."""

    reason_required = True

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"] = client_choice(user, self.instance.client)
        self.fields["version"] = VersionField()
        self.initial.setdefault("version", self.instance.version)
        self.initial.setdefault("client", self.instance.client_id)
        self.fields["reason"] = reason_field(required=self.reason_required)

    def corrections(self) -> dict:
        """The fields for the service: the record's own, the client, the version, the reason."""
        data = dict(self.cleaned_data)
        data.pop("submission_token", None)
        return data


class ContactCorrectForm(CorrectionMixin, ContactForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = True
        self.helper.layout = Layout(
            "client",
            Row(Column("date", css_class="col-sm-6"), Column("channel", css_class="col-sm-6")),
            "subject",
            "notes",
            "reason",
            "version",
            Submit("save", _("Save correction"), css_class="mt-2"),
        )


class LadderCorrectForm(CorrectionMixin, LadderObservationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = True
        self.helper.layout = Layout(
            "client",
            Row(Column("observed_on", css_class="col-sm-6"), Column("step", css_class="col-sm-6")),
            "reason",
            "version",
            Submit("save", _("Save correction"), css_class="mt-2"),
        )


class IntakeCorrectForm(CorrectionMixin, IntakeForm):
    """The intake form on an existing intake; the reason is required after INTAKE_EDIT_DAYS."""

    def __init__(self, *args, user, reason_required: bool, **kwargs):
        self.reason_required = reason_required
        instance = kwargs["instance"]
        initial = kwargs.setdefault("initial", {})
        if hasattr(instance, "ladder_observation"):
            initial.setdefault("ladder_step", instance.ladder_observation.step)
        for score in instance.scores.all():
            initial.setdefault(self.score_name(score.instrument, score.domain), score.score)
            if score.instrument == Instrument.ZRM:
                initial.setdefault(self.purpose_name(score.domain), score.purpose)
        super().__init__(*args, user=user, **kwargs)
        self.helper.layout.fields.insert(0, Fieldset(_("Client"), "client"))
        self.helper.layout.fields[-1:] = [
            "reason",
            "version",
            Submit("save", _("Save correction"), css_class="mt-2"),
        ]

    def corrections(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["client"] = self.cleaned_data["client"]
        data["ladder_step"] = self.cleaned_data["ladder_step"]
        data["scores"] = self.scores()
        data["reason"] = self.cleaned_data["reason"]
        data["version"] = self.cleaned_data["version"]
        return data


class RemoveForm(SubmitOnceFormMixin, forms.Form):
    """Remove a logged record: why, and the version the user saw."""

    reason = reason_field(label=_("Reason for removing it"))

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, **kwargs)
        # Made here, not on the class: its signer reads SECRET_KEY, which a command that
        # needs no key (and imports every app's forms) does not have.
        self.fields["version"] = VersionField()
        self.initial.setdefault("version", record.version)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "reason", "version", Submit("save", _("Remove"), css_class="btn-danger mt-2")
        )
