"""`python -m etl verify` and the dashboard on a damaged warehouse: Korean lines, exit status, no traceback."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.upload import ROOT, seed_warehouse, texts
from warehouse.connection import connection

HEADERS = 3 * 4096  # DuckDB's file header and its two database headers; blocks follow


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def sound(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("verify")
    path = folder / "sound.duckdb"
    seed_warehouse(path, folder)
    return path


def copy(sound: Path, tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copyfile(sound, target)
    return target


def truncated(sound: Path, tmp_path: Path) -> Path:
    path = copy(sound, tmp_path, "truncated.duckdb")
    with open(path, "r+b") as fh:
        fh.truncate(HEADERS + 4096)
    return path


def overwritten(sound: Path, tmp_path: Path) -> Path:
    """Every block after the headers overwritten: each read fails its checksum."""
    path = copy(sound, tmp_path, "overwritten.duckdb")
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.seek(HEADERS)
        fh.write(b"\xde\xad" * ((size - HEADERS) // 2))
    return path


def assert_clean(done: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout


@pytest.mark.process
def test_a_sound_warehouse_passes(sound):
    done = cli("verify", "--db", str(sound))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "이상 없음" in done.stdout and "✗" not in done.stdout
    assert "계약 보기 10개가 답합니다" in done.stdout


@pytest.mark.process
@pytest.mark.parametrize("damage", [truncated, overwritten])
def test_a_damaged_file_fails_in_korean(sound, tmp_path, damage):
    path = damage(sound, tmp_path)
    before = path.read_bytes()
    done = cli("verify", "--db", str(path))
    assert done.returncode == 1
    assert_clean(done)
    assert "✗" in done.stdout and "문제가 있습니다" in done.stdout
    assert path.read_bytes() == before  # verify opens read-only and changes nothing
    # the other commands say so in one line too
    listed = cli("history", "--db", str(path))
    assert listed.returncode == 1
    assert_clean(listed)
    assert "python -m etl verify" in listed.stderr and len(listed.stderr.strip().splitlines()) == 1


@pytest.mark.process
def test_not_a_database_and_a_missing_file(tmp_path):
    text = tmp_path / "notes.duckdb"
    text.write_text("not a database")
    done = cli("verify", "--db", str(text))
    assert done.returncode == 1 and "DuckDB가 파일을 열지 못했습니다" in done.stdout
    assert_clean(done)
    missing = cli("verify", "--db", str(tmp_path / "none.duckdb"))
    assert missing.returncode == 1 and "웨어하우스 파일이 없습니다" in missing.stderr
    assert_clean(missing)


@pytest.mark.process
@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        ("UPDATE result_sums SET value = value + 1", "합계 표(result_sums)"),
        ("UPDATE result_rollup SET value = value + 1 WHERE gid = 3", "집계 표(result_rollup)"),
        ("DELETE FROM result_rollup WHERE gid = 7", "집계 표(result_rollup)"),
        ("UPDATE submission SET status = 'rolled_back'", "살아 있는 제출"),
        (
            "INSERT INTO fact_result SELECT * FROM fact_result WHERE is_current AND metric_code = 'firms_supported'",
            "현재 판이 둘 이상",
        ),
        ("UPDATE fact_result SET weight = 2 WHERE metric_code = 'firms_supported'", "만족도 가중치"),
        ("UPDATE fact_result SET value = 'inf'::DOUBLE WHERE metric_code = 'export_value'", "무한대"),
        ("DROP VIEW results_lineage", "답하지 않는 보기: results_lineage"),
    ],
)
def test_a_broken_rule_is_named(sound, tmp_path, breakage, message):
    path = copy(sound, tmp_path, "broken.duckdb")
    with connection(path) as con:
        con.execute(breakage)
    done = cli("verify", "--db", str(path))
    assert done.returncode == 1, done.stdout
    assert message in done.stdout, done.stdout
    assert_clean(done)


@pytest.mark.parametrize("damage", [truncated, overwritten])
def test_pages_show_a_korean_notice_instead_of_duckdbs_exception(sound, tmp_path, monkeypatch, damage):
    import streamlit as st

    path = damage(sound, tmp_path)
    damaged_bytes = path.read_bytes()
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    monkeypatch.setenv("DASHBOARD_ROLE", "admin")
    for page in ("views/summary.py", "views/history.py", "views/by_mission.py", "views/reference.py"):
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, at.exception)
        assert "웨어하우스를 읽을 수 없습니다" in texts(at.title)
        assert "python -m etl verify" in texts(at.markdown)
        assert str(path) not in texts([*at.error, *at.markdown])  # no server path
    # never opened for writing (the schema check opens read-only first): what is left is left as it was
    assert path.read_bytes() == damaged_bytes
    assert not Path(str(path) + ".wal").exists()
