"""The foundation: template, plain tables, versions (supersede, same file again, rollback), targets, CLI."""

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from etl import intake
from etl.problems import Refused
from etl.shape.normalise import Defaults
from etl.store.ledger import rollback
from etl.workbooks.template import DATA_SHEET, HEADER_ROW, write_template
from tests.support.returns import quarter_return
from tests.support.xlsx import write_xlsx
from warehouse.connection import connection

ROOT = Path(__file__).resolve().parents[2]


def results(con, where: str = "true") -> dict[tuple, float]:
    rows = con.execute(
        f"SELECT year, quarter, agency_code, mission_code, sector_code, program_code, metric_code, value "
        f"FROM results WHERE {where}"
    ).fetchall()
    return {tuple(r[:7]): r[7] for r in rows}


def fill_template(path: Path, rows: list[list], **cover) -> Path:
    write_template(path, **cover)
    wb = openpyxl.load_workbook(path)
    ws = wb[DATA_SHEET]
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c, value)
    wb.save(path)
    return path


def test_filled_template_loads_every_figure(con, tmp_path):
    path = fill_template(
        tmp_path / "mofa_2026q1.xlsx",
        [
            ["주베트남 대사관", "K-뷰티", "재외공관 협업 중소벤처기업 글로벌 진출사업", 12, 40, 3, 250.5],
            ["주호치민 총영사관", "바이오", "해외 비즈니스센터(GBC)", 5, None, 0],
        ],
        year=2026,
        quarter=1,
        agency="mofa",
    )
    loaded = intake.load(con, path, intake.Actor(None))
    assert loaded.result.rows == 6
    got = results(con)
    assert got[(2026, 1, "mofa", "VN-HAN", "kbeauty", "emb_collab", "export_value")] == 250.5
    assert got[(2026, 1, "mofa", "VN-HAN", "kbeauty", "emb_collab", "buyer_meetings")] == 40
    assert got[(2026, 1, "mofa", "VN-SGN", "bio", "gbc", "export_contracts")] == 0
    # An empty cell is "not reported", not zero.
    assert (2026, 1, "mofa", "VN-SGN", "bio", "gbc", "buyer_meetings") not in got
    lineage = con.execute(
        "SELECT source_sheet, source_cell, file_sha256 FROM results_lineage WHERE metric_code = 'export_value'"
    ).fetchall()
    assert lineage[0][:2] == (DATA_SHEET, f"G{HEADER_ROW + 1}")
    assert len(lineage[0][2]) == 64


def test_plain_wide_table_with_english_and_code_headers(con, tmp_path):
    path = write_xlsx(
        tmp_path / "koica.xlsx",
        [
            [
                "Year",
                "Quarter",
                "Agency",
                "mission_code",
                "Sector",
                "Program",
                "Firms supported",
                "export_value",
            ],
            [2025, "Q4", "KOICA", "KE-NBO", "green", "koica_cts", 7, 12.5],
            [2025, "Q4", "KOICA", "Embassy in Viet Nam", "ICT", "CTS", 3, None],
        ],
    )
    intake.load(con, path, intake.Actor(None))
    got = results(con)
    assert got[(2025, 4, "koica", "KE-NBO", "green", "koica_cts", "firms_supported")] == 7
    assert got[(2025, 4, "koica", "KE-NBO", "green", "koica_cts", "export_value")] == 12.5
    assert got[(2025, 4, "koica", "VN-HAN", "it", "koica_cts", "firms_supported")] == 3
    assert len(got) == 3


def test_long_table_with_period_in_title_and_agency_option(con, tmp_path):
    path = write_xlsx(
        tmp_path / "long.xlsx",
        [
            ["2026년 2/4분기 실적"],
            [],
            ["공관", "분야", "지표", "실적"],
            ["주일본 대사관", "K-뷰티", "수출계약액", "1,500"],
            ["일본", "K-뷰티", "지원기업 수", 20],
        ],
    )
    intake.load(con, path, intake.Actor(None), defaults=Defaults(agency="중진공", program="gbc"))
    got = results(con)
    assert got == {
        (2026, 2, "kosme", "JP-TYO", "kbeauty", "gbc", "export_value"): 1500.0,
        (2026, 2, "kosme", "JP-TYO", "kbeauty", "gbc", "firms_supported"): 20.0,
    }


