"""Documents and letters from the dossier; the letters waiting for the post; the letter
templates the functional administrator keeps.

A document's file is read only here (document_download), for a client in the user's scope,
and every read is logged; there is no URL under which the storage is served.
"""

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AccessKind
from audit.services import access_record, get_or_deny
from clients.access import refusing_anonymised, writable_client
from core.editing import act, form_page
from core.forms import apply_validation_error
from core.lists import ListPage
from core.middleware import allow_request_body
from documents import merge, services
from documents.forms import DocumentKindForm, DocumentUploadForm, LetterForm, LetterTemplateForm
from documents.models import Delivery, Document, DocumentKind, Letter, LetterTemplate
from documents.tables import DocumentKindTable, LetterTemplateTable, ToPostTable


def _dossier_url(client) -> str:
    return reverse("clients:detail", args=[client.pk]) + "#documents"


@permission_required("documents.add_document", raise_exception=True)
# A little room above the limit: a file slightly too large gets the form's Dutch message, a
# body far beyond it is refused unread (core.middleware.RequestBodyLimitMiddleware).
@allow_request_body(lambda: (settings.DOCUMENT_MAX_MEGABYTES + 1) * 1024 * 1024)
@refusing_anonymised
def document_upload(request, pk):
    """Add a document to the dossier: checked by content and size, stored under a random name."""
    client = writable_client(request, pk)
    return form_page(
        request,
        form=DocumentUploadForm(request.POST or None, request.FILES or None),
        save=lambda form: services.document_upload(
            actor=request.user,
            client=client,
            kind=form.cleaned_data["kind"],
            file=form.cleaned_data["file"],
            dated_on=form.cleaned_data["dated_on"],
            expires_on=form.cleaned_data["expires_on"],
            description=form.cleaned_data["description"],
        ),
        template="documents/document_form.html",
        context={"client": client},
        success_url=lambda _document: _dossier_url(client),
        saved=lambda document: (
            _("%(name)s is stored in the dossier.") % {"name": document.original_name}
        ),
        fallback_url=_dossier_url(client),
    )


@permission_required("documents.view_document", raise_exception=True)
def document_download(request, document):
    """The file of a document of a client the user may see; logged as a read of the dossier."""
    document = get_or_deny(
        request, Document.objects.for_user(request.user).select_related("client"), document
    )
    access_record(
        request=request,
        kind=AccessKind.DOSSIER,
        obj=document.client,
        detail=f"document {document.pk}",
    )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=not document.is_pdf,  # a PDF opens in the browser's viewer
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required("documents.add_letter", raise_exception=True)
@refusing_anonymised
def letter_send(request, pk):
    """Choose a kind of letter, see it filled in (and as a PDF), send it."""
    client = writable_client(request, pk)
    form = LetterForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    context = {"client": client, "fields": merge.FIELDS}
    if request.method == "POST" and request.POST.get("action") == "preview":
        if form.is_valid():
            try:
                context["preview"] = services.letter_compose(
                    actor=request.user,
                    client=client,
                    kind=form.cleaned_data["kind"],
                    merge=form.merge_values(),
                )
                context["delivery"] = services.letter_delivery(client)[0]
            except ValidationError as refused:
                apply_validation_error(form, refused)
        return render(request, "documents/letter_form.html", {**context, "form": form})
    return form_page(
        request,
        form=form,
        save=lambda form: services.letter_send(
            actor=request.user,
            client=client,
            kind=form.cleaned_data["kind"],
            merge=form.merge_values(),
        ),
        template="documents/letter_form.html",
        context=context,
        success_url=lambda _letter: _dossier_url(client),
        saved=_sent_message,
        fallback_url=_dossier_url(client),
    )


def _sent_message(letter: Letter) -> str:
    if letter.delivery == Delivery.EMAIL:
        return _("The letter is sent by e-mail to %(address)s and stored in the dossier.") % {
            "address": letter.email
        }
    return _("The letter is stored in the dossier and waits on the list to be posted.")


