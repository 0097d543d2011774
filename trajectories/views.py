"""The coach's trajectory work, reached from the dossier: start, change, end; goals, activities,
evaluations. Every object is loaded through the user's scope (out of scope: 404), every write goes
through trajectories.services, and an anonymised client's dossier cannot be changed."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import get_or_deny
from clients.access import AnonymisedClient, refusing_anonymised, writable_client
from clients.forms import RemoveForm
from clients.models import Client
from core.editing import form_page
from core.forms import with_version
from trajectories import services
from trajectories.forms import (
    TRAJECTORY_FIELDS,
    ActivityCreateForm,
    ActivityForm,
    EvaluationCorrectForm,
    EvaluationForm,
    GoalForm,
    GoalStatusForm,
    TrajectoryEndForm,
    TrajectoryForm,
    TrajectoryStartForm,
)
from trajectories.models import Activity, Goal, SkillEvaluation, Trajectory


def _scoped(request, queryset, pk, client_lookup):
    """The object if its client is in the user's scope; a 404 (logged as denied) otherwise.

    An anonymised client's trajectory cannot be changed (AnonymisedClient).
    """
    in_scope = {f"{client_lookup}__in": Client.objects.for_user(request.user)}
    obj = get_or_deny(request, queryset.filter(**in_scope).select_related(client_lookup), pk)
    client = _client_of(obj)
    if client.is_anonymised:
        raise AnonymisedClient(client)
    return obj


def _client_of(obj) -> Client:
    if isinstance(obj, Trajectory):
        return obj.client
    if isinstance(obj, SkillEvaluation):
        return obj.activity.trajectory.client
    return obj.trajectory.client


def _dossier_url(client: Client) -> str:
    return reverse("clients:detail", args=[client.pk]) + "#trajectory"


def _form_page(request, *, client, form, save, title, intro="", submit, saved, context=None):
    """A trajectory form (trajectories/form.html) through core.editing.form_page; after the save
    back to the dossier. A service refusal (a second open trajectory, an activity before its
    trajectory) comes back next to the form with everything typed."""
    return form_page(
        request,
        form=form,
        save=save,
        template="trajectories/form.html",
        context={"client": client, "title": title, "intro": intro, "submit": submit}
        | (context or {}),
        success_url=lambda _saved: _dossier_url(client),
        saved=saved,
        fallback_url=_dossier_url(client),
    )


@permission_required("trajectories.add_trajectory", raise_exception=True)
@refusing_anonymised
def trajectory_start(request, pk):
    """Put the client on a route. A second open trajectory is refused with the service's reason."""
    client = writable_client(request, pk)
    form = TrajectoryStartForm(
        request.POST or None,
        initial={"coach": client.coach_id, "start_date": timezone.localdate()},
    )
    return _form_page(
        request,
        client=client,
        form=form,
        save=lambda f: services.trajectory_start(
            actor=request.user, client=client, **f.cleaned_data
        ),
        title=_("Start a trajectory"),
        submit=_("Start trajectory"),
        saved=_("The trajectory is started."),
    )


@permission_required("trajectories.change_trajectory", raise_exception=True)
@refusing_anonymised
def trajectory_update(request, trajectory):
    trajectory = _scoped(request, Trajectory.objects.all(), trajectory, "client")
    client = trajectory.client
    form = TrajectoryForm(request.POST or None, instance=Trajectory.objects.get(pk=trajectory.pk))
    return _form_page(
        request,
        client=client,
        form=form,
        save=lambda f: services.trajectory_update(
            actor=request.user,
            trajectory=trajectory,
            **{name: f.cleaned_data[name] for name in TRAJECTORY_FIELDS},
        ),
        title=_("Change the trajectory"),
        submit=_("Save"),
        saved=_("The trajectory is saved."),
    )


@permission_required("trajectories.change_trajectory", raise_exception=True)
@refusing_anonymised
def trajectory_end(request, trajectory):
    trajectory = _scoped(request, Trajectory.objects.select_related("route"), trajectory, "client")
    client = trajectory.client
    if not trajectory.is_open:
        messages.info(request, _("This trajectory has already ended."))
        return redirect(_dossier_url(client))
    form = TrajectoryEndForm(
        request.POST or None, trajectory=trajectory, initial={"end_date": timezone.localdate()}
    )
    return _form_page(
        request,
        client=client,
        form=form,
        save=lambda f: services.trajectory_end(
            actor=request.user, trajectory=trajectory, **f.cleaned_data
        ),
        title=_("End the trajectory"),
        intro=_("%(trajectory)s. Give the end date and how it ended.") % {"trajectory": trajectory},
        submit=_("End trajectory"),
        saved=_("The trajectory is ended."),
    )


@permission_required("trajectories.add_goal", raise_exception=True)
@refusing_anonymised
def goal_create(request, trajectory):
    trajectory = _scoped(request, Trajectory.objects.all(), trajectory, "client")
    form = GoalForm(request.POST or None)
    return _form_page(
        request,
        client=trajectory.client,
        form=form,
        save=lambda f: services.goal_add(
            actor=request.user, trajectory=trajectory, **f.cleaned_data
        ),
        title=_("Add a goal to the plan"),
        submit=_("Add goal"),
        saved=_("The goal is added to the plan."),
    )


