"""기관별: each agency's contribution across sectors and missions, and against its own target."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from metrics import actuals, registry
from metrics.explanations import explained_attainment
from ui import blocks, charts, filters, frames
from ui import explanations as ex
from ui import format as fmt
from ui.i18n import lang, tr
from ui.reference import codes, names, sector_colors

LANG = lang()
TOP_MISSIONS = 20
f = filters.current()
col = frames.col
agency_names = names("agencies")
sector_names = names("sectors")
mission_names = names("missions")

blocks.header(tr("기관별 기여", "Contribution by agency"), f)
metric = filters.metric_choice()
m = registry.get(metric)
scoped = replace(f, metrics=(metric,))
by_sector = blocks.load(actuals, scoped, ("agency", "sector"))
by_sector = by_sector[by_sector["metric_code"] == metric]
if by_sector.empty:
    blocks.empty(
        tr(
            f"선택한 조건에서 ‘{frames.metric_label(metric)}’ 실적을 보고한 기관이 없습니다.",
            f"No agency reported ‘{frames.metric_label(metric)}’ for the chosen filters.",
        )
    )
    st.stop()

# --- agency × sector ------------------------------------------------------------------------------
st.subheader(tr("기관별·분야별 실적", "By agency and sector"))
scale = frames.axis_scale(metric, by_sector.groupby("agency_code")["value"].sum())
digits = 2 if scale.divisor > 1 else frames.decimals(metric)
agencies = [a for a in codes("agencies") if a in set(by_sector["agency_code"])]
chart_rows = by_sector.assign(
    agency=by_sector["agency_code"].map(agency_names),
    value=(by_sector["value"] / scale.divisor).round(digits),
    hover=[
        f"<b>{agency_names.get(a, a)} · {sector_names.get(s, s)}</b><br>{frames.value_text(metric, v)}"
        for a, s, v in zip(
            by_sector["agency_code"], by_sector["sector_code"], by_sector["value"], strict=True
        )
    ],
)
fig = charts.stacked_bars(
    chart_rows,
    category="agency",
    category_order=[agency_names.get(a, a) for a in agencies],
    series="sector_code",
    series_names={s: n for s, n in sector_names.items() if s in set(by_sector["sector_code"])},
    colors=sector_colors(),
    x_title=frames.axis_title(metric, scale),
    stacked=not m.is_mean,
)
wide = (
    chart_rows.pivot_table(index="agency_code", columns="sector_code", values="value", aggfunc="first")
    .reindex(index=agencies)
    .reindex(columns=[s for s in sector_names if s in set(by_sector["sector_code"])])
)
table = pd.DataFrame({col("agency"): [agency_names.get(a, a) for a in wide.index]})
for s in wide.columns:
    table[f"{sector_names.get(s, s)} ({scale.unit})"] = wide[s].to_numpy()
if not m.is_mean:
    totals = by_sector.groupby("agency_code")["value"].sum().reindex(agencies)
    table[f"{tr('합계', 'Total')} ({scale.unit})"] = (totals / scale.divisor).round(digits).to_numpy()
    table[col("share")] = (totals / totals.sum() * 100).round(1).to_numpy()
blocks.chart(
    fig,
    table,
    key="agency_sector",
    stem=tr("기관별_분야별", "by_agency_sector") + f"_{frames.metric_label(metric)}_{filters.describe(f)}",
    caption=tr(
        f"{frames.metric_label(metric)}({scale.unit})를 주관기관별로, 분야 색으로 나눠 보여 줍니다.",
        f"{frames.metric_label(metric)} ({scale.unit}) by agency, split by sector colour.",
    )
    if not m.is_mean
    else tr("기관·분야별 가중평균 점수입니다.", "Weighted mean score by agency and sector."),
)

# --- agency × mission -----------------------------------------------------------------------------
st.subheader(tr("기관별·공관별 실적", "By agency and mission"))
by_mission = blocks.load(actuals, scoped, ("agency", "mission"))
by_mission = by_mission[by_mission["metric_code"] == metric]
if by_mission.empty:
    blocks.empty(blocks.no_data_message())
else:
    order = by_mission.groupby("mission_code")["value"].sum().sort_values(ascending=False)
    top = list(order.index[:TOP_MISSIONS])
    m_scale = frames.axis_scale(metric, by_mission["value"])
    m_digits = 2 if m_scale.divisor > 1 else frames.decimals(metric)
    cells = by_mission[by_mission["mission_code"].isin(top)].assign(
        agency=lambda d: d["agency_code"].map(agency_names),
        mission=lambda d: d["mission_code"].map(mission_names),
        z=lambda d: (d["value"] / m_scale.divisor).round(m_digits),
    )
    cells["text"] = cells["z"].map(lambda v: fmt.number(v, 1 if m_digits else 0))
    cells["hover"] = [
        f"<b>{mission_names.get(ms, ms)}</b> · {agency_names.get(a, a)}<br>{frames.value_text(metric, v)}"
        for ms, a, v in zip(cells["mission_code"], cells["agency_code"], cells["value"], strict=True)
    ]
    present = [a for a in agencies if a in set(cells["agency_code"])]
    fig = charts.heatmap(
        cells,
        x="agency",
        y="mission",
        z="z",
        text="text",
        hover="hover",
        x_order=[agency_names.get(a, a) for a in present],
        y_order=[mission_names.get(ms, ms) for ms in top],
        colorbar_title=m_scale.unit,
    )
    all_cells = by_mission.assign(z=(by_mission["value"] / m_scale.divisor).round(m_digits))
    grid = all_cells.pivot_table(index="mission_code", columns="agency_code", values="z", aggfunc="first")
    grid = grid.reindex(index=list(order.index), columns=[a for a in agencies if a in grid.columns])
    mission_table = pd.DataFrame({col("mission"): [mission_names.get(ms, ms) for ms in grid.index]})
    for a in grid.columns:
        mission_table[f"{agency_names.get(a, a)} ({m_scale.unit})"] = grid[a].to_numpy()
    blocks.chart(
        fig,
        mission_table,
        key="agency_mission",
        stem=tr("기관별_공관별", "by_agency_mission") + f"_{frames.metric_label(metric)}",
        caption=tr(
            f"실적 상위 {min(TOP_MISSIONS, len(order))}개 공관({m_scale.unit}). 빈칸은 그 기관이 그 공관에서 보고하지 않은 것입니다. "
            f"표에는 {len(order)}개 공관이 모두 있습니다.",
            f"Top {min(TOP_MISSIONS, len(order))} missions ({m_scale.unit}). A blank cell: the agency reported nothing "
            f"there. The table lists all {len(order)} missions.",
        ),
    )

# --- each agency against its own target -----------------------------------------------------------
st.subheader(tr("기관별 목표 대비 달성률", "Each agency against its target"))
targets = blocks.load(explained_attainment, scoped, "agency")
targets = targets[(targets["metric_code"] == metric) & targets["attainment_pct"].notna()]
if targets.empty:
    blocks.empty(
        tr(
            f"‘{frames.metric_label(metric)}’에는 선택한 조건의 기관별 목표가 없습니다.",
            f"‘{frames.metric_label(metric)}’ has no agency targets for the chosen filters.",
        )
    )
    st.stop()
targets = targets.assign(
    agency=targets["agency_code"].map(agency_names),
    expected_pct=targets["expected_share"] * 100,
    bar_text=targets["attainment_pct"].map(lambda v: fmt.percent(v, 0)),
    hover=[
        f"<b>{agency_names.get(a, a)}</b><br>{col('ytd')} {ytd} / {col('target')} "
        f"{target}<br>{tr('달성률', 'Attainment')} {fmt.percent(p)} · {charts.status_text(s, LANG)}"
        for a, v, t, p, s in zip(
            targets["agency_code"],
            targets["ytd_value"],
            targets["target"],
            targets["attainment_pct"],
            targets["status"],
            strict=True,
        )
        for ytd, target in [frames.values_text(metric, v, t)]
    ],
)
targets = targets.set_index("agency_code").reindex(
    [a for a in codes("agencies") if a in set(targets["agency_code"])]
)
targets = targets.reset_index()
fig = charts.attainment_bars(
    targets,
    category="agency",
    lang=LANG,
    labels={
        "pace": tr("지금까지의 진도 기준", "Expected by now"),
        "x": tr("연간 목표 대비(%)", "Of the annual target (%)"),
    },
)
target_table = pd.DataFrame(
    {
        col("agency"): targets["agency"],
        f"{col('target')} ({frames.unit_label(metric)})": targets["target"].round(frames.decimals(metric)),
        f"{col('ytd')} ({frames.unit_label(metric)})": targets["ytd_value"].round(frames.decimals(metric)),
        col("attainment"): targets["attainment_pct"].round(1),
        col("expected"): targets["expected_pct"].round(1),
        col("status"): targets["status"].map(lambda s: charts.status_text(s, LANG)),
        ex.column_name(): ex.marks(targets),
        f"{col('projection')} ({frames.unit_label(metric)})": targets["projection"].round(
            frames.decimals(metric)
        ),
    }
)
blocks.chart(
    fig,
    frames.on_screen(target_table, drop=("expected",), shorten=("ytd", "projection")),  # the tick: the pace
    downloads=target_table,
    key="agency_targets",
    stem=tr("기관별_목표대비", "by_agency_targets") + f"_{frames.metric_label(metric)}",
    caption=tr(
        "막대: 연간 목표 대비 누계, 세로 눈금: 지금까지의 진도 기준. ● 정상 ▲ 주의 ■ 미흡.",
        "Bar: year to date against the annual target; tick: expected by now. ● on track ▲ at risk ■ behind.",
    ),
)
ex.expander(targets)
