"""Employers the account managers keep: the other side of every match and placement."""

from decimal import Decimal

from concurrency.fields import IntegerVersionField
from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Channel, LanguageLevel, on_caseload
from core.models import Municipality
from core.validators import validate_kvk, validate_name, validate_postcode


class EmployerQuerySet(models.QuerySet):
    def search(self, text: str):
        """Every word of `text` in the name, or the text as (part of) the KvK number."""
        qs = self
        for word in text.split():
            qs = qs.filter(Q(name__icontains=word) | Q(kvk_number__startswith=word))
        return qs

    def for_list(self):
        """Everything a list row shows, in a constant number of queries."""
        return (
            self.select_related("municipality", "account_manager")
            .annotate(
                open_vacancies=Count(
                    "vacancies", filter=Q(vacancies__status="open"), distinct=True
                ),
                last_contact_on=models.Max("contacts__date"),
            )
            .order_by("name", "pk")
        )  # Meta.ordering does not apply to a grouped query


class Employer(models.Model):
    """A regular employer or a social enterprise in the region (DOMAIN.md step 4)."""

    name = models.CharField(_("name"), max_length=200)
    kvk_number = models.CharField(  # noqa: DJ001
        _("KvK number"),
        max_length=8,
        unique=True,
        null=True,  # optional, but unique when given: NULLs do not collide
        blank=True,
        validators=[validate_kvk],
        help_text=_("Chamber of Commerce number: 8 digits."),
        error_messages={"unique": _("An employer with this KvK number is already registered.")},
    )
    address = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[validate_postcode]
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employers",
        verbose_name=_("municipality"),
    )
    sbi_code = models.CharField(
        _("sector (SBI code)"),
        max_length=5,
        blank=True,
        help_text=_("Standard industrial classification of the CBS, for example 5610."),
    )
    social_enterprise = models.BooleanField(_("social enterprise"), default=False)
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employers",
        verbose_name=_("account manager"),
    )
    notes = models.TextField(_("notes"), blank=True)
    # The identifier in the source system of an import (interchange.md): a re-import updates
    # the same employer instead of creating a second one.
    source_ref = models.CharField(  # noqa: DJ001
        _("reference in the source system"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic locking, as on Client: a save based on an older version is refused.
    version = IntegerVersionField()

    objects = EmployerQuerySet.as_manager()

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


# --- Reference lists the functional administrator maintains -------------------------------------


class ReferenceItem(models.Model):
    """A line of a maintained list: a stable code and a name people read."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Lower case, never changed once in use."),
    )
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive items are no longer offered in forms.")
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Sector(ReferenceItem):
    """A sector of work (hospitality, care, logistics...): what vacancies and candidates share."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class Skill(ReferenceItem):
    """A skill a vacancy may require and a candidate may have (forklift licence, cash desk...)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("skill")
        verbose_name_plural = _("skills")


class RejectionReason(ReferenceItem):
    """Why a match ended without a hire; kept so the company can learn from it."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("rejection reason")
        verbose_name_plural = _("rejection reasons")


# --- The employer's people and contacts ---------------------------------------------------------


class ContactPerson(models.Model):
    employer = models.ForeignKey(
        Employer,
        on_delete=models.CASCADE,
        related_name="contact_persons",
        verbose_name=_("employer"),
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_name])
    role = models.CharField(_("job title"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["-active", "name", "pk"]

    def __str__(self):
        return self.name


class EmployerContact(models.Model):
    """A contact moment with an employer: the employer's timeline."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("employer")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    contact_person = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact with an employer")
        verbose_name_plural = _("contacts with employers")
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["employer", "date"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.subject}"


# --- Social Return ------------------------------------------------------------------------------


class SroiRule(models.Model):
    """The weights of Social Return from a date on: what one placement is worth, and the extra
    weight for candidates aged 50+ and 55+. The rule valid on a placement's start date applies."""

    valid_from = models.DateField(_("valid from"), unique=True)
    value_per_placement = models.DecimalField(
        _("value of one placement (euro)"),
        max_digits=10,
        decimal_places=2,
        help_text=_("What a placement counts for against an obligation expressed in euro."),
    )
    weight_50_plus = models.DecimalField(
        _("weight for candidates aged 50 to 54"), max_digits=4, decimal_places=2
    )
    weight_55_plus = models.DecimalField(
        _("weight for candidates aged 55 and over"), max_digits=4, decimal_places=2
    )

    class Meta:
        verbose_name = _("Social Return rule")
        verbose_name_plural = _("Social Return rules")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_50_plus__gte=1) & Q(weight_55_plus__gte=1),
                name="sroi_weights_at_least_one",
                violation_error_message=_("A weight is at least 1."),
            ),
        ]

    def __str__(self):
        return _("Social Return rule from %(date)s") % {"date": self.valid_from.isoformat()}


