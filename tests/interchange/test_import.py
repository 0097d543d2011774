"""Every rule of spec/interchange.md "Files" and "Import", on small folders written here."""

import datetime
import io
from decimal import Decimal

import pytest

from clients.models import Client, Contact
from core.models import Municipality
from employers.models import Employer
from interchange.engine import import_folder
from placements.models import Placement, Provision, WageValueAssessment
from projects.models import Project, ProjectGroup
from tests.factories import ClientFactory, valid_bsn
from tests.interchange.conftest import HEADER, client_line, lines
from trajectories.models import Trajectory

pytestmark = pytest.mark.usefixtures("reference_data")

CONTACTS = "contact_ref,client_ref,date,channel,subject"
TRAJECTORIES = (
    "trajectory_ref,client_ref,route,branch_team,start_date,end_date,outcome,project,project_group"
)


def where(result):
    """(file, line, column, code) of each problem: what the tests compare."""
    return [(p.file, p.line, p.column, p.code) for p in result.problems]


# A valid folder ------------------------------------------------------------------------------


def test_a_valid_clients_file_creates_the_clients_with_every_value(folder):
    path = folder(
        {
            "clients.csv": lines(
                HEADER,
                "C1,123456782,Jan,van der,Berg,1980-02-29,9401ab,Assen,wajong,JA,"
                "2020-01-06,2021-03-01,work",
            )
        }
    )
    result = import_folder(path)
    assert result.problems == []
    assert result.summary["clients.csv"] == {
        "rows": 1,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
    }
    client = Client.objects.get()
    assert (client.source_ref, client.bsn, client.first_name, client.name_prefix) == (
        "C1",
        "123456782",
        "Jan",
        "van der",
    )
    assert client.last_name == "Berg"
    assert client.birth_date == datetime.date(1980, 2, 29)
    assert client.postcode == "9401 AB"
    assert client.municipality.name == "Assen"
    assert client.target_group == "wajong"
    assert client.target_group_register is True
    assert client.deregistered_on == datetime.date(2021, 3, 1)
    assert client.deregistration_reason == "work"
    # What the format does not carry gets the product's defaults.
    assert (client.coach, client.team, client.email) == (None, None, "")


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_comma_and_semicolon_are_detected_per_file(folder, delimiter):
    clients = lines(HEADER, client_line("C1", n=1)).replace(",", delimiter)
    contacts = lines(CONTACTS, "K1,C1,2024-03-01,phone,Eerste gesprek, kort")
    # A semicolon file may hold commas in its cells: the subject keeps its comma.
    contacts = (
        lines("contact_ref;client_ref;date;channel;subject", "K1;C1;2024-03-01;phone;Gesprek, kort")
        if delimiter == ";"
        else lines(CONTACTS, 'K1,C1,2024-03-01,phone,"Gesprek, kort"')
    )
    result = import_folder(folder({"clients.csv": clients, "contacts.csv": contacts}))
    assert result.problems == []
    assert Contact.objects.get().subject == "Gesprek, kort"


def test_a_byte_order_mark_and_crlf_line_ends_are_accepted(folder):
    text = "\r\n".join([HEADER, client_line("C1", n=1), client_line("C2", n=2)]) + "\r\n"
    result = import_folder(folder({"clients.csv": b"\xef\xbb\xbf" + text.encode()}))
    assert result.problems == []
    assert set(Client.objects.values_list("source_ref", flat=True)) == {"C1", "C2"}
    assert not Client.objects.filter(last_name__contains="\r").exists()


def test_a_quoted_field_keeps_its_newlines_and_counts_as_one_spreadsheet_line(folder):
    contacts = lines(
        CONTACTS,
        'K1,C1,2024-03-01,phone,"Gesprek over\nwerk en\r\nscholing"',
        "K2,C1,2024-02-31,phone,",
    )
    result = import_folder(
        folder({"clients.csv": lines(HEADER, client_line("C1")), "contacts.csv": contacts})
    )
    # K2 is the third row a spreadsheet shows (header, K1, K2), though the fifth text line.
    assert where(result) == [("contacts.csv", 3, "date", "bad_date")]


