"""Merging two dossiers of the same person: every record moves to the kept client.

Which records point to a client is read from the models (`Client._meta`), not listed here: a
foreign key, one-to-one or many-to-many to Client in any app, including apps added later, is
moved. What cannot move is refused before anything changes: a one-to-one both clients have
(two candidate profiles), or two records that a unique constraint allows only once per client.
"""

from dataclasses import dataclass

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from clients.models import Client, DeregistrationReason
from clients.services import client_place_changed
from core.changelog import records_actor
from core.models import User
from merging.models import Merge
from privacy.services import client_anonymise

# The kept client's fields that, when empty, take the merged client's value: how to reach the
# person and who guides them. Names, BSN, birth date and registration stay the kept client's:
# the functional administrator chose that dossier as the right one.
FILLED_WHEN_EMPTY = ("email", "phone", "address", "postcode", "coach", "team")

# Records a client has one of while it is open, that the merge closes (on the day of the merge)
# when both clients have one open, instead of refusing the merge: the merged dossier's coach
# period ends, its coach history stays (a kept client without one takes it over, open). Other
# "one open per client" records (a trajectory) are refused: someone must decide which goes on.
# label -> (start field, end field); a period that starts after today ends on its first day.
CLOSED_AT_MERGE = {"clients.coachperiod": ("started_on", "ended_on")}

# Records that stay with the merged dossier: a retention proposal was about that dossier,
# which the merge anonymises; moved, it would propose the kept client.
LEFT_WITH_MERGED = {"privacy.retentionproposalitem.client"}


@dataclass(frozen=True)
class Relation:
    """One way records point to a client: `model.field` is a foreign key (or one-to-one) to
    Client; for a many-to-many, `model` is its table of pairs."""

    model: type[models.Model]
    field: str
    one_to_one: bool
    label: str  # the kind, plural: a heading in the counts

    @property
    def name(self) -> str:
        """One record of the kind, as a refusal names it."""
        return str(self.model._meta.verbose_name)

    def rows(self, client) -> models.QuerySet:
        # The base manager: records removed with a reason (a soft delete) move too.
        return self.model._base_manager.filter(**{self.field: client})


def client_relations() -> list[Relation]:
    """Every relation to Client of every installed app, in a stable order."""
    relations = []
    for rel in Client._meta.get_fields(include_hidden=True):
        if not (rel.is_relation and rel.auto_created and not rel.concrete):
            continue
        if rel.many_to_many:
            through = rel.through
            if not through._meta.auto_created:
                continue  # a model of its own: its foreign key to Client is a relation here
            field = rel.field.m2m_reverse_field_name()
            label = rel.related_model._meta.verbose_name_plural
            relations.append(Relation(through, field, False, str(label)))
        elif rel.related_model._meta.auto_created:
            continue  # the table of pairs of a many-to-many declared on Client
        else:
            label = rel.related_model._meta.verbose_name_plural
            relations.append(
                Relation(rel.related_model, rel.field.name, rel.one_to_one, str(label))
            )
    relations = [relation for relation in relations if _key(relation) not in LEFT_WITH_MERGED]
    return sorted(relations, key=lambda r: (r.model._meta.label_lower, r.field))


def _closed_at_merge(relation: Relation) -> tuple[str, str] | None:
    """The start and end fields of `relation`'s model if the merge closes its open records."""
    return CLOSED_AT_MERGE.get(relation.model._meta.label_lower)


def _key(relation: Relation) -> str:
    return f"{relation.model._meta.label_lower}.{relation.field}"


def record_counts(client: Client) -> dict[str, tuple[str, int]]:
    """Per relation, its label and how many records point to `client` (one query each)."""
    return {
        _key(relation): (capfirst(relation.label), relation.rows(client).count())
        for relation in client_relations()
    }


def _unique_sets(model: type[models.Model], field: str) -> list[tuple[list[str], object]]:
    """The field sets (with their condition, or None) that a unique rule of `model` holds once,
    of those that include `field`; the other fields of each set are returned."""
    sets = [(list(fields), None) for fields in model._meta.unique_together]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            sets.append((list(constraint.fields), constraint.condition))
    found = []
    for fields, condition in sets:
        names = [model._meta.get_field(name).name for name in fields]
        if field in names:
            found.append(([name for name in names if name != field], condition))
    return found


def merge_clashes(keep: Client, merge: Client) -> list[str]:
    """What stops the merge, in words for the functional administrator; empty when it can go.

    A one-to-one both clients have, or records of both clients that would be the same record
    under a unique rule once they belong to one client (the same pair twice in a
    many-to-many counts as one and is merged, not refused)."""
    problems = []
    for relation in client_relations():
        record = {"record": relation.name}
        if _links_the_two(relation, keep, merge):
            problems.append(
                _(
                    "The two dossiers are linked to each other in a %(record)s; remove that "
                    "link first."
                )
                % record
            )
        if relation.one_to_one or relation.model._meta.get_field(relation.field).unique:
            if relation.rows(keep).exists() and relation.rows(merge).exists():
                problems.append(
                    _("Both clients have a %(record)s; a client can have only one.") % record
                )
            continue
        if relation.model._meta.auto_created:
            continue  # pairs of a many-to-many: a pair both have is merged into one
        for others, condition in _unique_sets(relation.model, relation.field):
            kept_rows, merged_rows = relation.rows(keep), relation.rows(merge)
            if period := _closed_at_merge(relation):
                merged_rows = merged_rows.exclude(**{f"{period[1]}__isnull": True})
            if condition is not None:
                kept_rows, merged_rows = kept_rows.filter(condition), merged_rows.filter(condition)
            kept_values = set(kept_rows.values_list(*others)) if others else set()
            if others and kept_values & set(merged_rows.values_list(*others)):
                problems.append(
                    _("Both clients have the same %(record)s; a client can have it only once.")
                    % record
                )
            elif not others and kept_rows.exists() and merged_rows.exists():
                problems.append(
                    _(
                        "Both clients have a %(record)s of which a client can have only one at "
                        "a time: close or remove one first."
                    )
                    % record
                )
    return list(dict.fromkeys(problems))  # two rules of one kind: said once


