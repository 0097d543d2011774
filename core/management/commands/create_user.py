"""Make a staff account with a role from the command line: the first functional administrator
of an empty installation, or accounts in bulk from a script. Later accounts are usually made in
the admin by a functional administrator."""

import getpass
import os
import sys

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core import roles
from core.models import Team, User


class Command(BaseCommand):
    help = (
        "Create a user with a role (work_coach, diagnosis_consultant, account_manager, manager, "
        "functional_admin), optionally in teams. The password is asked for, or read from the "
        "environment variable named by --password-env."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(roles.LABELS))
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--team", action="append", default=[], help="A team (created if new); repeatable."
        )
        parser.add_argument(
            "--password-env",
            metavar="VARIABLE",
            help="Read the password from this environment variable instead of asking.",
        )

    def handle(self, *args, username, role, first_name, last_name, email, team, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user {username!r} exists already.")
        password = self._password(options["password_env"])
        user = User(username=username, first_name=first_name, last_name=last_name, email=email)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        with transaction.atomic():
            roles.sync_roles()
            # Functional administrators work in the Django admin, which needs is_staff.
            user.is_staff = role == roles.FUNCTIONAL_ADMIN
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=role))
            for name in team:
                Team.objects.get_or_create(name=name)[0].members.add(user)
        note = (
            " At the first login they set up an authenticator app (two-step verification)."
            if role == roles.FUNCTIONAL_ADMIN
            else ""
        )
        self.stdout.write(f"User {username} created with the role {role}.{note}")

    def _password(self, variable: str | None) -> str:
        if variable:
            password = os.environ.get(variable, "")
            if not password:
                raise CommandError(f"The environment variable {variable} is empty or not set.")
            return password
        if not sys.stdin.isatty():
            raise CommandError("No terminal to ask for a password: use --password-env.")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return first
