"""The functional administrator's pages for merging two dossiers of the same person.

The administrator sees no dossiers: only what identifies the two clients (number, name, birth
date, BSN masked, municipality, team) and how many records of each kind each holds. Every
comparison shown is logged as an access to both dossiers.
"""

from django.contrib.auth.decorators import permission_required
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AccessKind
from audit.services import access_record
from core.editing import form_page
from core.lists import ListPage
from merging import services
from merging.forms import MergeForm, MergePickForm
from merging.models import Merge
from merging.tables import MergeTable


def comparison(request, keep, merge, *, log: bool = True) -> dict:
    """The two clients side by side, their records per kind, and what stops the merge; `log`:
    record it as an access to both dossiers (the confirmation shows again what was logged)."""
    for client in (keep, merge) if log else ():
        access_record(request=request, kind=AccessKind.DOSSIER, obj=client, detail="merge check")
    kept_counts, merged_counts = services.record_counts(keep), services.record_counts(merge)
    rows = [
        (label, count, merged_counts[key][1])
        for key, (label, count) in kept_counts.items()
        if count or merged_counts[key][1]
    ]
    return {
        "keep": keep,
        "merge": merge,
        "pair": [(keep, _("The dossier to keep")), (merge, _("The dossier to merge into it"))],
        "counts": rows,
        "clashes": services.merge_clashes(keep, merge),
    }


class MergeIndexView(ListPage):
    """Choose two dossiers and compare them; the merges done below."""

    permission_required = "merging.merge_clients"
    table_class = MergeTable
    template_name = "merging/index.html"
    nav = "merging"

    def get_queryset(self):
        return Merge.objects.for_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        asked = "keep" in self.request.GET or "merge" in self.request.GET
        pick = MergePickForm(self.request.GET if asked else None)
        context["pick_form"] = pick
        if asked and pick.is_valid():
            keep, merge = pick.cleaned_data["keep"], pick.cleaned_data["merge"]
            context.update(comparison(self.request, keep, merge))
            context["form"] = MergeForm(initial={"keep": keep.pk, "merge": merge.pk})
        return context


index = MergeIndexView.as_view()


@require_POST
@permission_required("merging.merge_clients", raise_exception=True)
def merge(request):
    """Merge the two dossiers compared, with a reason; refused (nothing changed) on a clash."""
    form = MergeForm(request.POST)
    context = {"nav": "merging", "pick_form": MergePickForm(request.POST)}
    form.is_valid()
    keep, merge = form.cleaned_data.get("keep"), form.cleaned_data.get("merge")
    if keep and merge and keep.pk != merge.pk:  # shown again above a missing reason too
        context.update(comparison(request, keep, merge, log=False))
    return form_page(
        request,
        form=form,
        save=lambda form: services.clients_merge(
            actor=request.user,
            keep=form.cleaned_data["keep"],
            merge=form.cleaned_data["merge"],
            reason=form.cleaned_data["reason"],
        ),
        template="merging/merge.html",
        context=context,
        success_url=lambda _record: reverse("merging:index"),
        saved=lambda record: (
            _("Dossier %(merged)s is merged into dossier %(kept)s.")
            % {"merged": record.merged_client_id, "kept": record.kept_id}
        ),
        fallback_url=reverse("merging:index"),
    )