@permission_required("trajectories.change_goal", raise_exception=True)
@refusing_anonymised
def goal_status(request, goal):
    goal = _scoped(request, Goal.objects.all(), goal, "trajectory__client")
    form = GoalStatusForm(
        request.POST or None,
        initial={"status": goal.status, "status_date": goal.status_date or timezone.localdate()},
    )
    return _form_page(
        request,
        client=goal.trajectory.client,
        form=form,
        save=lambda f: services.goal_set_status(actor=request.user, goal=goal, **f.cleaned_data),
        title=_("Set the status of a goal"),
        intro=goal.description,
        submit=_("Save"),
        saved=_("The status of the goal is saved."),
    )


@permission_required("trajectories.add_activity", raise_exception=True)
@refusing_anonymised
def activity_create(request, trajectory):
    trajectory = _scoped(request, Trajectory.objects.all(), trajectory, "client")
    form = ActivityCreateForm(request.POST or None, initial={"start_date": timezone.localdate()})
    return _form_page(
        request,
        client=trajectory.client,
        form=form,
        save=lambda f: services.activity_add(
            actor=request.user, trajectory=trajectory, **f.cleaned_data
        ),
        title=_("Add an activity"),
        submit=_("Add activity"),
        saved=_("The activity is added."),
    )


@permission_required("trajectories.change_activity", raise_exception=True)
@refusing_anonymised
def activity_update(request, activity):
    activity = _scoped(request, Activity.objects.all(), activity, "trajectory__client")
    form = ActivityForm(request.POST or None, instance=Activity.objects.get(pk=activity.pk))
    return _form_page(
        request,
        client=activity.trajectory.client,
        form=form,
        save=lambda f: services.activity_update(
            actor=request.user, activity=activity, **f.cleaned_data
        ),
        title=_("Change the activity"),
        submit=_("Save"),
        saved=_("The activity is saved."),
    )


@permission_required("trajectories.add_skillevaluation", raise_exception=True)
@refusing_anonymised
def evaluation_create(request, activity):
    activity = _scoped(
        request, Activity.objects.select_related("kind"), activity, "trajectory__client"
    )
    client = activity.trajectory.client
    if not activity.kind.evaluated:
        messages.error(request, _("Activities of this kind have no skill evaluations."))
        return redirect(_dossier_url(client))
    form = EvaluationForm(request.POST or None, initial={"evaluated_on": timezone.localdate()})
    return _form_page(
        request,
        client=client,
        form=form,
        save=lambda f: services.evaluation_record(
            actor=request.user,
            activity=activity,
            evaluated_on=f.cleaned_data["evaluated_on"],
            notes=f.cleaned_data["notes"],
            scores=f.scores(),
        ),
        title=_("Record a skill evaluation"),
        intro=str(activity),
        submit=_("Save evaluation"),
        saved=_("The evaluation is recorded."),
    )


# --- Correcting the record: a skill evaluation --------------------------------------------------


def _evaluation(request, pk) -> SkillEvaluation:
    evaluation = _scoped(
        request,
        SkillEvaluation.objects.select_related("activity__kind", "activity__trajectory"),
        pk,
        "activity__trajectory__client",
    )
    return evaluation


def _client_of_evaluation(evaluation: SkillEvaluation) -> Client:
    return evaluation.activity.trajectory.client


@permission_required("trajectories.change_skillevaluation", raise_exception=True)
@refusing_anonymised
def evaluation_correct(request, evaluation):
    """Correct a skill evaluation's date, notes or scores, with a reason."""
    evaluation = _evaluation(request, evaluation)

    def make(data, current):
        return EvaluationCorrectForm(data, evaluation=current, user=request.user)

    form = make(request.POST or None, evaluation)
    return form_page(
        request,
        form=form,
        save=lambda f: services.evaluation_correct(
            actor=request.user,
            evaluation=SkillEvaluation.objects.get(pk=evaluation.pk),
            activity=f.cleaned_data["activity"],
            evaluated_on=f.cleaned_data["evaluated_on"],
            notes=f.cleaned_data["notes"],
            scores=f.scores(),
            reason=f.cleaned_data["reason"],
            version=f.cleaned_data["version"],
        ),
        template="clients/correction_form.html",
        context={
            "client": _client_of_evaluation(evaluation),
            "record": evaluation,
            "record_template": "trajectories/timeline/_evaluation.html",
            "title": _("Correct a skill evaluation"),
        },
        success_url=lambda saved: _dossier_url(_client_of_evaluation(saved)),
        saved=_("The evaluation is corrected."),
        field_names=("activity", "evaluated_on", "notes"),
        rebound=lambda current: make(
            with_version(request.POST, "version", current.version), current
        ),
        fallback_url=_dossier_url(_client_of_evaluation(evaluation)),
    )


@permission_required("trajectories.delete_skillevaluation", raise_exception=True)
@refusing_anonymised
def evaluation_remove(request, evaluation):
    """Remove a skill evaluation logged by mistake, with a reason."""
    evaluation = _evaluation(request, evaluation)
    client = _client_of_evaluation(evaluation)
    form = RemoveForm(request.POST or None, record=evaluation)
    return form_page(
        request,
        form=form,
        save=lambda f: services.evaluation_remove(
            actor=request.user,
            evaluation=evaluation,
            reason=f.cleaned_data["reason"],
            version=f.cleaned_data["version"],
        ),
        template="clients/correction_form.html",
        context={
            "client": client,
            "record": evaluation,
            "record_template": "trajectories/timeline/_evaluation.html",
            "title": _("Remove a skill evaluation"),
            "removal": True,
        },
        success_url=lambda _saved: _dossier_url(client),
        saved=_("The evaluation is removed."),
        fallback_url=_dossier_url(client),
    )
