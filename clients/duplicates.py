"""Is the client being registered there already? The BSN check and the near-duplicate check.

A BSN registered already is refused (the model's unique BSN); what the refusal may say depends
on whether the user may open that dossier (`bsn_owner`, `who_to_ask`). A client with the same
birth date and a similar name (`clients.similar`) is not refused: the user is shown the
candidates and confirms that it is another person (`near_duplicates`). Anonymised clients hold
neither a BSN nor a name any more, so they are never candidates.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from clients.models import Client
from clients.similar import PersonName, same_person


def bsn_owner(bsn: str) -> Client | None:
    """The client registered with this BSN, with the team and coach a refusal names."""
    if not bsn:
        return None
    return Client.objects.not_anonymised().select_related("team", "coach").filter(bsn=bsn).first()


def who_to_ask(client: Client) -> str:
    """Whom a user who may not open `client` asks about them: the coach and the team if the
    client has them, otherwise the functional administrator. Never the client's name."""
    coach = (client.coach.get_full_name() or client.coach.get_username()) if client.coach else ""
    if coach and client.team:
        return _("the work coach %(coach)s (team %(team)s)") % {
            "coach": coach,
            "team": client.team.name,
        }
    if coach:
        return _("the work coach %(coach)s") % {"coach": coach}
    if client.team:
        return _("team %(team)s") % {"team": client.team.name}
    return _("the functional administrator")


def bsn_taken_message(owner: Client, user):
    """What a registration says when `owner` holds the BSN typed: a link to the dossier when
    the user may open it, else whom to ask (never the name)."""
    if Client.objects.for_user(user).filter(pk=owner.pk).exists():
        return format_html(
            '{} <a href="{}">{}</a>',
            _("A client with this BSN is already registered:"),
            reverse("clients:detail", args=[owner.pk]),
            _("open the dossier of %(name)s") % {"name": owner.full_name},
        )
    return _(
        "A client with this BSN is already registered, in a dossier you may not open. "
        "Contact %(whom)s."
    ) % {"whom": who_to_ask(owner)}


@dataclass(frozen=True)
class Candidate:
    """A client who may be the person being registered; `visible`: the user may open them."""

    client: Client
    visible: bool


def near_duplicates(
    *,
    user,
    first_name: str,
    name_prefix: str,
    last_name: str,
    birth_date: datetime.date,
    exclude_pk: int | None = None,
) -> list[Candidate]:
    """Clients (not anonymised) born on `birth_date` whose name could be this one's
    (`clients.similar.same_person`), each marked with whether `user` may open them.

    Two queries whatever the number of candidates: the clients born that day, and which of
    them the user's scope holds. The names are compared in Python (a phonetic key and an edit
    distance are not SQL); one birth date holds a handful of clients even in a large city.
    """
    if not (birth_date and last_name and first_name):
        return []
    wanted = PersonName(first_name, name_prefix or "", last_name)
    born = (
        Client.objects.not_anonymised()
        .filter(birth_date=birth_date)
        .select_related("team", "municipality")
        .only(
            "pk",
            "first_name",
            "name_prefix",
            "last_name",
            "birth_date",
            "municipality__name",
            "team__name",
        )
    )
    if exclude_pk is not None:
        born = born.exclude(pk=exclude_pk)
    matches = [
        client
        for client in born
        if same_person(wanted, PersonName(client.first_name, client.name_prefix, client.last_name))
    ]
    if not matches:
        return []
    visible = set(
        Client.objects.for_user(user)
        .filter(pk__in=[client.pk for client in matches])
        .values_list("pk", flat=True)
    )
    candidates = [Candidate(client, client.pk in visible) for client in matches]
    return sorted(candidates, key=lambda c: not c.visible)  # the ones to open first
