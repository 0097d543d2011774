"""`manage.py report` (spec/kpis.md): the PDF and the xlsx say what `manage.py kpis` says.

The data are chosen so that cutting a share off and rounding it differ (25/169 is 14.79%:
14,7% cut off, 14,8% rounded). Every expected figure is worked out by hand below; the test reads
the PDF back with `pdftotext -layout` and the xlsx with openpyxl, as a reader would.
"""

import datetime
import json
import re
import subprocess
import sys
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from clients.models import TargetGroup
from tests.factories import ClientFactory, ContactFactory
from trajectories.models import Outcome, Route, Trajectory

D = datetime.date
PERIOD = ("--from", "2018-01-01", "--to", "2018-12-31")

# (path in the kpis JSON, the rate worked out by hand (4 decimals, half away from zero), the
# share shown (one decimal, half away from zero), the share cut off, the row's Dutch label)
RATES = [
    # 35 of 195 clients spoken to (25 + 1 + 7 + 2 of 169 + 7 + 16 + 3) = 0.179487..., the rate
    # 0.1795 (kpis.md: 4 decimals), which reads 17.95% -> 18,0% (cut off: 17,9%). Every output
    # shows the rate of `manage.py kpis`, so the page, the PDF and the xlsx agree with it.
    (("contact_coverage", "all"), 0.1795, "18,0%", "17,9%", "Contactdekking"),
    # 25 / 169 = 0.147928...
    (("contact_coverage", "wajong"), 0.1479, "14,8%", "14,7%", "Contactdekking: Wajong"),
    # 1 / 7 = 0.142857...
    (
        ("contact_coverage", "social_assistance"),
        0.1429,
        "14,3%",
        "14,2%",
        "Contactdekking: Bijstand (Participatiewet)",
    ),
    # 7 / 16 = 0.4375 exactly: the half goes up
    (
        ("contact_coverage", "status_holder"),
        0.4375,
        "43,8%",
        "43,7%",
        "Contactdekking: Statushouder",
    ),
    # nobody in the group: no figure
    (
        ("contact_coverage", "non_benefit"),
        None,
        "–",
        None,
        "Contactdekking: Niet-uitkeringsgerechtigd (NUG)",
    ),
    # 2 / 3 = 0.6666...
    (
        ("contact_coverage", "school_leaver"),
        0.6667,
        "66,7%",
        "66,6%",
        "Contactdekking: Schoolverlater (vso/pro)",
    ),
    # 1 to work of 7 in the cohort less 1 who moved: 1 / 6 = 0.1666...
    (("two_year_outflow",), 0.1667, "16,7%", "16,6%", "Aandeel naar werk"),
    # 8 of 9 placed still employed on 31 December: 0.8888...
    (("sheltered_work",), 0.8889, "88,9%", "88,8%", "Nog in dienst (aandeel)"),
]
RATE_KEY = {"contact_coverage": "rate", "two_year_outflow": "rate", "sheltered_work": "retention"}

GROUPS = [  # (target group, on the caseload on 31 December 2018, of whom spoken to in 2018)
    (TargetGroup.WAJONG, 169, 25),
    (TargetGroup.SOCIAL_ASSISTANCE, 7, 1),
    (TargetGroup.STATUS_HOLDER, 16, 7),
    (TargetGroup.SCHOOL_LEAVER, 3, 2),
]


@pytest.fixture
def year_2018(db):
    for group, population, contacted in GROUPS:
        for n in range(population):
            client = ClientFactory(registered_on=D(2018, 1, 2), target_group=group)
            if n < contacted:
                ContactFactory(client=client, date=D(2018, 5, 1), channel="phone")

    # Route werknemer, started in 2016: deadline in 2018. Their clients joined in 2025, so
    # they are not on the 2018 caseload above.
    employee = Route.objects.get(code=Route.EMPLOYEE)
    start = D(2016, 3, 1)
    ends = [(D(2017, 6, 1), Outcome.WORK), (D(2016, 9, 1), Outcome.MOVED), (None, "")]
    ends += [(D(2017, 1, 1), Outcome.DROPPED_OUT)] * 4
    for end, outcome in ends:
        Trajectory.objects.create(
            client=ClientFactory(), route=employee, start_date=start, end_date=end, outcome=outcome
        )

    from employers.models import Employer
    from placements.models import Placement, PlacementKind

    employer = Employer.objects.create(name="Bouwbedrijf Drenthe")
    for end in [None] * 8 + [D(2018, 10, 1)]:  # 9 placed in 2018, 1 left in October
        Placement.objects.create(
            client=ClientFactory(),
            employer=employer,
            kind=PlacementKind.SHELTERED_WORK,
            start_date=D(2018, 3, 1),
            end_date=end,
        )


