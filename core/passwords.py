"""Password rules (settings.AUTH_PASSWORD_VALIDATORS) whose messages we translate ourselves."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
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


class UsernameWithDigitsValidator:
    """Refuse a password that is the username with only digits or punctuation around it.

    `coach2026` or `Coach!!2026` is the first guess of anyone who knows the username; Django's
    similarity validator lets such a password through once it is long enough
    (`accountmanager2026` is 0.88 similar, but the name of a longer user passes it).
    """

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").casefold()
        if not username or username not in password.casefold():
            return
        rest = password.casefold().replace(username, "")
        if not any(char.isalpha() for char in rest):
            raise ValidationError(self.get_help_text(), code="password_username_with_digits")

    def get_help_text(self):
        return _("Your password cannot be your username with only digits or punctuation added.")
