"""Cells of files people open in a spreadsheet program (CSV downloads)."""

# A cell that starts with one of these is a formula to Excel and LibreOffice (OWASP "CSV
# injection"): `=HYPERLINK(...)` in an imported name would become a live link in the problems
# list. Not for the interchange export, which must stay byte-exact (README, Security).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as a spreadsheet shows it as text: a leading `'` before a formula start."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and value != "-":
        return "'" + value
    return value
