"""A user's permissions kept in the cache between requests, until they change.

Django's ModelBackend reads a user's own and their groups' permissions once per request (two
queries on every page). This backend keeps that set in the cache (Redis in production) under a
key with a generation number; any change to who holds which permission (a user's groups or
permissions, a group's permissions, a group or permission saved or deleted) moves the
generation on, so the next request of every user reads their permissions afresh. The
superuser flag is part of the key; an inactive user gets no permissions, as before. Entries
also expire after PERMISSION_CACHE_SECONDS, so a change made past the ORM (raw SQL) holds at
most that long.
"""

import time

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "permissions:generation"


def generation() -> int:
    """The current generation; a fresh one (the clock) when the cache lost it, so an entry of
    an earlier generation can never be read again."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY, 0)
    return value


def _move_on() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache (never set, or evicted): start a fresh one
        cache.set(GENERATION_KEY, time.time_ns(), None)


def forget_all(using=None, **_kwargs) -> None:
    """Every user's cached permissions are stale: move the generation on now, and again when
    the change commits (a request between the two could read the rows before the commit and
    keep them under the new generation). A signal receiver; it raises when the cache is down,
    so a change of roles fails rather than leaves stale permissions behind."""
    _move_on()
    transaction.on_commit(_move_on, using=using)


def _key(user) -> str:
    # The database's name keeps two installations that share one Redis apart.
    database = settings.DATABASES["default"]["NAME"]
    return f"permissions:{database}:{generation()}:{user.pk}:{int(user.is_superuser)}"


class CachedPermissionsBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            try:
                key = _key(user_obj)
                permissions = cache.get(key)
            except Exception:  # noqa: BLE001 - the cache is down: read the database, as without it
                return super().get_all_permissions(user_obj)
            if permissions is None:
                permissions = super().get_all_permissions(user_obj)
                try:
                    cache.set(key, permissions, settings.PERMISSION_CACHE_SECONDS)
                except Exception:  # noqa: BLE001, S110 - kept for this request only
                    pass
            user_obj._perm_cache = permissions
        return user_obj._perm_cache


def connect() -> None:
    """Move the generation on whenever a permission is granted or taken (core.apps)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    user = get_user_model()
    for through in (user.groups.through, user.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(forget_all, sender=through, dispatch_uid=f"permissions:{through}")
    for model in (Group, Permission, ContentType):  # a content type names its permissions
        for signal in (post_save, post_delete):
            signal.connect(forget_all, sender=model, dispatch_uid=f"permissions:{model}:{signal}")
    post_migrate.connect(forget_all, dispatch_uid="permissions:post_migrate")