def test_names_in_arabic_and_tigrinya_are_kept(folder):
    path = folder(
        {
            "clients.csv": lines(
                HEADER,
                client_line("C1", n=1, first="محمد", last="العلي"),
                client_line("C2", n=2, first="ሰላም", last="ተስፋይ"),
            )
        }
    )
    assert import_folder(path).problems == []
    assert Client.objects.get(source_ref="C1").full_name == "محمد العلي"
    assert Client.objects.get(source_ref="C2").full_name == "ሰላም ተስፋይ"


def test_spaces_around_values_are_stripped(folder):
    line = client_line("C1", n=1, first="  Selam ", target_group=" wajong ", municipality=" Assen")
    assert import_folder(folder({"clients.csv": lines(HEADER, line)})).problems == []
    client = Client.objects.get()
    assert (client.first_name, client.target_group) == ("Selam", "wajong")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("ja", True),
        ("Ja", True),
        ("false", False),
        ("False", False),
        ("0", False),
        ("nee", False),
        ("NEE", False),
        ("", False),
    ],
)
def test_boolean_spellings(folder, text, expected):
    line = client_line("C1", target_group_register=text)
    assert import_folder(folder({"clients.csv": lines(HEADER, line)})).problems == []
    assert Client.objects.get().target_group_register is expected


def test_a_name_with_a_right_to_left_override_or_only_invisible_characters_is_a_problem(folder):
    rows = [client_line("C1", n=1, last="Ann\u202eA"), client_line("C2", n=2, first="\u200b")]
    result = import_folder(folder({"clients.csv": lines(HEADER, *rows)}))
    assert where(result) == [
        ("clients.csv", 2, "last_name", "name_control"),
        ("clients.csv", 3, "first_name", "name_invisible"),
    ]
    assert Client.objects.count() == 0


def test_a_municipality_is_found_by_name_whatever_its_case(folder):
    line = client_line("C1", municipality="AA EN HUNZE")
    assert import_folder(folder({"clients.csv": lines(HEADER, line)})).problems == []
    assert Client.objects.get().municipality.name == "Aa en Hunze"


# Problems ------------------------------------------------------------------------------------


def test_a_file_that_is_not_utf8_names_the_offset_of_the_first_invalid_byte(folder):
    # "Müller" in Latin-1: ü is the single byte 0xFC.
    head = (HEADER + "\n").encode()
    before = b"C1," + valid_bsn(1).encode() + b",Anna,,M"
    data = head + before + b"\xfcller,1990-01-01,,Assen,wajong,,2020-01-01,,\n"
    result = import_folder(folder({"clients.csv": data}))
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert (problem.file, problem.line, problem.code) == ("clients.csv", None, "encoding")
    offset = len(head) + len(before)
    assert f" {offset} (" in problem.message  # "offset 188 (counted from 0)", in Dutch "positie"
    assert str(problem).startswith("clients.csv: -: ")


def test_a_byte_order_mark_counts_in_the_offset_and_a_split_character_is_valid(folder, tmp_path):
    from interchange.reader import CHUNK, first_invalid_utf8_byte

    path = tmp_path / "big.csv"
    # A three-byte character across the 1 MiB chunk boundary is valid; a lone 0xFF after it is not.
    data = b"\xef\xbb\xbf" + b"a" * (CHUNK - 4) + "€".encode() + b"bb\xff"
    path.write_bytes(data)
    assert first_invalid_utf8_byte(path) == len(data) - 1
    path.write_bytes(data[:-1])
    assert first_invalid_utf8_byte(path) is None


def test_unknown_missing_and_repeated_columns_are_errors_on_line_1(folder):
    header = HEADER.replace("first_name", "firstname").replace(",postcode", ",bsn")
    row = client_line("C1")
    result = import_folder(folder({"clients.csv": lines(header, row)}))
    assert where(result) == [
        ("clients.csv", 1, "firstname", "unknown_column"),
        ("clients.csv", 1, "bsn", "duplicate_column"),
        ("clients.csv", 1, "first_name", "missing_column"),
    ]
    assert Client.objects.count() == 0


def test_optional_columns_may_be_absent_and_columns_come_in_any_order(folder):
    header = (
        "registered_on,target_group,municipality,birth_date,last_name,first_name,bsn,client_ref"
    )
    row = f"2020-01-06,wajong,Assen,1990-01-01,Tesfay,Selam,{valid_bsn(1)},C1"
    assert import_folder(folder({"clients.csv": lines(header, row)})).problems == []
    client = Client.objects.get()
    assert (client.postcode, client.target_group_register, client.name_prefix) == ("", False, "")


