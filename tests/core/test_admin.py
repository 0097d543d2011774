import pytest
from django.urls import reverse

from core.models import User

pytestmark = pytest.mark.django_db


def test_users_cannot_be_deleted_in_the_admin(client, functional_admin, coach):
    client.force_login(functional_admin)
    response = client.get(reverse("admin:core_user_delete", args=[coach.pk]))
    assert response.status_code == 403
    response = client.get(reverse("admin:core_user_changelist"))
    assert b"delete_selected" not in response.content
    assert User.objects.filter(pk=coach.pk).exists()


def test_users_are_deactivated_instead(client, functional_admin, coach, manager):
    client.force_login(functional_admin)
    response = client.post(
        reverse("admin:core_user_changelist"),
        {"action": "deactivate", "_selected_action": [coach.pk, manager.pk]},
        follow=True,
    )
    assert "2 gebruikers gedeactiveerd." in response.content.decode()
    coach.refresh_from_db()
    manager.refresh_from_db()
    assert (coach.is_active, manager.is_active, functional_admin.is_active) == (False, False, True)


def test_only_a_superuser_gives_superuser_status_or_loose_permissions(
    client, functional_admin, coach
):
    """A functional administrator gives roles; superuser status or a loose permission would
    give more than a role holds (client dossiers), themselves included."""
    client.force_login(functional_admin)
    for user in (coach, functional_admin):
        html = client.get(reverse("admin:core_user_change", args=[user.pk])).content.decode()
        assert 'name="groups"' in html
        assert 'name="is_superuser"' not in html and 'name="user_permissions"' not in html
    from types import SimpleNamespace

    from django.contrib import admin

    user_admin = admin.site._registry[User]
    root = SimpleNamespace(user=User(is_superuser=True))
    assert "is_superuser" not in user_admin.get_readonly_fields(root, coach)


# Words Dutch takes over from English unchanged: the same name in both languages is right.
SAME_IN_DUTCH = {
    "team",
    "teams",
    "route",
    "routes",
    "interval",
    "project",
    "sector",
    "Accounts",
    "school",
}


def _names(language):
    from django.contrib import admin
    from django.utils import translation

    with translation.override(language):
        return {
            model._meta.label: (
                str(model._meta.app_config.verbose_name),
                str(model._meta.verbose_name),
                str(model._meta.verbose_name_plural),
            )
            for model in admin.site._registry
        }


def test_the_admin_names_every_app_and_model_in_dutch():
    english, dutch = _names("en"), _names("nl")
    untranslated = [
        (label, name)
        for label, names in dutch.items()
        for name, source in zip(names, english[label], strict=True)
        if name == source and name not in SAME_IN_DUTCH
    ]
    assert untranslated == []


def test_the_admin_index_speaks_dutch(client, functional_admin):
    functional_admin.is_superuser = True  # sees every app, third-party ones included
    functional_admin.save()
    client.force_login(functional_admin)
    page = client.get(reverse("admin:index")).content.decode()
    for dutch in ("Geplande taken", "Inlogpogingen", "Tweestapsverificatie", "Rapportages"):
        assert dutch in page
    for english in ("Periodic Tasks", "Celery Results", "Axes", "MFA", "Reporting"):
        assert english not in page


def test_the_favicon_answers_at_the_root_without_a_login(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert client.get("/robots.txt").status_code == 200
