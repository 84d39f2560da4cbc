"""The load history and rollback: tables in the current language, and the confirmed rollback itself."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from etl.store import RollbackError, rollback
from ui.i18n import lang, name_column, tr
from ui.roles import Identity
from warehouse import admin
from warehouse.connection import connection
from warehouse.paths import db_path
from warehouse.schema import read_reference

STATUS = {
    "current": ("현재 반영", "current"),
    "partly_superseded": ("일부 대체됨", "partly superseded"),
    "superseded": ("대체됨", "superseded"),
    "rolled_back": ("취소됨", "rolled back"),
}
KIND = {
    "results": ("실적", "results"),
    "targets": ("목표", "targets"),
    "incidents": ("긴급상황", "incidents"),
}
PENDING = "history_pending_rollback"
DONE = "history_rollback_done"


def history_table(df: pd.DataFrame) -> pd.DataFrame:
    """Who, when, which file, how many rows, what status: one row per submission, newest first."""
    period = df["period_first"].fillna("")
    last = df["period_last"].fillna("")
    period = period.where(period == last, period + "–" + last)
    return pd.DataFrame(
        {
            "#": df["submission_id"],
            tr("구분", "Kind"): df["kind"].map(lambda k: tr(*KIND.get(k, (k, k)))),
            tr("파일", "File"): df["file_name"],
            tr("보고", "Reporter"): df["reporter"].map(reporter_text).astype("str"),
            tr("기간", "Period"): period,
            tr("정정", "Restates"): df["restates"].map(restates_text) if "restates" in df else "",
            tr("행 수", "Rows"): df["row_count"],
            tr("경고", "Warnings"): df["warning_count"],
            tr("상태", "Status"): df["status"].map(lambda s: tr(*STATUS.get(s, (s, s)))),
            tr("적재 시각", "Loaded at"): _when(df["loaded_at"]),
            tr("적재자", "Loaded by"): df["loaded_by"].fillna(""),
            tr("취소 시각", "Rolled back at"): _when(df["rolled_back_at"]),
            tr("취소자", "Rolled back by"): df["rolled_back_by"].fillna(""),
        }
    )


def restates_text(value: object) -> str:
    """'2025Q3,2025Q4' → '정정: 2025년 3분기, 2025년 4분기' (the closed quarters a return restated); '' for none."""
    if not isinstance(value, str) or not value:
        return ""
    named = []
    for part in value.split(","):
        year, _, quarter = part.strip().partition("Q")
        named.append(tr(f"{year}년 {quarter}분기", f"{year} Q{quarter}"))
    return tr("정정: ", "Restates ") + ", ".join(named)


def reporter_text(reporter: object) -> str:
    """'mofa/VN-HAN' or 'kosme,mss' as names: 외교부 · 주베트남 대사관, 중진공, 중기부."""
    if not isinstance(reporter, str) or not reporter:
        return ""
    agencies, _, mission = reporter.partition("/")
    short = "short_en" if lang() == "en" else "short_ko"
    agency_names = {r["agency_code"]: r[short] or r["agency_code"] for r in read_reference("agencies.csv")}
    text = ", ".join(agency_names.get(a, a) for a in agencies.split(",") if a)
    if mission:
        missions = {r["mission_code"]: r[name_column()] for r in read_reference("missions.csv")}
        text += f" · {missions.get(mission, mission)}"
    return text


def _when(times: pd.Series) -> pd.Series:
    return pd.to_datetime(times).dt.strftime("%Y-%m-%d %H:%M").fillna("").astype("str")


def describe(row: pd.Series) -> str:
    kind = tr(*KIND.get(row["kind"], (row["kind"], row["kind"])))
    return f"#{row['submission_id']} · {kind} · {row['file_name']} · {row['loaded_at']:%Y-%m-%d %H:%M} · {row['loaded_by'] or '-'}"


def rollback_effect(impact: dict | None) -> str:
    """What a rollback will change, from etl.preview.rollback_impact (None: a targets submission)."""
    if impact is None:
        return tr(
            "이 목표 파일의 목표가 빠지고, 같은 연도의 이전 목표 파일이 다시 반영됩니다.",
            "Its targets are withdrawn and the previous targets file for the same years returns.",
        )
    n = impact["rederived"]
    return tr(
        f"지금 보이는 수치 {impact['current_figures']:,}건({impact['slices']}개 공관·분기 구간)이 빠지고, "
        f"그중 {impact['restored_slices']}개 구간은 이전에 올린 판이 다시 반영됩니다. "
        f"바뀌는 수치는 모두 {impact['figures']:,}건입니다"
        + (f"(이후 분기 누계 환산 {n:,}건 재계산 포함)." if n else "."),
        f"{impact['current_figures']:,} figures now shown ({impact['slices']} mission-quarter slices) are "
        f"withdrawn; for {impact['restored_slices']} of those slices the previously loaded version returns. "
        f"{impact['figures']:,} figures change in all"
        + (f", including {n:,} later figures from 누계 returns derived again." if n else "."),
    )


def do_rollback(submission_id: int, me: Identity) -> str:
    """Undo one submission (its previous versions come back) and record who did it."""
    with connection(db_path()) as con:
        changed = rollback(con, submission_id, by=me.user)
        admin.record(
            con,
            "rollback",
            actor=me.user,
            role=me.role,
            subject=f"#{submission_id}",
            detail=f"{changed} figures",
        )
    st.cache_data.clear()
    return tr(
        f"제출 #{submission_id}을(를) 취소했습니다: 수치 {changed:,}건이 바뀌었습니다.",
        f"Submission #{submission_id} rolled back: {changed:,} figures changed.",
    )


__all__ = [
    "PENDING",
    "RollbackError",
    "describe",
    "do_rollback",
    "history_table",
    "restates_text",
    "rollback_effect",
]
