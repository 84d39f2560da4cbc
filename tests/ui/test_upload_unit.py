"""The parts behind the upload page, without Streamlit: annotation, preview and diff, template rows, targets."""

import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from etl.problems import Problem, Refused, problem
from etl.returns.prepare import prepare
from etl.returns.preview import outside_scope, preview, problems_frame, rollback_impact
from etl.shape.normalise import Defaults
from etl.store.ledger import commit
from etl.workbooks.annotate import SUMMARY_SHEET, annotate, locate
from etl.workbooks.prefill import template_bytes, template_rows
from etl.workbooks.targets_file import check_targets, targets_diff, targets_workbook
from tests.support.upload import PROGRAM, bad_return, filled_return, good_return, seed_warehouse
from tests.support.xlsx import write_xlsx
from warehouse.connection import connection


def refused(path: Path) -> Refused:
    with pytest.raises(Refused) as info:
        prepare(path)
    return info.value


def test_annotated_workbook_marks_each_problem_cell_red_with_a_korean_comment(tmp_path):
    bad_return(tmp_path)
    exc = refused(tmp_path / "bad.xlsx")
    wb = load_workbook(io.BytesIO(annotate(tmp_path / "bad.xlsx", exc.problems)))
    ws = wb["실적"]
    for ref in ("E6", "G6", "A7"):
        cell = ws[ref]
        assert cell.fill.fgColor.rgb.endswith("FFC7CE"), ref
        assert cell.comment is not None and "고치는 방법" in cell.comment.text, ref
    assert "음수" in ws["E6"].comment.text
    assert ws["D6"].comment is None and ws["D6"].fill.fgColor.rgb in ("00000000", None)
    assert ws["E6"].value == -4  # the analyst's own values are kept
    summary = wb[SUMMARY_SHEET]
    assert wb.sheetnames[0] == SUMMARY_SHEET
    cells = [summary.cell(r, 4).value for r in range(4, summary.max_row + 1)]
    assert sorted(cells) == ["A7", "E6", "G6"]
    assert summary.cell(4, 4).hyperlink is not None


def test_annotation_follows_the_table_wherever_it_starts_and_keeps_formula_text_as_text(tmp_path):
    path = write_xlsx(
        tmp_path / "offset.xlsx",
        [
            ["2026년 2분기 실적 (보고기관: 외교부)"],
            [],
            [None, None, "공관", "분야", "지원기업 수"],
            [None, None, "=cmd|'/c calc'!A1", "K-뷰티", 3],
            [None, None, "주베트남 대사관", "K-뷰티", "많음"],
        ],
    )
    exc = refused(path)
    where = {p.where for p in exc.problems}
    assert "실적!E5" in where
    wb = load_workbook(io.BytesIO(annotate(path, exc.problems)))
    assert wb["실적"]["E5"].comment is not None  # the very cell, though the table starts at C3
    summary = wb[SUMMARY_SHEET]
    for row in summary.iter_rows(min_row=4):
        for cell in row:
            assert cell.data_type != "f"  # quoted return text never becomes a formula


def test_locate_reads_the_cell_from_where_when_fields_are_missing():
    assert locate(Problem("실적!D8", "m", "m", sheet="실적", row=8)) == ("실적", 8, 3)
    assert locate(Problem("목표!F2", "m", "m")) == ("목표", 2, 5)
    assert locate(problem(None, None, None, "m", "m")) == (None, None, None)


def test_problems_frame_has_sheet_cell_message_and_fix():
    df = problems_frame([problem("실적", 6, 4, "음수", "negative", "0 이상", "0 or more")])
    assert df.iloc[0][["sheet", "cell", "message_ko", "fix_en"]].tolist() == [
        "실적",
        "E6",
        "음수",
        "0 or more",
    ]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    seed_warehouse(path, tmp_path)
    return path