def test_required_empty_cells_and_bad_values_are_each_reported(folder):
    row = client_line(
        "C1",
        bsn="123456783",
        first="",
        birth_date="17-05-1990",
        postcode="94011AB",
        target_group="Wajong",
        registered_on="2020-13-01",
    )
    result = import_folder(folder({"clients.csv": lines(HEADER, row)}))
    assert where(result) == [
        ("clients.csv", 2, "bsn", "bad_bsn"),
        ("clients.csv", 2, "first_name", "required"),
        ("clients.csv", 2, "birth_date", "bad_date"),
        ("clients.csv", 2, "postcode", "bad_postcode"),
        ("clients.csv", 2, "target_group", "unknown_code"),
        ("clients.csv", 2, "registered_on", "bad_date"),
    ]
    assert "eleven-test" in result.problems[0].message or "elfproef" in result.problems[0].message


def test_a_date_that_does_not_exist_is_an_error(folder):
    result = import_folder(
        folder({"clients.csv": lines(HEADER, client_line(birth_date="1990-02-31"))})
    )
    assert where(result) == [("clients.csv", 2, "birth_date", "bad_date")]
    assert "1990-02-31" in result.problems[0].message


def test_a_bsn_needs_nine_digits_leading_zeros_kept(folder):
    # 012345672 would lose its zero in a spreadsheet; as 8 digits it is an error, not padded.
    ok = client_line("C1", bsn="012345672")
    short = client_line("C2", bsn="12345672")
    result = import_folder(folder({"clients.csv": lines(HEADER, ok, short)}))
    assert where(result) == [("clients.csv", 3, "bsn", "bad_bsn")]


def test_a_repeated_bsn_is_reported_at_each_later_line_naming_the_first(folder):
    bsn = valid_bsn(7)
    rows = [
        client_line("C1", bsn),
        client_line("C2", n=2),
        client_line("C3", bsn),
        client_line("C4", bsn),
    ]
    result = import_folder(folder({"clients.csv": lines(HEADER, *rows)}))
    assert where(result) == [
        ("clients.csv", 4, "bsn", "duplicate"),
        ("clients.csv", 5, "bsn", "duplicate"),
    ]
    assert all("line 2" in p.message or "regel 2" in p.message for p in result.problems)
    assert all(bsn not in p.message for p in result.problems)  # a BSN is never echoed


def test_a_ref_reused_in_one_file_is_reported_naming_the_first_line(folder):
    rows = [client_line("C1", n=1), client_line("C1", n=2)]
    result = import_folder(folder({"clients.csv": lines(HEADER, *rows)}))
    assert where(result) == [("clients.csv", 3, "client_ref", "duplicate")]
    assert "C1" in result.problems[0].message
    assert "2" in result.problems[0].message


def test_a_bsn_of_a_client_already_in_the_product_under_another_ref_is_an_error(folder):
    ClientFactory(bsn=valid_bsn(3))  # registered in the product, no source reference
    result = import_folder(folder({"clients.csv": lines(HEADER, client_line("C1", n=3))}))
    assert where(result) == [("clients.csv", 2, "bsn", "taken")]


def test_a_bsn_moving_between_two_clients_of_the_same_file_is_no_conflict(folder):
    first = lines(HEADER, client_line("C1", n=1), client_line("C2", n=2))
    assert import_folder(folder({"clients.csv": first})).problems == []
    swapped = lines(HEADER, client_line("C1", n=3), client_line("C2", n=1))
    result = import_folder(folder({"clients.csv": swapped}, name="second"))
    assert result.problems == []
    assert Client.objects.get(source_ref="C2").bsn == valid_bsn(1)


def test_unknown_refs_are_errors_and_refs_already_in_the_product_are_found(folder):
    assert import_folder(folder({"clients.csv": lines(HEADER, client_line("C1"))})).problems == []
    contacts = lines(CONTACTS, "K1,C1,2024-03-01,phone,", "K2,C9,2024-03-01,phone,")
    # Only contacts now: C1 is in the product, C9 nowhere.
    result = import_folder(
        folder({"clients.csv": lines(HEADER), "contacts.csv": contacts}, name="second")
    )
    assert where(result) == [("contacts.csv", 3, "client_ref", "unknown_ref")]
    assert "C9" in result.problems[0].message