def test_correction_replaces_only_its_slices_and_rollback_restores(con, tmp_path):
    first = quarter_return(
        tmp_path, "v1.xlsx", [["VN-HAN", "kbeauty", "emb_collab", 10], ["VN-SGN", "bio", "emb_collab", 4]]
    )
    second = quarter_return(
        tmp_path, "v2.xlsx", [["VN-HAN", "kbeauty", "emb_collab", 11], ["VN-HAN", "it", "emb_collab", 2]]
    )
    s1 = intake.load(con, first, intake.Actor(None)).result.submission_id
    s2 = intake.load(con, second, intake.Actor(None)).result
    assert s2.replaced == 1
    got = results(con)
    assert got == {
        (2026, 1, "mss", "VN-HAN", "kbeauty", "emb_collab", "firms_supported"): 11,
        (2026, 1, "mss", "VN-HAN", "it", "emb_collab", "firms_supported"): 2,
        (2026, 1, "mss", "VN-SGN", "bio", "emb_collab", "firms_supported"): 4,
    }
    statuses = dict(con.execute("SELECT submission_id, status FROM submissions").fetchall())
    assert statuses == {s1: "partly_superseded", s2.submission_id: "current"}
    # The earlier version stays for audit.
    assert con.execute("SELECT count(*) FROM fact_result").fetchall()[0][0] == 4

    rollback(con, s2.submission_id, by="tester")
    assert results(con) == {
        (2026, 1, "mss", "VN-HAN", "kbeauty", "emb_collab", "firms_supported"): 10,
        (2026, 1, "mss", "VN-SGN", "bio", "emb_collab", "firms_supported"): 4,
    }
    statuses = dict(con.execute("SELECT submission_id, status FROM submissions").fetchall())
    assert statuses == {s1: "current", s2.submission_id: "rolled_back"}


def test_same_file_again_changes_nothing(con, tmp_path):
    path = quarter_return(tmp_path, "q.xlsx", [["VN-HAN", "kbeauty", "emb_collab", 10]])
    first = intake.load(con, path, intake.Actor(None))
    before = con.execute("SELECT count(*) FROM fact_result").fetchall()[0][0]
    again = intake.load(con, path, intake.Actor(None))
    assert again.result.unchanged and again.result.duplicate_of == first.result.submission_id
    assert "변경 없음" in again.summary()
    assert con.execute("SELECT count(*) FROM fact_result").fetchall()[0][0] == before
    assert con.execute("SELECT count(*) FROM submission").fetchall()[0][0] == 1


def test_refused_file_leaves_warehouse_unchanged(con, tmp_path):
    good = quarter_return(tmp_path, "good.xlsx", [["VN-HAN", "kbeauty", "emb_collab", 10]])
    intake.load(con, good, intake.Actor(None))
    bad = quarter_return(
        tmp_path, "bad.xlsx", [["VN-HAN", "kbeauty", "emb_collab", 99], ["화성", "bio", "gbc", 1]]
    )
    with pytest.raises(Refused) as caught:
        intake.load(con, bad, intake.Actor(None))
    assert any("화성" in p.message_ko and p.where == "실적!D3" for p in caught.value.problems)
    assert results(con) == {(2026, 1, "mss", "VN-HAN", "kbeauty", "emb_collab", "firms_supported"): 10}


