import datetime

import pytest

from core.models import Municipality
from schools import services
from schools.models import Advice, SchoolKind


@pytest.fixture
def school(diagnosis_consultant, assen):
    return services.school_save(
        actor=diagnosis_consultant,
        name="Vso De Atlas",
        kind=SchoolKind.VSO,
        municipality=assen,
        contact_name="Marleen Kuiper",
    )


@pytest.fixture
def make_leaver(school, diagnosis_consultant):
    """A leaver of `school` (this school's Daan Bakker of 2026 unless told)."""

    def make(**fields):
        data = {
            "school": school,
            "school_year": 2026,
            "first_name": "Daan",
            "last_name": "Bakker",
            "birth_date": datetime.date(2008, 3, 14),
            **fields,
        }
        return services.leaver_save(actor=diagnosis_consultant, **data)

    return make


@pytest.fixture
def leaver(make_leaver):
    return make_leaver(bsn="123456782", email="daan@example.org", phone="0612345678")


@pytest.fixture
def advise(diagnosis_consultant, coach, account_manager):
    """Record the exit conversation of a leaver with an advice (the target-group register
    unless told), the coach as job coach."""

    def do(leaver, advice=Advice.TARGET_GROUP_REGISTER, route="", **fields):
        return services.conversation_record(
            actor=diagnosis_consultant,
            leaver=leaver,
            held_on=fields.pop("held_on", datetime.date(2026, 5, 4)),
            school_contact=fields.pop("school_contact", "Marleen Kuiper (mentor)"),
            job_coach=fields.pop("job_coach", coach),
            account_manager=fields.pop("account_manager", account_manager),
            advice=advice,
            route=route,
            explanation=fields.pop("explanation", "Kan het minimumloon niet verdienen."),
        )

    return do


@pytest.fixture
def tynaarlo(db):
    return Municipality.objects.get(name="Tynaarlo")
