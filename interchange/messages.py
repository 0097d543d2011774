"""Problem texts that more than one part of the import writes: one wording, one translation.

The engine's loop and copyload check the same cells two ways (the loop row by row, copyload in
SQL); a problem reads the same whichever found it (tests/interchange/test_copyload.py compares
them). The loops translate them once per file, not once per row.
"""

from django.utils.translation import gettext_lazy as _

REQUIRED_EMPTY = _("required, but empty")
ANONYMISED = _("this client was anonymised and cannot be changed")