@require_POST
@permission_required("documents.add_letter", raise_exception=True)
@refusing_anonymised
def letter_preview(request, pk):
    """The letter as a PDF, filled in as the form says, without sending or storing it."""
    client = writable_client(request, pk)
    form = LetterForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "documents/letter_form.html",
            {"client": client, "fields": merge.FIELDS, "form": form},
            status=400,
        )
    try:
        composed = services.letter_compose(
            actor=request.user,
            client=client,
            kind=form.cleaned_data["kind"],
            merge=form.merge_values(),
        )
    except ValidationError as refused:
        apply_validation_error(form, refused)
        return render(
            request,
            "documents/letter_form.html",
            {"client": client, "fields": merge.FIELDS, "form": form},
            status=400,
        )
    access_record(request=request, kind=AccessKind.DOSSIER, obj=client, detail="letter preview")
    pdf = services.letter_pdf(
        client,
        composed.subject,
        composed.body,
        services.letter_signer(actor=request.user, client=client),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="voorbeeld.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ToPostView(ListPage):
    """Letters of clients in the user's scope that wait to be posted, oldest first."""

    permission_required = "documents.view_letter"
    table_class = ToPostTable
    template_name = "documents/to_post.html"
    per_page_setting = "CASELOAD_PAGE_SIZE"
    nav = "to_post"

    def get_queryset(self):
        return (
            Letter.objects.for_user(self.request.user)
            .to_post()
            .select_related("client__municipality", "sent_by", "document")
            .order_by("sent_at", "pk")
        )


to_post = ToPostView.as_view()


@require_POST
@permission_required("documents.change_letter", raise_exception=True)
def letter_posted(request, letter):
    """Tick a letter off as posted; back to the list or the dossier it was ticked on."""
    letter = get_or_deny(
        request, Letter.objects.for_user(request.user).select_related("client"), letter
    )
    act(
        request,
        lambda: services.letter_mark_posted(actor=request.user, letter=letter),
        done=_("The letter is marked as posted."),
    )
    if request.POST.get("back") == "dossier":
        return redirect(_dossier_url(letter.client))
    return redirect("documents:to_post")


class LetterTemplateListView(ListPage):
    """The letter templates, one per kind of letter."""

    permission_required = "documents.change_lettertemplate"
    table_class = LetterTemplateTable
    template_name = "documents/template_list.html"
    nav = "letter_templates"

    def get_queryset(self):
        return LetterTemplate.objects.order_by("kind")


template_list = LetterTemplateListView.as_view()


@permission_required("documents.change_lettertemplate", raise_exception=True)
def template_edit(request, letter_template):
    """Change a letter template; an unknown merge field is refused next to its field."""
    template = get_object_or_404(LetterTemplate, pk=letter_template)
    return form_page(
        request,
        form=LetterTemplateForm(request.POST or None, instance=template),
        save=lambda form: services.letter_template_save(
            actor=request.user,
            template=LetterTemplate.objects.get(pk=template.pk),
            **form.cleaned_data,
        ),
        template="documents/template_form.html",
        context={"object": template, "fields": merge.FIELDS, "nav": "letter_templates"},
        success_url=lambda _saved: reverse("documents:template_list"),
        saved=lambda saved: (
            _("The template '%(kind)s' is saved.") % {"kind": saved.get_kind_display()}
        ),
        field_names=["subject", "body", "active"],
    )


class DocumentKindListView(ListPage):
    """The kinds a document in a dossier is filed under, kept by the functional administrator."""

    permission_required = "documents.change_documentkind"
    table_class = DocumentKindTable
    template_name = "documents/kind_list.html"
    nav = "letter_templates"

    def get_queryset(self):
        return DocumentKind.objects.order_by("name")


kind_list = DocumentKindListView.as_view()


def _kind_page(request, kind: DocumentKind | None):
    return form_page(
        request,
        form=DocumentKindForm(request.POST or None, instance=kind),
        save=lambda form: services.document_kind_save(
            actor=request.user, kind=kind, **form.cleaned_data
        ),
        template="documents/kind_form.html",
        context={"object": kind, "nav": "letter_templates"},
        success_url=lambda _saved: reverse("documents:kind_list"),
        saved=lambda saved: _("The kind of document '%(name)s' is saved.") % {"name": saved.name},
        fallback_url=reverse("documents:kind_list"),
    )


@permission_required("documents.add_documentkind", raise_exception=True)
def kind_create(request):
    """Add a kind of document."""
    return _kind_page(request, None)


@permission_required("documents.change_documentkind", raise_exception=True)
def kind_edit(request, document_kind):
    """Rename a kind of document, or take it out of the choice for new uploads."""
    return _kind_page(request, get_object_or_404(DocumentKind, pk=document_kind))
