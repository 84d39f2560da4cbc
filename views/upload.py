"""실적 업로드: the official template, upload, what was read and what it changes, then commit."""

import streamlit as st

from etl.intake_text import last_ended_quarter
from etl.shape.normalise import Defaults
from etl.workbooks.prefill import template_bytes, template_rows
from ui import cycle
from ui import upload_helpers as up
from ui.i18n import tr
from ui.navigation import STAFF
from ui.roles import identity, require
from ui.target_status import reasons_for
from ui.text import plain
from ui.warehouse import query
from warehouse.connection import WarehouseMissing

require(STAFF)
me = identity()
st.title(tr("실적 업로드", "Upload returns"))
st.caption(
    tr(
        f"분기 실적 보고(.xlsx)를 올리면 읽은 내용과 바뀌는 값을 먼저 보여 드리고, 확인한 뒤 적재합니다. "
        f"파일 하나의 최대 크기는 **{up.limit_text()}**입니다.",
        f"Upload quarterly returns (.xlsx): you see what was read and what would change before loading. "
        f"Each file may be at most **{up.limit_text()}**.",
    )
)

agencies = up.names("agencies")
TODAY = cycle.today()
this_year = TODAY.year
years = list(range(this_year - 2, this_year + 1))
missions = up.names("missions")
# The template comes pre-filled for the quarter being reported: the last one that has ended.
report_year, report_quarter = last_ended_quarter(TODAY)
if css := up.uploader_css():
    st.html(css)


# The labels are chosen here, not when an option is drawn: AppTest formats options outside the run.
NONE, FROM_FILE = tr("(고르지 않음)", "(none)"), tr("(파일에서)", "(from the file)")
YEAR, QUARTER = tr("{}년", "{}"), tr("{}분기", "Q{}")


def year_text(empty: str):
    return lambda y: empty if y is None else YEAR.format(y)


def quarter_text(empty: str):
    return lambda q: empty if q is None else QUARTER.format(q)


with st.expander(tr("공식 양식 내려받기", "Download the official template"), icon=":material/description:"):
    c1, c2, c3 = st.columns(3)
    t_year = c1.selectbox(
        tr("연도", "Year"),
        [None, *years],
        index=1 + years.index(report_year) if report_year in years else len(years),
        format_func=year_text(NONE),
        key="tpl_year",
    )
    t_quarter = c2.selectbox(
        tr("분기", "Quarter"),
        [None, 1, 2, 3, 4],
        index=report_quarter,
        format_func=quarter_text(NONE),
        key="tpl_quarter",
    )
    agency_codes = list(agencies)
    t_agency = c3.selectbox(
        tr("보고기관", "Reporting agency"),
        [None, *agency_codes],
        index=1 + agency_codes.index(me.agency) if me.agency in agency_codes else 0,
        format_func=lambda c: NONE if c is None else agencies.get(c, c),
        key="tpl_agency",
    )
    t_missions = st.multiselect(
        tr("공관 (비우면 그 기관이 최근 보고한 공관)", "Missions (empty: those the agency reported last)"),
        list(missions),
        default=[m for m in me.missions if m in missions],
        format_func=lambda c: missions.get(c, c),
        placeholder=tr("공관을 고르세요", "Choose missions"),
        key="tpl_missions",
    )
    try:
        rows = query(template_rows, t_agency, tuple(t_missions))
        reasons_period, reasons = query(reasons_for, t_agency)
    except WarehouseMissing:
        rows = template_rows(None, t_agency, tuple(t_missions))
        reasons_period, reasons = None, []
    st.caption(
        tr(
            f"미리 채울 행: 공관·분야·사업 {len(rows)}개. 기간과 보고기관은 표지 칸에 채워집니다. "
            f"'사유' 시트(선택)에는 마감된 분기에 주의·미흡인 목표 {len(reasons)}개가 미리 채워집니다.",
            f"Pre-filled rows: {len(rows)} mission × sector × program. Period and agency go in the cover cells. "
            f"The optional sheet '사유' lists {len(reasons)} target(s) at risk or behind in the last closed quarter.",
        )
    )
    period = f"{t_year or ''}{'Q' + str(t_quarter) if t_quarter else ''}"
    st.download_button(
        tr("양식 내려받기 (.xlsx)", "Download template (.xlsx)"),
        data=lambda: template_bytes(
            year=t_year,
            quarter=t_quarter,
            agency=t_agency,
            rows=rows,
            reasons=reasons,
            reasons_period=reasons_period,
        ),
        file_name=f"실적보고양식_{t_agency or '기관'}_{period or '기간'}.xlsx",
        mime=up.XLSX_MIME,
        icon=":material/download:",
        key="tpl_download",
    )

with st.expander(
    tr("파일에 기간·기관이 없을 때 쓸 값 (선택)", "Values for files that do not state them (optional)"),
    icon=":material/tune:",
):
    d1, d2, d3, d4 = st.columns(4)
    d_year = d1.selectbox(
        tr("연도", "Year"),
        [None, *years],
        format_func=year_text(FROM_FILE),
        key="def_year",
    )
    d_quarter = d2.selectbox(
        tr("분기", "Quarter"),
        [None, 1, 2, 3, 4],
        format_func=quarter_text(FROM_FILE),
        key="def_quarter",
    )
    d_agency = d3.selectbox(
        tr("보고기관", "Reporting agency"),
        [None, *agencies],
        index=1 + list(agencies).index(me.agency) if me.agency in agencies else 0,
        format_func=lambda c: FROM_FILE if c is None else agencies.get(c, c),
        key="def_agency",
    )
    d_basis = d4.selectbox(
        tr("기준", "Basis"),
        [None, "quarterly", "cumulative"],
        format_func={
            None: FROM_FILE,
            "quarterly": tr("분기 실적", "Quarterly"),
            "cumulative": tr("누계", "Year-to-date"),
        }.get,
        key="def_basis",
    )
defaults = Defaults(year=d_year, quarter=d_quarter, agency=d_agency, basis=d_basis)

for outcome in st.session_state.pop(up.OUTCOMES, []):
    (st.success if outcome.ok else st.error)(plain(outcome.text))

files = st.file_uploader(
    tr(
        f"실적 파일 (.xlsx, 여러 개 가능, 파일당 최대 {up.limit_text()})",
        f"Return files (.xlsx, several at once, at most {up.limit_text()} each)",
    ),
    type=["xlsx"],
    accept_multiple_files=True,
    max_upload_size=up.uploader_limit_mb(),
    key=f"uploader_{st.session_state.get(up.UPLOADER, 0)}",
)
checked = up.checked_files(files or [], defaults, me)
for item in checked:
    if item.status == "refused":
        up.show_refused(item)
    else:
        up.show_ready(item, TODAY)

ready = [c for c in checked if c.status == "ready"]
if checked:
    st.divider()
    if st.button(
        tr(f"적재하기 ({len(ready)}개 파일)", f"Load ({len(ready)} file(s))"),
        type="primary",
        disabled=not ready,
        icon=":material/database_upload:",
        key="commit",
    ):
        st.session_state[up.OUTCOMES] = up.commit_all(ready, me)
        st.session_state[up.UPLOADER] = st.session_state.get(up.UPLOADER, 0) + 1
        st.session_state.pop(up.STATE, None)
        st.rerun()
    if not ready:
        st.caption(tr("적재할 수 있는 파일이 없습니다.", "No file can be loaded."))
