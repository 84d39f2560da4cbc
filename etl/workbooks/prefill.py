"""The official template pre-filled for one analyst: their agency, the period, and their rows.

The rows (mission × sector × program) are those the agency reported in its latest quarter, for the
chosen missions; a chosen mission with no history gets one row per main sector under the agency's
lead program. Names are written in Korean, as the template's dropdowns list them.
"""

import tempfile
from collections.abc import Sequence
from pathlib import Path

import duckdb

from etl.registers.explanations import StatusOf
from etl.registers.followup import SECRETARIAT
from etl.shape.normalise import DEFAULT_PROGRAM
from etl.workbooks.template import write_template
from warehouse.cycle import closed_through
from warehouse.schema import read_reference

MAIN_SECTORS = ("kbeauty", "bio", "it", "green")

LATEST_ROWS = """
WITH latest AS (
    SELECT max(year * 10 + quarter) AS period FROM results WHERE agency_code = $agency
)
SELECT DISTINCT r.mission_code, r.sector_code, r.program_code
FROM results AS r, latest
WHERE r.agency_code = $agency AND r.year * 10 + r.quarter = latest.period
"""


def _order(file_name: str, code_column: str) -> dict[str, tuple[int, str]]:
    records = read_reference(file_name)
    return {r[code_column]: (int(r.get("sort_order") or i), r["name_ko"]) for i, r in enumerate(records)}


def lead_program(agency: str | None) -> str:
    programs = sorted(read_reference("programs.csv"), key=lambda r: int(r["sort_order"]))
    return next(
        (p["program_code"] for p in programs if agency and p["lead_agency"] == agency), DEFAULT_PROGRAM
    )


def template_rows(
    con: duckdb.DuckDBPyConnection | None, agency: str | None, missions: Sequence[str] = ()
) -> list[tuple[str, str, str]]:
    """(mission, sector, program) Korean names to pre-fill, in reference order."""
    found: set[tuple[str, str, str]] = set()
    if con is not None and agency:
        cur = con.cursor()
        try:
            found = {tuple(r) for r in cur.execute(LATEST_ROWS, {"agency": agency}).fetchall()}  # ty: ignore[invalid-assignment]
        finally:
            cur.close()
    if missions:
        wanted = set(missions)
        found = {r for r in found if r[0] in wanted}
        program = lead_program(agency)
        for mission in wanted - {r[0] for r in found}:
            found |= {(mission, sector, program) for sector in MAIN_SECTORS}
    mission_order = _order("missions.csv", "mission_code")
    sector_order = _order("sectors.csv", "sector_code")
    program_order = _order("programs.csv", "program_code")
    rows = sorted(
        (r for r in found if r[0] in mission_order and r[1] in sector_order and r[2] in program_order),
        key=lambda r: (mission_order[r[0]][0], sector_order[r[1]][0], program_order[r[2]][0]),
    )
    return [(mission_order[m][1], sector_order[s][1], program_order[p][1]) for m, s, p in rows]


def template_bytes(
    *,
    year: int | None = None,
    quarter: int | None = None,
    agency: str | None = None,
    rows: list[tuple[str, str, str]] | None = None,
    reasons: list[tuple[str, str | None, str | None]] | None = None,
    reasons_period: tuple[int, int] | None = None,
) -> bytes:
    """The template as .xlsx bytes (for a download button)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write_template(
            Path(tmp) / "template.xlsx",
            year=year,
            quarter=quarter,
            agency=agency,
            rows=rows,
            reasons=reasons,
            reasons_period=reasons_period,
        )
        return path.read_bytes()


OWN_TARGETS = """
SELECT t.metric_code, t.sector_code, t.mission_code, t.agency_code
FROM targets AS t JOIN metrics AS m USING (metric_code)
WHERE t.year = $year AND (t.agency_code = $agency OR (t.agency_code IS NULL AND $agency = $secretariat))
ORDER BY m.sort_order, t.sector_code NULLS FIRST, t.mission_code NULLS FIRST
"""


def reason_rows(
    con: duckdb.DuckDBPyConnection | None, agency: str | None, status_of: StatusOf | None
) -> tuple[tuple[int, int] | None, list[tuple[str, str | None, str | None]]]:
    """The last closed quarter and the agency's targets at 주의/미흡 in it, as Korean names, for the 사유 sheet.

    Whether a target is at risk is a metrics question: `status_of` (passed by the caller) answers
    it; without it, or without a closed quarter, nothing is pre-filled.
    """
    closed = closed_through(con) if con is not None else None
    if closed is None or not agency or status_of is None:
        return (divmod(closed, 10) if closed else None), []
    year, quarter = divmod(closed, 10)
    cur = con.cursor()
    try:
        targets = cur.execute(
            OWN_TARGETS, {"year": year, "agency": agency, "secretariat": SECRETARIAT}
        ).fetchall()
    finally:
        cur.close()
    names = {kind: _order(f"{kind}s.csv", f"{kind}_code") for kind in ("metric", "sector", "mission")}
    rows = []
    for metric, sector, mission, owner in targets:
        if status_of(year, quarter, metric, sector, mission, owner) in ("at_risk", "behind"):
            rows.append(
                (
                    names["metric"][metric][1],
                    names["sector"][sector][1] if sector else None,
                    names["mission"][mission][1] if mission else None,
                )
            )
    return (year, quarter), rows
