"""Which documents are a signal: expiring within the warning weeks or expired, unless a
document of the same kind runs longer."""

import datetime

import pytest

from documents.models import Document, DocumentKind

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 7)


def doc(client, code, expires_on):
    return Document.objects.create(
        client=client,
        kind=DocumentKind.objects.get(code=code),
        original_name=f"{code}.pdf",
        file="aa/x.pdf",
        content_type="application/pdf",
        size=1,
        dated_on=datetime.date(2020, 1, 1),
        expires_on=expires_on,
    )


def expiring(weeks=6):
    return set(Document.objects.expiring(today=TODAY, weeks=weeks).values_list("pk", flat=True))


def test_the_warning_runs_up_to_and_including_six_weeks_ahead(client_of_coach):
    # 7 December + 6 weeks (42 days) = 18 January 2027.
    last_day = doc(client_of_coach, "identity_document", datetime.date(2027, 1, 18))
    day_after = doc(client_of_coach, "residence_permit", datetime.date(2027, 1, 19))
    assert expiring() == {last_day.pk}
    assert day_after.pk not in expiring()


def test_an_expired_document_stays_a_signal_until_it_is_renewed(client_of_coach):
    old = doc(client_of_coach, "identity_document", datetime.date(2026, 11, 30))
    assert expiring() == {old.pk}
    doc(client_of_coach, "identity_document", datetime.date(2036, 11, 30))
    assert expiring() == set()


def test_a_longer_document_of_another_kind_renews_nothing(client_of_coach):
    permit = doc(client_of_coach, "residence_permit", datetime.date(2026, 12, 20))
    doc(client_of_coach, "identity_document", datetime.date(2036, 11, 30))
    doc(client_of_coach, "diploma", None)
    assert expiring() == {permit.pk}


def test_the_row_method_agrees_with_the_queryset(client_of_coach):
    soon = doc(client_of_coach, "identity_document", datetime.date(2026, 12, 20))
    later = doc(client_of_coach, "residence_permit", datetime.date(2027, 6, 1))
    rows = {d.pk: d for d in Document.objects.with_renewed()}
    assert rows[soon.pk].is_expiring(today=TODAY, weeks=6)
    assert not rows[later.pk].is_expiring(today=TODAY, weeks=6)