def test_preview_compares_with_the_stored_slices(db, tmp_path):
    with connection(db) as con:
        commit(con, prepare_good(tmp_path, "first.xlsx"), "a")
    # The correction: VN-HAN firms 12 → 15, its export value left out; VN-SGN unchanged; a new mission.
    path = tmp_path / "fix.xlsx"
    filled_return(
        path,
        [
            ["주베트남 대사관", "K-뷰티", PROGRAM, 15, 40, 3, None],
            ["주호치민 총영사관", "바이오", PROGRAM, 5, 8, 0, 0],
            ["주케냐 대사관", "친환경", PROGRAM, 2, None, None, None],
        ],
        year=2026,
        quarter=2,
        agency="mofa",
    )
    with connection(db, read_only=True) as con:
        pv = preview(prepare(path), con)
    status = dict(zip(pv.slice_changes["mission_code"], pv.slice_changes["status"], strict=True))
    assert status == {"VN-HAN": "replace", "VN-SGN": "same", "KE-NBO": "new"}
    han = pv.slice_changes.set_index("mission_code").loc["VN-HAN"]
    assert (han["changed"], han["removed"], han["unchanged"]) == (1, 1, 2)
    changes = pv.metric_changes.set_index(["mission_code", "metric_code"])
    assert changes.loc[("VN-HAN", "firms_supported"), "change"] == 3
    assert pd.isna(changes.loc[("VN-HAN", "export_value"), "incoming"])  # would disappear
    assert pv.totals.set_index("metric_code").loc["firms_supported", "value"] == 22
    assert pv.duplicate_of is None and pv.changes_anything
    assert pv.layouts.iloc[0]["kind"] == "wide"
    rows = pv.by_mission_sector.set_index("mission_code")
    assert rows.loc["KE-NBO", "rows"] == 1 and rows.loc["KE-NBO", "figures"] == 1


def prepare_good(tmp: Path, name: str):
    good_return(tmp, name=name)
    return prepare(tmp / name)


def test_preview_without_a_warehouse_calls_everything_new(tmp_path):
    pv = preview(prepare_good(tmp_path, "g.xlsx"), None)
    assert set(pv.slice_changes["status"]) == {"new"}
    assert pv.figures == 8


def test_preview_weights_satisfaction_by_firms_of_the_same_row(tmp_path):
    path = write_xlsx(
        tmp_path / "sat.xlsx",
        [
            ["연도", "분기", "주관기관", "공관", "분야", "지원기업 수", "참여기업 만족도"],
            [2026, 1, "mss", "VN-HAN", "kbeauty", 30, 90],
            [2026, 1, "mss", "VN-SGN", "kbeauty", 10, 70],
        ],
    )
    pv = preview(prepare(path), None)
    assert pv.totals.set_index("metric_code").loc["satisfaction", "value"] == pytest.approx(85.0)


def test_preview_converts_cumulative_returns_like_commit_does(db, tmp_path):
    # Year-to-date through Q2 for the seed's row (Q1 firms 10): the quarter's increment is 25 - 10.
    path = write_xlsx(
        tmp_path / "ytd.xlsx",
        [
            ["연도", "분기", "주관기관", "공관", "분야", "사업", "지원기업 수"],
            [2026, 2, "mofa", "VN-HAN", "kbeauty", "emb_collab", 25],
        ],
    )
    prepared = prepare(path, Defaults(basis="cumulative"))  # as the page's 기준 choice gives it
    assert prepared.basis == "cumulative"
    with connection(db, read_only=True) as con:
        pv = preview(prepared, con)
    assert pv.totals.set_index("metric_code").loc["firms_supported", "value"] == 15
    assert pv.notes


def test_outside_scope_names_every_other_agency(tmp_path):
    prepared = prepare_good(tmp_path, "g.xlsx")
    assert outside_scope(prepared, "mofa") == []
    assert outside_scope(prepared, None) == []
    refused = outside_scope(prepared, "kosme")
    assert len(refused) == 1
    assert "외교부" in refused[0].message_ko and "중진공" in refused[0].message_ko
    assert "(mofa)" not in refused[0].message_ko and "(kosme)" not in refused[0].message_ko
    shown = problems_frame(refused).iloc[0]
    # the template states the agency in its cover row (보고기관, row 3)
    assert shown["sheet"] == "실적" and shown["cell"].endswith("3"), shown.to_dict()


def test_outside_scope_points_at_the_agency_column_of_the_first_row(tmp_path):
    path = write_xlsx(
        tmp_path / "two.xlsx",
        [
            ["연도", "분기", "주관기관", "공관", "분야", "지원기업 수"],
            [2026, 1, "중기부", "주베트남 대사관", "K-뷰티", 3],
            [2026, 1, "중진공", "주베트남 대사관", "바이오", 4],
            [2026, 1, "중진공", "주프랑스 대사관", "바이오", 5],
        ],
    )
    refused = outside_scope(prepare(path), "mss")
    assert [p.message_ko.split(")")[0] for p in refused] == ["다른 기관(중진공"]
    assert "2개 행" in refused[0].message_ko
    shown = problems_frame(refused).iloc[0]
    assert (shown["sheet"], shown["cell"]) == ("실적", "C3")