def _links_the_two(relation: Relation, keep: Client, merge: Client) -> bool:
    """Whether a record of `relation` points to one client through its field and to the
    other through another foreign key to Client (a household link between the two): moved,
    it would join the kept client to itself."""
    others = [
        f.name
        for f in relation.model._meta.get_fields()
        if f.concrete
        and f.is_relation
        and f.many_to_one
        and f.related_model is Client
        and f.name != relation.field
    ]
    if relation.model._meta.auto_created or not others:
        return False
    rows = relation.model._base_manager.all()
    return any(
        rows.filter(**{relation.field: a, other: b}).exists()
        for other in others
        for a, b in ((keep, merge), (merge, keep))
    )


def _move(relation: Relation, keep: Client, merge: Client) -> int:
    rows = relation.rows(merge)
    if relation.model._meta.auto_created:
        # A pair of a many-to-many the kept client has already is the same fact: dropped.
        source = next(
            f.name
            for f in relation.model._meta.get_fields()
            if f.is_relation and f.concrete and f.name != relation.field
        )
        held = relation.rows(keep).values(source)
        rows.filter(**{f"{source}__in": held}).delete()
    return rows.update(**{relation.field: keep})


def _log_merge(client: Client, *, actor: User, text: str, merge: Merge) -> None:
    """An entry in the client's change history that says what happened and why."""
    LogEntry.objects.log_create(
        client,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=actor,
        changes={},
        additional_data={"reason": text, "merge": merge.pk},
    )


@records_actor
@transaction.atomic
def clients_merge(*, actor: User, keep: Client, merge: Client, reason: str) -> Merge:
    """Move every record of `merge` to `keep`, fill `keep`'s empty contact fields from `merge`,
    then deregister and anonymise `merge`; all or nothing. Both clients' change history says
    so, with the actor and the reason; the Merge row keeps what moved."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for merging these dossiers.")})
    if keep.pk == merge.pk:
        raise ValidationError(_("Choose two different dossiers."), code="same")
    # Locked in a fixed order, so two merges of the same pair cannot interleave.
    locked = {
        c.pk: c for c in Client.objects.select_for_update().filter(pk__in=[keep.pk, merge.pk])
    }
    keep, merge = locked[keep.pk], locked[merge.pk]
    for client in (keep, merge):
        client.check_writable()
    if problems := merge_clashes(keep, merge):
        raise ValidationError(problems, code="clash")

    today = timezone.localdate()
    moved = {}
    for relation in client_relations():
        if period := _closed_at_merge(relation):
            start, end = period
            if relation.rows(keep).filter(**{f"{end}__isnull": True}).exists():
                relation.rows(merge).filter(**{f"{end}__isnull": True}).update(
                    **{end: Greatest(F(start), Value(today), output_field=models.DateField())}
                )
        if count := _move(relation, keep, merge):
            moved[_key(relation)] = count

    place = (keep.postcode, keep.municipality_id)
    copied = [
        name for name in FILLED_WHEN_EMPTY if not getattr(keep, name) and getattr(merge, name)
    ]
    for name in copied:
        setattr(keep, name, getattr(merge, name))
    record = Merge.objects.create(
        kept=keep,
        merged_client_id=merge.pk,
        merged_name=merge.full_name,
        reason=reason,
        actor=actor,
        moved=moved,
        copied_fields=copied,
    )
    kept_text = _("Dossier %(merged)s merged into this one: %(reason)s") % {
        "merged": merge.pk,
        "reason": reason,
    }
    merged_text = _("Merged into dossier %(kept)s: %(reason)s") % {
        "kept": keep.pk,
        "reason": reason,
    }
    if copied:
        keep.change_reason = kept_text  # the automatic history entry names the fields
        keep.full_clean()
        keep.save()
        if (keep.postcode, keep.municipality_id) != place:
            client_place_changed([keep.pk])
    _log_merge(keep, actor=actor, text=kept_text, merge=record)

    # The merged dossier was never a second person on the caseload: deregistered on the day it
    # was registered (so no day counts it), then its personal data go; the row stays, so its
    # number still leads to its history.
    if merge.deregistered_on is None:
        merge.deregistered_on = merge.registered_on
        merge.deregistration_reason = DeregistrationReason.OTHER
        merge.change_reason = merged_text
        merge.save()
    _log_merge(merge, actor=actor, text=merged_text, merge=record)
    client_anonymise(client=merge, actor=actor)
    return record
