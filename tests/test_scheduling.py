"""The workers' split (tests/support/scheduling.py) knows every browser test, read from the source."""

import subprocess
import sys

import pytest

from tests.support.scheduling import ROOT, browser_tests, function_of


@pytest.mark.process
def test_the_source_reading_agrees_with_the_collected_browser_markers():
    collected = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-o",
            "addopts=",
            "-m",
            "browser",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    marked = {function_of(line) for line in collected.splitlines() if "::" in line}
    assert len(marked) > 10
    assert marked == browser_tests()
