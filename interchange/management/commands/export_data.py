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
        # Every exported client's full BSN left the product: one entry per client, so each
        # one's access history and right-of-access report show it, saying who ran it, how many
        # clients the export held and where it went. The rows are written in batches.
        clients = written.get("clients.csv", 0)
        access_record_unattended(
            kind=AccessKind.EXPORT,
            model=Client,
            object_ids=Client.objects.filter(anonymised_at__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
            .iterator(chunk_size=5_000),
            username=command_actor("export_data"),
            detail=f"export_data: {clients} clients with their BSN to {folder}",
        )
        for name, count in written.items():
            self.stdout.write(f"{name:<28}{count:>10} rows")
