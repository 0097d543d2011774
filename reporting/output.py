"""The report as files: a PDF for the council (WeasyPrint) and the KPI tables as xlsx."""

import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core import figures
from reporting.models import ReportRun
from reporting.report import Report, period_label
from reporting.units.rows import COUNT, DECIMAL1, DECIMAL2, RATE


def as_pdf(report: Report, run: ReportRun | None = None) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is made

    html = render_to_string(
        "reporting/report_pdf.html",
        {
            "report": report,
            "run": run,
            "title": run.get_kind_display() if run else _("Report"),
            "period_label": period_label(report.period),
            "previous_label": period_label(report.previous),
            "made_on": timezone.localdate(),
        },
    )
    return HTML(string=html).write_pdf()


# Numbers stay numbers; the format shows them as core.figures does (a rate 0.4375 as 43.8%).
_FORMATS = {
    COUNT: {"num_format": figures.XLSX_COUNT_FORMAT},
    RATE: {"num_format": figures.XLSX_SHARE_FORMAT},
    DECIMAL1: {"num_format": "0.0"},
    DECIMAL2: {"num_format": "0.00"},
}


def as_xlsx(report: Report) -> bytes:
    """One sheet of KPIs (this period, last year, target), one of breakdowns, one per curve.

    Figures are numbers with a number format, not text, so a manager can compute with them.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    # Text is never a formula, also in write_row (core.exports: a name may start with "=").
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    heading = book.add_format({"bold": True, "font_size": 13})
    formats = {kind: book.add_format(spec) for kind, spec in _FORMATS.items()}
    now, then = period_label(report.period), period_label(report.previous)

    sheet = book.add_worksheet(_("Key figures"))
    sheet.write_row(0, 0, [_("Subject"), _("Figure"), now, then, _("Target")], bold)
    line = 1
    for section in report.sections:
        for row in section.rows:
            sheet.write_string(line, 0, str(section.title))
            sheet.write_string(line, 1, str(row.label))
            for column, value in ((2, row.value), (3, row.previous)):
                if value is None:
                    sheet.write_blank(line, column, None)
                else:
                    sheet.write_number(line, column, value, formats[row.kind])
            if row.target is not None:
                sheet.write_number(line, 4, row.target, formats[RATE])
            line += 1
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 48)
    sheet.set_column(2, 4, 14)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, line - 1, 4)

    sheet = book.add_worksheet(_("Breakdowns"))
    line = 0
    for breakdown in report.breakdowns:
        sheet.write_string(line, 0, str(breakdown.title), heading)
        sheet.write_row(
            line + 1, 0, [str(text) for text in (breakdown.dimension, *breakdown.headings)], bold
        )
        line += 2
        for label, values in breakdown.rows:
            sheet.write_string(line, 0, str(label))
            for column, (value, (_heading, kind)) in enumerate(
                zip(values, breakdown.columns, strict=True), start=1
            ):
                if value is not None:
                    sheet.write_number(line, column, value, formats[kind])
            line += 1
        line += 1
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 4, 18)

    for curve in (section.curve for section in report.sections if section.curve):
        sheet = book.add_worksheet(str(curve.title))
        sheet.write_row(0, 0, [_("Months after the start"), _("Share at work")], bold)
        for line, (month, share) in enumerate(curve.points, start=1):
            sheet.write_number(line, 0, month)
            if share is not None:
                sheet.write_number(line, 1, share, formats[RATE])
        sheet.set_column(0, 1, 24)

    book.close()
    return buffer.getvalue()
