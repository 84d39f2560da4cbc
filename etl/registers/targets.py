"""Annual targets (목표): long rows of (year, metric, sector?, mission?, agency?, value).

An empty dimension means "all" (so do 전체, all and -). A targets file replaces the current targets
of the years it covers; earlier versions stay for audit and rollback, as with returns. Header
spellings are the returns' own (data/ref/columns.csv).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.check.rules import maxima
from etl.problems import printable, short
from etl.read.workbook import Book
from etl.registers import pipeline
from etl.registers.spec import Column, Register, Row
from etl.registers.store import find_duplicate, new_submission
from warehouse.admin import record
from warehouse.schema import read_reference
from warehouse.text import josa
from warehouse.transaction import transaction

_BAD_VALUE = ("목표값이 올바르지 않습니다: '{text}'.", "invalid target value '{text}'")


def _value_range(row: Row) -> None:
    value, metric = row.values.get("target"), row.values.get("metric")
    no_target = {r["metric_code"] for r in read_reference("metrics.csv") if r["has_target"] == "false"}
    if metric in no_target:
        row.bad(
            "metric",
            f"'{row.text('metric')}' 지표에는 목표를 두지 않습니다.",
            f"metric {metric} takes no target",
            "이 행을 지우세요.",
            "Delete this row.",
        )
    if value is not None and (value < 0 or (metric == "satisfaction" and value > 100)):
        text = row.text("target") or ""
        row.bad("target", _BAD_VALUE[0].format(text=text), _BAD_VALUE[1].format(text=text), *_FIX)
    elif value is not None and metric in maxima() and value > maxima()[metric]:
        # the returns' rule `implausible` (data/ref/metrics.csv max_per_row): a year's target above what
        # one return row may hold is a typo or a pasted exponent (1e308), and every attainment would be 0
        text, maximum = short(row.text("target") or "", 40), f"{maxima()[metric]:,.0f}"
        row.bad(
            "target",
            f"목표값이 있을 수 없을 만큼 큽니다: {text} (최대 {maximum}).",
            f"the target is larger than any can be: {text} (at most {maximum})",
            "숫자(자릿수·단위)를 확인하세요. 금액은 천달러 단위입니다.",
            "Check the number (digits and unit); money is in USD thousand.",
        )


_FIX = ("0 이상의 숫자를 적으세요 (만족도는 0~100).", "Enter a number of 0 or more (satisfaction 0-100).")
REGISTER = Register(
    kind="targets",
    label=("목표", "targets"),
    spellings="columns.csv",
    columns=(
        Column("metric", "code", True, "metric", ("지표", "metric")),
        Column("sector", "code", ref="sector", label=("분야", "sector"), all_words=True),
        Column("mission", "code", ref="mission", label=("공관", "mission"), all_words=True),
        Column("agency", "code", ref="agency", label=("주관기관", "agency"), all_words=True),
        Column(
            "year",
            "year",
            True,
            label=("연도", "year"),
            unreadable=("연도가 없거나 읽을 수 없습니다.", "missing or unreadable year"),
            fix=("2026처럼 연도를 적으세요.", "Write the year, e.g. 2026."),
        ),
        Column("target", "number", True, label=("목표값", "target value"), unreadable=_BAD_VALUE, fix=_FIX),
    ),
    key=("year", "metric", "sector", "mission", "agency"),
    anchor="target",
    row_checks=(_value_range,),
    duplicate=("같은 목표가 두 번 있습니다 ({other}와 중복).", "the same target twice (also at {other})"),
    no_table=(
        "목표 표(연도·지표·목표 열)를 찾지 못했습니다.",
        "no targets table (year, metric and target columns) found",
        "연도, 지표, 분야, 공관, 주관기관, 목표 열이 있는 표를 넣으세요.",
        "Provide a table with year, metric, sector, mission, agency and target columns.",
    ),
)


@dataclass
class TargetsLoaded:
    file_name: str
    submission_id: int | None
    rows: int
    years: list[int]
    duplicate_of: int | None = None

    def summary(self) -> str:
        name = printable(short(self.file_name, 200))
        if self.duplicate_of is not None:
            return f"{name}: 이미 적재된 목표 파일입니다(제출 #{self.duplicate_of}) — 변경 없음 / already loaded, nothing changed"
        years = ", ".join(str(y) for y in self.years)
        return f"{name}: 목표 #{self.submission_id} 적재 — {years}년 목표 {self.rows}건 / loaded {self.rows} targets for {years}"


def read_targets(path: Path, name: str, book: Book | None = None) -> list[tuple]:
    """(year, metric, sector, mission, agency, value, sheet, cell) rows, or Refused with every problem."""
    return [
        (*(r.values[f] for f in REGISTER.key), r.values["target"], r.sheet, r.cell("target"))
        for r in pipeline.read(path, name, REGISTER, book)
    ]


WITHDRAW_SHARE = 0.5  # a file that would withdraw more than this share of a year's targets must say so


def heavy_withdrawals(per_year: dict[int, tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(year, targets in force, withdrawn) for each year whose file withdraws more than half of its targets.

    `per_year`: year → (targets in force now, of those the file leaves out). A targets file replaces
    its years whole, so a two-row file for a year of forty targets would leave two in force.
    """
    return [
        (year, stored, withdrawn)
        for year, (stored, withdrawn) in sorted(per_year.items())
        if stored and withdrawn > stored * WITHDRAW_SHARE
    ]