class SroiObligation(models.Model):
    """An employer's Social Return obligation from a municipal tender (DOMAIN.md step 4).

    Its target is a percentage of the contract value or a number of placements. Placements of
    the employer marked as Social Return count towards the obligation whose period holds their
    start date; the periods of one employer's obligations do not overlap, so that is one.
    """

    employer = models.ForeignKey(
        Employer,
        on_delete=models.CASCADE,
        related_name="sroi_obligations",
        verbose_name=_("employer"),
    )
    tender = models.CharField(_("tender"), max_length=200)
    contract_value = models.DecimalField(
        _("contract value (euro)"), max_digits=12, decimal_places=2
    )
    percentage = models.DecimalField(
        _("percentage of the contract value"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    placements_required = models.PositiveIntegerField(
        _("number of placements"), null=True, blank=True
    )
    start_date = models.DateField(_("start of the period"))
    end_date = models.DateField(_("end of the period"))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Social Return obligation")
        verbose_name_plural = _("Social Return obligations")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="sroi_period_ends_after_start",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=(Q(percentage__isnull=False) & Q(placements_required__isnull=True))
                | (Q(percentage__isnull=True) & Q(placements_required__isnull=False)),
                name="sroi_target_percentage_or_placements",
                violation_error_message=_(
                    "Give either a percentage of the contract value or a number of placements."
                ),
            ),
            models.CheckConstraint(
                condition=Q(percentage__isnull=True)
                | (Q(percentage__gt=0) & Q(percentage__lte=100)),
                name="sroi_percentage_range",
                violation_error_message=_("The percentage lies between 0 and 100."),
            ),
        ]

    def __str__(self):
        return self.tender

    @property
    def target_amount(self) -> Decimal | None:
        """The euro amount to spend, for a percentage obligation."""
        if self.percentage is None:
            return None
        return (self.contract_value * self.percentage / 100).quantize(Decimal("0.01"))


# --- Vacancies ----------------------------------------------------------------------------------


class VacancyQuerySet(models.QuerySet):
    def open(self):
        """Vacancies still looking for people."""
        return self.filter(status=Vacancy.Status.OPEN)

    def for_list(self):
        """Everything a vacancy list row shows, in a constant number of queries."""
        return (
            self.select_related("employer", "sector", "municipality")
            .annotate(
                matches_active=Count(
                    "matches", filter=Q(matches__stage__in=MatchStage.ACTIVE), distinct=True
                ),
                matches_hired=Count(
                    "matches", filter=Q(matches__stage=MatchStage.HIRED), distinct=True
                ),
            )
            .order_by("-opened_on", "title", "pk")
        )  # Meta.ordering does not apply when grouped


class RegisterRule(models.TextChoices):
    """What a vacancy asks of the target-group register (doelgroepregister).

    Not asked: register status does not count. Suitable: a job-agreement job, register
    candidates score the register criterion's points. First: set aside for the register,
    its candidates are ranked before all others (who are still listed). Only: set aside for
    the register, only its candidates are ranked.
    """

    NOT_ASKED = "no", _("Not for the register")
    SUITABLE = "suitable", _("Suitable for the register: register status counts in the score")
    FIRST = "first", _("Set aside for the register: register candidates first")
    ONLY = "only", _("Set aside for the register: only register candidates")