def test_rollback_impact_counts_what_comes_back(db, tmp_path):
    with connection(db) as con:
        first = commit(con, prepare_good(tmp_path, "a.xlsx"), "a").submission_id
        good_return(tmp_path, firms=20, name="b.xlsx")
        second = commit(con, prepare(tmp_path / "b.xlsx"), "b").submission_id
    with connection(db, read_only=True) as con:
        impact = rollback_impact(con, second)
        assert (impact["current_figures"], impact["slices"], impact["restored_slices"]) == (8, 2, 2)
        assert (impact["restored_figures"], impact["rederived"], impact["figures"]) == (8, 0, 16)
        assert impact["refused"] is None
        assert rollback_impact(con, first)["current_figures"] == 0


def test_template_rows_come_from_the_agencys_latest_quarter_or_the_chosen_missions(db, tmp_path):
    with connection(db) as con:
        commit(con, prepare_good(tmp_path, "g.xlsx"), "a")
    with connection(db, read_only=True) as con:
        latest = template_rows(con, "mofa")
        chosen = template_rows(con, "mofa", ["VN-SGN", "KE-NBO"])
    assert latest == [("주베트남 대사관", "K-뷰티", PROGRAM), ("주호치민 총영사관", "바이오", PROGRAM)]
    assert chosen[0] == ("주호치민 총영사관", "바이오", PROGRAM)
    assert [r[1] for r in chosen[1:]] == ["K-뷰티", "바이오", "IT", "친환경"]  # no history: main sectors
    data = template_bytes(year=2026, quarter=2, agency="mofa", rows=latest)
    ws = load_workbook(io.BytesIO(data))["실적"]
    assert (ws["A6"].value, ws["A7"].value) == ("주베트남 대사관", "주호치민 총영사관")
    assert (ws["D3"].value, ws["F3"].value) == (2026, 2)


def test_targets_round_trip_and_diff():
    current = pd.DataFrame(
        {
            "year": [2026, 2026],
            "metric_code": ["firms_supported", "export_value"],
            "sector_code": [None, "kbeauty"],
            "mission_code": [None, None],
            "agency_code": [None, None],
            "value": [400.0, 5000.0],
        }
    )
    data = targets_workbook(current)
    back = check_targets(data, "t.xlsx")
    assert (
        back.sort_values("metric_code")
        .reset_index(drop=True)
        .equals(current.sort_values("metric_code").reset_index(drop=True))
    )
    edited = pd.concat(
        [current.iloc[[0]].assign(value=450.0), current.iloc[[0]].assign(agency_code="mss", value=90.0)]
    )
    diff = targets_diff(current, edited).set_index(["metric_code", "sector_code", "agency_code"], drop=False)
    assert sorted(diff["status"]) == ["changed", "new", "removed"]
    with pytest.raises(Refused) as info:
        check_targets(targets_workbook(current.assign(value=[-1.0, 5.0])), "bad.xlsx")
    assert info.value.problems[0].where == "목표!F2"


def test_progress_moves_while_a_stage_runs_and_ends_at_the_stage_end():
    import threading

    from ui.upload_helpers import run_stage

    moved = threading.Event()

    class Bar:
        def __init__(self):
            self.values: list[float] = []

        def progress(self, value, text=""):
            self.values.append(value)
            if len(self.values) == 4:  # the start and three moves
                moved.set()

    def work() -> int:
        # Ends once the bar has moved three times while it ran, however slow the machine; if the
        # bar does not move, it gives up after a minute and returns nothing.
        return 42 if moved.wait(timeout=60) else None

    bar = Bar()
    assert run_stage(bar, work, start=0.1, end=0.6, label="x", expected=1.0) == 42
    assert bar.values[0] == 0.1 and bar.values[-1] == 0.6
    assert bar.values == sorted(bar.values) and max(bar.values[:-1]) < 0.6
    with pytest.raises(ValueError):
        run_stage(bar, lambda: int("x"), start=0, end=1, label="x", expected=1)
