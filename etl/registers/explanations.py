"""Explanations (사유·대책): why a target is missed in a closed quarter, and what the agency will do.

Two ways in, one declaration of columns (data/ref/explanation_columns.csv):
- a register file (`python -m etl explanations FILE`): 연도, 분기, 지표, 분야, 공관, 기관 (optional;
  empty = all), 원인, 대책, 회복 예상 분기 — written by an administrator, so any owner;
- the optional sheet 사유 of a quarterly return (지표, 분야, 공관, 원인, 대책, 회복 예상 분기): the quarter
  is the one stated above the header ('대상 분기: 2026년 3분기', as the official template writes it),
  else the return's own (its latest when it covers several); the target is the return's agency's
  (or, for MSS, one naming no agency), and the explanation is owned by that agency. It is checked
  with the return and stored in the return's transaction, under the return's submission (so rolling
  the return back takes its explanations back too).

Checked against the warehouse when stored (the file is read before the warehouse is opened): the
quarter is closed, the target exists, the owner is the writer's agency (for a return), the
recovery quarter is not before the quarter explained. Whether a target is on track is a metrics
question: the caller may pass `status_of(year, quarter, metric, sector, mission, agency)` giving
'on_track', 'at_risk', 'behind' or None, and an explanation of a target on track is stored with a
warning. The command line passes none, so it does not give that warning.

Stored as versions (add-or-update by target and quarter): an explanation written again with the
same owner, cause, measures and recovery quarter is not a change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from etl.problems import Problem, Refused, column_letter, problem
from etl.read.workbook import Book
from etl.registers import pipeline
from etl.registers.followup import SECRETARIAT
from etl.registers.spec import TEXT_LIMIT, Column, Register, Row
from etl.registers.store import Loaded, find_duplicate, new_submission, split
from etl.shape.period import find_period
from warehouse.admin import record
from warehouse.cycle import is_closed
from warehouse.transaction import transaction

SHEET = "사유"
StatusOf = Callable[[int, int, str, str | None, str | None, str | None], str | None]
LABEL = ("사유·대책", "explanations")

_CODES = (
    Column("metric", "code", True, "metric", ("지표", "metric")),
    Column("sector", "code", ref="sector", label=("분야", "sector"), all_words=True),
    Column("mission", "code", ref="mission", label=("공관", "mission"), all_words=True),
)
_TEXTS = (
    Column(
        "cause", "text", True, label=("원인", "cause"), limit=TEXT_LIMIT, fix=("미달 원인을 적으세요.", "")
    ),
    Column(
        "measures", "text", True, label=("대책", "measures"), limit=TEXT_LIMIT, fix=("대책을 적으세요.", "")
    ),
    Column(
        "recover_by",
        "period",
        label=("회복 예상 분기", "recovery quarter"),
        fix=("예: 2026년 4분기 또는 2026 Q4", "e.g. 2026 Q4"),
    ),
)
_NO_TABLE = (
    "사유·대책 표(지표·원인·대책 열)를 찾지 못했습니다.",
    "no explanations table (metric, cause and measures columns) found",
    "연도, 분기, 지표, 분야, 공관, 기관, 원인, 대책, 회복 예상 분기 열이 있는 표를 넣으세요.",
    "Provide a table with year, quarter, metric, sector, mission, agency, cause, measures and recover-by columns.",
)
_TWICE = (
    "같은 목표·분기의 사유가 두 번 있습니다 ({other}와 중복).",
    "the same target and quarter explained twice (also at {other})",
)


def _recover_not_before(row: Row) -> None:
    year, quarter, recover = (row.values.get(f) for f in ("year", "quarter", "recover_by"))
    if recover and year and quarter and recover < (year, quarter):
        row.bad(
            "recover_by",
            f"회복 예상 분기({recover[0]}년 {recover[1]}분기)가 설명하는 분기({year}년 {quarter}분기)보다 앞섭니다.",
            f"the recovery quarter {recover[0]} Q{recover[1]} is before the quarter explained ({year} Q{quarter})",
            f"{year}년 {quarter}분기 이후로 적으세요.",
            f"Give {year} Q{quarter} or later.",
        )


REGISTER = Register(
    kind="explanations",
    label=LABEL,
    spellings="explanation_columns.csv",
    columns=(
        Column("year", "year", True, label=("연도", "year")),
        Column(
            "quarter", "quarter", True, label=("분기", "quarter"), fix=("1~4 또는 '3분기'처럼 적으세요.", "")
        ),
        *_CODES,
        Column("agency", "code", ref="agency", label=("기관", "agency"), all_words=True),
        *_TEXTS,
    ),
    key=("year", "quarter", "metric", "sector", "mission", "agency"),
    anchor="metric",
    detect=("metric", "cause", "measures"),
    row_checks=(_recover_not_before,),
    duplicate=_TWICE,
    no_table=_NO_TABLE,
)
# The 사유 sheet of a return: the period and the agency are the return's.
IN_RETURN = replace(
    REGISTER,
    columns=(*_CODES, *_TEXTS),
    key=("metric", "sector", "mission"),
    row_checks=(),
)


@dataclass
class Explanation:
    """One explanation as codes, with where it was written (for problems found when it is stored)."""

    year: int | None
    quarter: int | None
    metric: str
    sector: str | None
    mission: str | None
    agency: str | None
    cause: str
    measures: str
    recover: tuple[int, int] | None
    sheet: str
    row: int
    cols: dict[str, int | None] = field(default_factory=dict)
    owner: str | None = None

    @property
    def key(self) -> tuple:
        return (self.year, self.quarter, self.metric, self.sector, self.mission, self.agency)

    def details(self) -> tuple:
        return (self.owner, self.cause, self.measures, *(self.recover or (None, None)))

    @property
    def cell(self) -> str:
        col = self.cols.get("metric")
        return f"{column_letter(col) if col is not None else ''}{self.row}"

    def problem(self, name: str, ko: str, en: str, fix_ko="", fix_en="", severity="error") -> Problem:
        col = self.cols.get(name, self.cols.get("metric"))
        return problem(self.sheet, self.row, col, ko, en, fix_ko, fix_en, severity)


def _explanation(row: Row, period: tuple[int, int] | None = None) -> Explanation:
    v = row.values
    year, quarter = (v.get("year"), v.get("quarter")) if "year" in v else (period or (None, None))
    return Explanation(
        year, quarter, v["metric"], v["sector"], v["mission"], v.get("agency"), v["cause"], v["measures"],
        v["recover_by"], row.sheet, row.row, dict(row.cols),
    )  # fmt: skip


def read_explanations(path: Path, name: str, book: Book | None = None) -> list[Explanation]:
    """The explanations of a register file, or Refused with every problem by sheet and cell."""
    return [_explanation(r) for r in pipeline.read(path, name, REGISTER, book)]


def return_sheets(book: Book) -> tuple[set[str], list[Explanation], list[Problem]]:
    """The 사유 sheets of a return (never figures), their explanations and their problems.

    A sheet is one when its header holds 지표, 원인 and 대책. The quarter explained is the one written
    above the header, if any (else the return's, filled in when it is stored). A row that names a
    target but has no cause, measures or recovery quarter is one the template pre-filled and the
    analyst left unwritten: it is passed over with a warning; a half-written row is refused.
    """
    names: set[str] = set()
    found: list[Explanation] = []
    problems: list[Problem] = []
    for head in book.heads:
        header = pipeline.find_header(IN_RETURN, head.top(pipeline.HEADER_ROWS))
        if header is None:
            continue
        names.add(head.name)
        period = next(
            (p for row in head.top(header[0]) for text in row if text and (p := find_period(text))), None
        )
        rows = pipeline.grid_rows(IN_RETURN, book.load(head)) or []
        unwritten = [r for r in rows if not any(r.texts.get(c.field) for c in _TEXTS)]
        if unwritten:
            problems.append(_unwritten(head.name, unwritten))
            rows = [r for r in rows if r not in unwritten]
        good, wrong = pipeline.check(IN_RETURN, rows)
        found += [_explanation(r, period) for r in good]
        problems += wrong
    return names, found, problems


def _unwritten(sheet: str, rows: list[Row]) -> Problem:
    """The warning for pre-filled rows left without cause, measures and recovery quarter."""
    listed, more = ", ".join(str(r.row) for r in rows[:10]), len(rows) - 10
    where = listed + (f" 외 {more}개" if more > 0 else "")
    where_en = listed + (f" and {more} more" if more > 0 else "")
    return problem(
        sheet,
        None,
        None,
        f"원인·대책이 비어 있는 {len(rows)}개 행({where}행)은 작성하지 않은 사유로 보고 건너뜁니다.",
        f"{len(rows)} row(s) with no cause and no measures (rows {where_en}) are taken as unwritten and skipped",
        "사유를 제출하려면 원인과 대책을 모두 적으세요.",
        "To explain a target, fill in both cause and measures.",
        severity="warning",
    )


# The owner of each standing explanation of these target dimensions and quarter, by the target's agency.
_STANDING = """
SELECT agency_code, owner_agency FROM explanations
WHERE year = ? AND quarter = ? AND metric_code = ? AND sector_code IS NOT DISTINCT FROM ?
  AND mission_code IS NOT DISTINCT FROM ?
"""
_TARGETS = """
SELECT agency_code FROM targets
WHERE year = ? AND metric_code = ? AND sector_code IS NOT DISTINCT FROM ? AND mission_code IS NOT DISTINCT FROM ?
"""


def check_stored(
    con: duckdb.DuckDBPyConnection,
    items: list[Explanation],
    *,
    agency: str | None = None,
    status_of: StatusOf | None = None,
) -> tuple[list[Explanation], list[Problem]]:
    """The explanations with their target and owner settled, and every problem against the warehouse.

    `agency` is the writer's (a return's agency): the target must be that agency's (or, for the
    secretariat, one naming no agency). None is an administrator: the target named, any owner.
    """
    problems: list[Problem] = []
    out: list[Explanation] = []
    for e in items:
        before = len(problems)
        if e.year is None or e.quarter is None or not is_closed(con, e.year, e.quarter):
            when = f"{e.year}년 {e.quarter}분기" if e.year else "이 보고의 분기"
            problems.append(
                e.problem(
                    "quarter",
                    f"{when}는 마감되지 않았습니다. 사유·대책은 마감된 분기의 목표에 씁니다.",
                    f"{e.year} Q{e.quarter} is not closed; explanations answer targets of a closed quarter",
                    "마감된 분기를 적거나(사유 시트 위 '대상 분기'), 분기가 마감된 뒤 다시 적재하세요.",
                    "Name a closed quarter, or load it again once the quarter is closed.",
                )
            )
        else:
            e = _settle_target(con, e, agency, problems)
        if e.recover and e.year and e.recover < (e.year, e.quarter or 1):
            _recover_not_before_stored(e, problems)
        if len(problems) == before:
            out.append(e)
            status = (
                status_of(e.year, e.quarter, e.metric, e.sector, e.mission, e.agency) if status_of else None
            )
            if status == "on_track":
                problems.append(
                    e.problem(
                        "metric",
                        "이 목표는 정상(진도 이상)입니다. 사유·대책은 저장하지만 필요하지 않을 수 있습니다.",
                        "this target is on track; the explanation is stored, though it may not be needed",
                        severity="warning",
                    )
                )
    return out, problems


def _recover_not_before_stored(e: Explanation, problems: list[Problem]) -> None:
    problems.append(
        e.problem(
            "recover_by",
            f"회복 예상 분기가 설명하는 분기({e.year}년 {e.quarter}분기)보다 앞섭니다.",
            f"the recovery quarter is before the quarter explained ({e.year} Q{e.quarter})",
            f"{e.year}년 {e.quarter}분기 이후로 적으세요.",
            f"Give {e.year} Q{e.quarter} or later.",
        )
    )


def _settle_target(
    con: duckdb.DuckDBPyConnection, e: Explanation, agency: str | None, problems: list[Problem]
) -> Explanation:
    """The explanation with the agency of the target it answers and its owner; a problem if there is none.

    The owner is the one an administrator gave the standing explanation, if any (as etl.registers.followup
    keeps it), else the target's agency, else MSS.
    """
    agencies = {r[0] for r in con.execute(_TARGETS, [e.year, e.metric, e.sector, e.mission]).fetchall()}
    standing = dict(con.execute(_STANDING, [e.year, e.quarter, e.metric, e.sector, e.mission]).fetchall())

    def owner_of(target_agency: str | None) -> str:
        return standing.get(target_agency) or target_agency or SECRETARIAT

    if agency is None:
        wanted = e.agency
    else:  # the return's agency answers the targets it owns: its own, or others reassigned to it
        wanted = next(
            (a for a in sorted(agencies, key=lambda a: a != agency) if owner_of(a) == agency), agency
        )
    if wanted in agencies:
        return replace(e, agency=wanted, owner=owner_of(wanted))
    whose = "" if agency is None else f" {agency.upper()}의"
    if agency is not None and agencies:
        owners = ", ".join(sorted({owner_of(a).upper() for a in agencies}))
        problems.append(
            e.problem(
                "metric",
                f"이 목표는{whose} 목표가 아닙니다(담당: {owners}). 분석가는 자기 기관 목표의 사유만 씁니다.",
                f"this target is not {agency.upper()}'s (owner: {owners}); an agency explains only its own targets",
                "이 행을 지우거나 담당 기관이 적재하게 하세요.",
                "Delete the row, or let the owner agency send it.",
            )
        )
    else:
        problems.append(
            e.problem(
                "metric",
                f"{e.year}년에{whose} 이 지표·분야·공관의 목표가 없습니다. 없는 목표의 사유는 적재하지 않습니다.",
                f"there is no {e.year} target for this metric, sector and mission"
                + (f" of {agency.upper()}" if agency else ""),
                "목표 관리의 목표와 같은 지표·분야·공관을 적으세요.",
                "Name a target listed on Targets.",
            )
        )
    return e


# --- the warehouse ------------------------------------------------------------------------------------

STORED = """
SELECT year, quarter, metric_code, sector_code, mission_code, agency_code, owner_agency, cause, measures,
       recover_year, recover_quarter