def test_targets_replace_their_years_and_roll_back(con, tmp_path):
    header = ["연도", "지표", "분야", "공관", "주관기관", "목표"]
    v1 = write_xlsx(
        tmp_path / "t1.xlsx",
        [header, [2026, "지원기업 수", "", "", "", 500], [2026, "수출계약액", "K-뷰티", "", "", 900]],
    )
    v2 = write_xlsx(tmp_path / "t2.xlsx", [header, [2026, "firms_supported", "전체", "VN-HAN", "", 40]])
    first = intake.load(con, v1, intake.Actor(None), kind="targets")
    assert sorted(con.execute("SELECT * FROM targets").fetchall(), key=str) == sorted(
        [
            (2026, "firms_supported", None, None, None, 500.0),
            (2026, "export_value", "kbeauty", None, None, 900.0),
        ],
        key=str,
    )
    second = intake.load(con, v2, intake.Actor(None), kind="targets")
    assert con.execute("SELECT * FROM targets").fetchall() == [
        (2026, "firms_supported", None, "VN-HAN", None, 40.0)
    ]
    rollback(con, second.submission_id)
    assert len(con.execute("SELECT * FROM targets").fetchall()) == 2
    assert first.submission_id < second.submission_id


def run_cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl", *args, "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.process
def test_cli_load_history_rollback(db_file, tmp_path):
    good = quarter_return(tmp_path, "good.xlsx", [["VN-HAN", "kbeauty", "emb_collab", 10]])
    bad = quarter_return(tmp_path, "bad.xlsx", [["VN-HAN", "kbeauty", "emb_collab", -3]])
    done = run_cli("load", str(good), db=db_file)
    assert done.returncode == 0, done.stderr
    assert "제출 #1 적재" in done.stdout.strip().splitlines()[-1]
    refused = run_cli("load", str(bad), db=db_file)
    assert refused.returncode == 1
    assert "실적!G2" in refused.stderr and "음수" in refused.stderr
    listed = run_cli("history", db=db_file)
    assert "good.xlsx" in listed.stdout and "bad.xlsx" not in listed.stdout
    undone = run_cli("rollback", "1", db=db_file)
    assert undone.returncode == 0 and "취소" in undone.stdout
    again = run_cli("rollback", "1", db=db_file)
    assert again.returncode == 1


@pytest.mark.process
def test_cli_template_is_loadable_when_filled(tmp_path, db_file):
    out = tmp_path / "양식.xlsx"
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "template",
            "--out",
            str(out),
            "--year",
            "2026",
            "--quarter",
            "3",
            "--agency",
            "kised",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    wb = openpyxl.load_workbook(out)
    ws = wb[DATA_SHEET]
    assert ws.freeze_panes == f"D{HEADER_ROW + 1}"
    starts = {str(dv.sqref).split(":")[0] for dv in ws.data_validations.dataValidation}
    assert {"A6", "B6", "C6", "B3"} <= starts
    ws.cell(HEADER_ROW + 1, 1, "주싱가포르 대사관")
    ws.cell(HEADER_ROW + 1, 2, "IT")
    ws.cell(HEADER_ROW + 1, 3, "K-스타트업 글로벌 네트워킹")
    ws.cell(HEADER_ROW + 1, 4, 8)
    wb.save(out)
    loaded = run_cli("load", str(out), db=db_file)
    assert loaded.returncode == 0, loaded.stderr
    import duckdb

    with duckdb.connect(str(db_file), read_only=True) as con:
        assert con.execute("SELECT * FROM results").fetchall() == [
            (2026, 3, "kised", "SG-SIN", "it", "kstartup_net", "firms_supported", 8.0)
        ]


def test_demo_warehouse(demo_db):
    import duckdb

    with duckdb.connect(str(demo_db), read_only=True) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'demo'").fetchall() == [("true",)]
        periods = con.execute(
            "SELECT min(year * 10 + quarter), max(year * 10 + quarter) FROM results"
        ).fetchall()[0]
        assert periods == (20241, 20263)
        assert con.execute("SELECT count(DISTINCT agency_code) FROM results").fetchall()[0][0] == 5
        assert con.execute("SELECT count(DISTINCT mission_code) FROM results").fetchall()[0][0] == 40
        # Some missions are missing a quarter, as in real life.
        missing = con.execute("""
            SELECT count(*) FROM (SELECT DISTINCT mission_code FROM results WHERE agency_code = 'mofa') AS m
            WHERE mission_code NOT IN (SELECT mission_code FROM results
                                       WHERE agency_code = 'mofa' AND year = 2026 AND quarter = 3)
        """).fetchall()[0][0]
        assert missing == 2
        assert {r[0] for r in con.execute("SELECT DISTINCT year FROM targets").fetchall()} == {2025, 2026}