def withdrawals(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> list[tuple[int, int, int]]:
    """heavy_withdrawals for rows read by read_targets against the targets in force."""
    incoming = {tuple(r[:5]) for r in rows}
    years = sorted({r[0] for r in rows})
    per_year: dict[int, tuple[int, int]] = {}
    for year in years:
        stored = con.execute(
            "SELECT year, metric_code, sector_code, mission_code, agency_code FROM fact_target "
            "WHERE is_current AND year = ?",
            [year],
        ).fetchall()
        per_year[year] = (len(stored), sum(1 for key in stored if tuple(key) not in incoming))
    return heavy_withdrawals(per_year)


def withdrawal_message(heavy: list[tuple[int, int, int]]) -> tuple[str, str]:
    """'2026년 목표 40건 중 38건이 빠집니다 …' (Korean, English)."""
    ko = ", ".join(f"{y}년 목표 {s}건 중 {w}건" for y, s, w in heavy)
    en = ", ".join(f"{w} of the {s} targets for {y}" for y, s, w in heavy)
    return (
        f"이 파일을 적재하면 {josa(ko, '이/가')} 빠집니다(목표 파일은 그 연도의 목표를 통째로 바꿉니다).",
        f"Loading this file withdraws {en} (a targets file replaces its years whole).",
    )


SUPERSEDED = """
UPDATE submission AS s SET status = 'superseded'
WHERE kind = 'targets' AND status = 'current'
  AND NOT EXISTS (SELECT 1 FROM fact_target AS t WHERE t.submission_id = s.submission_id AND t.is_current)
"""


def store_targets(
    con: duckdb.DuckDBPyConnection,
    rows: list[tuple],
    *,
    name: str,
    sha256: str,
    size: int,
    loaded_by: str | None = None,
    role: str | None = None,
) -> TargetsLoaded:
    """Store targets read by read_targets in one transaction; the same file again changes nothing.

    With a `role` (the command line's) the audit line is written in the same transaction.
    """
    duplicate = find_duplicate(con, sha256, "targets")
    if duplicate is not None:
        return TargetsLoaded(name, None, 0, [], duplicate_of=duplicate)
    years = sorted({r[0] for r in rows})
    with transaction(con):
        submission_id = new_submission(
            con,
            kind="targets",
            file_name=name,
            file_sha256=sha256,
            file_bytes=size,
            period_first=str(years[0]),
            period_last=str(years[-1]),
            layout="long",
            row_count=len(rows),
            loaded_by=loaded_by,
        )
        con.execute(
            f"UPDATE fact_target SET is_current = false WHERE is_current AND year IN ({', '.join('?' * len(years))})",
            years,
        )
        con.executemany(
            "INSERT INTO fact_target VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, true)",
            [(submission_id, *r) for r in rows],
        )
        con.execute(SUPERSEDED)
        if role is not None:
            record(
                con,
                "targets",
                actor=loaded_by,
                role=role,
                subject=name,
                detail=f"submission {submission_id}: {len(rows)} targets for {years}",
            )
    return TargetsLoaded(name, submission_id, len(rows), years)
