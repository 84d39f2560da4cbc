"""The explanation lists of 제출 현황 (who still owes one) and 목표 관리 (every target of the quarter).

Both are about the latest closed quarter (or, in a meeting's view, the quarter it reviewed, with the
explanations as they stood then), whatever year or dimension the sidebar shows: an agency answers
for every target it owns. Writing is offered in today's view only, to whoever may write.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics import registry
from metrics.explanations import (
    count_explained,
    exceptions,
    explained_attainment,
    latest_closed,
    missing_by_agency,
    quarter_explanations,
)
from metrics.filters import Filters
from ui import blocks, cycle
from ui import explanations as ex
from ui.charts import status_text
from ui.i18n import lang, tr
from ui.reference import names
from ui.roles import Identity


def _quarter_name(scope: Filters) -> str:
    through = int(scope.through or 0)
    return tr(f"{through // 10}년 {through % 10}분기", f"{through // 10} Q{through % 10}")


def _rows_table(df: pd.DataFrame, *, owner: bool = True, target: bool = False) -> pd.DataFrame:
    out = pd.DataFrame()
    maps = ex.scope_names()
    if owner:
        agencies = maps["agencies"]
        out[tr("담당 기관", "Owner")] = [
            agencies.get(c, str(c)) if isinstance(c, str) else "" for c in df["owner_agency"]
        ]
    out[tr("상태", "Status")] = [status_text(s, lang()) if isinstance(s, str) else "" for s in df["status"]]
    out[tr("지표", "Metric")] = [registry.label(m, lang()) for m in df["metric_code"]]
    out[tr("범위", "Scope")] = [ex.scope(r, maps) for r in df.to_dict("records")]
    if target:
        out[tr("목표", "Target")] = df["target"].astype("float64").round(1).to_numpy()
        out[tr("누계 실적", "Year to date")] = df["ytd_value"].astype("float64").round(1).to_numpy()
    out[tr("달성률(%)", "Attained (%)")] = df["attainment_pct"].astype("float64").round(1).to_numpy()
    out[tr("진도 대비(%)", "vs pace (%)")] = df["vs_expected_pct"].astype("float64").round(0).to_numpy()
    return out


def submissions_section(view: Filters, me: Identity) -> None:
    """제출 현황: for each agency, its targets at 주의/미흡 still without an explanation (count and list)."""
    scope = blocks.load(latest_closed, view)
    st.subheader(tr("사유·대책 미작성", "Explanations still missing"))
    if scope is None:
        st.caption(tr("마감된 분기가 없어 사유·대책을 받을 목표가 없습니다.", "No quarter is closed yet."))
        return
    name = _quarter_name(scope)
    quarter = blocks.load(quarter_explanations, scope)
    exc = blocks.load(exceptions, scope)
    missing = exc[~exc["explained"].astype(bool)].reset_index(drop=True)
    written = len(exc) - len(missing)
    st.caption(
        tr(
            f"{name} 마감 기준 주의·미흡 목표 {len(exc)}개 중 사유·대책 작성 {written}개, 미작성 {len(missing)}개. "
            "담당 기관은 목표의 기관이며, 기관이 없는 목표는 중기부(사무국)입니다.",
            f"Targets at risk or behind as of {name} (closed): {len(exc)}; explained {written}, missing "
            f"{len(missing)}. The owner is the target's agency, or MSS (the secretariat) for a target without one.",
        )
    )
    if missing.empty:
        st.success(
            tr("모든 주의·미흡 목표에 사유·대책이 있습니다.", "Every target at risk or behind is explained."),
            icon=":material/check_circle:",
        )
    else:
        owed = blocks.load(missing_by_agency, view)  # most owed first
        agency_order = list(owed["owner_agency"])
        counts = pd.DataFrame(
            {
                tr("담당 기관", "Owner"): [ex.owner_name(a) for a in agency_order],
                tr("미작성", "Missing"): owed["missing"].astype(int).to_numpy(),
                tr("■ 미흡", "■ Behind"): owed["behind"].astype(int).to_numpy(),
                tr("▲ 주의", "▲ At risk"): owed["at_risk"].astype(int).to_numpy(),
            }
        )
        blocks.table(
            counts, stem=tr("사유대책_미작성_기관별", "explanations_missing_by_agency"), key="expl_counts"
        )
        agencies = names("agencies")
        default = me.agency if me.role == "analyst" and me.agency in agency_order else None
        chosen = st.selectbox(
            tr("담당 기관별 목록", "List for"),
            [None, *agency_order],
            index=([None, *agency_order].index(default) if default else 0),
            format_func=lambda a: tr("모든 기관", "Every agency") if a is None else agencies.get(a, a),
            key="expl_missing_agency",
        )
        shown = missing if chosen is None else missing[missing["owner_agency"] == chosen]
        blocks.table(
            _rows_table(shown),
            stem=tr("사유대책_미작성", "explanations_missing") + (f"_{chosen}" if chosen else ""),
            key="expl_missing",
            status_column=tr("상태", "Status"),
            statuses=list(shown["status"]),
        )
    if written:
        with st.expander(tr(f"작성된 사유·대책 ({written})", f"Explanations written ({written})")):
            ex.texts(exc)
    if cycle.chosen_meeting() is None:
        ex.writer(exc, me, quarter, key="sub_expl")


def targets_section(me: Identity) -> None:
    """목표 관리: every target of the latest closed quarter with its status and explanation; write one."""
    scope = blocks.load(latest_closed, None)
    if scope is None:
        st.info(tr("마감된 분기가 없어 사유·대책을 받을 목표가 없습니다.", "No quarter is closed yet."))
        return
    name = _quarter_name(scope)
    quarter = blocks.load(quarter_explanations, scope)
    att = blocks.load(explained_attainment, scope)
    att = att[att["status"].notna()].reset_index(drop=True)
    needing, written = (int(att["needs_explanation"].sum()), int(att["explained"].sum()))
    st.caption(
        tr(
            f"{name} 마감 기준 모든 목표와 상태입니다. 주의·미흡 {needing}개, 사유·대책 작성 {written}개. "
            "정상 목표에도 쓸 수 있지만 경고가 표시됩니다.",
            f"Every target as of {name} (closed), with its status: {needing} at risk or behind, "
            f"{written} explained. A target on track may be explained too, with a warning.",
        )
    )
    table = _rows_table(att, target=True)
    table = ex.with_marks(table, att, tr("진도 대비(%)", "vs pace (%)"))
    blocks.table(
        table,
        stem=tr("목표_사유대책", "targets_explanations") + f"_{scope.through}",
        key="targets_expl",
        status_column=tr("상태", "Status"),
        statuses=list(att["status"]),
    )
    if written:
        with st.expander(tr(f"작성된 사유·대책 ({written})", f"Explanations written ({written})")):
            ex.texts(att)
    ex.writer(att, me, quarter, key="targets_expl_write")


def summary_line(df: pd.DataFrame) -> str | None:
    """'사유·대책: 주의·미흡 목표 106개 중 14개 작성 (미작성 92개, 제출 현황)' for an `attach`ed frame."""
    needing, written = count_explained(df)
    if not needing:
        return None
    return tr(
        f"사유·대책: 주의·미흡 목표 {needing}개 중 {written}개 작성 · 미작성 {needing - written}개 (제출 현황에서 확인)",
        f"Explanations: {written} of {needing} targets at risk or behind explained · "
        f"{needing - written} missing (see Submissions)",
    )
