"""The document kinds and a letter template of each kind, as a new company starts with them
(create-only: a row the functional administrator changed is left as it is)."""

from django.apps import apps as global_apps

from core.reference import REFERENCE_DATA

# Names and texts are stored in Dutch: data the functional administrator edits.
DOCUMENT_KINDS = [
    ("identity_document", "Identiteitsbewijs"),
    ("residence_permit", "Verblijfsvergunning"),
    ("diploma", "Diploma of certificaat"),
    ("report", "Rapportage"),
    ("wage_value_report", "Loonwaarderapportage"),
    ("signed_plan", "Ondertekend plan van aanpak"),
    ("letter", "Brief"),
    ("other", "Overig"),
]
LETTER_KIND = "letter"  # the kind of a sent letter's PDF

_GREETING = "{{ aanhef }},"
_SIGNATURE = "Met vriendelijke groet,\n\n{{ coach }}\nWerkcoach\n{{ coach_email }}"
LETTER_TEMPLATES = [
    (
        "invitation",
        "Uitnodiging voor een gesprek op {{ afspraak_datum }}",
        f"{_GREETING}\n\n"
        "Graag nodig ik u uit voor een gesprek op {{ afspraak_datum }} om {{ afspraak_tijd }} "
        "uur. Het gesprek duurt ongeveer {{ afspraak_duur }} en vindt plaats: "
        "{{ afspraak_plaats }}.\n\n"
        "Onderwerp van het gesprek: {{ afspraak_onderwerp }}.\n\n"
        "Kunt u niet komen? Laat het mij dan zo snel mogelijk weten.\n\n"
        f"{_SIGNATURE}",
    ),
    (
        "no_show_reminder",
        "U was niet aanwezig bij onze afspraak",
        f"{_GREETING}\n\n"
        "Op {{ afspraak_datum }} om {{ afspraak_tijd }} uur hadden wij een afspraak. U was er "
        "helaas niet en wij hebben niets van u gehoord.\n\n"
        "Wilt u binnen vijf werkdagen contact met mij opnemen om een nieuwe afspraak te maken? "
        "Het is belangrijk dat u op afspraken komt; dat hoort bij uw verplichtingen.\n\n"
        f"{_SIGNATURE}",
    ),
    (
        "agreements",
        "Bevestiging van onze afspraken",
        f"{_GREETING}\n\n"
        "In ons gesprek hebben wij afspraken gemaakt over de volgende stappen naar werk. "
        "Met deze brief bevestig ik die afspraken. Klopt er iets niet? Laat het mij dan "
        "weten.\n\n"
        f"{_SIGNATURE}",
    ),
    (
        "appointment_moved",
        "Uw afspraak is verplaatst",
        f"{_GREETING}\n\n"
        "Onze afspraak is verplaatst naar {{ afspraak_datum }} om {{ afspraak_tijd }} uur "
        "({{ afspraak_plaats }}).\n\n"
        "Kunt u op het nieuwe tijdstip niet? Laat het mij dan zo snel mogelijk weten.\n\n"
        f"{_SIGNATURE}",
    ),
    (
        "appointment_cancelled",
        "Uw afspraak gaat niet door",
        f"{_GREETING}\n\n"
        "Onze afspraak op {{ afspraak_datum }} om {{ afspraak_tijd }} uur gaat helaas niet "
        "door. Ik neem contact met u op voor een nieuwe afspraak.\n\n"
        f"{_SIGNATURE}",
    ),
    (
        "event_invitation",
        "Uitnodiging: {{ evenement }} op {{ evenement_datum }}",
        f"{_GREETING}\n\n"
        "Graag nodig ik u uit voor {{ evenement }} op {{ evenement_datum }}. Het begint om "
        "{{ evenement_tijd }} en vindt plaats in {{ evenement_plaats }}.\n\n"
        "U ontmoet daar werkgevers en organisaties die u verder kunnen helpen naar werk, een "
        "opleiding of een leerwerkplek. U bent aangemeld; u hoeft niets meer te doen.\n\n"
        "Kunt u niet komen? Laat het mij dan zo snel mogelijk weten.\n\n"
        f"{_SIGNATURE}",
    ),
]


@REFERENCE_DATA.register(40)
def load(apps=global_apps) -> dict[str, int]:
    """Create the document kinds and letter templates that do not exist yet.

    `apps` is a migration's app registry when a data migration calls it, the project's otherwise.
    """
    DocumentKind = apps.get_model("documents", "DocumentKind")
    LetterTemplate = apps.get_model("documents", "LetterTemplate")
    created = {"document_kinds": 0, "letter_templates": 0}
    for code, name in DOCUMENT_KINDS:
        created["document_kinds"] += DocumentKind.objects.get_or_create(
            code=code, defaults={"name": name}
        )[1]
    for kind, subject, body in LETTER_TEMPLATES:
        created["letter_templates"] += LetterTemplate.objects.get_or_create(
            kind=kind, defaults={"subject": subject, "body": body}
        )[1]
    return created


def unload(apps=global_apps) -> None:
    """Remove the rows of these lists that nothing refers to (a migration's reverse)."""
    from django.db.models import ProtectedError

    for code, _name in DOCUMENT_KINDS:
        try:
            apps.get_model("documents", "DocumentKind").objects.filter(code=code).delete()
        except ProtectedError:
            continue
    kinds = [kind for kind, *_rest in LETTER_TEMPLATES]
    apps.get_model("documents", "LetterTemplate").objects.filter(kind__in=kinds).delete()
