"""interchange.engine._Switching: Python's switch interval is short while any import checks
side by side, and as it was once none does, whichever import ends first."""

import sys

import pytest

from interchange import engine


def test_the_switch_interval_is_restored_when_the_last_import_ends():
    before = sys.getswitchinterval()
    switching = engine._Switching()
    switching.often()
    switching.often()  # a second import in another thread of the process
    assert sys.getswitchinterval() == pytest.approx(engine.SWITCH_INTERVAL)
    switching.as_before()
    assert sys.getswitchinterval() == pytest.approx(engine.SWITCH_INTERVAL)  # the other still reads
    switching.as_before()
    assert sys.getswitchinterval() == pytest.approx(before)
