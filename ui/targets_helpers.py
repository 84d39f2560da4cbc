"""The targets page's Streamlit parts: names for codes, the on-screen editor, saving (audited)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from etl.problems import Problem
from etl.workbooks.annotate import locate
from etl.workbooks.targets_file import commit_targets
from ui.i18n import lang, tr
from ui.roles import Identity
from ui.upload_helpers import actor, names
from warehouse.connection import connection
from warehouse.paths import db_path
from warehouse.schema import read_reference

DONE = "targets_done"
UPLOADER = "targets_uploader_n"
SAVES = "targets_saves"
# An on-screen edit that withdraws most of a year's targets waits for a confirmation: the rows it
# was checked with and the years it withdraws from, and the confirmation checkbox's key.
EDIT_PENDING = "targets_edit_pending"
EDIT_WITHDRAW_OK = "targets_edit_withdraw_ok"
DIMENSIONS = (
    ("metric", "metric_code", "metrics", ("지표", "Metric")),
    ("sector", "sector_code", "sectors", ("분야", "Sector")),
    ("mission", "mission_code", "missions", ("공관", "Mission")),
    ("agency", "agency_code", "agencies", ("주관기관", "Agency")),
)
STATUS = {
    "new": ("신규", "new"),
    "changed": ("변경", "changed"),
    "same": ("동일", "same"),
    "removed": ("빠짐(철회)", "withdrawn"),
}


def empty_targets() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["year", "metric_code", "sector_code", "mission_code", "agency_code", "value"]
    )


def _all() -> str:
    return tr("(전체)", "(all)")


def named(df: pd.DataFrame, status: bool = False) -> pd.DataFrame:
    """Codes as names in the current language, NULL as (all); columns translated."""
    out = pd.DataFrame({tr("연도", "Year"): df["year"]})
    for _, code, kind, label in DIMENSIONS:
        mapping = names(kind)
        out[tr(*label)] = df[code].map(lambda c, m=mapping: _all() if c is None or c != c else m.get(c, c))
    if status:
        out[tr("현재 목표", "Stored")] = df["stored"]
        out[tr("새 목표", "New")] = df["incoming"]
        out[tr("증감", "Change")] = df["change"]
        out[tr("결과", "Outcome")] = df["status"].map(lambda s: tr(*STATUS.get(s, (s, s))))
    else:
        out[tr("목표", "Target")] = df["value"]
    return out


def _options(kind: str) -> dict[str, str]:
    mapping = names(kind)
    if kind == "metrics":
        with_target = {r["metric_code"] for r in read_reference("metrics.csv") if r["has_target"] == "true"}
        mapping = {k: v for k, v in mapping.items() if k in with_target}
    return mapping


def editor_frame(current: pd.DataFrame) -> pd.DataFrame:
    """The year's targets with names for the editor (None = all)."""
    frame = {}
    for field, code, kind, _ in DIMENSIONS:
        mapping = names(kind)
        frame[field] = [None if c is None or c != c else mapping.get(c, c) for c in current[code]]
    frame["value"] = pd.to_numeric(current["value"], errors="coerce").astype("float64")
    return pd.DataFrame(frame, columns=[d[0] for d in DIMENSIONS] + ["value"])


def editor_columns() -> dict:
    config = {}
    for field, _, kind, label in DIMENSIONS:
        config[field] = st.column_config.SelectboxColumn(
            tr(*label),
            options=list(_options(kind).values()),
            required=field == "metric",
            help=None if field == "metric" else tr("비우면 전체", "Empty means all"),
        )
    config["value"] = st.column_config.NumberColumn(tr("목표", "Target"), min_value=0.0, required=True)
    return config


def codes_from_editor(edited: pd.DataFrame, year: int) -> pd.DataFrame:
    """Editor rows back to codes (a name not in the lists is kept as typed, for the loader to refuse)."""
    back = {field: {v: k for k, v in names(kind).items()} for field, _, kind, _ in DIMENSIONS}
    rows = []
    for rec in edited.to_dict("records"):
        if all(rec.get(f) in (None, "") or rec.get(f) != rec.get(f) for f in (*back, "value")):
            continue  # a blank row added and left empty
        row = {"year": year, "value": rec.get("value")}
        for field, code, _, _ in DIMENSIONS:
            text = rec.get(field)
            row[code] = None if text in (None, "") or text != text else back[field].get(text, text)
        rows.append(row)
    return pd.DataFrame(
        rows, columns=["year", "metric_code", "sector_code", "mission_code", "agency_code", "value"]
    )


def editor_problems(problems: list[Problem]) -> pd.DataFrame:
    """Problems found in the edited table, by the editor's row number (sheet row 2 is the first)."""
    rows = []
    for p in problems:
        _, row, _ = locate(p)
        rows.append(
            {
                tr("행", "Row"): (row - 1) if row else "",
                tr("문제", "Problem"): p.message_en if lang() == "en" else p.message_ko,
                tr("고치는 방법", "How to fix"): p.fix_en if lang() == "en" else p.fix_ko,
            }
        )
    return pd.DataFrame(rows)


def save(data: bytes, name: str, me: Identity, count: int) -> None:
    """Commit a checked targets workbook as a submission, recording who did it."""
    with connection(db_path()) as con:
        # the audit line is written by the intake, in the load's own transaction
        loaded = commit_targets(con, data, name, actor(me))
    st.cache_data.clear()
    st.session_state[DONE] = [loaded.summary()]
    st.session_state[SAVES] = st.session_state.get(SAVES, 0) + 1
