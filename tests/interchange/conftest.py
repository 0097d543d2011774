from pathlib import Path

import pytest

from core.demo import demo_service_area
from core.reference import load_reference_data
from tests.factories import valid_bsn
from trajectories import reference

HEADER = (
    "client_ref,bsn,first_name,name_prefix,last_name,birth_date,postcode,municipality,"
    "target_group,target_group_register,registered_on,deregistered_on,deregistration_reason"
)


@pytest.fixture
def reference_data(db):
    """Municipalities of the region (service area Aa en Hunze, Assen, Tynaarlo) and the lists."""
    load_reference_data()
    demo_service_area()
    reference.load()


def client_line(ref="C1", bsn=None, *, n=1, first="Selam", last="Tesfay", **over) -> str:
    cells = {
        "client_ref": ref,
        "bsn": bsn or valid_bsn(n),
        "first_name": first,
        "name_prefix": "",
        "last_name": last,
        "birth_date": "1990-05-17",
        "postcode": "9401 AB",
        "municipality": "Assen",
        "target_group": "status_holder",
        "target_group_register": "false",
        "registered_on": "2020-01-06",
        "deregistered_on": "",
        "deregistration_reason": "",
    }
    cells.update(over)
    return ",".join(cells.values())


@pytest.fixture
def folder(tmp_path):
    """write(files) -> a folder holding those files (text as UTF-8, bytes as they are)."""

    def write(files: dict, name="folder") -> Path:
        path = tmp_path / name
        path.mkdir(exist_ok=True)
        for file_name, content in files.items():
            target = path / file_name
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8", newline="")
        return path

    return write


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"
