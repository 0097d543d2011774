"""The report as files: a PDF for the council (WeasyPrint) and the KPI tables as xlsx."""

import datetime
import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core import figures
from reporting import route_return
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

    if report.route_return is not None:
        _route_return_sheet(book, report.route_return, bold, heading)

    book.close()
    return buffer.getvalue()


_RETURN_FORMATS = {
    route_return.EURO: {"num_format": "€ #,##0"},
    route_return.FTE: {"num_format": "0.00"},
    route_return.MONTHS: {"num_format": "0.0"},
    route_return.COUNT: {"num_format": figures.XLSX_COUNT_FORMAT},
}


def _route_return_sheet(book, result: route_return.RouteReturn, bold, heading) -> None:
    """The return of route werknemer: its definition, any missing parameter, the figures as
    numbers, and the parameters used with their dates."""
    formats = {kind: book.add_format(spec) for kind, spec in _RETURN_FORMATS.items()}
    wrapped = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet(_("Return of the route"))
    sheet.write_string(0, 0, f"{result.title} {result.year}", heading)
    sheet.merge_range(1, 0, 1, 3, str(result.definition), wrapped)
    sheet.set_row(1, 150)
    line = 3
    for note in result.missing:
        sheet.write_string(line, 0, note)
        line += 1
    line += 1
    sheet.write_row(line, 0, [_("Figure"), str(result.year)], bold)
    line += 1
    for item in result.lines:
        sheet.write_string(line, 0, str(item.label))
        if item.value is None:
            sheet.write_blank(line, 1, None)
        else:
            sheet.write_number(line, 1, float(item.value), formats[item.kind])
        line += 1
    line += 1
    sheet.write_string(line, 0, _("Parameters used"), heading)
    sheet.write_row(line + 1, 0, [_("Parameter"), _("Valid from"), _("Amount"), _("Source")], bold)
    line += 2
    money = book.add_format({"num_format": "€ #,##0.00"})
    day = book.add_format({"num_format": "dd-mm-yyyy"})
    for parameter in result.parameters:
        sheet.write_string(line, 0, parameter.label)
        sheet.write_datetime(
            line, 1, datetime.datetime.combine(parameter.valid_from, datetime.time()), day
        )
        sheet.write_number(line, 2, float(parameter.amount), money)
        sheet.write_string(line, 3, parameter.source)
        line += 1
    sheet.set_column(0, 0, 52)
    sheet.set_column(1, 2, 16)
    sheet.set_column(3, 3, 50)
