"""Files the loader must refuse whole: every problem listed by cell, in Korean with English, and
the warehouse exactly as it was. Each case is a real file on disk."""

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from etl import intake
from etl.problems import Refused
from etl.read.safety import Limits
from etl.returns.prepare import prepare
from etl.shape.period import current_quarter
from tests.support.returns import COVER, GOOD, HEADER, TITLE, wide
from tests.support.state import snapshot
from tests.support.xlsx import Rows, ole2, oversized, truncated, workbook, write_xlsx, zip_bomb
from warehouse.connection import open_connection

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = "재외공관 협업 중소벤처기업 글로벌 진출사업"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """A warehouse holding one good return; refused files must leave it exactly so."""
    tmp = tmp_path_factory.mktemp("bad")
    con = open_connection(tmp / "w.duckdb")
    intake.load(con, write_xlsx(tmp / "good.xlsx", GOOD), intake.Actor(None))
    yield con
    con.close()


@pytest.fixture(scope="module")
def good_file(tmp_path_factory) -> Path:
    return write_xlsx(tmp_path_factory.mktemp("src") / "source.xlsx", GOOD)


def _next_quarter() -> tuple[int, int]:
    year, quarter = current_quarter(date.today())
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


@dataclass
class Case:
    id: str
    build: Callable[[Path, Path], Path]  # (tmp dir, a good source file) → the bad file
    expect: list[tuple[str, str]]  # (where, words in the Korean message)


def _csv(tmp: Path, _: Path) -> Path:
    path = tmp / "renamed.xlsx"
    path.write_text("공관,분야,지원기업 수\n주베트남 대사관,K-뷰티,12\n", encoding="utf-8")
    return path


def _wide(rows: Rows, **kw) -> Callable[[Path, Path], Path]:
    return lambda tmp, _: write_xlsx(tmp / "return.xlsx", wide(rows, **kw))


def _long(rows: Rows, **kw) -> Callable[[Path, Path], Path]:
    return lambda tmp, _: write_xlsx(
        tmp / "return.xlsx", wide(rows, header=["공관", "분야", "지표", "실적", "단위"], **kw)
    )


FUTURE = _next_quarter()

