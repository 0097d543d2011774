from django.core.management.base import BaseCommand, CommandError

from audit.models import AccessKind
from audit.services import access_record_unattended, command_actor
from clients.models import Client
from interchange.engine import MAX_KEPT_PROBLEMS_PER_FILE, import_folder
from interchange.progress import TerminalProgress


class Command(BaseCommand):
    help = (
        "Import a folder of interchange files (spec/interchange.md). Everything is checked "
        "first; with any problem nothing is written, every problem is listed as "
        "file:line: column: what, and the command exits with status 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )

    def handle(self, *args, folder, dry_run, **options):
        result = import_folder(folder, dry_run=dry_run, progress=TerminalProgress(self.stderr._out))
        if result.bsn_matched:
            # "this BSN already belongs to ..." tells whoever runs this which BSNs exist.
            access_record_unattended(
                kind=AccessKind.BSN_LOOKUP,
                model=Client,
                object_ids=result.bsn_matched,
                username=command_actor("import_data"),
                detail=f"import_data {folder}: this BSN is registered already",
            )
        for problem in result.problems:
            self.stderr.write(str(problem))
        if result.problems:
            listed = sum(1 for p in result.problems if p.code != "more")
            if result.problem_count > listed:
                self.stderr.write(
                    f"{result.problem_count - listed} of them are not listed one by one: beyond "
                    f"the first {MAX_KEPT_PROBLEMS_PER_FILE} of a file they are counted per "
                    "column and kind, in the lines without a line number."
                )
            raise CommandError(f"{result.problem_count} problem(s) found: nothing was imported.")
        if dry_run:
            self.stdout.write("Dry run: no problems found, nothing written. The import would do:")
        self.stdout.write(
            f"{'file':<28}{'rows':>10}{'created':>10}{'updated':>10}{'unchanged':>10}"
        )
        for name, counts in result.summary.items():
            self.stdout.write(
                f"{name:<28}{counts['rows']:>10}{counts['created']:>10}"
                f"{counts['updated']:>10}{counts['unchanged']:>10}"
            )
