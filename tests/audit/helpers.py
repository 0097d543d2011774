import datetime
from unittest import mock
from zoneinfo import ZoneInfo

from audit.models import AccessLog

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=AMSTERDAM)


def log(user, when, count=1, *, object_id="9000001", kind="dossier", result="granted"):
    """`count` access-log rows by `user` at `when` (auto_now_add sets `at`: patch now)."""
    rows = [
        AccessLog(
            user=user,
            username=user.username,
            kind=kind,
            object_type="clients.client",
            object_id=str(object_id),
            result=result,
        )
        for _ in range(count)
    ]
    with mock.patch("django.utils.timezone.now", return_value=when):
        return AccessLog.objects.bulk_create(rows)