def test_cross_column_rules_of_clients(folder):
    rows = [
        client_line("C1", n=1, deregistered_on="2019-01-01", deregistration_reason="work"),
        client_line("C2", n=2, deregistered_on="2021-01-01"),
        client_line("C3", n=3, deregistration_reason="moved"),
        client_line("C4", n=4, deregistration_reason="Moved", deregistered_on="2021-01-01"),
    ]
    result = import_folder(folder({"clients.csv": lines(HEADER, *rows)}))
    assert where(result) == [
        ("clients.csv", 2, "deregistered_on", "order"),
        ("clients.csv", 3, "deregistration_reason", "required"),
        ("clients.csv", 4, "deregistration_reason", "not_allowed"),
        ("clients.csv", 5, "deregistration_reason", "unknown_code"),
    ]


def test_an_unknown_municipality_is_an_error_not_created(folder):
    result = import_folder(folder({"clients.csv": lines(HEADER, client_line(municipality="Asen"))}))
    assert where(result) == [("clients.csv", 2, "municipality", "unknown_municipality")]
    assert not Municipality.objects.filter(name="Asen").exists()


def test_a_row_with_too_many_or_too_few_cells_is_an_error(folder):
    result = import_folder(
        folder({"clients.csv": lines(HEADER, client_line("C1", n=1) + ",extra", "C2,1")})
    )
    assert where(result) == [("clients.csv", 2, "-", "width"), ("clients.csv", 3, "-", "width")]


def test_broken_quoting_is_reported_with_its_line(folder):
    contacts = lines(CONTACTS, 'K1,C1,2024-03-01,phone,"fine"', 'K2,C1,2024-03-01,phone,"a"b')
    result = import_folder(
        folder({"clients.csv": lines(HEADER, client_line("C1")), "contacts.csv": contacts})
    )
    assert where(result) == [("contacts.csv", 3, "-", "quoting")]


def test_an_empty_file_and_unknown_or_missing_files_are_errors(folder):
    result = import_folder(folder({"contacts.csv": "", "contact.csv": lines(CONTACTS)}))
    assert sorted(where(result)) == [
        ("clients.csv", None, "-", "missing_file"),
        ("contact.csv", None, "-", "unknown_file"),
        ("contacts.csv", 1, "-", "empty"),
    ]


def test_a_ref_longer_than_64_characters_is_an_error(folder):
    result = import_folder(folder({"clients.csv": lines(HEADER, client_line("C" * 65))}))
    assert where(result) == [("clients.csv", 2, "client_ref", "too_long")]


# Trajectories, employers, placements ---------------------------------------------------------


def test_trajectories_rules_and_projects_created_when_new(folder):
    clients = lines(HEADER, client_line("C1", n=1), client_line("C2", n=2))
    trajectories = lines(
        TRAJECTORIES,
        "T1,C1,employee,hodezo,2021-01-04,2022-03-01,work,pilot-wop,met instrument",
        "T2,C1,participation,,2022-04-01,,,,",
        "T3,C1,employee,,2022-05-01,,,,",  # a second open trajectory of C1
        "T4,C2,employe,hodezoo,2022-05-01,2022-04-01,,,groep zonder project",
        "T5,C2,employee,,2022-05-01,,work,,",  # an outcome without an end
    )
    result = import_folder(folder({"clients.csv": clients, "trajectories.csv": trajectories}))
    assert where(result) == [
        ("trajectories.csv", 4, "end_date", "open_trajectory"),
        ("trajectories.csv", 5, "route", "unknown_code"),
        ("trajectories.csv", 5, "branch_team", "unknown_code"),
        ("trajectories.csv", 6, "outcome", "not_allowed"),
    ]
    assert "line 3" in result.problems[0].message or "regel 3" in result.problems[0].message
    good = lines(
        TRAJECTORIES,
        "T1,C1,employee,hodezo,2021-01-04,2022-03-01,work,pilot-wop,met instrument",
        "T2,C1,participation,,2022-04-01,,,,",
        "T4,C2,employee,bilt,2022-05-01,2022-04-01,work,,",
    )
    result = import_folder(
        folder({"clients.csv": clients, "trajectories.csv": good}, name="second")
    )
    assert where(result) == [("trajectories.csv", 4, "end_date", "order")]
    good = good.replace("2022-04-01,work", "2023-04-01,work")
    assert import_folder(folder({"clients.csv": clients, "trajectories.csv": good}, "third")).ok
    t1 = Trajectory.objects.get(source_ref="T1")
    assert (t1.route.code, t1.branch_team.code, t1.outcome) == ("employee", "hodezo", "work")
    assert t1.project == Project.objects.get(code="pilot-wop")
    assert t1.project_group == ProjectGroup.objects.get(name="met instrument")
    # Its client is an admitted member of the project, in the group, screened when the
    # trajectory started: the project's figures count them (one definition: projects.results).
    from projects import results
    from projects.models import MemberStatus

    (member,) = t1.project.members.all()
    assert (member.client, member.group, member.status, member.screened_on) == (
        t1.client, t1.project_group, MemberStatus.ADMITTED, datetime.date(2021, 1, 4)
    )  # fmt: skip
    goal = results.goal_progress(t1.project)
    assert (goal.members, goal.to_work) == (1, 1)
    # Imported again, unchanged: no second membership.
    assert import_folder(folder({"clients.csv": clients, "trajectories.csv": good}, "fourth")).ok
    assert t1.project.members.count() == 1


