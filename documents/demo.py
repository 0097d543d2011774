"""Demo documents and letters (seed_demo): identity documents and residence permits with expiry
dates (some expiring within the warning weeks, one expired), diplomas and reports, and letters
sent by e-mail and waiting for the post.

A fixed number, the main coach's clients first, so the demo's time does not grow with the
number of clients. Every demo document's file is the same small PDF, made once; each letter's
PDF is rendered (the slow part: LETTERS of them). Nothing is e-mailed.
"""

import datetime

from django.core.files.base import ContentFile

from clients.models import Client, Correspondence, TargetGroup
from core.demo import DEMO_STEPS, MAIN_COACH, DemoContext, DemoStep
from documents import services
from documents.models import Delivery, Document, DocumentKind, Letter, LetterKind
from documents.reference import LETTER_KIND

CLIENTS = 12  # clients with documents
LETTERS = 6
# Days from today to the expiry of each main-coach client's identity document: two within the
# warning weeks, one expired last week, the rest years ahead.
EXPIRIES = [20, 38, -7, 900, 1400, 2100]
DEMO_PDF_HTML = (
    "<html><body style='font-family: DejaVu Sans, sans-serif'><h1>Voorbeelddocument</h1>"
    "<p>Dit bestand hoort bij de demonstratiegegevens: een scan of rapportage zou hier staan."
    "</p></body></html>"
)


def seed(context: DemoContext) -> dict[str, int]:
    rng, today = context.rng, context.today
    main_coach = context.staff.users[MAIN_COACH]
    active = Client.objects.active_on(today).select_related("coach", "municipality")
    own = list(active.filter(coach=main_coach).order_by("pk")[:CLIENTS])
    chosen = own + list(active.exclude(coach=main_coach).order_by("pk")[: CLIENTS - len(own)])
    if not chosen:
        return {}
    kinds = {kind.code: kind for kind in DocumentKind.objects.all()}
    pdf = _demo_pdf()
    documents = 0
    for index, client in enumerate(chosen):
        expiry = today + datetime.timedelta(days=EXPIRIES[index % len(EXPIRIES)])
        documents += _document(client, kinds["identity_document"], pdf, today, expiry)
        if client.target_group == TargetGroup.STATUS_HOLDER:
            permit = today + datetime.timedelta(days=rng.choice([30, 400, 1200]))
            documents += _document(client, kinds["residence_permit"], pdf, today, permit)
        if index % 3 == 0:
            documents += _document(client, kinds["diploma"], pdf, today, None)
        if index % 4 == 1:
            documents += _document(client, kinds["report"], pdf, today, None)
    letters = _letters(chosen[:LETTERS], kinds[LETTER_KIND], today)
    return {"documents": documents, "letters": letters}


def _demo_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string=DEMO_PDF_HTML).write_pdf()


def _document(client, kind, pdf, today, expires_on) -> int:
    dated = today - datetime.timedelta(days=200)
    if expires_on is not None and expires_on < dated:
        dated = expires_on - datetime.timedelta(days=365 * 5)
    document = Document(
        client=client,
        kind=kind,
        original_name=f"{kind.code.replace('_', '-')}-scan.pdf",
        content_type="application/pdf",
        size=len(pdf),
        dated_on=dated,
        expires_on=expires_on,
        uploaded_by=client.coach,
    )
    document.extension = "pdf"
    document.file.save("demo", ContentFile(pdf), save=False)
    document.save()
    return 1


def _letters(clients, letter_kind, today) -> int:
    """Letters as letter_send makes them, without sending mail: every other client prefers
    e-mail; of the letters for the post one is ticked off already."""
    kinds = [LetterKind.AGREEMENTS, LetterKind.NO_SHOW_REMINDER, LetterKind.INVITATION]
    appointment = {
        "appointment_date": f"{(today + datetime.timedelta(days=7)):%d-%m-%Y}",
        "appointment_time": "10:00",
        "appointment_duration": "45 minuten",
        "appointment_place": "Kantoor Assen",
        "appointment_subject": "Voortgang van uw plan",
    }
    made = 0
    for index, client in enumerate(clients):
        by_email = index % 2 == 0 and bool(client.email)
        Client.objects.filter(pk=client.pk).update(
            correspondence=Correspondence.EMAIL if by_email else Correspondence.POST
        )
        if not by_email and not (client.address and client.postcode):
            continue
        kind = kinds[index % len(kinds)]
        composed = services.letter_compose(
            actor=client.coach, client=client, kind=kind, merge=appointment
        )
        pdf = services.letter_pdf(client, composed.subject, composed.body, client.coach)
        document = Document(
            client=client,
            kind=letter_kind,
            description=composed.subject[:200],
            original_name=services.letter_file_name(kind, today),
            content_type="application/pdf",
            size=len(pdf),
            dated_on=today,
            uploaded_by=client.coach,
        )
        document.extension = "pdf"
        document.file.save("demo", ContentFile(pdf), save=False)
        document.save()
        Letter.objects.create(
            client=client,
            kind=kind,
            subject=composed.subject[:200],
            document=document,
            delivery=Delivery.EMAIL if by_email else Delivery.POST,
            email=client.email if by_email else "",
            sent_by=client.coach,
            posted_at=None if by_email or index != 1 else document.created_at,
            posted_by=None if by_email or index != 1 else client.coach,
        )
        made += 1
    return made


def _step(context: DemoContext) -> None:
    for label, n in seed(context).items():
        context.count(label, n)


DEMO_STEPS.register(50)(DemoStep(seed=_step, holds_data=Document.objects.exists))
