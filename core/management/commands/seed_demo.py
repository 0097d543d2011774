from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import demo


class Command(BaseCommand):
    help = "Fill an empty database with demo staff, clients, contacts and intakes."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=300, help="How many clients (300).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (1).")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the logins) when the database already holds clients.",
        )
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Seed even with DJANGO_DEBUG off (benchmarks, tests). Never on production: "
            "the demo logins share a known password.",
        )

    def handle(self, *args, clients, seed, if_empty, allow_without_debug, **options):
        if clients < 1:
            raise CommandError("--clients must be at least 1.")
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "Demo data creates logins with a known password; it runs only with "
                "DJANGO_DEBUG=1 (or --allow-without-debug on a database that is not production)."
            )
        if if_empty and demo.holds_data():
            self.stdout.write("The database already holds clients: no demo data added.")
            self.print_logins()
            return
        try:
            summary = demo.seed_demo(clients=clients, seed=seed)
        except demo.DemoRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            "Demo data: " + ", ".join(f"{n} {label}" for label, n in summary.items()) + "."
        )
        self.print_logins()

    def print_logins(self):
        self.stdout.write("")
        self.stdout.write(f"{'username':<16}{'role':<22}{'password':<20}name")
        for user in demo.DEMO_USERS:
            self.stdout.write(
                f"{user.username:<16}{user.role:<22}{demo.DEMO_PASSWORD:<20}"
                f"{user.first_name} {user.last_name}"
            )
