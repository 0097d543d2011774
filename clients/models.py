import datetime

from concurrency.fields import IntegerVersionField
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Municipality, Team, User
from core.validators import (
    mask_bsn,
    normalize_postcode,
    validate_bsn,
    validate_name,
    validate_postcode,
)


class TargetGroup(models.TextChoices):
    WAJONG = "wajong", _("Wajong")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance (Participatiewet)")
    STATUS_HOLDER = "status_holder", _("Status holder")
    NON_BENEFIT = "non_benefit", _("No benefit (NUG)")
    SCHOOL_LEAVER = "school_leaver", _("School leaver (special or practical education)")


class DeregistrationReason(models.TextChoices):
    WORK = "work", _("Work")
    EDUCATION = "education", _("Education")
    MOVED = "moved", _("Moved away")
    DECEASED = "deceased", _("Deceased")
    OTHER_BENEFIT = "other_benefit", _("Other benefit")
    NOT_ENTITLED = "not_entitled", _("No longer entitled")
    OTHER = "other", _("Other")


class Correspondence(models.TextChoices):
    EMAIL = "email", _("By e-mail")
    POST = "post", _("By post")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video call")
    HOME_VISIT = "home_visit", _("Home visit")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")


# interchange.md: a conversation is a contact by one of these channels.
CONVERSATION_CHANNELS = (Channel.IN_PERSON, Channel.PHONE, Channel.VIDEO, Channel.HOME_VISIT)


class Route(models.TextChoices):
    EMPLOYEE = "employee", _("Employee route (paid work)")
    PARTICIPATION = "participation", _("Participation route")
    SHELTERED_WORK = "sheltered_work", _("Sheltered work")
    DAYTIME_ACTIVITIES = "daytime_activities", _("Work-like daytime activities")


class WorkEstimate(models.TextChoices):
    DIRECTLY = "directly", _("Can work directly")
    WITHIN_TWO_YEARS = "within_two_years", _("Can work within two years")
    NOT_WITHIN_TWO_YEARS = "not_within_two_years", _("Cannot work within two years")


class LanguageLevel(models.TextChoices):
    A0 = "a0", _("Below A1")
    A1 = "a1", "A1"
    A2 = "a2", "A2"
    B1 = "b1", "B1"
    B2 = "b2", "B2"
    C1 = "c1", "C1"
    C2 = "c2", "C2"
    NATIVE = "native", _("Native speaker")


class Barrier(models.TextChoices):
    DEBTS = "debts", _("Debts")
    CHILDCARE = "childcare", _("Care for children")
    INFORMAL_CARE = "informal_care", _("Care for a relative")
    HEALTH = "health", _("Health")
    LANGUAGE = "language", _("Language")
    HOUSING = "housing", _("Housing")
    TRANSPORT = "transport", _("Transport")
    DIGITAL_SKILLS = "digital_skills", _("Digital skills")


def on_caseload(date: datetime.date, prefix: str = "") -> Q:
    """kpis.md "on date D" for a client, reached through `prefix` (e.g. "client__" from a
    contact): registered on or before D, and not deregistered on or before it."""
    return Q(**{f"{prefix}registered_on__lte": date}) & (
        Q(**{f"{prefix}deregistered_on__isnull": True})
        | Q(**{f"{prefix}deregistered_on__gt": date})
    )