FROM explanation AS e JOIN submission AS s USING (submission_id)
WHERE s.status <> 'rolled_back'
QUALIFY row_number() OVER (
    PARTITION BY year, quarter, metric_code, sector_code, mission_code, agency_code ORDER BY version_id DESC
) = 1
"""
INSERT = """
INSERT INTO explanation (submission_id, year, quarter, metric_code, sector_code, mission_code, agency_code,
    owner_agency, cause, measures, recover_year, recover_quarter, written_by, source_sheet, source_cell)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""


def changes(con: duckdb.DuckDBPyConnection, items: list[Explanation]):
    stored = {tuple(r[:6]): tuple(r[6:]) for r in con.execute(STORED).fetchall()}
    return split(items, stored, key=lambda e: e.key, details=lambda e: e.details())


def write(
    con: duckdb.DuckDBPyConnection, submission_id: int, items: list[Explanation], by: str | None
) -> None:
    """Insert these explanations as versions of `submission_id` (inside the caller's transaction)."""
    con.executemany(
        INSERT,
        [
            (submission_id, *e.key, e.owner, e.cause, e.measures, *(e.recover or (None, None)), by, e.sheet,
             e.cell)
            for e in items
        ],
    )  # fmt: skip


def store_explanations(
    con: duckdb.DuckDBPyConnection,
    items: list[Explanation],
    *,
    name: str,
    sha256: str,
    size: int | None,
    loaded_by: str | None,
    status_of: StatusOf | None = None,
    role: str | None = None,
) -> Loaded:
    """Check a register file's explanations against the warehouse and store the changed ones (all or
    nothing, with the audit line given a `role`: the command line's)."""

    duplicate = find_duplicate(con, sha256, "explanations")
    if duplicate is not None:
        return Loaded(LABEL, name, duplicate_of=duplicate)
    settled, problems = check_stored(con, items, status_of=status_of)
    if any(p.severity == "error" for p in problems):
        raise Refused(name, problems)
    found = changes(con, settled)
    result = Loaded(
        LABEL, name, None, len(found.added), len(found.updated), len(found.unchanged), warnings=problems
    )
    if not found.changed:
        return result
    periods = sorted(f"{e.year}Q{e.quarter}" for e in found.changed)
    with transaction(con):
        result.submission_id = new_submission(
            con,
            kind="explanations",
            file_name=name,
            file_sha256=sha256,
            file_bytes=size,
            reporter=loaded_by,
            agency_codes=",".join(sorted({e.owner or "" for e in found.changed})),
            period_first=periods[0],
            period_last=periods[-1],
            layout="register",
            row_count=len(found.changed),
            warning_count=len(problems),
            loaded_by=loaded_by,
        )
        write(con, result.submission_id, found.changed, loaded_by)
        if role is not None:
            record(
                con,
                "explanations",
                actor=loaded_by,
                role=role,
                subject=f"#{result.submission_id}",
                detail=f"{name}: {len(found.changed)} explanation(s)",
            )
    return result