class Vacancy(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("employer")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("sector")
    )
    branch_team = models.ForeignKey(
        "trajectories.BranchTeam",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vacancies",
        verbose_name=_("branch team"),
    )
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"))
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="vacancies",
        verbose_name=_("place of work (municipality)"),
    )
    postcode = models.CharField(
        _("postcode of the place of work"),
        max_length=7,
        blank=True,
        validators=[validate_postcode],
    )
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="vacancies", verbose_name=_("required skills")
    )
    # The place of work, for the distance criterion (as CandidateProfile.latitude).
    latitude = models.FloatField(_("latitude"), null=True, blank=True, editable=False)
    longitude = models.FloatField(_("longitude"), null=True, blank=True, editable=False)
    driving_licence_required = models.BooleanField(_("driving licence required"), default=False)
    register_rule = models.CharField(
        _("target-group register"),
        max_length=10,
        choices=RegisterRule,
        default=RegisterRule.NOT_ASKED,
        help_text=_(
            "A job-agreement (banenafspraak) job: register status counts in the score, and "
            "the job may be set aside for candidates in the register."
        ),
    )
    positions = models.PositiveSmallIntegerField(_("number of positions"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    opened_on = models.DateField(_("open from"), default=timezone.localdate)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    start_date = models.DateField(
        _("desired start"), null=True, blank=True, help_text=_("Empty: as soon as possible.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = IntegerVersionField()

    objects = VacancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-opened_on", "title", "pk"]
        indexes = [models.Index(fields=["status", "opened_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=1) & Q(hours_per_week__lte=40),
                name="vacancy_hours_1_to_40",
                violation_error_message=_("Hours per week lie between 1 and 40."),
            ),
            models.CheckConstraint(
                condition=Q(positions__gte=1),
                name="vacancy_at_least_one_position",
                violation_error_message=_("A vacancy has at least one position."),
            ),
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(closes_on__gte=F("opened_on")),
                name="vacancy_closes_after_opening",
                violation_error_message=_("A vacancy cannot close before it opens."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.employer})"

    @property
    def register_asked(self) -> bool:
        """Whether register status counts for this vacancy (the register criterion)."""
        return self.register_rule != RegisterRule.NOT_ASKED

    @property
    def register_set_aside(self) -> bool:
        """Set aside for the register: its candidates first, or only them."""
        return self.register_rule in (RegisterRule.FIRST, RegisterRule.ONLY)


# --- Candidate profiles -------------------------------------------------------------------------


class CandidateProfileQuerySet(models.QuerySet):
    def for_user(self, user):
        """Profiles this user may see: casework those of their own clients (the client's scope);
        account managers the profiles opened for matching of active clients. Nobody else."""
        from clients.models import Client

        if not user.is_authenticated:
            return self.none()
        if user.has_perm("clients.view_client"):
            return self.filter(client__in=Client.objects.for_user(user))
        if user.has_perm("employers.view_candidateprofile"):
            return self.matchable()
        return self.none()

    def matchable(self):
        """Profiles open for matching, of clients on the caseload today whose data are held."""
        return self.filter(
            on_caseload(timezone.localdate(), prefix="client__"),
            open_for_matching=True,
            client__anonymised_at__isnull=True,
        )


class CandidateProfile(models.Model):
    """What an account manager may see of a client to match them (issue 6).

    Never diagnosis details, health information or coach notes: only these fields, the client's
    name, municipality and register status.
    """

    client = models.OneToOneField(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="candidate_profile",
        verbose_name=_("client"),
    )
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="candidates", verbose_name=_("sectors of interest")
    )
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="candidates", verbose_name=_("skills")
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours available per week"), null=True, blank=True
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    language_level = models.CharField(
        _("language level (Dutch)"), max_length=6, choices=LanguageLevel, blank=True
    )
    driving_licence = models.BooleanField(
        _("driving licence"),
        null=True,
        blank=True,
        choices=[(True, _("Yes")), (False, _("No"))],
    )
    # Where the candidate lives, only for the distance criterion: the centre of the client's
    # four-digit postcode area where loaded, else of their municipality (profiles.locate).
    latitude = models.FloatField(_("latitude"), null=True, blank=True, editable=False)
    longitude = models.FloatField(_("longitude"), null=True, blank=True, editable=False)
    open_for_matching = models.BooleanField(
        _("open for matching"),
        default=False,
        help_text=_("Account managers may propose the client for vacancies."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CandidateProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate profile")
        verbose_name_plural = _("candidate profiles")
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["open_for_matching", "client"]),
            # The box around a place of work (matching.CandidateRanking); more in 0003.
            models.Index(fields=["latitude", "longitude"], name="employers_cp_location"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | Q(hours_per_week__lte=40),
                name="candidate_hours_at_most_40",
                violation_error_message=_("A week has at most 40 working hours."),
            ),
        ]

    def __str__(self):
        return _("Candidate profile of %(client)s") % {"client": self.client}


class ConsentRecord(models.Model):
    """The client agreed that their name may go to an employer (DOMAIN.md, Privacy)."""

    class Scope(models.TextChoices):
        EMPLOYER = "employer", _("This employer")
        ALL_EMPLOYERS = "all_employers", _("Every employer the company proposes them to")

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="employer_consents",
        verbose_name=_("client"),
    )
    scope = models.CharField(_("scope"), max_length=20, choices=Scope)
    employer = models.ForeignKey(
        Employer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("employer"),
    )
    given_on = models.DateField(_("consent given on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent to share a name")
        verbose_name_plural = _("consents to share a name")
        ordering = ["-given_on", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope="all_employers", employer__isnull=True)
                | Q(scope="employer", employer__isnull=False),
                name="consent_scope_matches_employer",
                violation_error_message=_("Consent for one employer names that employer."),
            ),
        ]

    def __str__(self):
        return f"{self.client_id} {self.get_scope_display()} {self.given_on:%Y-%m-%d}"


# --- Matches ------------------------------------------------------------------------------------


class MatchStage(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    INTRODUCED = "introduced", _("Introduced")
    INTERVIEW = "interview", _("Interview")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")


MatchStage.ACTIVE = (MatchStage.PROPOSED, MatchStage.INTRODUCED, MatchStage.INTERVIEW)
MatchStage.CLOSED = (MatchStage.HIRED, MatchStage.REJECTED)


class Match(models.Model):
    """A candidate proposed for a vacancy, and how far it got (the pipeline)."""

    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.CASCADE, related_name="matches", verbose_name=_("vacancy")
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="matches",
        verbose_name=_("candidate"),
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=MatchStage, default=MatchStage.PROPOSED
    )
    rejection_reason = models.ForeignKey(
        RejectionReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matches",
        verbose_name=_("reason"),
    )
    # The score and each criterion's contribution when proposed: the explanation stays as it was.
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, default=0)
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    # The placement that came of a hired match (placements issue).
    placement = models.OneToOneField(
        "placements.Placement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="match",
        verbose_name=_("placement"),
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "client"],
                name="match_once_per_vacancy",
                violation_error_message=_("This candidate is already proposed for this vacancy."),
            ),
            models.CheckConstraint(
                condition=Q(stage="rejected", rejection_reason__isnull=False)
                | (~Q(stage="rejected") & Q(rejection_reason__isnull=True)),
                name="match_rejected_with_reason",
                violation_error_message=_("A rejection needs a reason from the list."),
            ),
        ]

    def __str__(self):
        return f"{self.vacancy_id}/{self.client_id} {self.get_stage_display()}"


