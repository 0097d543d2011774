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
    if report.projects:
        _projects_sheet(book, report, bold, heading, formats)
    if report.events is not None:
        _events_sheet(book, report.events, bold, heading)

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


def _projects_sheet(book, report: Report, bold, heading, formats) -> None:
    """Per project: the funnel now and per month, progress to the goal, the groups' outcomes
    (counts and shares as numbers) and each pair's difference with its 95% interval."""
    wrapped = book.add_format({"text_wrap": True, "valign": "top"})
    points = book.add_format({"num_format": "0.0"})
    sheet = book.add_worksheet(_("Projects"))
    line = 0
    for project in report.projects:
        sheet.write_string(line, 0, project.name, heading)
        sheet.write_string(line + 1, 0, f"{project.kind} · {project.funder}")
        line += 2
        goal = project.goal
        for label, value in (
            (_("Members counted (admitted, also those who left later)"), goal.members),
            (_("To work"), goal.to_work),
            (_("Target: clients to work"), goal.target),
        ):
            sheet.write_string(line, 0, label)
            if value is not None:
                sheet.write_number(line, 1, value, formats[COUNT])
            line += 1
        if goal.share is not None:
            sheet.write_string(line, 0, _("Share to work"))
            sheet.write_number(line, 1, float(goal.share), formats[RATE])
            line += 1
        line += 1
        sheet.write_row(line, 0, [_("Stage"), _("Clients")], bold)
        line += 1
        for stage in project.funnel:
            sheet.write_string(line, 0, stage.name)
            sheet.write_number(line, 1, stage.clients, formats[COUNT])
            line += 1
        if project.monthly.rows and project.monthly.stages:
            line += 1
            sheet.write_string(line, 0, _("Funnel per month"), bold)
            sheet.write_row(line + 1, 0, [_("Month"), *project.monthly.stages], bold)
            line += 2
            for row in project.monthly.rows:
                sheet.write_string(line, 0, f"{row.month:%m-%Y}")
                for column, clients in enumerate(row.clients, start=1):
                    sheet.write_number(line, column, clients, formats[COUNT])
                line += 1
        compared = project.comparison
        if compared.has_groups:
            line += 1
            sheet.write_string(line, 0, _("Groups compared"), bold)
            columns = compared.columns
            sheet.write_row(
                line + 1, 0, [_("Outcome"), *[str(group.name) for group in columns]], bold
            )
            line += 2
            sheet.write_string(line, 0, _("Members"))
            for column, group in enumerate(columns, start=1):
                sheet.write_number(line, column, group.size, formats[COUNT])
            line += 1
            for row in (*compared.outcome_rows, *compared.instrument_rows):
                sheet.write_string(line, 0, str(row.label))
                for column, cell in enumerate(row.cells, start=1):
                    if cell.share is not None:
                        sheet.write_number(line, column, float(cell.share), formats[RATE])
                line += 1
            if compared.differences:
                line += 1
                sheet.write_row(
                    line,
                    0,
                    [
                        _("Groups"),
                        _("Difference (percentage points)"),
                        _("Lower bound (95 percent confidence)"),
                        _("Upper bound (95 percent confidence)"),
                        _("Difference and what it means"),
                    ],
                    bold,
                )
                line += 1
                for pair in compared.differences:
                    sheet.write_string(
                        line,
                        0,
                        _("%(first)s against %(second)s")
                        % {"first": pair.first, "second": pair.second},
                    )
                    if pair.interval is not None:
                        sheet.write_number(line, 1, pair.difference * 100, points)
                        sheet.write_number(line, 2, pair.interval.low * 100, points)
                        sheet.write_number(line, 3, pair.interval.high * 100, points)
                    sheet.write_string(line, 4, pair.reading, wrapped)
                    line += 1
        line += 2
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 3, 16)
    sheet.set_column(4, 4, 70)


def _events_sheet(book, events, bold, heading) -> None:
    """The events of the period: participants, present, results on the day and after three
    months, and their definitions."""
    count = book.add_format({"num_format": figures.XLSX_COUNT_FORMAT})
    sheet = book.add_worksheet(_("Events"))
    sheet.write_string(0, 0, _("Events and their outcomes"), heading)
    line = 1
    for text in events.definitions:
        sheet.write_string(line, 0, text)
        line += 1
    line += 1
    if not events.rows:
        sheet.write_string(line, 0, _("No event was held in this period."))
        return
    results = [c.label for c in events.totals.on_the_day]
    sheet.write_row(
        line,
        0,
        [
            _("Event"),
            _("Date"),
            _("Participants"),
            _("Present"),
            *[_("On the day: %(result)s") % {"result": label} for label in results],
            _("Followed up"),
            *[_("After three months: %(result)s") % {"result": label} for label in results],
        ],
        bold,
    )
    line += 1
    for row in (*events.rows, events.totals):
        name = row.event.name if row.event else _("All events")
        sheet.write_string(line, 0, name)
        if row.event:
            sheet.write_string(line, 1, f"{row.event.date:%d-%m-%Y}")
        values = [
            row.participants,
            row.attended,
            *[c.participants for c in row.on_the_day],
            row.followed_up,
            *[c.participants for c in row.after_three_months],
        ]
        for column, value in enumerate(values, start=2):
            sheet.write_number(line, column, value, count)
        line += 1
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 1, 12)
    sheet.set_column(2, 3 + 2 * len(results) + 1, 14)