CASES = [
    Case("renamed-csv", _csv, [("-", "CSV")]),
    Case("old-xls", lambda tmp, _: ole2(tmp / "old.xlsx", "Workbook"), [("-", "예전 Excel 형식(.xls")]),
    Case(
        "password",
        lambda tmp, _: ole2(tmp / "locked.xlsx", "EncryptionInfo"),
        [("-", "암호가 설정된 파일")],
    ),
    Case("corrupt-zip", lambda tmp, src: truncated(src, tmp / "cut.xlsx"), [("-", "손상")]),
    Case(
        "empty-workbook", lambda tmp, _: workbook(tmp / "empty.xlsx", {"Sheet1": []}), [("-", "빈 통합문서")]
    ),
    Case(
        "no-header",
        lambda tmp, _: write_xlsx(tmp / "memo.xlsx", [["회의 메모"], ["다음 회의", "12월 3일"], [1, 2, 3]]),
        [("-", "머리글")],
    ),
    Case(
        "missing-mission",
        _wide([["주베트남 대사관", "K-뷰티", PROGRAM, 12], [None, "바이오", PROGRAM, 5]]),
        [("실적!A6", "공관이 비어 있습니다")],
    ),
    Case(
        "missing-sector-column",
        _wide([["주베트남 대사관", 12]], header=["공관", "지원기업 수"]),
        [("실적!4:4", "분야 정보가 없습니다")],
    ),
    Case(
        "missing-metric",
        _long(
            [
                ["주베트남 대사관", "K-뷰티", "지원기업 수", 12, "개사"],
                ["주베트남 대사관", "K-뷰티", None, 7, "건"],
            ]
        ),
        [("실적!C6", "지표가 비어 있습니다")],
    ),
    Case(
        "unknown-mission",
        _wide([["주아틀란티스 대사관", "K-뷰티", PROGRAM, 12]]),
        [("실적!A5", "알 수 없는 공관입니다: '주아틀란티스 대사관'")],
    ),
    Case(
        "unknown-sector",
        _wide([["주베트남 대사관", "우주항공", PROGRAM, 12]]),
        [("실적!B5", "알 수 없는 분야입니다: '우주항공'")],
    ),
    Case(
        "text-in-number",
        _wide([["주베트남 대사관", "K-뷰티", PROGRAM, "약 12개"]]),
        [("실적!D5", "숫자가 아닌 값입니다: '약 12개' (지원기업 수)")],
    ),
    Case(
        "negative-count",
        _wide([["주베트남 대사관", "K-뷰티", PROGRAM, 12, -3]]),
        [("실적!E5", "음수는 입력할 수 없습니다: -3 (바이어 상담)")],
    ),
    Case(
        "satisfaction-over-100",
        _wide([["주베트남 대사관", "K-뷰티", PROGRAM, 12, 40, 250, 120]]),
        [("실적!G5", "만족도는 0~100점이어야 합니다: 120")],
    ),
    Case(
        "missing-period",
        _wide([["주베트남 대사관", "K-뷰티", PROGRAM, 12]], title="재외공관 협업사업 실적"),
        [("실적!4:4", "보고 기간(연도·분기) 정보가 없습니다")],
    ),
    Case(
        "period-title-vs-cover",
        lambda tmp, _: write_xlsx(
            tmp / "r.xlsx",
            [[TITLE], [COVER, None, "분기", 2], [], HEADER, ["주베트남 대사관", "K-뷰티", PROGRAM, 12]],
        ),
        [("실적!D2", "보고 기간이 서로 다릅니다")],
    ),
    Case(
        "period-title-vs-columns",
        _wide(
            [[2026, 1, "주베트남 대사관", "K-뷰티", 12], [2026, 2, "주호치민 총영사관", "바이오", 5]],
            header=["연도", "분기", "공관", "분야", "지원기업 수"],
        ),
        [
            (
                "실적!B6",
                "보고 기간이 서로 다릅니다: 제목·표지(실적!A1)에는 2026년 1분기, 이 행에는 2026년 2분기로",
            )
        ],
    ),
    Case(
        "future-quarter",
        _wide([["주베트남 대사관", "K-뷰티", PROGRAM, 12]], title=f"{FUTURE[0]}년 {FUTURE[1]}분기 실적"),
        [("실적!A1", "아직 시작되지 않은 분기")],
    ),
    Case(
        "duplicate-row",
        _wide([["주베트남 대사관", "K-뷰티", PROGRAM, 12, 40], ["주베트남대사관", "화장품", PROGRAM, 3, 4]]),
        [("실적!D5", "같은 공관·분야·사업·지표의 실적이 두 번 이상")],
    ),
    Case(
        "duplicate-across-sheets",
        lambda tmp, _: workbook(
            tmp / "two.xlsx",
            {
                "1월": wide([["주베트남 대사관", "K-뷰티", PROGRAM, 12]]),
                "2월": wide([["베트남", "K-Beauty", PROGRAM, 3]]),
            },
        ),
        [("1월!D5", "같은 공관·분야·사업·지표의 실적이 두 번 이상")],
    ),
    Case(
        "won-in-header",
        _wide(
            [["주베트남 대사관", "K-뷰티", 12, 3500000]],
            header=["공관", "분야", "지원기업 수", "수출계약액(천원)"],
        ),
        [("실적!D4", "원화 금액은 받을 수 없습니다")],
    ),
    Case(
        "won-in-unit-column",
        _long([["주베트남 대사관", "K-뷰티", "수출계약액", 3500000, "원"]]),
        [("실적!E5", "원화 금액은 받을 수 없습니다")],
    ),
    Case(
        "won-in-unit-note",
        lambda tmp, _: write_xlsx(
            tmp / "r.xlsx",
            [
                [TITLE],
                ["(단위: 개사, 백만원)"],
                [COVER],
                ["공관", "분야", "수출계약액"],
                ["베트남", "IT", 35],
            ],
        ),
        [("실적!A2", "원화 금액은 받을 수 없습니다 ('(단위: 개사, 백만원)')")],
    ),
    Case(
        "cumulative-falls-in-file",
        lambda tmp, _: write_xlsx(
            tmp / "ytd.xlsx",
            [
                ["연도", "분기", "기준", "주관기관", "공관", "분야", "지원기업 수"],
                [2026, 1, "누계", "외교부", "주케냐 대사관", "친환경", 10],
                [2026, 2, "누계", "외교부", "주케냐 대사관", "친환경", 8],
            ],
        ),
        [("실적!G3", "누계가 줄었습니다")],
    ),
    Case(
        "over-size-limit",
        lambda tmp, src: oversized(src, tmp / "huge.xlsx", 51 * 1024**2),
        [("-", "파일이 너무 큽니다: 51.0 MB (한도 50.0 MB)")],
    ),
    Case(
        "formula-without-value",
        _wide(
            [
                ["주베트남 대사관", "K-뷰티", PROGRAM, 12, 40],
                ["주호치민 총영사관", "바이오", PROGRAM, "=D5*2", 8],
            ]
        ),
        [("실적!D6", "수식의 계산 결과가 저장되어 있지 않아")],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_refused_whole_with_cell_and_warehouse_unchanged(warehouse, good_file, tmp_path, case):
    before = snapshot(warehouse)
    path = case.build(tmp_path, good_file)
    with pytest.raises(Refused) as caught:
        intake.load(warehouse, path, intake.Actor(None))
    problems = caught.value.problems
    for where, words in case.expect:
        assert any(p.where == where and words in p.message_ko for p in problems), (
            f"expected {where} {words!r} in:\n{caught.value.report()}"
        )
    for p in problems:
        assert p.message_ko and p.message_en and p.fix_ko and p.fix_en, p
    assert snapshot(warehouse) == before


def test_zip_bomb_refused_on_its_declared_sizes_without_inflating(warehouse, good_file, tmp_path):
    before = snapshot(warehouse)
    # A bomb's headers over random bytes, which no inflater gets through: refused as a bomb, not as
    # a damaged file, so the refusal came before anything was inflated.
    unreadable = zip_bomb(good_file, tmp_path / "unreadable.xlsx", garbage=True)
    with pytest.raises(Refused) as caught:
        intake.load(warehouse, unreadable, intake.Actor(None))
    refusal = [p.message_ko for p in caught.value.problems]
    assert "압축을 풀면 비정상적으로 커지는" in refusal[0]
    # The real bomb with the same headers: refused the same way.
    bomb = zip_bomb(good_file, tmp_path / "bomb.xlsx")  # 2 GiB of zeros in a ~2 MB file
    assert bomb.stat().st_size < 5 * 1024**2
    with pytest.raises(Refused) as caught:
        intake.load(warehouse, bomb, intake.Actor(None))
    assert [p.message_ko for p in caught.value.problems] == refusal
    assert snapshot(warehouse) == before


def test_zip_bomb_in_disguise_stops_at_its_declared_size(warehouse, good_file, tmp_path):
    # Its headers claim 100 kB for a 300 MB sheet: caught while inflating, before fastexcel reads it.
    bomb = zip_bomb(good_file, tmp_path / "liar.xlsx", sheet_bytes=300 * 1024**2, declare=100_000)
    with pytest.raises(Refused) as caught:
        intake.load(warehouse, bomb, intake.Actor(None))
    assert "표시된 크기보다 크게 풀려" in caught.value.problems[0].message_ko


def test_size_limit_is_a_parameter(good_file):
    with pytest.raises(Refused) as caught:
        prepare(good_file, limits=Limits(max_file_bytes=1000))
    assert "파일이 너무 큽니다" in caught.value.problems[0].message_ko


def test_every_problem_is_listed_not_just_the_first(warehouse, tmp_path):
    path = write_xlsx(
        tmp_path / "many.xlsx",
        wide(
            [
                ["주베트남 대사관", "K-뷰티", PROGRAM, -1, "many", 100, 101],
                ["화성 기지", "우주", PROGRAM, 2.5, 3, 4, 50],
                [None, "IT", PROGRAM, 1, 2, 3, 60],
            ]
        ),
    )
    with pytest.raises(Refused) as caught:
        intake.load(warehouse, path, intake.Actor(None))
    where = {p.where for p in caught.value.problems}
    assert {"실적!D5", "실적!E5", "실적!G5", "실적!A6", "실적!B6", "실적!D6", "실적!A7"} <= where
    report = caught.value.report()
    assert report.splitlines()[0] == "many.xlsx: 적재 거부 — 문제 7건 / refused, 7 problem(s)"


@pytest.mark.process
def test_cli_exits_non_zero_with_the_problems_on_stderr(tmp_path):
    bad = write_xlsx(tmp_path / "bad.xlsx", wide([["주베트남 대사관", "K-뷰티", PROGRAM, "열둘"]]))
    locked = ole2(tmp_path / "locked.xlsx", "EncryptionInfo")
    done = subprocess.run(
        [sys.executable, "-m", "etl", "load", str(bad), str(locked), "--db", str(tmp_path / "cli.duckdb")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "bad.xlsx: 적재 거부" in done.stderr and "[실적!D5] 숫자가 아닌 값입니다: '열둘'" in done.stderr
    assert "locked.xlsx: 적재 거부" in done.stderr and "암호가 설정된 파일" in done.stderr


def test_cumulative_below_what_is_stored_is_refused(con, tmp_path):
    def ytd(quarter: int, firms: int, basis: str) -> Path:
        return write_xlsx(
            tmp_path / f"q{quarter}.xlsx",
            [
                [f"2026년 {quarter}분기 실적 ({basis})"],
                [COVER],
                ["공관", "분야", "지원기업 수"],
                ["주케냐 대사관", "IT", firms],
            ],
        )

    intake.load(con, ytd(1, 10, "분기 실적"), intake.Actor(None))
    before = snapshot(con)
    with pytest.raises(Refused) as caught:
        intake.load(con, ytd(2, 8, "누계"), intake.Actor(None))
    [problem] = caught.value.problems
    assert problem.where == "실적!C4"
    assert problem.message_ko == (
        "누계가 줄었습니다: 2026년 2분기까지의 지원기업 수 누계 8이 이전 분기까지의 합계 10보다 작습니다."
    )
    assert snapshot(con) == before


def test_the_same_metric_in_two_columns_is_refused(warehouse, tmp_path):
    path = write_xlsx(
        tmp_path / "twice.xlsx",
        wide(
            [["주베트남 대사관", "K-뷰티", 3, 4]],
            header=["공관", "분야", "지원기업 수", "참여기업 수"],
        ),
    )
    with pytest.raises(Refused) as caught:
        intake.load(warehouse, path, intake.Actor(None))
    [problem] = caught.value.problems
    assert (
        problem.where == "실적!D4"
        and "같은 지표(지원기업 수)의 열이 두 개 있습니다: C4 열과 이 열" in problem.message_ko
    )
