"""제출 현황: which missions and agencies sent which quarter's return, and which are late or missing."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from metrics.completeness import MISSION_REPORTER, missions_reported
from metrics.views_support import submission_grid
from ui import blocks, charts, cycle, cycle_helpers, explanation_lists, filters, frames
from ui import format as fmt
from ui.i18n import lang, tr
from ui.reference import codes, names
from ui.roles import identity
from warehouse.cycle import DEADLINE_DAYS

LANG = lang()
TODAY = cycle.today()  # a return not in is missing only after its due date (기한 전 before it)
# who has sent what: the quarters still open (접수 중) belong here as much as the closed ones; the
# headline numbers (as-of line, tiles) stay on the closed quarters unless the view is preliminary
shown = filters.current()
f = replace(shown, through=None)
col = frames.col
agency_names = names("agencies")
mission_names = names("missions")

blocks.header(
    tr("제출 현황", "Submissions"),
    f,
    note=tr(
        f"기한: 분기 종료 후 {DEADLINE_DAYS}일 · 분야·사업 조건은 적용되지 않습니다",
        f"Due {DEADLINE_DAYS} days after the quarter ends · sector and program filters do not apply",
    ),
)
if identity().role == "admin":
    with st.container(border=True):
        cycle_helpers.show_panel(identity(), agency_names, TODAY)

grid = blocks.load(submission_grid, f, TODAY)
if grid.empty:
    blocks.empty(
        tr(
            "선택한 조건에서 제출을 기다리는 보고가 없습니다 (그 연도에 보고된 실적이 없거나 조건에 맞는 공관·기관이 없습니다).",
            "No returns are due for the chosen filters (nothing was reported that year, or no mission or agency matches).",
        )
    )
    st.stop()

# --- headline numbers -----------------------------------------------------------------------------
if not f.agencies or MISSION_REPORTER in f.agencies:  # missions' own returns are in view
    blocks.as_of_line(blocks.load(missions_reported, shown, TODAY))
# The tiles count the closed quarters (every quarter in the preliminary view), and only returns that
# are due: one not in before its due date is not yet due (기한 전), counted apart and in no percentage.
counted = grid
if shown.through is not None:
    counted = grid[grid["year"] * 10 + grid["quarter"] <= shown.through]
counts = counted["status"].value_counts().to_dict()
not_due = int(counts.get("not_due", 0))
expected = len(counted) - not_due
cols = st.columns(5 if not_due else 4)
cols[0].metric(tr("제출 대상", "Returns due"), f"{expected:,}{tr('건', '')}", border=True)
for column, status in zip(cols[1:4], ("on_time", "late", "missing"), strict=True):
    n = int(counts.get(status, 0))
    style = charts.SUBMISSION[status]
    column.metric(
        f"{style.glyph} {style.en if LANG == 'en' else style.ko}",
        f"{n:,}{tr('건', '')}",
        delta=fmt.percent(n / expected * 100, 0) if expected else None,
        delta_color="off",
        delta_arrow="off",
        border=True,
    )
if not_due:
    style = charts.SUBMISSION["not_due"]
    cols[4].metric(
        f"{style.glyph} {style.en if LANG == 'en' else style.ko}",
        f"{not_due:,}{tr('건', '')}",
        help=tr(
            "기한이 지나지 않아 아직 들어오지 않은 보고입니다. 미제출과 비율에 넣지 않습니다.",
            "Returns not in yet whose due date has not passed: not counted as missing or in any share.",
        ),
        border=True,
    )

# --- mission × (agency, quarter) grid -------------------------------------------------------------
st.subheader(tr("공관·기관별 분기 제출", "Each mission's returns, by agency and quarter"))
quarters = sorted(int(q) for q in grid["quarter"].unique())
agencies = [a for a in codes("agencies") if a in set(grid["agency_code"])]
column_label = {
    (a, q): f"{agency_names.get(a, a)}<br>{fmt.quarter(q, LANG)}" for a in agencies for q in quarters
}
# The agency's name over its first quarter only ("KOSME / Q1", " / Q2", " / Q3"): repeated over
# every column, the names ran together at 1280 px.
column_text = [
    (f"{agency_names.get(a, a)}<br>" if i == 0 else "<br>") + fmt.quarter(q, LANG)
    for a in agencies
    for i, q in enumerate(quarters)
]
missions_order = list(dict.fromkeys(grid["mission_code"]))


def days_late(r: dict) -> str:
    if r["status"] != "late":
        return ""
    days = (pd.Timestamp(r["submitted_at"]).normalize() - pd.Timestamp(r["due_date"])).days
    return tr(f" ({days}일 지연)", f" ({days} days late)")


cells = grid.assign(
    column=[column_label[(a, q)] for a, q in zip(grid["agency_code"], grid["quarter"], strict=True)],
    mission=grid["mission_code"].map(mission_names),
)
cells["hover"] = [
    f"<b>{mission_names.get(r['mission_code'], r['mission_code'])}</b><br>{agency_names.get(r['agency_code'])} · "
    f"{fmt.period(r['year'], r['quarter'], LANG)}<br>{charts.submission_text(r['status'], LANG)}{days_late(r)}"
    + (
        f"<br>{tr('접수', 'Received')} {pd.Timestamp(r['submitted_at']):%Y-%m-%d} / {tr('기한', 'due')} {pd.Timestamp(r['due_date']):%Y-%m-%d}"
        if pd.notna(r["submitted_at"])
        else f"<br>{tr('기한', 'Due')} {pd.Timestamp(r['due_date']):%Y-%m-%d}"
    )
    for r in cells.to_dict("records")
]
fig = charts.status_grid(
    cells,
    x="column",
    y="mission",
    status="status",
    hover="hover",
    x_order=[column_label[(a, q)] for a in agencies for q in quarters],
    y_order=[mission_names.get(ms, ms) for ms in missions_order],
    lang=LANG,
    x_text=column_text,
)


def received(value) -> str:
    return f"{pd.Timestamp(value):%Y-%m-%d}" if pd.notna(value) else ""


full = pd.DataFrame(
    {
        col("year"): grid["year"],
        col("quarter"): grid["quarter"],
        col("agency"): grid["agency_code"].map(agency_names),
        col("mission"): grid["mission_code"].map(mission_names),
        tr("상태", "Status"): [charts.submission_text(s, LANG) for s in grid["status"]],
        tr("접수일", "Received"): grid["submitted_at"].map(received),
        tr("기한", "Due"): grid["due_date"].map(lambda d: f"{pd.Timestamp(d):%Y-%m-%d}"),
        tr("실적 수", "Figures"): grid["figures"],
    }
)
blocks.chart(
    fig,
    full,
    key="submission_grid",
    stem=tr("제출현황", "submissions") + f"_{filters.describe(f)}",
    caption=tr(
        "● 기한 내 제출 ▲ 지연 제출 ■ 미제출 ◇ 기한 전(기한이 지나지 않아 아직 미제출이 아닙니다). "
        "빈칸: 그 기관이 그 공관의 실적을 보고하지 않는 곳입니다 "
        "(올해나 작년에 한 번도 보고하지 않음). 접수일은 그 분기를 담은 첫 보고 파일의 적재일입니다.",
        "● on time ▲ late ■ missing ◇ not yet due (its due date has not passed). A blank: that agency does "
        "not report for that mission (nothing this year "
        "or last). Received: when the first return covering that quarter was loaded.",
    ),
)

# --- late and missing -----------------------------------------------------------------------------
st.subheader(tr("지연·미제출 목록", "Late and missing returns"))
attention = grid["status"].isin(("late", "missing"))
if not attention.any():
    st.success(
        tr("모든 보고가 기한 안에 들어왔습니다.", "Every return came in on time."),
        icon=":material/check_circle:",
    )
else:
    late = full[attention.to_numpy()].reset_index(drop=True)
    late.insert(
        5,
        tr("지연 일수", "Days late"),
        [
            (pd.Timestamp(r["submitted_at"]).normalize() - pd.Timestamp(r["due_date"])).days
            if r["status"] == "late"
            else None
            for r in grid[attention].to_dict("records")
        ],
    )
    blocks.table(
        late,
        stem=tr("지연_미제출", "late_missing") + f"_{filters.describe(f)}",
        key="late",
        status_column=tr("상태", "Status"),
        statuses=list(grid.loc[attention, "status"]),
        highlight="row",
    )

# --- explanations (사유·대책) still owed for the latest closed quarter, by agency ------------------
explanation_lists.submissions_section(filters.current(), identity())
