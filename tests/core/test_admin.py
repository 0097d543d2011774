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
