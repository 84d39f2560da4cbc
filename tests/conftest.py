"""Shared fixtures: fresh warehouses, a demo warehouse built once per session, and .xlsx writing."""

from pathlib import Path

import openpyxl
import pytest

from warehouse.connection import open_connection


def write_xlsx(path: Path, rows: list[list], sheet: str = "실적", merges: tuple[str, ...] = ()) -> Path:
    """A real workbook written by openpyxl: one row per list, None for an empty cell."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for merge in merges:
        ws.merge_cells(merge)
    wb.save(path)
    return path


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


@pytest.fixture
def con(db_file: Path):
    connection = open_connection(db_file)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse, built once through the real loader (about 15 s)."""
    from etl.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(path, returns_dir=path.parent / "returns")
    return path
