import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.tasks import clear_expired_sessions

pytestmark = pytest.mark.django_db


def test_clear_expired_sessions_keeps_live_ones():
    live = SessionStore()
    live.create()
    Session.objects.create(
        session_key="old",
        session_data="",
        expire_date=timezone.now() - datetime.timedelta(minutes=1),
    )
    assert clear_expired_sessions() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
