"""Shared fixtures: an empty warehouse per test, the demo warehouse built once (tests/support/prepared.py).

Builders and helpers live in tests/support/; test modules never import one another."""

from pathlib import Path

import pytest

from tests.support.metrics import new_warehouse
from tests.support.prepared import copy_of


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


@pytest.fixture
def con(db_file: Path):
    """An empty warehouse (schema and reference data), open read-write."""
    connection = new_warehouse(db_file)
    yield connection
    connection.close()


def _build_demo(path: Path) -> None:
    from etl.demo.build import build_demo

    build_demo(path, returns_dir=path.parent / "returns")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo warehouse, built through the real loader once (about 15 s) and cached on disk."""
    return copy_of("demo", _build_demo, tmp_path_factory.mktemp("demo") / "demo.duckdb")


def pytest_configure(config: pytest.Config) -> None:
    from tests.support.apptest import share_component_scan

    share_component_scan()


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """Under `pytest -n`, every test that starts Chromium runs on one worker (tests/support/scheduling.py)."""
    from tests.support.scheduling import BrowserOnOneWorker

    return BrowserOnOneWorker(config, log) if config.getvalue("dist") == "load" else None
