"""What a prepared return holds and what committing it would change, as DataFrames, before anyone commits.

`preview(prepared, con)` summarises the return (layout, rows per mission and sector, totals per
metric, warnings) and compares it with the current figures stored for the (year, quarter, agency,
mission) slices it covers, which are exactly the figures a commit replaces. `con` is a read-only
warehouse connection, or None before the first load. Cumulative (누계) returns are compared after
the same conversion to quarterly increments that commit applies. Later quarters stored from 누계
returns that the upload would change are derived again as commit would (etl.store.rederive, on temp
tables only): the preview lists them, and a file that would make one negative is Refused here with
the commit's own problems. `rollback_impact` says the same of a rollback, before it is confirmed.
"""

import contextlib
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl.problems import Problem, Refused, cell_ref, column_letter
from etl.registers.explanations import StatusOf, return_scope, with_return
from etl.registers.store import find_duplicate
from etl.returns.prepare import Prepared
from etl.store.cumulative import to_quarterly
from etl.store.ledger import RESTORED, UNDONE, rollback_refusal
from etl.store.rederive import KEY, derive_again
from etl.workbooks.annotate import locate
from warehouse.schema import read_reference
from warehouse.text import josa

SLICE = ("year", "quarter", "agency_code", "mission_code")
ROW_KEY = (*SLICE, "sector_code", "program_code")
FIGURE_KEY = (*ROW_KEY, "metric_code")
EPSILON = 1e-9

# Per group and metric: a sum, or for a weighted metric (satisfaction) the mean of its scores
# weighted by the weight metric (firms) of the same return row; 0 or no firms weighs as 1.
# Only the weighted metric's rows meet the join, so a million summed figures are just grouped.
AGGREGATE = """
WITH weighted_codes AS (
    SELECT metric_code, weight_metric FROM preview_metric_ref WHERE aggregation = 'weighted_mean'
),
sums AS (
    SELECT {group_select} metric_code, sum(value) AS value, count(*) AS figures
    FROM {figures}
    WHERE metric_code NOT IN (SELECT metric_code FROM weighted_codes)
    GROUP BY ALL
),
scored AS (
    SELECT f.*, CASE WHEN w.value > 0 THEN w.value ELSE 1 END AS w
    FROM {figures} AS f
    JOIN weighted_codes AS c USING (metric_code)
    LEFT JOIN {figures} AS w
      ON w.metric_code = c.weight_metric
     AND w.year = f.year AND w.quarter = f.quarter AND w.agency_code = f.agency_code
     AND w.mission_code = f.mission_code AND w.sector_code = f.sector_code AND w.program_code = f.program_code
),
means AS (
    SELECT {group_select} metric_code, sum(value * w) / sum(w) AS value, count(*) AS figures
    FROM scored
    GROUP BY ALL
)
SELECT * FROM sums
UNION ALL BY NAME
SELECT * FROM means
"""

# Incoming figures (quarterly) beside the stored current ones of the same slices, figure by figure.
PAIRED = """
WITH slices AS (
    SELECT DISTINCT year, quarter, agency_code, mission_code FROM preview_incoming
),
stored AS (
    SELECT r.year, r.quarter, r.agency_code, r.mission_code, r.sector_code, r.program_code, r.metric_code,
           r.value
    FROM results AS r
    JOIN slices AS s USING (year, quarter, agency_code, mission_code)
)
SELECT year, quarter, agency_code, mission_code, sector_code, program_code, metric_code,
       s.value AS stored, i.value AS incoming
FROM preview_incoming AS i
FULL JOIN stored AS s USING (year, quarter, agency_code, mission_code, sector_code, program_code, metric_code)
"""

# The current figures as they would be after the commit: the stored ones, with this file in place
# of the slices it covers (etl.store.rederive's relation of current figures; the file's own rows are not
# cumulative-derived stored figures, so they are never derived again).
AFTER_COMMIT = """
(SELECT submission_id, {key}, value, cumulative_value FROM fact_result AS f
 WHERE is_current AND NOT EXISTS (
     SELECT 1 FROM preview_slices AS s
     WHERE s.year = f.year AND s.quarter = f.quarter AND s.agency_code = f.agency_code
       AND s.mission_code = f.mission_code)
 UNION ALL BY NAME
 SELECT NULL AS submission_id, {key}, value, NULL AS cumulative_value FROM preview_incoming)
""".format(key=", ".join(KEY))

