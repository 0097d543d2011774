"""clients.dossier.rows_once: a dossier query compiled once per process, run for any client."""

import datetime

import pytest
from django.db.models.sql.compiler import SQLCompiler

from clients import dossier
from clients.models import Contact
from tests.factories import ClientFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def contacts_with_author(client_pk):
    return Contact.objects.filter(client_id=client_pk).select_related("author").order_by("date")


def no_client_filter(client_pk):
    return Contact.objects.all()


@pytest.fixture(autouse=True)
def _nothing_prepared():
    dossier._prepared.clear()


def test_each_client_gets_its_own_rows_with_their_related_rows(django_assert_num_queries):
    ann, bob = ClientFactory(), ClientFactory()
    author = UserFactory(first_name="Sanne", last_name="Visser")
    first = ContactFactory(client=ann, date=datetime.date(2026, 1, 5), author=author)
    second = ContactFactory(client=ann, date=datetime.date(2026, 2, 5), subject="Tweede")
    other = ContactFactory(client=bob, subject="Van Bob")

    with django_assert_num_queries(1):
        rows = dossier.rows_once(contacts_with_author, ann)
    assert [(c.pk, c.subject, c.date) for c in rows] == [
        (first.pk, first.subject, datetime.date(2026, 1, 5)),
        (second.pk, "Tweede", datetime.date(2026, 2, 5)),
    ]
    with django_assert_num_queries(0):  # select_related as in the queryset
        assert rows[0].author == author and rows[1].author is None
    assert [c.pk for c in dossier.rows_once(contacts_with_author, bob)] == [other.pk]


def test_the_sql_is_compiled_once(monkeypatch):
    clients = ClientFactory.create_batch(3)
    for client in clients:
        ContactFactory(client=client)
    compiled = []
    as_sql = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        compiled.append(self.query.model)
        return as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    for client in clients:
        assert len(dossier.rows_once(contacts_with_author, client)) == 1
    assert compiled.count(Contact) == 1


def test_a_query_without_the_client_is_refused():
    with pytest.raises(ValueError, match="client's pk"):
        dossier.rows_once(no_client_filter, ClientFactory())
