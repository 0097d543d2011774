"""Password rules (settings.AUTH_PASSWORD_VALIDATORS) whose messages we translate ourselves."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, with its message in our catalogue.

    Django 5.2 changed this message's msgid and its Dutch catalogue has not caught up, so
    without this a Dutch user would read the rule in English.
    """

    def get_error_message(self):
        return (
            ngettext(
                "This password is too short. It must contain at least %d character.",
                "This password is too short. It must contain at least %d characters.",
                self.min_length,
            )
            % self.min_length
        )
