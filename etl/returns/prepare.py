"""Reading a return without touching the warehouse: the rows it holds, or every problem it has.

prepare() runs the pipeline read → detect layout → stage → resolve codes → figures → checks, and
returns a Prepared return that store.commit() writes in one transaction. Nothing here needs the
warehouse, so the upload page can show what was read before anyone commits.
"""

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from etl.check import checks
from etl.check.totals import cross_check
from etl.problems import Problem, Refused, josa, problem, quoted
from etl.read.safety import DEFAULT_LIMITS, Limits, file_digest
from etl.read.workbook import Book, open_book
from etl.registers import explanations
from etl.shape.codes import code_rows
from etl.shape.figures import make_figures
from etl.shape.layout import TableLayout, detect_table, is_instruction_sheet
from etl.shape.normalise import (
    DEFAULT_PROGRAM,
    Defaults,
    TableRows,
    stage_table,
    table_columns,
    table_defaults,
)

log = logging.getLogger(__name__)
MAX_PROBLEMS = checks.MAX_PROBLEMS
TIDY_COLUMNS = (
    "year",
    "quarter",
    "agency_code",
    "mission_code",
    "sector_code",
    "program_code",
    "metric_code",
    "value",
    "reported_value",
    "source_sheet",
    "source_cell",
    "cumulative",
    "row_weight",
)
# Excel cell reference (D14) of a figure: its column's letters (worked out once per column) and row.
SOURCE_CELL = "letter || CAST(_row AS VARCHAR)"


@dataclass
class Prepared:
    """A return that passed every check, ready to commit.

    Its figures (TIDY_COLUMNS, canonical units, cumulative still as reported) sit in `relation`, a
    temp view on `connection`; `rows` fetches them as Arrow while that connection is open.
    """

    file_name: str
    sha256: str
    size: int
    connection: duckdb.DuckDBPyConnection | None  # None when prepared in a child process (etl.read.isolated)
    relation: str
    layouts: list[TableLayout]
    basis: str  # quarterly | cumulative (cumulative if any figure is)
    warnings: list[Problem] = field(default_factory=list)
    # row_weight is the stored weight of every weighted-mean figure: each row key sits on one row of
    # a wide table, so its weight figure is on that row too. Otherwise the commit works weights out.
    row_weights: bool = False
    # The rows of its 사유 sheet (etl.registers.explanations), stored with the figures by commit().
    explanations: list = field(default_factory=list)
    _rows: pa.Table | None = field(default=None, repr=False)

    @property
    def rows(self) -> pa.Table:
        if self._rows is None:
            self._rows = self.connection.sql(f"SELECT * FROM {self.relation}").to_arrow_table()
        return self._rows

    @property
    def layout_name(self) -> str:
        kinds = sorted({layout.kind for layout in self.layouts})
        return "+".join(kinds)


def prepare(
    path: str | Path,
    defaults: Defaults | None = None,
    *,
    display_name: str | None = None,
    today: date | None = None,
    limits: Limits = DEFAULT_LIMITS,
    stg: duckdb.DuckDBPyConnection | None = None,
    book: Book | None = None,
) -> Prepared:
    """Read and check a return; raise Refused listing every problem if any rule is broken.

    `book` is the file already opened by the bounded reader (etl.intake opens it once to recognise
    the kind); otherwise it is opened here.

    The work is staged in temp tables of `stg`: pass a cursor of the warehouse so that commit()
    can insert from them directly, or leave it out for a private in-memory database. Whatever a
    file makes go wrong in the pipeline is a refusal too (logged for the maintainer), never a
    traceback for the analyst; a missing file stays a FileNotFoundError.
    """
    try:
        return _prepare(Path(path), defaults, display_name, today, limits, stg, book)
    except (Refused, OSError, MemoryError):
        raise
    except duckdb.OutOfMemoryException as exc:
        # DuckDB's own allocation failing under the reader's memory limit (etl/read/isolated.py) is the
        # limit being reached, said as such, not an unexpected error
        raise MemoryError(str(exc)) from exc
    except Exception as exc:
        name = display_name or Path(path).name
        log.exception("unexpected failure preparing %r", name)
        raise Refused(
            name,
            [
                problem(
                    None,
                    None,
                    None,
                    f"파일을 처리하는 중 예기치 못한 오류가 있어 적재하지 않았습니다 ({type(exc).__name__}).",
                    f"the file could not be processed ({type(exc).__name__})",
                    "Excel에서 'Excel 통합 문서(*.xlsx)'로 다시 저장해 제출하세요. 계속되면 관리자에게 이 파일을 보내 주세요.",
                    "Save it again from Excel as an Excel Workbook (*.xlsx) and resubmit; if it persists, send the "
                    "file to the administrator.",
                )
            ],
        ) from exc