class ClientQuerySet(models.QuerySet):
    def for_user(self, user):
        """The clients this user may open: their own caseload and their teams' clients."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if not user.has_perm("clients.view_client"):
            return self.none()
        from clients import scope  # other apps widen it (a referral to the diagnosis team)

        # any_of (core.lookups): an index scan of the teams' clients, not a scan of every client.
        return self.filter(
            Q(coach=user) | Q(team__any_of=user.teams.values("pk")) | scope.extended(user)
        )

    def unassigned(self):
        """Clients no active colleague sees through a caseload (interchange.md: nobody's client
        is invisible): no coach or one who left, and no team or one without active members."""
        # Written as NOT IN and NOT EXISTS, not as the joins `exclude(coach__is_active=True)`
        # makes: PostgreSQL estimated one row for that join's filter and ran the worklist's
        # page as nested loops over every unassigned client (0.8 s at 100,000 clients; 2 ms
        # this way, walking the name index).
        coaches_at_work = User.objects.filter(is_active=True).values("pk")
        staffed = Team.members.through.objects.filter(
            team_id=OuterRef("team_id"), user__is_active=True
        )
        return self.filter(Q(coach__isnull=True) | ~Q(coach__in=coaches_at_work)).exclude(
            Exists(staffed)
        )

    def not_anonymised(self):
        """Clients whose personal data are still held (anonymised ones cannot be changed)."""
        return self.filter(anonymised_at__isnull=True)

    def active_on(self, date: datetime.date):
        """Clients on the caseload on `date` (kpis.md: registered on or before, not yet left)."""
        return self.filter(on_caseload(date))

    def active(self):
        return self.active_on(timezone.localdate())

    def inactive(self):
        today = timezone.localdate()
        return self.filter(Q(registered_on__gt=today) | Q(deregistered_on__lte=today))

    def search(self, text: str):
        """Every word of `text` must occur in the first name, prefix or last name."""
        qs = self
        for word in text.split():
            qs = qs.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(name_prefix__icontains=word)
            )
        return qs

    def with_last_contact(self):
        """Annotate `last_contact_on`: the date of the latest contact, or None."""
        latest = Contact.objects.filter(client=OuterRef("pk")).order_by("-date").values("date")[:1]
        return self.annotate(last_contact_on=Subquery(latest))

    def for_list(self):
        """Everything a list row shows, in a constant number of queries."""
        return self.select_related("coach", "team", "municipality").with_last_contact()


class Client(models.Model):
    """A resident the company helps towards work; identified by the BSN."""

    first_name = models.CharField(_("first name"), max_length=150, validators=[validate_name])
    name_prefix = models.CharField(
        _("name prefix"),
        max_length=30,
        blank=True,
        help_text=_("For example 'van der'."),
        validators=[validate_name],
    )
    last_name = models.CharField(_("last name"), max_length=150, validators=[validate_name])
    bsn = models.CharField(  # noqa: DJ001
        _("BSN"),
        max_length=9,
        unique=True,
        null=True,  # NULL only once anonymised (constraint below); unique allows many NULLs
        validators=[validate_bsn],
        error_messages={"unique": _("A client with this BSN is already registered.")},
    )
    birth_date = models.DateField(_("date of birth"))
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    address = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[validate_postcode]
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="clients",
        verbose_name=_("municipality"),
    )
    target_group = models.CharField(_("target group"), max_length=20, choices=TargetGroup)
    target_group_register = models.BooleanField(
        _("in the target-group register"),
        default=False,
        help_text=_("Registered in the doelgroepregister (job agreement)."),
    )
    correspondence = models.CharField(
        _("correspondence"),
        max_length=10,
        choices=Correspondence,
        default=Correspondence.POST,
        help_text=_("How the client prefers letters: by e-mail or by post."),
    )
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    deregistered_on = models.DateField(_("deregistered on"), null=True, blank=True)
    deregistration_reason = models.CharField(
        _("reason for deregistration"), max_length=20, choices=DeregistrationReason, blank=True
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="caseload",
        verbose_name=_("work coach"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name=_("team"),
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    # The identifier in the source system of an import (interchange.md): a re-import updates
    # the same record instead of creating a second one.
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
    # Optimistic locking: a save based on an older version is refused (django-concurrency).
    version = IntegerVersionField()

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name", "pk"]
        permissions = [
            ("view_full_bsn", _("Can show a client's full BSN")),
            ("export_personal_data", _("Can export everything held about a client (GDPR)")),
            ("anonymise_client", _("Can approve the anonymisation of clients")),
            # Whoever hands out caseloads: the worklist of clients without team and coach.
            ("assign_client", _("Can assign clients without a team or coach")),
            # A BSN is corrected on a page of its own, with a reason, logged (clients:bsn_change).
            ("change_bsn", _("Can change a client's BSN")),
            # Team leaders hand a coach's caseload over to others (clients.handover).
            ("hand_over_caseload", _("Can hand a coach's caseload over to other coaches")),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["coach", "deregistered_on"]),
            models.Index(fields=["registered_on"]),
            models.Index(fields=["deregistered_on"]),
            # Registration looks for near-duplicates among clients born the same day
            # (clients.duplicates).
            models.Index(fields=["birth_date"]),
            # The KPIs' "on the caseload on day D, per target group" (reporting.kpis) read
            # only this index, not the table.
            models.Index(
                fields=["registered_on", "deregistered_on", "target_group"],
                name="client_caseload_kpi_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deregistered_on__isnull=True)
                | Q(deregistered_on__gte=F("registered_on")),
                name="client_deregistered_after_registered",
                violation_error_message=_("The deregistration date cannot be before registration."),
            ),
            models.CheckConstraint(
                condition=(Q(deregistered_on__isnull=True) & Q(deregistration_reason=""))
                | (Q(deregistered_on__isnull=False) & ~Q(deregistration_reason="")),
                name="client_deregistration_has_reason",
                violation_error_message=_("A deregistration needs both a date and a reason."),
            ),
            models.CheckConstraint(
                condition=Q(bsn__isnull=False) | Q(anonymised_at__isnull=False),
                name="client_bsn_until_anonymised",
                violation_error_message=_("Only an anonymised client is without a BSN."),
            ),
        ]

    def __str__(self):
        return self.full_name

    def clean(self):
        super().clean()
        # One spelling (`1234 AB`), whoever writes the row: a form, a service call from a
        # command, or an import (which stores it so); else a re-import reads as a change.
        if self.postcode:
            try:
                self.postcode = normalize_postcode(self.postcode)
            except ValidationError:
                pass  # the field's own validator reports it, next to the field

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.name_prefix, self.last_name) if p)

    @property
    def sort_name(self) -> str:
        """`Last, First prefix`, as Dutch lists sort people; an anonymised client's placeholder."""
        if self.is_anonymised:
            return self.full_name
        given = " ".join(p for p in (self.first_name, self.name_prefix) if p)
        return f"{self.last_name}, {given}"

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    def check_writable(self) -> None:
        """Every service that changes a client's data calls this first: an anonymised client's
        dossier is closed for good (privacy.services.client_anonymise)."""
        if self.is_anonymised:
            raise ValidationError(_("An anonymised client cannot be changed."), code="anonymised")

    @property
    def bsn_masked(self) -> str:
        return mask_bsn(self.bsn)

    def get_additional_data(self) -> dict | None:
        """What django-auditlog keeps beside a change: the reason given for a BSN change."""
        reason = getattr(self, "change_reason", "")
        return {"reason": reason} if reason else None

    def is_active_on(self, date: datetime.date) -> bool:
        return self.registered_on <= date and (
            self.deregistered_on is None or self.deregistered_on > date
        )

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())

    def age_on(self, date: datetime.date) -> int:
        born = self.birth_date
        return date.year - born.year - ((date.month, date.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())


class RecordQuerySet(models.QuerySet):
    def removed(self):
        """Records removed with a reason (soft delete), for the functional administrator."""
        return self.filter(removed_at__isnull=False)


class CurrentManager(models.Manager.from_queryset(RecordQuerySet)):
    """The default manager of a correctable record: only records not removed, so the timeline,
    lists, KPIs and the export leave a removed record out without each asking."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class Correctable(models.Model):
    """A record a coach can correct or remove (GDPR art. 16, rectification), always with a
    reason; a removal is a soft delete the functional administrator still sees."""

    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True, editable=False)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("removed by"),
    )
    removal_reason = models.TextField(
        _("reason for removal"), blank=True, db_default="", editable=False
    )
    # Optimistic locking, as on Client: a correction based on an older version is refused.
    version = IntegerVersionField()

    objects = CurrentManager()
    with_removed = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    def get_additional_data(self) -> dict | None:
        """What django-auditlog keeps beside a correction or removal: its reason."""
        reason = getattr(self, "correction_reason", "")
        return {"reason": reason} if reason else None


class Contact(Correctable):
    """A contact moment with a client: a conversation, or a message by e-mail or letter."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("client")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    # The identifier in the source system of an import (interchange.md): a re-import updates
    # the same record instead of creating a second one.
    source_ref = models.CharField(  # noqa: DJ001
        _("reference in the source system"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-date", "-created_at"]
        indexes = [
            models.Index(fields=["client", "date"]),
            models.Index(fields=["date"]),
            # Contact coverage (reporting.kpis): conversations in a period, without a visit to
            # the table; SQLite otherwise walks every contact (PERFORMANCE.md). With removed_at:
            # the figures count current contacts only (Contact.objects: removed_at IS NULL).
            # SQLite does not choose a partial index (WHERE removed_at IS NULL) for this query.
            models.Index(
                fields=["date", "channel", "client", "removed_at"],
                name="contact_coverage_kpi_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.date:%Y-%m-%d}"

    @property
    def is_conversation(self) -> bool:
        return self.channel in CONVERSATION_CHANNELS


class Intake(Correctable):
    """A diagnosis intake: the distance to the labour market, and the advice that follows."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="intakes", verbose_name=_("client")
    )
    held_on = models.DateField(_("held on"), default=timezone.localdate)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("held by"),
    )
    dream = models.TextField(
        _("the client's dream"), blank=True, help_text=_("In the client's own words.")
    )
    barriers = models.JSONField(_("barriers"), default=list, blank=True)
    language_spoken = models.CharField(
        _("language level, spoken"), max_length=6, choices=LanguageLevel, blank=True
    )
    language_written = models.CharField(
        _("language level, written"), max_length=6, choices=LanguageLevel, blank=True
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours available per week"), null=True, blank=True
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    functional_limitations = models.TextField(
        _("functional limitations"),
        blank=True,
        help_text=_("What the client can and cannot do. Never a medical diagnosis."),
    )
    capacity = models.TextField(
        _("capacity (belastbaarheid)"),
        blank=True,
        help_text=_("For example hours per day, physical and mental load. No diagnosis."),
    )
    advised_route = models.CharField(_("advised route"), max_length=20, choices=Route)
    work_estimate = models.CharField(
        _("estimate of work ability"), max_length=24, choices=WorkEstimate
    )
    advice_notes = models.TextField(_("explanation of the advice"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        ordering = ["-held_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | Q(hours_per_week__lte=40),
                name="intake_hours_at_most_40",
                violation_error_message=_("A week has at most 40 working hours."),
            ),
        ]

    def __str__(self):
        return _("Intake of %(date)s") % {"date": self.held_on.isoformat()}

    def get_barriers_display(self) -> list[str]:
        labels = dict(Barrier.choices)
        return [str(labels.get(code, code)) for code in self.barriers]

    @property
    def intensive_service(self) -> bool:
        """Clients estimated able to work within two years get intensive service (DOMAIN.md §2)."""
        return self.work_estimate == WorkEstimate.WITHIN_TWO_YEARS


class Instrument(models.TextChoices):
    LIFE_WHEEL = "life_wheel", _("Life wheel")
    ZRM = "zrm", _("Self-sufficiency matrix (ZRM)")
    EMPLOYEE_SKILL = "employee_skill", _("Employee skills")


class LifeWheelDomain(models.TextChoices):
    WORK = "work", _("Work and daytime activity")
    FINANCES = "finances", _("Finances")
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health")
    SOCIAL = "social", _("Social contacts")
    FAMILY = "family", _("Family and relationships")
    LEISURE = "leisure", _("Leisure")
    DEVELOPMENT = "development", _("Personal development")


class ZrmDomain(models.TextChoices):
    FINANCES = "finances", _("Finances")
    WORK_EDUCATION = "work_education", _("Work and education")
    DAYTIME_ACTIVITY = "daytime_activity", _("Daytime activity")
    HOUSING = "housing", _("Housing")
    DOMESTIC_RELATIONS = "domestic_relations", _("Domestic relations")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    ADDICTION = "addiction", _("Addiction")
    BASIC_ADL = "basic_adl", _("Basic daily living")
    INSTRUMENTAL_ADL = "instrumental_adl", _("Instrumental daily living")
    SOCIAL_NETWORK = "social_network", _("Social network")
    PARTICIPATION = "participation", _("Community participation")
    JUSTICE = "justice", _("Justice")


class EmployeeSkill(models.TextChoices):
    ON_TIME = "on_time", _("Being on time")
    APPOINTMENTS = "appointments", _("Keeping appointments")
    SUPERVISION = "supervision", _("Working under supervision")
    COOPERATING = "cooperating", _("Cooperating")
    INSTRUCTIONS = "instructions", _("Taking instructions")


# The scale of each instrument: (lowest, highest, domains).
SCALES = {
    Instrument.LIFE_WHEEL: (1, 10, LifeWheelDomain),
    Instrument.ZRM: (1, 5, ZrmDomain),
    Instrument.EMPLOYEE_SKILL: (1, 5, EmployeeSkill),
}


def _score_in_scale():
    return Q(
        *[
            Q(instrument=instrument, score__gte=low, score__lte=high)
            for instrument, (low, high, _domains) in SCALES.items()
        ],
        _connector=Q.OR,
    )


class IntakeScore(models.Model):
    """One recorded score of an intake instrument. ZRM scores carry the purpose they serve."""

    intake = models.ForeignKey(
        Intake, on_delete=models.CASCADE, related_name="scores", verbose_name=_("intake")
    )
    instrument = models.CharField(_("instrument"), max_length=20, choices=Instrument)
    domain = models.CharField(_("domain"), max_length=30)
    score = models.PositiveSmallIntegerField(_("score"))
    purpose = models.CharField(
        _("purpose"),
        max_length=300,
        blank=True,
        help_text=_("Why this score is recorded (required for ZRM domains)."),
    )

    class Meta:
        verbose_name = _("intake score")
        verbose_name_plural = _("intake scores")
        ordering = ["instrument", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake", "instrument", "domain"], name="intake_score_once_per_domain"
            ),
            models.CheckConstraint(
                condition=_score_in_scale(),
                name="intake_score_in_scale",
                violation_error_message=_("The score is outside the scale of its instrument."),
            ),
            models.CheckConstraint(
                condition=~Q(instrument=Instrument.ZRM) | ~Q(purpose=""),
                name="intake_score_zrm_has_purpose",
                violation_error_message=_("A ZRM score needs the purpose it is recorded for."),
            ),
        ]

    def __str__(self):
        return f"{self.get_domain_display()}: {self.score}"

    def get_domain_display(self) -> str:
        domains = SCALES[self.instrument][2]
        return str(dict(domains.choices).get(self.domain, self.domain))

    @property
    def scale_max(self) -> int:
        return SCALES[self.instrument][1]


class LadderStep(models.IntegerChoices):
    ISOLATED = 1, _("1 Isolated")
    SOCIAL_CONTACTS = 2, _("2 Social contacts outside the home")
    ORGANISED_ACTIVITY = 3, _("3 Participation in organised activities")
    UNPAID_WORK = 4, _("4 Unpaid work")
    PAID_WORK_SUPPORTED = 5, _("5 Paid work with support")
    PAID_WORK = 6, _("6 Paid work")


class LadderObservation(Correctable):
    """A dated measurement on the participation ladder; a series of them shows the climb."""

    client = models.ForeignKey(
        Client,
        on_delete=models.CASCADE,
        related_name="ladder_observations",
        verbose_name=_("client"),
    )
    observed_on = models.DateField(_("measured on"), default=timezone.localdate)
    step = models.PositiveSmallIntegerField(_("participation ladder step"), choices=LadderStep)
    intake = models.OneToOneField(
        Intake,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ladder_observation",
        verbose_name=_("intake"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("participation ladder measurement")
        verbose_name_plural = _("participation ladder measurements")
        ordering = ["-observed_on", "-created_at"]
        indexes = [models.Index(fields=["client", "observed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(step__gte=1, step__lte=6),
                name="ladder_step_1_to_6",
                violation_error_message=_("The participation ladder has steps 1 to 6."),
            ),
        ]

    def __str__(self):
        return f"{self.get_step_display()} ({self.observed_on:%Y-%m-%d})"


class CorrectionAction(models.TextChoices):
    CORRECTED = "corrected", _("Corrected")
    REMOVED = "removed", _("Removed")


class CorrectionQuerySet(models.QuerySet):
    def of_records(self, records) -> "CorrectionQuerySet":
        """The corrections of these records (model instances of any kind), oldest first: one
        query however many."""
        by_label: dict[str, list[int]] = {}
        for record in records:
            by_label.setdefault(record._meta.label_lower, []).append(record.pk)
        if not by_label:
            return self.none()
        condition = Q(
            *[Q(record_type=label, record_id__in=ids) for label, ids in by_label.items()],
            _connector=Q.OR,
        )
        return self.filter(condition).select_related("actor").order_by("at", "pk")


class Correction(models.Model):
    """A correction or removal of a logged record with its reason: the timeline's badge and the
    removed-records page read these (one query a page); the change history (django-auditlog)
    keeps the same reason with the record's own before and after."""

    record_type = models.CharField(_("kind of record"), max_length=100)  # "clients.contact"
    record_id = models.PositiveBigIntegerField(_("record"))
    record_repr = models.CharField(_("record"), max_length=200)
    # The client the record belongs to after the correction; for a move also where it came from.
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("client")
    )
    moved_from = models.ForeignKey(
        Client,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moved from"),
    )
    action = models.CharField(_("action"), max_length=10, choices=CorrectionAction)
    reason = models.TextField(_("reason"), blank=True)
    # What changed, as people read it: [[field label, before, after], ...].
    changes = models.JSONField(_("changes"), default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["record_type", "record_id"]),
            models.Index(fields=["action", "at"]),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.record_repr}"

    @property
    def record_label(self) -> str:
        """What kind of record (contact, intake ...), as the forms name it."""
        model = apps.get_model(self.record_type)
        return str(model._meta.verbose_name)


# --- Coach history and handover (issue 18) -------------------------------------------------------


class CoachChangeReason(models.TextChoices):
    """Why a client's period with a coach began."""

    REGISTRATION = "registration", _("Registration")
    ASSIGNMENT = "assignment", _("Assigned from the worklist")
    HANDOVER = "handover", _("Handover")
    REASSIGNMENT = "reassignment", _("Reassignment")
    COACH_LEFT = "coach_left", _("Coach left")
    IMPORT = "import", _("Import")
    CORRECTION = "correction", _("Correction")


class CoachPeriodQuerySet(models.QuerySet):
    def open(self):
        """The periods still running: a client has at most one (a constraint)."""
        return self.filter(ended_on__isnull=True)

    def for_dossier(self):
        """A client's periods, newest first, with everything the dossier shows: one query."""
        return self.select_related("coach", "team", "changed_by").order_by("-started_on", "-pk")


class CoachPeriod(models.Model):
    """Who coached a client from when to when, and why that began (clients.handover writes it
    wherever a client's coach changes)."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="coach_periods", verbose_name=_("client")
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="coach_periods",
        verbose_name=_("work coach"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=CoachChangeReason)
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CoachPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("coach period")
        verbose_name_plural = _("coach periods")
        ordering = ["client", "-started_on", "-pk"]
        indexes = [models.Index(fields=["client", "started_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(ended_on__isnull=True),
                name="coach_period_one_open_per_client",
                violation_error_message=_("A client has one current coach."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="coach_period_ends_after_start",
                violation_error_message=_("A period cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.coach} {self.started_on:%Y-%m-%d}"


class HandoverNoteQuerySet(models.QuerySet):
    def open(self):
        """Notes their new coach has not dismissed yet."""
        return self.filter(dismissed_at__isnull=True)


class HandoverNote(models.Model):
    """What the team leader tells the new coach about a client at a handover; the new coach sees
    it on the dossier until they dismiss it."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="handover_notes", verbose_name=_("client")
    )
    from_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("previous coach"),
    )
    to_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="handover_notes",
        verbose_name=_("new coach"),
    )
    text = models.TextField(_("handover note"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    dismissed_at = models.DateTimeField(_("dismissed at"), null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dismissed by"),
    )

    objects = HandoverNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover note")
        verbose_name_plural = _("handover notes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["to_coach", "dismissed_at"])]

    def __str__(self):
        return _("Handover note of %(date)s") % {"date": f"{self.created_at:%Y-%m-%d}"}
