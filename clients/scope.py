"""Who else may open a client: scope extensions higher apps add to Client.objects.for_user.

The caseload and the team are the clients app's own rule. A higher app that hands a client to
other staff for a while (a referral to the diagnosis team) registers a function
`extension(user) -> Q | None` in its AppConfig.ready(); `for_user` ORs each one in. The
clients app imports none of them.
"""

from collections.abc import Callable

from django.db.models import Q

Extension = Callable[[object], Q | None]
_extensions: list[Extension] = []


def register(extension: Extension) -> Extension:
    """Add a scope extension (usable as a decorator); registering one twice adds it once."""
    if extension not in _extensions:
        _extensions.append(extension)
    return extension


def extended(user) -> Q:
    """The registered extensions for `user`, ORed together (an empty Q when there are none)."""
    combined = Q()
    for extension in _extensions:
        condition = extension(user)
        if condition is not None:
            combined |= condition
    return combined
