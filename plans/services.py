"""State changes of the plans app: making a version of a trajectory's plan (its snapshot and
its PDF in the dossier) and recording the date the client signed it.

Rules: versions of a trajectory are numbered 1, 2, ... and every version is kept; only an open
trajectory gets a new version; a version is signed once, on a day not in the future and not
before it was made, and never changes after that; only the newest version can be signed (an
older unsigned one was replaced before the client signed it). The version in force is the
newest signed one (plans.models.in_force).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.changelog import records_actor
from core.models import User
from documents.models import DocumentKind
from documents.services import document_upload
from plans import snapshot
from plans.models import PlanVersion
from plans.pdf import plan_pdf
from trajectories.models import Trajectory

# The document kind a plan's PDF is filed under (documents.reference.DOCUMENT_KINDS).
PLAN_DOCUMENT_KIND = "signed_plan"


def plan_file_name(number: int, day: datetime.date) -> str:
    """`plan-van-aanpak-versie-2-2026-03-03.pdf`: never the client's name."""
    return f"plan-van-aanpak-versie-{number}-{day:%Y-%m-%d}.pdf"


@records_actor
@transaction.atomic
def plan_version_make(
    *,
    actor: User | None,
    trajectory: Trajectory,
    agreements: str,
    review_on: datetime.date,
    now: datetime.datetime | None = None,
) -> PlanVersion:
    """Make the next version of the trajectory's plan: a snapshot of its goals, activities and
    the agreements, printed as a PDF stored in the dossier. `now` is the moment it is made
    (the demo's history); the moment of the call otherwise."""
    now = now or timezone.now()
    made_on = timezone.localdate(now)
    # Locked, so two coaches making a version at once get numbers one after the other (the
    # unique constraint refuses a duplicate on any database).
    trajectory = (
        Trajectory.objects.select_for_update(of=("self",))  # not the outer-joined coach
        .select_related("client__coach", "route", "branch_team", "coach")
        .get(pk=trajectory.pk)
    )
    client = trajectory.client
    client.check_writable()
    if not trajectory.is_open:
        raise ValidationError(
            _("This trajectory has ended; a plan is only made for an open trajectory."),
            code="ended",
        )
    agreements = agreements.strip()
    errors = {}
    if not agreements:
        errors["agreements"] = _("Write down what the client does and what we do.")
    if review_on <= made_on:
        errors["review_on"] = _("The plan is looked at again on a day after it is made.")
    if errors:
        raise ValidationError(errors)
    number = (trajectory.plan_versions.aggregate(last=Max("number"))["last"] or 0) + 1
    content = snapshot.take(
        trajectory=trajectory, agreements=agreements, review_on=review_on, made_on=made_on
    )
    pdf = plan_pdf(content, number)
    with translation.override(settings.LANGUAGE_CODE):  # the dossier's description is Dutch
        description = _("Plan of approach, version %(number)s") % {"number": number}
    document = document_upload(
        actor=actor,
        client=client,
        kind=DocumentKind.objects.get(code=PLAN_DOCUMENT_KIND),
        file=ContentFile(pdf, name=plan_file_name(number, made_on)),
        dated_on=made_on,
        description=description,
    )
    version = PlanVersion(
        trajectory=trajectory,
        number=number,
        made_at=now,
        made_by=actor,
        agreements=agreements,
        review_on=review_on,
        content=content,
        document=document,
    )
    version.full_clean()
    version.save()
    return version


@records_actor
@transaction.atomic
def plan_version_sign(
    *, actor: User | None, version: PlanVersion, signed_on: datetime.date
) -> PlanVersion:
    """Record the day the client signed this version; once, for the newest version only."""
    # Locked, so of two people recording at once one records it and the other is told.
    version = (
        PlanVersion.objects.select_for_update(of=("self",))
        .select_related("trajectory__client")
        .get(pk=version.pk)
    )
    version.trajectory.client.check_writable()
    if version.is_signed:
        raise ValidationError(_("This version is signed already; it is never changed."), "signed")
    newest = version.trajectory.plan_versions.aggregate(last=Max("number"))["last"]
    if version.number != newest:
        raise ValidationError(
            _(
                "Version %(later)s replaced this version before it was signed; record the "
                "signature of the newest version."
            ),
            code="replaced",
            params={"later": newest},
        )
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The day of signing cannot be in the future.")})
    if signed_on < timezone.localdate(version.made_at):
        raise ValidationError(
            {"signed_on": _("The client cannot have signed the plan before it was made.")}
        )
    version.signed_on, version.signed_recorded_by = signed_on, actor
    version.signed_recorded_at = timezone.now()
    version.save(update_fields=["signed_on", "signed_recorded_by", "signed_recorded_at"])
    return version
