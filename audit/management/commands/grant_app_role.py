"""Re-apply what the application's database role may do (audit/grants.py).

`migrate` does this after every run; this command is for a role created after the last migrate
or a grant changed by hand. Run it with the owner role's DATABASE_URL.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from audit import grants


class Command(BaseCommand):
    help = (
        "Grant the application's PostgreSQL role (DATABASE_APP_ROLE) read and write on the data "
        "and only SELECT and INSERT on the audit trail. Run as the role that owns the tables."
    )

    def add_arguments(self, parser):
        parser.add_argument("--role", default=settings.DATABASE_APP_ROLE)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, role, database, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("Only PostgreSQL has an application role; this is SQLite.")
        if not role:
            raise CommandError("No role: set DATABASE_APP_ROLE or pass --role.")
        try:
            applied = grants.apply(connection, role)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        if not applied:
            raise CommandError(
                "This connection does not own the audit tables (or they do not exist yet): run "
                "migrate first, with DATABASE_URL set to the owner role's URL."
            )
        self.stdout.write(f"Granted {role} its privileges on {connection.settings_dict['NAME']}.")