class MatchEvent(models.Model):
    """A step of a match: the pipeline's history (who moved it, when, with what note)."""

    match = models.ForeignKey(
        Match, on_delete=models.CASCADE, related_name="events", verbose_name=_("match")
    )
    stage = models.CharField(_("stage"), max_length=12, choices=MatchStage)
    note = models.CharField(_("note"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("match step")
        verbose_name_plural = _("match steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.match_id} {self.get_stage_display()} {self.at:%Y-%m-%d}"


class Shortlist(models.Model):
    """Anonymous profiles an account manager sends an employer, behind a link that expires."""

    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.CASCADE, related_name="shortlists", verbose_name=_("vacancy")
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    matches = models.ManyToManyField(Match, related_name="shortlists", verbose_name=_("matches"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("shortlist")
        verbose_name_plural = _("shortlists")
        ordering = ["-created_at"]

    def __str__(self):
        return _("Shortlist of %(date)s") % {"date": f"{self.created_at:%Y-%m-%d}"}

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.expires_at


def shortlist_letter(index: int) -> str:
    """The letter of the index-th candidate of a shortlist: A to Z, then 27, 28..."""
    return chr(ord("A") + index) if index < 26 else str(index + 1)


def lettered(matches) -> list[tuple[str, Match]]:
    """A shortlist's candidates as the employer sees them: best score when proposed first
    (ties by match), lettered A, B, C. The account manager's key to the letters is this same
    list, so the two never disagree."""
    ordered = sorted(matches, key=lambda match: (-match.score, match.pk))
    return [(shortlist_letter(i), match) for i, match in enumerate(ordered)]
