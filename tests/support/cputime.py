"""CPU seconds per test, for comparing the suite's cost on a shared machine: `pytest -p tests.support.cputime`.

Wall times on a machine shared with other work vary with its load; the CPU time of the test process
much less. Each test's phases (setup, call, teardown) are timed with `time.process_time` in the
process that runs them (an xdist worker), so a module- or session-scoped fixture counts towards the
first test that needs it, and the sum over all tests is what the suite cost in the test processes
(the Chromium and other processes a test starts are not in it: `/usr/bin/time -v` counts those).
The times travel to the controller as a report's `user_properties` (also in `--junitxml`); at the end
the terminal summary gives the total and the costliest tests.
"""

from __future__ import annotations

import time

import pytest

_KEY = "cpu_s"
_totals: dict[str, float] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    item._cpu_start = time.process_time()  # type: ignore[attr-defined]
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if report.when == "teardown":
        spent = time.process_time() - getattr(item, "_cpu_start", time.process_time())
        report.user_properties.append((_KEY, round(spent, 3)))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    for key, value in report.user_properties:
        if key == _KEY and report.when == "teardown":
            _totals[report.nodeid] = float(value)


def pytest_terminal_summary(terminalreporter) -> None:
    if not _totals:
        return
    ranked = sorted(_totals.items(), key=lambda kv: kv[1], reverse=True)
    terminalreporter.section("CPU seconds in the test processes (tests/support/cputime.py)")
    terminalreporter.write_line(f"total {sum(_totals.values()):.1f} s over {len(_totals)} tests")
    by_folder: dict[str, float] = {}
    for nodeid, spent in _totals.items():
        folder = nodeid.split("::", 1)[0].rsplit("/", 1)[0]
        by_folder[folder] = by_folder.get(folder, 0.0) + spent
    for folder, spent in sorted(by_folder.items(), key=lambda kv: kv[1], reverse=True):
        terminalreporter.write_line(f"{spent:8.1f} s  {folder}/")
    for nodeid, spent in ranked[:40]:
        terminalreporter.write_line(f"{spent:8.2f} s  {nodeid}")