SLICE_CHANGES = f"""
SELECT year, quarter, agency_code, mission_code,
       count(stored) AS stored_figures,
       count(incoming) AS incoming_figures,
       count(*) FILTER (WHERE stored IS NULL) AS added,
       count(*) FILTER (WHERE incoming IS NULL) AS removed,
       count(*) FILTER (WHERE abs(stored - incoming) > {EPSILON}) AS changed,
       count(*) FILTER (WHERE abs(stored - incoming) <= {EPSILON}) AS unchanged
FROM preview_paired
GROUP BY ALL
ORDER BY year, quarter, agency_code, mission_code
"""


@dataclass
class Preview:
    """A prepared return, summarised and compared with the warehouse."""

    file_name: str
    basis: str
    layout_name: str
    figures: int
    layouts: pd.DataFrame  # sheet, kind, header_rows, first_data_row, metrics, cover
    by_mission_sector: pd.DataFrame  # year, quarter, agency, mission, sector, rows, figures
    totals: pd.DataFrame  # metric_code, value, figures (incoming, quarterly)
    warnings: pd.DataFrame  # problems_frame of the warnings
    slice_changes: pd.DataFrame  # per slice: status new | replace | same, and counts
    metric_changes: pd.DataFrame  # per slice and metric: stored, incoming, change
    # later quarters from 누계 returns the commit derives again: year, quarter, agency, mission, figures
    rederived: pd.DataFrame = field(default_factory=pd.DataFrame)
    duplicate_of: int | None = None
    # closed quarters (year, quarter) the return covers: loading it is a restatement (정정)
    restates: list[tuple[int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    explanations: int = 0  # rows of its 사유 sheet that commit stores (added or changed)
    warning_problems: list[Problem] = field(default_factory=list)  # the rows of `warnings`

    @property
    def changes_anything(self) -> bool:
        return self.duplicate_of is None and bool((self.slice_changes["status"] != "same").any())


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """One row per problem: severity, sheet, cell, Korean and English message and fix."""
    rows = []
    for p in problems:
        sheet, row, col = locate(p)
        cell = (column_letter(col) if col is not None else "") + (str(row) if row is not None else "")
        rows.append(
            {
                "severity": p.severity,
                "sheet": sheet or "",
                "cell": cell,
                "message_ko": p.message_ko,
                "message_en": p.message_en,
                "fix_ko": p.fix_ko,
                "fix_en": p.fix_en,
            }
        )
    columns = ["severity", "sheet", "cell", "message_ko", "message_en", "fix_ko", "fix_en"]
    return pd.DataFrame(rows, columns=columns).astype("str")


def outside_scope(prepared: Prepared, agency: str | None) -> list[Problem]:
    """Problems for figures of another agency than the analyst's own (none when no agency is set).

    One per other agency, named as people know it (중기부, not mss), at the first row of the file
    that holds its figures, with how many rows do.
    """
    if not agency:
        return []
    names = {
        r["agency_code"]: (r["short_ko"] or r["name_ko"], r["short_en"] or r["name_en"])
        for r in read_reference("agencies.csv")
    }
    own_ko, own_en = names.get(agency, (agency, agency))
    rows = prepared.rows.select(["agency_code", "source_sheet", "source_cell"]).to_pandas()
    rows = rows[rows["agency_code"] != agency]
    rows["row"] = rows["source_cell"].str.extract(r"(\d+)$", expand=False).astype("Int64")
    problems = []
    for other, found in sorted(rows.groupby("agency_code"), key=lambda g: str(g[0])):
        first = found.sort_values(["source_sheet", "row"]).iloc[0]
        count = found.drop_duplicates(["source_sheet", "row"]).shape[0]
        other_ko, other_en = names.get(str(other), (str(other), str(other)))
        sheet = str(first["source_sheet"]) if first["source_sheet"] else None
        row, col = _agency_cell(prepared, sheet, None if pd.isna(first["row"]) else int(first["row"]))
        problems.append(
            Problem(
                where=cell_ref(sheet, row, col),
                message_ko=f"다른 기관({other_ko})의 실적이 {count}개 행에 있습니다. "
                f"본인 기관({own_ko})의 실적만 올릴 수 있습니다.",
                message_en=f"{count} row(s) hold figures of another agency ({other_en}); "
                f"you may load {own_en}'s only",
                fix_ko=f"{other_ko} 실적 행을 지우거나 보고기관을 {josa(own_ko, '으로/로')} 고치고, "
                f"{other_ko} 실적은 그 기관 담당자에게 보내세요.",
                fix_en=f"Delete the {other_en} rows or set the agency to {own_en}; "
                f"send {other_en}'s figures to that agency's analyst.",
                sheet=sheet,
                row=row,
                col=col,
            )
        )
    return problems


def _agency_cell(prepared: Prepared, sheet: str | None, row: int | None) -> tuple[int | None, int | None]:
    """Where the agency of a row is written: its agency column, else the cover cell, else the row."""
    for layout in prepared.layouts:
        if layout.sheet != sheet:
            continue
        if "agency" in layout.fields:
            return row, layout.fields["agency"]
        if "agency" in layout.cover:
            _, cover_row, cover_col = layout.cover["agency"]
            return cover_row, cover_col
    return row, None


def layouts_frame(prepared: Prepared) -> pd.DataFrame:
    rows = []
    for layout in prepared.layouts:
        rows.append(
            {
                "sheet": layout.sheet,
                "kind": layout.kind,
                "header_rows": "–".join(str(r) for r in layout.header_rows),
                "first_data_row": layout.data_start,
                "metrics": ", ".join(h.metric for h in layout.metrics.values() if h.metric)
                if layout.kind == "wide"
                else "(지표 열 / metric column)",
                "columns": ", ".join(sorted(layout.fields)),
                "from_cover": ", ".join(f"{k}={v[0]}" for k, v in sorted(layout.cover.items())),
                "title_period": f"{layout.title_period[0]}Q{layout.title_period[1]}"
                if layout.title_period
                else "",
                "unknown_columns": ", ".join(layout.unknown.values()),
            }
        )
    return pd.DataFrame(rows)


def _metric_ref() -> pa.Table:
    records = read_reference("metrics.csv")
    return pa.table(
        {
            "metric_code": [r["metric_code"] for r in records],
            "aggregation": [r["aggregation"] for r in records],
            "weight_metric": [r["weight_metric"] or None for r in records],
            "sort_order": [int(r["sort_order"]) for r in records],
        }
    )


def _aggregate(figures: str, group: tuple[str, ...]) -> str:
    return AGGREGATE.format(figures=figures, group_select="".join(f"{g}, " for g in group))


def _df(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    # On the connection itself, not a cursor: registered tables are visible to their connection only.
    return con.execute(sql).df()


def preview(
    prepared: Prepared, con: duckdb.DuckDBPyConnection | None = None, status_of: StatusOf | None = None
) -> Preview:
    """Summarise a prepared return and compare it with what `con` (read-only is enough) stores now.

    The explanations of its 사유 sheet are checked as commit() will check them (Refused the same way);
    `status_of` adds commit's warning for a target on track.
    """
    explained, explaining = _explanations(prepared, con, status_of)
    own = con is None
    if own:  # no warehouse yet: everything is new
        con = duckdb.connect()
        con.execute(
            "CREATE TEMP TABLE results (year SMALLINT, quarter TINYINT, agency_code VARCHAR, "
            "mission_code VARCHAR, sector_code VARCHAR, program_code VARCHAR, metric_code VARCHAR, value DOUBLE)"
        )
    assert con is not None
    views = ("preview_rows", "preview_metric_ref")
    tables = ("preview_incoming", "preview_paired", "staged", "preview_slices", "rederived")
    try:
        con.register("preview_rows", prepared.rows)
        con.register("preview_metric_ref", _metric_ref())
        if own:  # etl.store.cumulative reads which metrics are scores from ref_metrics
            con.execute("CREATE TEMP TABLE ref_metrics AS SELECT * FROM preview_metric_ref")
        # Quarterly increments, exactly as commit() will store them. Temp tables (allowed on a
        # read-only connection) keep a million-figure back-fill out of Python.
        quarterly, cumulative_warnings = _quarterly(con, prepared)
        con.execute(
            "CREATE OR REPLACE TEMP TABLE preview_incoming AS "
            f"SELECT {', '.join(FIGURE_KEY)}, value, source_sheet, source_cell FROM {quarterly}"
        )
        con.execute(f"CREATE OR REPLACE TEMP TABLE preview_paired AS {PAIRED}")
        figures = con.execute("SELECT count(*) FROM preview_incoming").fetchall()[0][0]
        duplicate = None if own else find_duplicate(con, prepared.sha256)
        restates = [] if own else _closed_quarters(con)
        rederived = pd.DataFrame(columns=[*SLICE, "figures"])
        if not own and duplicate is None:  # the same file again is not stored, so nothing follows
            rederived = _rederived(con, prepared.file_name)
        by_mission_sector = _df(
            con,
            """
            SELECT year, quarter, agency_code, mission_code, sector_code,
                   count(DISTINCT source_sheet || '!' || regexp_extract(source_cell, '[0-9]+$')) AS rows,
                   count(*) AS figures
            FROM preview_incoming GROUP BY ALL ORDER BY ALL
            """,
        )
        totals = _df(
            con,
            f"SELECT t.* FROM ({_aggregate('preview_incoming', ())}) AS t "
            "JOIN preview_metric_ref USING (metric_code) ORDER BY sort_order",
        )
        slice_changes = _df(con, SLICE_CHANGES)
        metric_changes = _df(
            con,
            f"""
            WITH s AS ({_aggregate(_stored_figures(), SLICE)}),
                 i AS ({_aggregate("preview_incoming", SLICE)})
            SELECT year, quarter, agency_code, mission_code, metric_code,
                   s.value AS stored, i.value AS incoming,
                   coalesce(i.value, 0) - coalesce(s.value, 0) AS change
            FROM i FULL JOIN s USING (year, quarter, agency_code, mission_code, metric_code)
            JOIN preview_metric_ref USING (metric_code)
            ORDER BY year, quarter, agency_code, mission_code, sort_order
            """,
        )
    finally:
        for name in views:
            with contextlib.suppress(Exception):  # not registered: an earlier step failed
                con.unregister(name)
        for name in tables:
            con.execute(f"DROP TABLE IF EXISTS {name}")
        if own:
            con.close()
    slice_changes["status"] = [
        "new" if r.stored_figures == 0 else ("same" if r.added == r.removed == r.changed == 0 else "replace")
        for r in slice_changes.itertuples()
    ]
    notes = []
    if prepared.basis == "cumulative":
        notes.append(
            "누계 실적입니다. 적재할 때 같은 보고자의 이전 분기 실적을 빼서 분기 실적으로 바꿉니다 (아래 비교는 바꾼 값). / "
            "Year-to-date figures: stored as quarterly increments (compared below after conversion)."
        )
    return Preview(
        file_name=prepared.file_name,
        basis=prepared.basis,
        layout_name=prepared.layout_name,
        figures=figures,
        layouts=layouts_frame(prepared),
        by_mission_sector=by_mission_sector,
        totals=totals,
        warnings=problems_frame([*prepared.warnings, *cumulative_warnings, *explained]),
        warning_problems=[*prepared.warnings, *cumulative_warnings, *explained],
        slice_changes=slice_changes,
        metric_changes=metric_changes,
        rederived=rederived,
        duplicate_of=duplicate,
        restates=restates,
        notes=notes,
        explanations=explaining,
    )


def _explanations(
    prepared: Prepared, con: duckdb.DuckDBPyConnection | None, status_of: StatusOf | None
) -> tuple[list[Problem], int]:
    """The warnings of the return's 사유 rows as commit() will check them, and how many it stores; Refused on an error."""
    if not prepared.explanations:
        return [], 0
    rows = prepared.rows
    year, quarter = (pc.cast(rows[c], pa.int32()) for c in ("year", "quarter"))
    agency, period = return_scope(
        prepared.file_name,
        prepared.explanations,
        set(pc.unique(rows["agency_code"]).to_pylist()),
        pc.unique(pc.add(pc.multiply(year, 10), quarter)).to_pylist(),
    )
    changed: list = []
    if con is None:  # no warehouse yet: no closed quarter, no target
        problems = [
            e.problem(
                "metric", "웨어하우스에 목표가 아직 없어 사유를 적재할 수 없습니다.", "no targets stored yet"
            )
            for e in prepared.explanations
        ]
    else:
        changed, problems = with_return(
            con, prepared.explanations, agency=agency, period=period, status_of=status_of
        )
    if any(p.severity == "error" for p in problems):
        raise Refused(prepared.file_name, problems)
    return problems, len(changed)


def _quarterly(con: duckdb.DuckDBPyConnection, prepared: Prepared) -> tuple[str, list[Problem]]:
    """The relation holding the figures as commit() will store them (preview_rows registered), and warnings.

    Cumulative figures go through the loader's own conversion, so the comparison is exact; a
    year-to-date figure below the earlier quarters is Refused here already, as commit would.
    """
    if prepared.basis != "cumulative":
        return "preview_rows", []
    return "staged", list(to_quarterly(con, "preview_rows", prepared.file_name))


def _closed_quarters(con: duckdb.DuckDBPyConnection) -> list[tuple[int, int]]:
    """The closed quarters among those preview_incoming covers (commit records them as `restates`)."""
    has_table = con.execute(
        "SELECT 1 FROM duckdb_tables() WHERE table_name = 'quarter_close' AND NOT temporary"
    ).fetchall()
    if not has_table:  # a warehouse from before the reporting cycle, opened read-only
        return []
    rows = con.execute(
        "SELECT DISTINCT year, quarter FROM preview_incoming SEMI JOIN quarter_close USING (year, quarter) "
        "ORDER BY ALL"
    ).fetchall()
    return [(int(y), int(q)) for y, q in rows]


def _rederived(con: duckdb.DuckDBPyConnection, file_name: str) -> pd.DataFrame:
    """Figures per slice that commit would derive again (etl.store.rederive); Refused as commit would refuse."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE preview_slices AS "
        "SELECT DISTINCT year, quarter, agency_code, mission_code FROM preview_incoming"
    )
    problems = derive_again(con, "preview_slices", AFTER_COMMIT, own="preview_incoming")
    if problems:
        raise Refused(file_name, problems)
    return _df(
        con,
        "SELECT year, quarter, agency_code, mission_code, count(*) AS figures FROM rederived GROUP BY ALL ORDER BY ALL",
    )


def _stored_figures() -> str:
    """The stored side of preview_paired as figures with a `value` column."""
    return (
        "(SELECT year, quarter, agency_code, mission_code, sector_code, program_code, metric_code, "
        "stored AS value FROM preview_paired WHERE stored IS NOT NULL)"
    )


# The figures a results rollback brings back: the whole slice of the submission that takes over.
ROLLBACK_RESTORED = """
(SELECT f.* FROM fact_result AS f
 JOIN rollback_restored AS p USING (submission_id, year, quarter, agency_code, mission_code))
"""

# The current figures as they would be after rolling back submission {id} (etl.store.rederive's relation
# of current figures): its own figures out, the versions before it back in, as etl.store.ledger does.
AFTER_ROLLBACK = """
(SELECT submission_id, {key}, value, cumulative_value FROM fact_result WHERE is_current AND submission_id <> {{id}}
 UNION ALL BY NAME
 SELECT submission_id, {key}, value, cumulative_value FROM {restored})
""".format(key=", ".join(KEY), restored=ROLLBACK_RESTORED)

ROLLBACK_IMPACT = f"""
SELECT (SELECT count(*) FROM fact_result WHERE submission_id = $id AND is_current) AS current_figures,
       (SELECT count(*) FROM rollback_undone) AS slices,
       (SELECT count(*) FROM rollback_restored) AS restored_slices,
       (SELECT count(*) FROM {ROLLBACK_RESTORED}) AS restored_figures
"""


def rollback_impact(con: duckdb.DuckDBPyConnection, submission_id: int) -> dict:
    """What undoing a results submission would do, computed as etl.store.ledger.rollback would, storing nothing.

    current_figures stop showing (over `slices` slices); restored_figures come back (the earlier
    version of restored_slices slices); `rederived` later figures from 누계 returns are derived again
    (etl.store.rederive.derive_again, on temp tables: a read-only connection is enough). `figures` is the
    sum, the count the rollback reports. `refused` is the RollbackError message when a later quarter
    would go negative (the rollback would be refused), else None.
    """
    submission_id = int(submission_id)
    cur = con.cursor()  # its own temp tables, whatever else runs on `con`
    try:
        cur.execute(UNDONE.format(undone="rollback_undone"), {"id": submission_id})
        cur.execute(
            f"CREATE OR REPLACE TEMP TABLE rollback_restored AS {RESTORED.format(undone='rollback_undone')}",
            {"id": submission_id},
        )
        current, slices, restored_slices, restored = cur.execute(
            ROLLBACK_IMPACT, {"id": submission_id}
        ).fetchall()[0]
        problems = derive_again(cur, "rollback_undone", AFTER_ROLLBACK.format(id=submission_id))
        rederived = cur.execute("SELECT count(*) FROM rederived").fetchall()[0][0]
    finally:
        for name in ("rollback_undone", "rollback_restored", "rederived"):
            cur.execute(f"DROP TABLE IF EXISTS {name}")
        cur.close()
    return {
        "current_figures": current,
        "slices": slices,
        "restored_slices": restored_slices,
        "restored_figures": restored,
        "rederived": rederived,
        "figures": current + restored + rederived,
        "refused": rollback_refusal(submission_id, problems) if problems else None,
    }