def with_return(
    con: duckdb.DuckDBPyConnection,
    items: list[Explanation],
    *,
    agency: str,
    period: tuple[int, int],
    status_of: StatusOf | None = None,
) -> tuple[list[Explanation], list[Problem]]:
    """A return's 사유 rows with its period filled in, settled against the warehouse: (changed, problems)."""
    dated = [e if e.year else replace(e, year=period[0], quarter=period[1]) for e in items]
    settled, problems = check_stored(con, dated, agency=agency, status_of=status_of)
    if any(p.severity == "error" for p in problems):
        return [], problems
    return changes(con, settled).changed, problems


def return_scope(
    file_name: str, items: list[Explanation], agencies: set[str], periods: list[int]
) -> tuple[str, tuple[int, int]]:
    """The agency and the quarter a return's 사유 sheet speaks for; Refused when the return has more than one agency."""
    if len(agencies) != 1:
        first = items[0]
        raise Refused(
            file_name,
            [
                problem(
                    first.sheet,
                    None,
                    None,
                    "사유 시트는 한 기관의 보고에만 넣을 수 있습니다. 이 파일에는 여러 기관의 실적이 있습니다.",
                    "a 사유 sheet belongs to one agency's return; this file holds several agencies' figures",
                    "기관별로 파일을 나누거나, 사유·대책은 사유·대책 등록 파일로 따로 적재하세요.",
                    "Split the file by agency, or load the explanations as a register file.",
                )
            ],
        )
    last = max(periods)
    return next(iter(agencies)), (last // 10, last % 10)
