"""Print the authorisation matrix as a Markdown table (the README's security section holds it)."""

from django.core.management.base import BaseCommand
from django.utils import translation

from core import roles


def markdown() -> str:
    """The matrix of core.roles as Markdown, in English (the README's language)."""
    with translation.override("en"):
        header = ["Page or action", "URL name", *(str(label) for label in roles.LABELS.values())]
        lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
        for name, page, allowed in roles.matrix():
            label = str(page.label) + (" (no login)" if page.requires == roles.PUBLIC else "")
            cells = ["yes" if may else "–" for may in allowed]
            lines.append("| " + " | ".join([label, f"`{name}`", *cells]) + " |")
        lines.append("")
        lines.append("| Role | Which clients it sees |")
        lines.append("| --- | --- |")
        for code, label in roles.LABELS.items():
            lines.append(f"| {label} | {roles.SCOPES[code]} |")
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Print the authorisation matrix (core.roles) as a Markdown table."

    def handle(self, *args, **options):
        self.stdout.write(markdown(), ending="")
