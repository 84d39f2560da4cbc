"""How `pytest -n 2` shares the tests between the two workers: every test marked `browser` (it starts
Chromium: the served app, a PDF, a chart image) runs on one worker, one after another, so that two
browsers and two servers never starve the other worker on a 2-core machine; every other test goes to
whichever worker is free.

pytest-xdist's own `--dist loadgroup` reads groups from a nodeid suffix that pytest 9 no longer lets it
write, and the controller that schedules never sees markers (the workers collect). So the controller
reads the `browser` markers from the test files' source: a module's `pytestmark` or a test's
decorator. tests/test_scheduling.py checks that this reading agrees with the markers pytest collects.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from xdist.scheduler import LoadScopeScheduling

ROOT = Path(__file__).resolve().parents[2]
GROUP = "browser"


def _marks_browser(node: ast.expr) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr == GROUP for n in ast.walk(node))


@cache
def browser_tests() -> frozenset[str]:
    """'path::test_name' of every test marked browser, read from the source of tests/."""
    found = set()
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        whole = any(
            isinstance(n, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in n.targets)
            and _marks_browser(n.value)
            for n in tree.body
        )
        for node in tree.body:
            is_test = isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
            if is_test and (whole or any(_marks_browser(d) for d in node.decorator_list)):
                found.add(f"{path.relative_to(ROOT).as_posix()}::{node.name}")
    return frozenset(found)


def function_of(nodeid: str) -> str:
    """'path::test_name' of a nodeid (its parameters dropped)."""
    return nodeid.split("[", 1)[0]


class BrowserOnOneWorker(LoadScopeScheduling):
    """The browser tests as one unit of work; every other test a unit of its own."""

    def _split_scope(self, nodeid: str) -> str:
        return GROUP if function_of(nodeid) in browser_tests() else nodeid
