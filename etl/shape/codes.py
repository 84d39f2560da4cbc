"""From staged text rows to coded rows: each dimension text becomes a code, each period text a number.

Python only sees the distinct spellings of each column (a few hundred even in a 200,000-row
back-fill), read in one query; DuckDB then joins the small lookup tables onto every row.
"""

from collections.abc import Callable

import duckdb
import pyarrow as pa

from etl.shape import arrow
from etl.shape.headers import money_factor
from etl.shape.normalise import DEFAULT_PROGRAM, Defaults, TableRows
from etl.shape.period import find_period, parse_basis, parse_quarter, parse_year
from etl.shape.resolve import resolve_many
from etl.shape.sql import is_total, is_total_text

DISTINCT = "SELECT {column} FROM {grid} WHERE {column} IS NOT NULL GROUP BY {column} ORDER BY min(_row)"
# field → (arrow columns of its lookup table, how one distinct text is read)
_CODE = {"code": pa.string()}
LOOKUPS: dict[str, tuple[dict[str, pa.DataType], Callable[[str], tuple]]] = {
    "agency": (_CODE, lambda t: (resolve_many("agency", [t])[t],)),
    "mission": (_CODE, lambda t: (resolve_many("mission", [t])[t],)),
    "sector": (_CODE, lambda t: (resolve_many("sector", [t])[t],)),
    "program": (_CODE, lambda t: (resolve_many("program", [t])[t],)),
    "metric": (_CODE, lambda t: (resolve_many("metric", [t])[t],)),
    "year": ({"num": pa.int32()}, lambda t: (parse_year(t),)),
    "quarter": ({"num": pa.int32()}, lambda t: (parse_quarter(t),)),
    "period": ({"year": pa.int32(), "quarter": pa.int32()}, lambda t: find_period(t) or (None, None)),
    "basis": ({"cumulative": pa.bool_()}, lambda t: _basis(t)),
    "unit": ({"factor": pa.float64(), "won": pa.bool_()}, lambda t: money_factor(t)),
}


def _basis(text: str) -> tuple[bool | None]:
    basis = parse_basis(text)
    return (None if basis is None else basis == "cumulative",)


def sql_literal(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def lookup_name(rows: TableRows, field: str) -> str:
    return f"map_{rows.name}_{field}"


def register_lookups(stg: duckdb.DuckDBPyConnection, rows: TableRows) -> list[str]:
    """One lookup table per text column of the staged rows (raw text → parsed); the fields registered."""
    fields = [f for f in LOOKUPS if f in rows.layout.fields and f"{f}_raw" in rows.columns]
    if not fields:
        return []
    for field in fields:
        # The distinct cells of the column in the order they first appear; a year may arrive as a number.
        # (DuckDB rather than pyarrow.compute, which a command-line load would import for this alone.)
        distinct = stg.sql(DISTINCT.format(column=f"c{rows.layout.fields[field]}", grid=f"grid_{rows.n}"))
        distinct = distinct.to_arrow_table().column(0).combine_chunks()
        values = distinct.to_pylist()
        texts = [_as_text(v) for v in values]
        columns, read = LOOKUPS[field]
        parsed = [read(t) for t in texts]
        rows.lookups[field] = dict(zip(values, parsed, strict=True))
        data = {"raw": distinct}
        for i, (name, kind) in enumerate(columns.items()):
            data[name] = arrow.column([p[i] for p in parsed], kind)
        data["is_total"] = arrow.column([is_total_text(t) for t in texts], pa.bool_())
        data["blank"] = arrow.column([not t.strip() for t in texts], pa.bool_())
        stg.register(lookup_name(rows, field), arrow.table(data))
    return fields


def _as_text(value) -> str:
    """A cell as text: 2026.0 (a number cell) reads as '2026'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def code_rows(stg: duckdb.DuckDBPyConnection, rows: TableRows, found: Defaults) -> None:
    """The temp table coded_{n}: every body row with its codes, period, basis and unit factor."""
    layout = rows.layout
    fields = set(register_lookups(stg, rows))
    joins = [f"LEFT JOIN {lookup_name(rows, f)} AS m_{f} ON b.{f}_raw = m_{f}.raw" for f in sorted(fields)]

    def coded(kind: str, fallback) -> str:
        # An empty cell takes the table's default; an unknown text stays NULL (reported as unknown).
        if kind not in fields:
            return sql_literal(fallback)
        return f"coalesce(m_{kind}.code, CASE WHEN b.{kind}_raw IS NULL OR m_{kind}.blank THEN {sql_literal(fallback)} END)"

    program_fallback = found.program or DEFAULT_PROGRAM
    exprs = {
        "agency_code": coded("agency", found.agency),
        "mission_code": coded("mission", found.mission),
        "sector_code": coded("sector", found.sector),
        "program_code": coded("program", program_fallback),
    }
    for part in ("year", "quarter"):
        sources = []
        if part in fields:
            sources.append(f"m_{part}.num")
        if "period" in fields:
            sources.append(f"m_period.{part}")
        given = [f for f in (part, "period") if f in fields]
        empty = " AND ".join(f"(b.{g}_raw IS NULL OR m_{g}.blank)" for g in given) or "true"
        sources.append(f"CASE WHEN {empty} THEN {sql_literal(getattr(found, part))} END")
        exprs[part] = f"coalesce({', '.join(sources)})"
    cumulative = sql_literal(found.basis == "cumulative")
    exprs["cumulative"] = f"coalesce(m_basis.cumulative, {cumulative})" if "basis" in fields else cumulative
    if layout.kind == "long":
        exprs["metric_code"] = "m_metric.code" if "metric" in fields else "NULL"
        note = sql_literal(layout.note_money_factor or 1.0)
        exprs["factor"] = f"coalesce(m_unit.factor, {note})" if "unit" in fields else note
    elif "unit" in fields:
        # A wide table's unit column (금액 단위: 백만달러) applies to money columns whose header names none.
        exprs["row_factor"] = "m_unit.factor"
    totals = [f"coalesce(m_{f}.is_total, false)" for f in sorted(fields)]
    if "label_raw" in rows.columns:
        totals.append(is_total("b.label_raw"))
    exprs["is_total"] = " OR ".join(totals) or "false"
    # A cell of spaces reads as empty from here on.
    blanks = ", ".join(
        f"CASE WHEN m_{f}.blank THEN NULL ELSE b.{f}_raw END AS {f}_raw" for f in sorted(fields)
    )
    stg.execute(f"""
        CREATE OR REPLACE TEMP TABLE {rows.coded} AS
        SELECT b.* {f"REPLACE ({blanks})" if blanks else ""},
               {", ".join(f"{expr} AS {name}" for name, expr in exprs.items())}
        FROM {rows.body} AS b
        {" ".join(joins)}
    """)
    rows.coded_columns = set(exprs)
    rows.total_rows = stg.execute(f"SELECT count(*) FROM {rows.coded} WHERE is_total").fetchall()[0][0]
