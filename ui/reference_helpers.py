"""The reference page's parts: the hub table in the current language and the audited hub change."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.i18n import tr
from ui.roles import Identity
from warehouse import admin
from warehouse.connection import connection
from warehouse.paths import db_path
from warehouse.schema import REFERENCE_FILES, read_reference

DONE = "reference_done"


def hub_table(hubs: pd.DataFrame) -> pd.DataFrame:
    name = "name_en" if tr("ko", "en") == "en" else "name_ko"
    return pd.DataFrame(
        {
            tr("공관", "Mission"): hubs[name],
            tr("코드", "Code"): hubs["mission_code"],
            tr("거점 지정 연도", "Hub since"): hubs["hub_since"].astype("Int64"),
            tr("기준 파일 값", "Reference file"): hubs["csv_since"].astype("Int64"),
            tr("관리자 변경", "Set here"): hubs["overridden"].map({True: "✓", False: ""}),
            tr("변경자", "Changed by"): hubs["changed_by"].fillna(""),
            # text, so a mission never changed shows an empty cell rather than "None"
            tr("변경 시각", "Changed at"): pd.to_datetime(hubs["changed_at"])
            .dt.strftime("%Y-%m-%d %H:%M")
            .fillna(""),
            tr("메모", "Note"): hubs["note"].fillna(""),
        }
    )


def apply_hub_change(mission: str, action: str, since: int, note: str | None, me: Identity) -> str:
    """Designate, withdraw or reset one mission's hub status; audited. A confirmation message."""
    with connection(db_path()) as con:
        if action == "designate":
            admin.set_kbeauty_hub(con, mission, since, by=me.user, role=me.role, note=note)
        elif action == "withdraw":
            admin.set_kbeauty_hub(con, mission, None, by=me.user, role=me.role, note=note)
        else:
            admin.reset_kbeauty_hub(con, mission, by=me.user, role=me.role)
    st.cache_data.clear()
    return {
        "designate": tr(
            f"{mission}: {since}년부터 거점공관으로 지정했습니다.", f"{mission}: hub since {since}."
        ),
        "withdraw": tr(f"{mission}: 거점공관 지정을 해제했습니다.", f"{mission}: designation withdrawn."),
        "reset": tr(f"{mission}: 기준 파일 값으로 되돌렸습니다.", f"{mission}: back to the reference file."),
    }[action]


def reference_table(kind: str, lang: str) -> pd.DataFrame:
    """A reference list as the CSV holds it, without the alias column (long and for matching only)
    and the sort order (the rows are shown in it)."""
    df = pd.DataFrame(read_reference(REFERENCE_FILES[kind][0]))
    drop = [c for c in df.columns if c in ("aliases", "sort_order") or c.startswith("description_")]
    keep_desc = f"description_{lang}"
    if kind == "metrics" and keep_desc in df.columns:
        drop = [c for c in drop if c != keep_desc]
    return df.drop(columns=drop)