# --- non-finite and implausible targets; a replacement that withdraws most of a year (#26 item 2) -----

TARGET_HEADER = ["연도", "지표", "분야", "공관", "주관기관", "목표"]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "Infinity", "1e308", "ＮａＮ", "ｉｎｆ", 1e308, 2e8])
def test_a_non_finite_or_implausible_target_is_refused_naming_its_cell(con, tmp_path, value):
    from etl.problems import Refused
    from tests.support.state import snapshot

    path = write_xlsx(
        tmp_path / "t.xlsx",
        [TARGET_HEADER, [2026, "수출계약액", "", "", "", 900], [2026, "지원기업 수", "", "", "", value]],
    )
    before = snapshot(con)
    with pytest.raises(Refused) as caught:
        intake.load(con, path, intake.Actor(None), kind="targets")
    errors = [p for p in caught.value.problems if p.severity == "error"]
    assert [p.where for p in errors] == ["실적!F3"], errors
    assert snapshot(con) == before


@pytest.mark.process
def test_verify_flags_a_stored_non_finite_target(con, db_file, tmp_path):
    header = TARGET_HEADER
    intake.load(
        con,
        write_xlsx(tmp_path / "t.xlsx", [header, [2026, "지원기업 수", "", "", "", 500]]),
        intake.Actor(None),
        kind="targets",
    )
    con.execute("UPDATE fact_target SET value = 'inf'::DOUBLE")
    con.close()
    done = run_cli("verify", db=db_file)
    assert done.returncode == 1, done.stdout
    assert "목표" in done.stdout and "무한대" in done.stdout, done.stdout


def _five_targets(tmp_path: Path) -> Path:
    metrics = ["지원기업 수", "수출계약액", "바이어 상담", "MOU 체결", "투자유치액"]
    return write_xlsx(
        tmp_path / "five.xlsx",
        [TARGET_HEADER, *[[2026, m, "", "", "", 100 + i] for i, m in enumerate(metrics)]],
    )


@pytest.mark.process
def test_the_cli_asks_for_replace_before_withdrawing_most_of_a_years_targets(con, db_file, tmp_path):
    intake.load(con, _five_targets(tmp_path), intake.Actor(None), kind="targets")
    con.close()
    two = write_xlsx(
        tmp_path / "two.xlsx",
        [TARGET_HEADER, [2026, "지원기업 수", "", "", "", 1], [2026, "수출계약액", "", "", "", 2]],
    )
    refused = run_cli("targets", str(two), db=db_file)
    assert refused.returncode == 1, refused.stdout
    assert "2026년" in refused.stderr and "5건 중 3건" in refused.stderr and "--replace" in refused.stderr
    with connection(db_file, read_only=True) as ro:
        assert ro.execute("SELECT count(*) FROM targets").fetchone()[0] == 5
    done = run_cli("targets", str(two), "--replace", db=db_file)
    assert done.returncode == 0, done.stderr
    assert "5건 중 3건" in done.stdout  # said, then done
    with connection(db_file, read_only=True) as ro:
        assert ro.execute("SELECT count(*) FROM targets").fetchone()[0] == 2
    # withdrawing fewer than half needs nothing more
    four = write_xlsx(
        tmp_path / "four.xlsx",
        [TARGET_HEADER, *[[2026, m, "", "", "", 7] for m in ["지원기업 수", "수출계약액"]]],
    )
    assert run_cli("targets", str(four), db=db_file).returncode == 0
