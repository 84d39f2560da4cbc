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
    from etl.demo import build_demo

    build_demo(path, returns_dir=path.parent / "returns")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo warehouse, built through the real loader once (about 15 s) and cached on disk."""
    return copy_of("demo", _build_demo, tmp_path_factory.mktemp("demo") / "demo.duckdb")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep every test that starts Chromium on one pytest-xdist worker (`--dist loadgroup`): two
    browsers and two servers at once would starve the other worker on a 2-core machine."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