def _kpis() -> dict:
    out = StringIO()
    call_command("kpis", *PERIOD, stdout=out)
    return json.loads(out.getvalue())


def _value(document: dict, path: tuple[str, ...]):
    node = document
    for key in path:
        node = node[key]
    return node[RATE_KEY[path[0]]]


def _row(text: str, label: str) -> str | None:
    """The first figure after `label` on a table line of the PDF (columns: 2018, 2017, target)."""
    found = re.search(rf"^[ ]*{re.escape(label)}[ ]{{2,}}(\S+)", text, re.MULTILINE)
    return found.group(1) if found else None


def test_the_pdf_and_the_xlsx_show_every_rate_of_the_kpis_rounded_half_away_from_zero(
    year_2018, tmp_path
):
    document = _kpis()
    for path, rate, _shown, _cut, _label in RATES:
        assert _value(document, path) == rate, path

    pdf_file, xlsx_file = tmp_path / "jaarverslag.pdf", tmp_path / "jaarverslag.xlsx"
    call_command("report", *PERIOD, "--format", "pdf", "--output", str(pdf_file), stdout=StringIO())
    call_command(
        "report", *PERIOD, "--format", "xlsx", "--output", str(xlsx_file), stdout=StringIO()
    )

    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_file), "-"], capture_output=True, check=True
    ).stdout.decode()
    for _path, _rate, shown, cut, label in RATES:
        assert _row(text, label) == shown, label
        if cut:
            assert cut not in text, f"{label}: cut off somewhere"

    # Contact coverage leads with the total (18,0%), not the last group listed (66,7%).
    coverage = text[
        text.index("Contactdekking\n") : text.index("Kengetal", text.index("Contactdekking\n"))
    ]
    assert re.search(r"^\s*18,0%\s*$", coverage, re.MULTILINE), coverage
    assert "66,7%" not in coverage

    book = openpyxl.load_workbook(xlsx_file)
    sheet = book["Kengetallen"]
    assert [cell.value for cell in sheet[1]] == ["Onderwerp", "Kengetal", "2018", "2017", "Doel"]
    cells = {row[1].value: row[2] for row in sheet.iter_rows(min_row=2)}
    for path, rate, _shown, _cut, label in RATES:
        assert cells[label].value == _value(document, path) == rate, label
        if rate is not None:  # a number the sheet shows with one decimal as a percentage
            assert cells[label].number_format == "0.0%", label


def test_the_dashboard_shows_the_same_rounded_shares(year_2018, client, manager):
    client.force_login(manager)
    page = client.get(reverse("reporting:dashboard"), {"year": 2018}).content.decode()
    for _path, _rate, shown, cut, label in RATES:
        assert re.search(
            rf'<th scope="row" class="fw-normal">{re.escape(label)}</th>\s*'
            rf'<td class="text-end">{re.escape(shown)}[ <]',
            page,
        ), label
        if cut:
            assert cut not in page, label
    assert 'id="contact_coverage-headline">18,0%<' in page


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--format", "doc", "--output", "x"], "invalid choice: 'doc'"),
        (["--format", "pdf", "--output", "/no/such/folder/x.pdf"], "no such folder"),
        (["--format", "pdf"], "the following arguments are required: --output"),
    ],
)
def test_bad_arguments_are_refused_with_a_reason(db, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", *PERIOD, *arguments)


def test_a_period_that_ends_before_it_starts_exits_non_zero_with_a_reason(tmp_path):
    answer = subprocess.run(
        [sys.executable, "manage.py", "report", "--from", "2018-12-31", "--to", "2018-01-01"]
        + ["--format", "pdf", "--output", str(tmp_path / "x.pdf")],
        capture_output=True,
        text=True,
    )
    assert answer.returncode != 0
    assert "a period cannot end before it starts" in answer.stderr
    assert not (tmp_path / "x.pdf").exists()