def test_an_open_trajectory_in_the_product_that_the_file_does_not_end_is_an_error(folder):
    clients = lines(HEADER, client_line("C1", n=1))
    first = lines(TRAJECTORIES, "T1,C1,employee,,2021-01-04,,,,")
    assert import_folder(folder({"clients.csv": clients, "trajectories.csv": first})).ok
    second = lines(TRAJECTORIES, "T2,C1,participation,,2022-01-04,,,,")
    result = import_folder(folder({"clients.csv": clients, "trajectories.csv": second}, "b"))
    assert where(result) == [("trajectories.csv", 2, "end_date", "open_trajectory")]
    # Ending T1 in the same file makes room for T2.
    both = lines(
        TRAJECTORIES,
        "T1,C1,employee,,2021-01-04,2022-01-03,other,,",
        "T2,C1,participation,,2022-01-04,,,,",
    )
    assert import_folder(folder({"clients.csv": clients, "trajectories.csv": both}, "c")).ok


def test_employers_kvk_unique_and_booleans(folder):
    employers = lines(
        "employer_ref,name,kvk_number,municipality,social_enterprise",
        "E1,Bakkerij Bol,12345678,Assen,ja",
        "E2,Zorg Noord,,,",
        "E3,Dubbel BV,12345678,,nee",
        "E4,Kort BV,1234567,Asen,misschien",
    )
    result = import_folder(folder({"clients.csv": lines(HEADER), "employers.csv": employers}))
    assert where(result) == [
        ("employers.csv", 4, "kvk_number", "duplicate"),
        ("employers.csv", 5, "kvk_number", "bad_kvk"),
        ("employers.csv", 5, "municipality", "unknown_municipality"),
        ("employers.csv", 5, "social_enterprise", "bad_boolean"),
    ]
    employers = "\n".join(employers.splitlines()[:3]) + "\n"
    assert import_folder(folder({"clients.csv": lines(HEADER), "employers.csv": employers}, "b")).ok
    bol = Employer.objects.get(source_ref="E1")
    assert (bol.kvk_number, bol.social_enterprise, bol.municipality.name) == (
        "12345678",
        True,
        "Assen",
    )
    assert Employer.objects.get(source_ref="E2").kvk_number is None


PLACEMENTS = (
    "placement_ref,client_ref,employer_ref,kind,start_date,end_date,contract,hours_per_week,sroi"
)
ASSESSMENTS = "assessment_ref,client_ref,placement_ref,assessed_on,wage_value_percent,method"
PROVISIONS = "provision_ref,client_ref,placement_ref,kind,granted_on,start_date,end_date,amount_eur"


def _work_folder(folder, placements, assessments, provisions, name="folder"):
    return folder(
        {
            "clients.csv": lines(HEADER, client_line("C1", n=1), client_line("C2", n=2)),
            "employers.csv": lines(
                "employer_ref,name,kvk_number,municipality,social_enterprise", "E1,Bol,,,"
            ),
            "placements.csv": lines(PLACEMENTS, *placements),
            "wage_value_assessments.csv": lines(ASSESSMENTS, *assessments),
            "provisions.csv": lines(PROVISIONS, *provisions),
        },
        name=name,
    )


