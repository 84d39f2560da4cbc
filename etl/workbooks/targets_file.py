"""Targets as a file an administrator downloads, edits and uploads again, checked by the targets loader.

Edits made on screen go through the same path: the edited table is written as a targets workbook
and read back through the one intake (etl.intake), so a typed target is validated exactly like an uploaded
one, and committing it is a submission like any other (who, when, rollback).
"""

import tempfile
from pathlib import Path

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from etl import intake
from etl.registers.targets import TargetsLoaded
from warehouse.schema import read_reference

SHEET = "목표"
HEADERS = ("연도", "지표", "분야", "공관", "주관기관", "목표")
COLUMNS = ("year", "metric_code", "sector_code", "mission_code", "agency_code", "value")

CURRENT = """
SELECT t.year, t.metric_code, t.sector_code, t.mission_code, t.agency_code, t.value
FROM targets AS t
JOIN metrics AS m USING (metric_code)
WHERE $year IS NULL OR t.year = $year
ORDER BY t.year, m.sort_order, t.sector_code NULLS FIRST, t.mission_code NULLS FIRST, t.agency_code NULLS FIRST
"""


def current_targets(con: duckdb.DuckDBPyConnection, year: int | None = None) -> pd.DataFrame:
    """The targets in force (codes; NULL = all), for one year or every year."""
    cur = con.cursor()
    try:
        return cur.execute(CURRENT, {"year": year}).df()
    finally:
        cur.close()


def target_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    cur = con.cursor()
    try:
        return [r[0] for r in cur.execute("SELECT DISTINCT year FROM targets ORDER BY 1").fetchall()]
    finally:
        cur.close()


def _korean_names(file_name: str, code: str) -> dict[str, str]:
    return {r[code]: r["name_ko"] for r in read_reference(file_name)}


def targets_workbook(df: pd.DataFrame) -> bytes:
    """A targets workbook (연도, 지표, 분야, 공관, 주관기관, 목표) from rows of codes; empty = all."""
    names = {
        "metric_code": _korean_names("metrics.csv", "metric_code"),
        "sector_code": _korean_names("sectors.csv", "sector_code"),
        "mission_code": _korean_names("missions.csv", "mission_code"),
        "agency_code": _korean_names("agencies.csv", "agency_code"),
    }
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(list(HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for rec in df.to_dict("records"):
        row = []
        for column in COLUMNS:
            value = rec.get(column)
            if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
                row.append(None)
            elif column in names:
                row.append(names[column].get(str(value), str(value)))
            elif column == "year":
                row.append(int(value))
            else:
                row.append(float(value))
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a name is text, never a formula
    for letter, width in zip("ABCDEF", (8, 22, 12, 26, 20, 14), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "targets.xlsx"
        wb.save(path)
        return path.read_bytes()


def check_targets(data: bytes, name: str) -> pd.DataFrame:
    """The rows a targets workbook holds, as codes; raises Refused listing every problem."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "targets.xlsx"
        path.write_bytes(data)
        rows = intake.read(path, intake.Actor(None), kind="targets", name=name).content
    return pd.DataFrame(
        [r[:6] for r in rows],
        columns=["year", "metric_code", "sector_code", "mission_code", "agency_code", "value"],
    )


def commit_targets(
    con: duckdb.DuckDBPyConnection, data: bytes, name: str, actor: intake.Actor
) -> TargetsLoaded:
    """Load a targets workbook through the one intake: it replaces the current targets of the years it
    covers, with the audit line in the same transaction."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "targets.xlsx"
        path.write_bytes(data)
        return intake.load(con, path, actor, kind="targets", name=name)


KEY = ["year", "metric_code", "sector_code", "mission_code", "agency_code"]


def targets_diff(current: pd.DataFrame, incoming: pd.DataFrame) -> pd.DataFrame:
    """Target by target, for the years the incoming file covers: stored value, new value, change, status.

    Status is new, changed, same, or removed (a current target of those years that the file leaves out;
    loading the file withdraws it, since a targets file replaces its years whole).
    """
    years = set(incoming["year"].astype(int))
    stored = current[current["year"].astype(int).isin(years)]
    left = stored[[*KEY, "value"]].rename(columns={"value": "stored"}).astype({"year": "int64"})
    right = incoming[[*KEY, "value"]].rename(columns={"value": "incoming"}).astype({"year": "int64"})
    for frame in (left, right):
        for column in KEY[1:]:
            frame[column] = frame[column].astype("object").where(frame[column].notna(), "")
    merged = left.merge(right, on=KEY, how="outer")
    merged["change"] = merged["incoming"].fillna(0) - merged["stored"].fillna(0)
    merged["status"] = [
        "new" if pd.isna(s) else "removed" if pd.isna(i) else "same" if abs(s - i) < 1e-9 else "changed"
        for s, i in zip(merged["stored"], merged["incoming"], strict=True)
    ]
    for column in KEY[1:]:
        merged[column] = merged[column].replace("", None)
    return merged.sort_values(KEY, na_position="first", key=lambda s: s.astype(str)).reset_index(drop=True)


def withdrawn_per_year(diff: pd.DataFrame) -> dict[int, tuple[int, int]]:
    """year → (targets in force now, of those the file withdraws), from targets_diff."""
    out: dict[int, tuple[int, int]] = {}
    for year, rows in diff.groupby(diff["year"].astype(int)):
        status = rows["status"]
        out[int(year)] = (int((status != "new").sum()), int((status == "removed").sum()))
    return out
