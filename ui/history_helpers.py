"""The load history and rollback: tables in the current language, and the confirmed rollback itself."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from etl.store.ledger import RollbackError, rollback
from ui.i18n import lang, name_column, tr
from ui.roles import Identity
from ui.text import option
from warehouse.connection import connection
from warehouse.paths import db_path
from warehouse.schema import read_reference
from warehouse.text import josa

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
    "meetings": ("회의", "meetings"),
    "explanations": ("사유·대책", "explanations"),
    "actions": ("후속 조치", "actions"),
    "action_notes": ("진행 메모", "action notes"),
}
# What the audit log's `action` codes mean (warehouse/admin.py, data/admin.sql).
AUDIT_ACTION = {
    "commit": ("적재", "load"),
    "rollback": ("적재 취소", "rollback"),
    "targets": ("목표 변경", "targets edited"),
    "kbeauty_hub": ("K-뷰티 거점 지정", "K-beauty hub set"),
    "meeting": ("회의 등록", "meetings"),
    "incidents": ("긴급상황 등록", "incidents"),
    "explanations": ("사유·대책", "explanations"),
    "actions": ("후속 조치", "actions"),
    "action_notes": ("진행 메모", "action notes"),
    "close_quarter": ("분기 마감", "quarter closed"),
    "reopen_quarter": ("분기 다시 열기", "quarter reopened"),
}
PENDING = "history_pending_rollback"
DONE = "history_rollback_done"


def history_table(df: pd.DataFrame) -> pd.DataFrame:
    """Who, when, which file, how many rows, what status: one row per submission, newest first."""
    period = df["period_first"].map(_as_quarter)
    last = df["period_last"].map(_as_quarter)
    period = period.where(period == last, period + "–" + last)
    if "restates" in df:
        # A restatement is marked in its period rather than in a column of its own, mostly empty,
        # that pushed 적재자 out of a 1280 px page.
        period = [p + restates_text(r, p) for p, r in zip(period, df["restates"], strict=True)]
    return pd.DataFrame(
        {
            "#": df["submission_id"],
            tr("구분", "Kind"): df["kind"].map(lambda k: tr(*KIND.get(k, (k, k)))),
            tr("파일", "File"): df["file_name"],
            tr("보고", "Reporter"): df["reporter"].map(reporter_text).astype("str"),
            tr("기간", "Period"): period,
            tr("행 수", "Rows"): df["row_count"],
            tr("상태", "Status"): _status_text(df),
            tr("적재 시각", "Loaded at"): _when(df["loaded_at"]),
            tr("적재자", "Loaded by"): df["loaded_by"].fillna(""),
        }
    )


def audit_table(df: pd.DataFrame) -> pd.DataFrame:
    """The audit log in the current language: when (to the minute), who, what, on what. The log's
    running number and the raw codes are left out."""
    return pd.DataFrame(
        {
            tr("일시", "When"): _when(df["acted_at"]),
            tr("변경자", "By"): df["actor"].fillna("").astype("str"),
            tr("역할", "Role"): df["role"].fillna("").astype("str"),
            tr("변경", "Change"): df["action"].map(lambda a: tr(*AUDIT_ACTION.get(a, (a, a)))).astype("str"),
            tr("대상", "Subject"): df["subject"].fillna("").astype("str"),
            tr("내용", "Detail"): df["detail"].fillna("").astype("str"),
        }
    )


def _as_quarter(value: object) -> str:
    """A period as the 기간 column writes it: '2026Q2'; an incidents file's dates ('2025-01-14') as
    their quarters, so one wide row does not widen the column for all."""
    if not isinstance(value, str):
        return ""
    if len(value) == 10 and value[4] == "-" and value[7] == "-" and value[5:7].isdigit():
        return f"{value[:4]}Q{(int(value[5:7]) - 1) // 3 + 1}"
    return value


def _status_text(df: pd.DataFrame) -> list[str]:
    """'현재 반영 · 경고 2', or for a rolled-back file '취소됨 · 2026-11-02 10:15 · kim': the warnings,
    and when and by whom a file was undone, sit in the status rather than in three columns empty or
    zero on almost every row (the table then fits 1280 px)."""
    out = []
    rows = zip(
        df["status"], df["warning_count"], _when(df["rolled_back_at"]), df["rolled_back_by"], strict=True
    )
    for status, warnings, at, by in rows:
        parts = [tr(*STATUS.get(status, (status, status)))]
        if not pd.isna(warnings) and int(warnings) > 0:
            parts.append(tr(f"경고 {int(warnings)}", f"{int(warnings)} warning(s)"))
        if status == "rolled_back":
            parts += [at, by if isinstance(by, str) else ""]
        out.append(" · ".join(p for p in parts if p))
    return out


def restates_text(value: object, period: str = "") -> str:
    """' · 정정' after a period when a return restated closed quarters ('2025Q3,2025Q4'), naming them
    when they are not the period itself (' · 정정 2025Q3'); '' for none."""
    if not isinstance(value, str) or not value:
        return ""
    quarters = ", ".join(part.strip() for part in value.split(",") if part.strip())
    word = tr("정정", "restates")
    return f" · {word}" if quarters == period else f" · {word} {quarters}"


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
    return f"#{row['submission_id']} · {kind} · {option(row['file_name'])} · {row['loaded_at']:%Y-%m-%d %H:%M} · {option(row['loaded_by'] or '-')}"


def rollback_effect(impact: dict | None) -> str:
    """What a rollback will change, from etl.returns.preview.rollback_impact (None: a targets submission)."""
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
        changed = rollback(con, submission_id, by=me.user, role=me.role)
    st.cache_data.clear()
    return tr(
        f"{josa(f'제출 #{submission_id}', '을/를')} 취소했습니다: 수치 {changed:,}건이 바뀌었습니다.",
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