def test_placements_assessments_and_provisions_with_decimals_either_way(folder):
    path = _work_folder(
        folder,
        [
            'P1,C1,E1,work_experience,2023-01-02,,temporary,"32,5",JA',
            "P2,C2,E1,regular,2023-01-02,,,40,",
        ],
        ["W1,C1,P1,2023-02-01,55.5,Dariuz", 'W2,C2,,2023-02-01,"0,00",'],
        ["V1,C1,P1,wage_cost_subsidy_structural,2023-01-15,2023-02-01,,1200,50"],
    )
    # The last cell "1200,50" splits in two with a comma delimiter: quote it, as Excel would.
    path.joinpath("provisions.csv").write_text(
        lines(PROVISIONS, 'V1,C1,P1,wage_cost_subsidy_structural,2023-01-15,2023-02-01,,"1200,50"')
    )
    result = import_folder(path)
    assert result.problems == []
    p1 = Placement.objects.get(source_ref="P1")
    assert (p1.hours_per_week, p1.sroi, p1.contract, p1.employer.source_ref) == (
        Decimal("32.5"),
        True,
        "temporary",
        "E1",
    )
    assert WageValueAssessment.objects.get(source_ref="W1").wage_value_percent == Decimal("55.5")
    provision = Provision.objects.get()
    assert (provision.decision, provision.decided_on, provision.amount_eur) == (
        "granted",
        datetime.date(2023, 1, 15),
        Decimal("1200.50"),
    )


def test_placement_rules(folder):
    path = _work_folder(
        folder,
        [
            "P1,C1,E1,regular,2023-01-02,,,0,",
            "P2,C1,E9,internship,2023-01-02,2022-01-01,,40.5,",
            "P3,C2,E1,regular,2023-01-02,,,1.200,5,",
        ],
        ["W1,C2,P1,2023-02-01,100.5,", "W2,C1,P9,2023-02-01,-1,"],
        [
            "V1,C2,P1,job_coach,2023-01-15,,,-5",
            "V2,C1,,job_coach,2023-01-15,2023-02-01,2023-01-01,",
        ],
    )
    result = import_folder(path)
    assert where(result) == [
        ("placements.csv", 2, "hours_per_week", "out_of_range"),
        ("placements.csv", 3, "employer_ref", "unknown_ref"),
        ("placements.csv", 3, "kind", "unknown_code"),
        ("placements.csv", 3, "hours_per_week", "out_of_range"),
        ("placements.csv", 4, "-", "width"),
        ("wage_value_assessments.csv", 2, "wage_value_percent", "out_of_range"),
        ("wage_value_assessments.csv", 3, "placement_ref", "unknown_ref"),
        ("wage_value_assessments.csv", 3, "wage_value_percent", "out_of_range"),
        ("provisions.csv", 2, "amount_eur", "out_of_range"),
        ("provisions.csv", 3, "end_date", "order"),
    ]
    # An assessment of a placement must be of that placement's client.
    path = _work_folder(
        folder, ["P1,C1,E1,regular,2023-01-02,,,,"], ["W1,C2,P1,2023-02-01,50,"], [], name="b"
    )
    assert where(import_folder(path)) == [
        ("wage_value_assessments.csv", 2, "placement_ref", "other_client")
    ]


def test_service_area_replaces_the_setting(folder):
    result = import_folder(
        folder(
            {
                "clients.csv": lines(HEADER),
                "service_area.csv": lines("municipality", "Assen", "Emmen"),
            }
        )
    )
    assert result.ok
    assert set(Municipality.objects.service_area().values_list("name", flat=True)) == {
        "Assen",
        "Emmen",
    }
    # Before: Aa en Hunze, Assen, Tynaarlo. Emmen added, two removed; Assen unchanged.
    assert result.summary["service_area.csv"] == {
        "rows": 2,
        "created": 0,
        "updated": 3,
        "unchanged": 1,
    }
    again = folder(
        {
            "clients.csv": lines(HEADER),
            "service_area.csv": lines("municipality", "Emmen", "Emmen", "Atlantis"),
        },
        "b",
    )
    assert where(import_folder(again)) == [
        ("service_area.csv", 3, "municipality", "duplicate"),
        ("service_area.csv", 4, "municipality", "unknown_municipality"),
    ]