def _prepare(
    path: Path,
    defaults: Defaults | None,
    display_name: str | None,
    today: date | None,
    limits: Limits,
    stg: duckdb.DuckDBPyConnection | None,
    book: Book | None = None,
) -> Prepared:
    name = display_name or path.name
    defaults = defaults or Defaults()
    today = today or date.today()
    sha256, size = file_digest(path, name, limits)
    book = book or open_book(path, name, limits)
    stg = stg or duckdb.connect()
    problems: list[Problem] = []
    warnings: list[Problem] = []
    staged: list[TableRows] = []
    # A 사유 sheet (지표, 원인, 대책) is never a figures table: it is read as explanations.
    reason_sheets, reasons, reason_problems = explanations.return_sheets(book)
    problems += [p for p in reason_problems if p.severity == "error"]
    warnings += [p for p in reason_problems if p.severity != "error"]
    for head in book.heads:
        if head.name in reason_sheets:
            continue
        layout = detect_table(head)
        if layout is None:
            continue
        if is_instruction_sheet(head) and not layout.metrics and layout.kind == "wide":
            continue
        problems += checks.formulas(head)
        found, found_problems = table_defaults(layout, defaults, today)
        problems += found_problems
        text_columns, figure_columns = table_columns(layout)
        problems += checks.error_cells(head, layout.data_start, figure_columns)
        grid = book.load(head, layout.data_start, text_columns, figure_columns)
        rows = stage_table(stg, len(staged), grid, layout)
        code_rows(stg, rows, found)
        make_figures(stg, rows)
        problems += checks.unknown_texts(stg, rows)
        problems += checks.won_headers(rows)
        problems += checks.repeated_metric_columns(rows)
        problems += checks.missing(stg, rows)
        problems += checks.contradicting_periods(stg, rows, found)
        problems += checks.periods(stg, rows, found, today)
        warnings += _unknown_columns(layout) + _default_program(layout, found)
        warnings += cross_check(stg, rows)
        staged.append(rows)
    if not staged:
        raise Refused(name, [checks.no_table(book)])
    stg.execute(
        "CREATE OR REPLACE TEMP VIEW tidy AS "
        + " UNION ALL BY NAME ".join(f"SELECT * FROM {r.tidy}" for r in staged)
    )
    problems += checks.rules(stg, "tidy")
    problems += checks.duplicates(stg, staged)
    if not problems and not stg.execute("SELECT 1 FROM tidy LIMIT 1").fetchall():
        problems.append(checks.no_figures())
    if problems:
        raise Refused(name, problems[:MAX_PROBLEMS])
    columns = ", ".join(c if c != "source_cell" else f"{SOURCE_CELL} AS source_cell" for c in TIDY_COLUMNS)
    stg.execute(f"CREATE OR REPLACE TEMP VIEW prepared_figures AS SELECT {columns} FROM tidy")
    # duplicate_candidates (etl.check.checks.duplicates) holds the row keys found on more than one row.
    single_rows = not stg.execute("SELECT count(*) FROM duplicate_candidates").fetchall()[0][0]
    cumulative = any(
        stg.execute(f"SELECT bool_or(cumulative) FROM {r.coded} WHERE NOT is_total").fetchall()[0][0]
        for r in staged
    )
    return Prepared(
        file_name=name,
        sha256=sha256,
        size=size,
        connection=stg,
        relation="prepared_figures",
        layouts=[r.layout for r in staged],
        basis="cumulative" if cumulative else "quarterly",
        warnings=warnings,
        row_weights=single_rows and all(r.layout.kind == "wide" for r in staged),
        explanations=reasons,
    )


def _unknown_columns(layout: TableLayout) -> list[Problem]:
    return [
        problem(
            layout.sheet,
            layout.header_rows[-1],
            col,
            f"알 수 없는 열 {josa(quoted(text), '은/는')} 읽지 않고 넘어갔습니다.",
            f"unknown column '{text}' ignored",
            "실적 지표라면 공식 지표 이름(예: 지원기업 수, 수출계약액)으로 머리글을 고치세요.",
            "If it holds a metric, rename the header to the official metric name.",
            severity="warning",
        )
        for col, text in layout.unknown.items()
    ]


def _default_program(layout: TableLayout, found: Defaults) -> list[Problem]:
    if "program" in layout.fields or found.program:
        return []
    return [
        problem(
            layout.sheet,
            None,
            None,
            f"사업 열이 없어 모든 실적을 재외공관 협업 사업({DEFAULT_PROGRAM})으로 보았습니다.",
            f"no program column: all figures taken as {DEFAULT_PROGRAM}",
            "다른 사업의 실적이라면 사업 열을 넣으세요.",
            "Add a program column if the figures belong to another program.",
            severity="warning",
        )
    ]
