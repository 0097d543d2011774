from django.core.management.base import BaseCommand, CommandError

from audit.models import AccessKind
from audit.services import access_record_unattended, command_actor
from clients.models import Client
from interchange.exporter import ExportRefused, export_folder


class Command(BaseCommand):
    help = "Write everything the interchange format carries into FOLDER (spec/interchange.md)."

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *args, folder, **options):
        try:
            written = export_folder(folder)
        except ExportRefused as error:
            raise CommandError(str(error)) from None
        # Every client's full BSN left the product: one entry for the whole export, not one
        # per client (a hundred thousand rows would bury the log), saying who ran it, how many
        # clients it held and where it went. A download from the browser logs its one client.
        clients = written.get("clients.csv", 0)
        access_record_unattended(
            kind=AccessKind.EXPORT,
            model=Client,
            object_ids=["*"],
            username=command_actor("export_data"),
            detail=f"export_data: {clients} clients with their BSN to {folder}",
        )
        for name, count in written.items():
            self.stdout.write(f"{name:<28}{count:>10} rows")