def test_service_area_changes_from_an_import_are_in_the_change_history(folder, make_user):
    from auditlog.models import LogEntry

    admin = make_user("beheerder")
    path = folder(
        {"clients.csv": lines(HEADER), "service_area.csv": lines("municipality", "Assen", "Emmen")}
    )
    assert import_folder(path, actor=admin).ok
    # Before: Aa en Hunze, Assen, Tynaarlo. Three changes, each under the importer's name.
    entries = LogEntry.objects.filter(content_type__model="municipality")
    assert sorted((e.object_repr, e.changes["in_service_area"], e.actor) for e in entries) == [
        ("Aa en Hunze", ["True", "False"], admin),
        ("Emmen", ["False", "True"], admin),
        ("Tynaarlo", ["True", "False"], admin),
    ]


def test_the_remaining_error_kinds(folder):
    """Codes with capitals or spaces, numbers with a thousands separator, text too long."""
    ClientFactory(bsn=valid_bsn(60), source_ref="GONE", anonymised_at="2025-01-01T00:00:00Z")
    clients = lines(
        HEADER,
        client_line("C1", n=1, last="x" * 151),
        client_line("GONE", n=60),
    )
    trajectories = lines(
        TRAJECTORIES,
        "T1,C1,employee,,2021-01-04,,,Pilot WOP,",
    )
    placements = lines(PLACEMENTS, 'P1,C1,E1,regular,2023-01-02,,,"1.200,5",')
    result = import_folder(
        folder(
            {
                "clients.csv": clients,
                "employers.csv": lines(
                    "employer_ref,name,kvk_number,municipality,social_enterprise", "E1,Bol,,,"
                ),
                "trajectories.csv": trajectories,
                "placements.csv": placements,
            }
        )
    )
    assert where(result) == [
        ("clients.csv", 2, "last_name", "too_long"),
        ("clients.csv", 3, "client_ref", "anonymised"),
        ("trajectories.csv", 2, "project", "bad_code"),
        ("placements.csv", 2, "hours_per_week", "bad_decimal"),
    ]


def test_no_file_writes_to_an_anonymised_client_again(folder):
    """A re-import without the client's own row must not bring back its contacts' subjects."""
    ClientFactory(bsn=valid_bsn(61), source_ref="GONE", anonymised_at="2025-01-01T00:00:00Z")
    contacts = lines(CONTACTS, "K1,GONE,2024-03-01,phone,Schulden")
    result = import_folder(folder({"clients.csv": lines(HEADER), "contacts.csv": contacts}))
    assert where(result) == [("contacts.csv", 2, "client_ref", "anonymised")]
    assert not Contact.objects.exists()


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_command_line_shows_a_progress_bar_on_a_terminal_and_nothing_in_a_log():
    from interchange.progress import TerminalProgress

    terminal, log = _Terminal(), io.StringIO()
    for stream in (terminal, log):
        progress = TerminalProgress(stream)
        for fraction in (0.0, 0.5, 1.0):
            progress("check", "clients.csv", fraction)
        progress("write", "clients.csv", 1.0)
    assert "checking clients.csv" in terminal.getvalue()
    assert "100%" in terminal.getvalue()
    assert "writing clients.csv" in terminal.getvalue()
    assert log.getvalue() == ""


def test_the_pages_bar_adds_up_files_reported_out_of_their_order(tmp_path):
    """Side by side, the COPY files are checked first and clients.csv is read meanwhile: the
    page's bar moves as the reading of clients.csv goes on, though files after it are done."""
    from interchange.progress import FileProgress, read_progress

    path = tmp_path / "progress.json"
    files = ["clients.csv", "contacts.csv", "placements.csv", "provisions.csv"]
    report = FileProgress(path, files, every=0.0)

    def percent(stage, file, fraction):
        report(stage, file, fraction)
        return read_progress(path)["percent"]

    assert percent("check", "contacts.csv", 1.0) == 12  # a quarter of the check's half
    assert percent("check", "clients.csv", 0.5) == 18
    assert percent("check", "placements.csv", 1.0) == 31
    assert percent("check", "clients.csv", 0.9) == 36
    assert percent("check", "clients.csv", 0.0) == 36  # a file's own fraction never goes back
    for name in files:
        report("check", name, 1.0)
    assert read_progress(path)["percent"] == 50
    assert percent("write", "clients.csv", 1.0) == 62
