from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AccessKind
from audit.services import access_record
from clients.models import Client
from core.editing import act
from privacy import export, services
from privacy.forms import ApproveForm, ClientByBsnForm
from privacy.models import ItemState, ProposalStatus, RetentionProposal, RetentionProposalItem


@permission_required("clients.export_personal_data", raise_exception=True)
def access_request(request):
    """Right of access: find the client by BSN, then download everything held about them."""
    form = ClientByBsnForm(request.POST or None)
    found = form.client if request.method == "POST" and form.is_valid() else None
    if found is not None:
        access_record(request=request, kind=AccessKind.BSN_LOOKUP, obj=found)
    return render(
        request, "privacy/access_request.html", {"form": form, "found": found, "nav": "privacy"}
    )


def _download(request, pk, *, render_export, extension: str, content_type: str):
    client = get_object_or_404(
        Client.objects.select_related("coach", "team", "municipality"), pk=pk
    )
    # Logged first, so the export's own access log shows this export too.
    access_record(request=request, kind=AccessKind.EXPORT, obj=client)
    built = export.export_build(client)
    rendered = render_export(built)
    filename = f"{built.file_stem}.{extension}"
    if isinstance(rendered, str | bytes):
        response = HttpResponse(rendered, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:  # a file: streamed, and closed (so removed) when sent
        response = FileResponse(
            rendered, as_attachment=True, filename=filename, content_type=content_type
        )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@permission_required("clients.export_personal_data", raise_exception=True)
def export_pdf(request, pk):
    return _download(
        request, pk, render_export=export.as_pdf, extension="pdf", content_type="application/pdf"
    )


@require_POST
@permission_required("clients.export_personal_data", raise_exception=True)
def export_json(request, pk):
    return _download(
        request,
        pk,
        render_export=export.as_json,
        extension="json",
        content_type="application/json; charset=utf-8",
    )


@require_POST
@permission_required("clients.export_personal_data", raise_exception=True)
def export_zip(request, pk):
    """Everything at once: the PDF, the JSON and the files in the dossier."""
    return _download(
        request, pk, render_export=export.as_zip, extension="zip", content_type="application/zip"
    )


@permission_required("clients.anonymise_client", raise_exception=True)
def retention(request):
    """Open proposals to check and approve, and the latest approved ones."""
    proposed = RetentionProposalItem.objects.filter(state=ItemState.PROPOSED).select_related(
        "client"
    )
    open_proposals = (
        RetentionProposal.objects.filter(status=ProposalStatus.OPEN)
        .annotate(taken_out=Count("items", filter=Q(items__state=ItemState.TAKEN_OUT)))
        .prefetch_related(Prefetch("items", queryset=proposed, to_attr="proposed_items"))
        .order_by("created_at", "pk")
    )
    processed = (
        RetentionProposal.objects.exclude(status=ProposalStatus.OPEN)
        .select_related("approved_by")
        .annotate(
            approved_count=Count(
                "items", filter=Q(items__state__in=[ItemState.APPROVED, ItemState.ANONYMISED])
            )
        )[:10]
    )
    context = {
        "open_proposals": open_proposals,
        "processed": processed,
        "approve_form": ApproveForm(),
        "nav": "retention",
    }
    return render(request, "privacy/retention.html", context)


@require_POST
@permission_required("clients.anonymise_client", raise_exception=True)
def retention_take_out(request, pk):
    item = get_object_or_404(RetentionProposalItem.objects.select_related("client"), pk=pk)
    act(
        request,
        lambda: services.proposal_item_take_out(item=item, actor=request.user),
        done=_("Client %(number)s is taken out of the proposal and is kept.")
        % {"number": item.client_id},
    )
    return redirect("privacy:retention")


@require_POST
@permission_required("clients.anonymise_client", raise_exception=True)
def retention_approve(request, pk):
    proposal = get_object_or_404(RetentionProposal, pk=pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["confirm"]))
        return redirect("privacy:retention")
    act(
        request,
        lambda: services.proposal_approve(proposal=proposal, actor=request.user),
        done=_("The proposal is approved; the clients on it are being anonymised."),
    )
    return redirect("privacy:retention")
