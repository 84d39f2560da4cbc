"""개요: what the warehouse holds (a minimal view until the analysis pages exist)."""

import streamlit as st

from ui.i18n import tr
from ui.warehouse import query
from warehouse.connection import WarehouseMissing


def _overview(con):
    return con.execute("""
        SELECT year, quarter, count(DISTINCT mission_code) AS missions, count(DISTINCT agency_code) AS agencies,
               count(*) AS figures
        FROM results GROUP BY ALL ORDER BY year, quarter
    """).df()


st.title(tr("중기부–외교부 정책협의회 성과 대시보드", "MSS–MOFA Policy Council Performance Dashboard"))
try:
    df = query(_overview)
except WarehouseMissing:
    st.info(
        tr(
            "웨어하우스가 없습니다. `python -m etl demo`로 데모 데이터를 만드세요.",
            "No warehouse yet. Build the demo with `python -m etl demo`.",
        )
    )
    st.stop()
if df.empty:
    st.info(tr("아직 적재된 실적이 없습니다.", "No results loaded yet."))
else:
    st.dataframe(df, hide_index=True)
