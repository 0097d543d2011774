from django.core.management.base import BaseCommand, CommandError

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
        for name, count in written.items():
            self.stdout.write(f"{name:<28}{count:>10} rows")
