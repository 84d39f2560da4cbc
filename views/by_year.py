"""연도별: each metric's 2024–2026 course against the target and the projection; year-on-year growth."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from metrics import actuals, registry, scorecard
from metrics.views_support import running_by_year
from ui import blocks, charts, filters, frames
from ui import format as fmt
from ui.i18n import lang, tr

LANG = lang()
f = filters.current()
col = frames.col

card = blocks.load(scorecard, f)
has_figures = not card.empty and card["ytd_value"].notna().any()
as_of = (
    int(card["as_of_quarter"].dropna().max()) if has_figures and card["as_of_quarter"].notna().any() else None
)
blocks.header(
    tr("연도별 추이", "Results by year"),
    f,
    note=tr(f"{f.year}년은 {as_of}분기까지", f"{f.year} through Q{as_of}") if as_of and f.year else None,
)
if not has_figures:
    blocks.empty(blocks.no_data_message())
    st.stop()

# --- one metric through the years -----------------------------------------------------------------
metric = filters.metric_choice()
m = registry.get(metric)
curves = blocks.load(running_by_year, f, metric)
row = card.set_index("metric_code").loc[metric] if metric in set(card["metric_code"]) else None
st.subheader(
    tr(
        f"{frames.metric_label(metric)}: 연도별 누계 추이",
        f"{frames.metric_label(metric)}: running total by year",
    )
)
if curves["value"].notna().sum() == 0:
    blocks.empty(
        tr("선택한 조건에서 이 지표의 실적이 없습니다.", "No figures of this metric for the chosen filters.")
    )
else:
    years = sorted(int(y) for y in curves["year"].dropna().unique())
    peak = pd.concat([curves["value"], curves["expected_value"], curves["target"]]).astype("float64")
    if row is not None:
        peak = pd.concat([peak, pd.Series([row["projection"]], dtype="float64")])
    scale = frames.axis_scale(metric, peak)
    digits = 2 if scale.divisor > 1 else frames.decimals(metric)
    q_label = {q: fmt.quarter(q, LANG) for q in range(1, 5)}
    x_labels = [q_label[q] for q in range(1, 5)]
    running = "running mean" if m.is_mean else "running total"
    shown = curves.dropna(subset=["value"]).assign(
        x=lambda d: d["quarter"].map(q_label),
        value_shown=lambda d: (d["value"] / scale.divisor).round(digits),
    )
    shown["hover"] = [
        f"<b>{fmt.year(y, LANG)} {q_label[q]}</b><br>{tr('누계' if not m.is_mean else '누적 평균', running)} "
        f"{frames.value_in(metric, v, scale)}"
        for y, q, v in zip(shown["year"], shown["quarter"], shown["value"], strict=True)
    ]
    last_year = years[-1]
    pace = curves[(curves["year"] == last_year) & curves["expected_value"].notna()]
    pace = pace.assign(
        x=pace["quarter"].map(q_label),
        value=(pace["expected_value"] / scale.divisor).round(digits),
        hover=[
            f"{tr('진도 기준', 'Expected pace')} {q_label[q]}: {frames.value_in(metric, v, scale)}"
            for q, v in zip(pace["quarter"], pace["expected_value"], strict=True)
        ],
    )
    target = curves.loc[curves["year"] == last_year, "target"].dropna()
    target_value = float(target.iloc[0]) if not target.empty else None
    projection = None
    this_year = shown[shown["year"] == last_year]
    if row is not None and pd.notna(row["projection"]) and not this_year.empty and not m.is_mean:
        last = this_year.sort_values("quarter").iloc[-1]
        if int(last["quarter"]) < 4:
            projection = (
                last["x"],
                float(last["value_shown"]),
                q_label[4],
                float(row["projection"]) / scale.divisor,
            )
    fig = charts.year_curves(
        shown.rename(columns={"value": "raw"}).rename(columns={"value_shown": "value"}),
        years=years,
        year_names={y: fmt.year(y, LANG) for y in years},
        x_labels=x_labels,
        y_title=frames.axis_title(metric, scale),
        target=target_value / scale.divisor if target_value is not None else None,
        target_label=tr(
            f"{last_year}년 목표 {frames.value_in(metric, target_value, scale)}",
            f"{last_year} target {frames.value_in(metric, target_value, scale)}",
        )
        if target_value is not None
        else "",
        pace=pace if not m.is_mean else None,
        pace_label=tr("진도 기준(예년 추세)", "Expected pace (past years)"),
        projection=projection,
        projection_label=tr("연말 전망", "Year-end projection"),
    )
    table = (
        shown.pivot_table(index="quarter", columns="year", values="value_shown", aggfunc="first")
        .reindex(index=range(1, 5))
        .rename(columns=lambda y: fmt.year(y, LANG))
    )
    if not pace.empty and not m.is_mean:
        table[tr(f"{last_year}년 진도 기준", f"{last_year} expected pace")] = pace.set_index("quarter")[
            "value"
        ]
    if target_value is not None:
        table[tr(f"{last_year}년 목표", f"{last_year} target")] = round(target_value / scale.divisor, digits)
    if projection is not None:
        table[tr(f"{last_year}년 연말 전망", f"{last_year} projection")] = [
            None,
            None,
            None,
            round(projection[3], digits),
        ]
    table = table.reset_index().rename(columns={"quarter": col("quarter")})
    table.columns.name = None
    notes = []
    if row is not None and pd.notna(row["growth_pct"]):
        notes.append(
            tr(
                f"전년 동기 대비 {fmt.signed_percent(row['growth_pct'])}",
                f"{fmt.signed_percent(row['growth_pct'])} on the same period last year",
            )
        )
    if row is not None and pd.notna(row["projection_pct"]) and not m.is_mean:
        notes.append(
            tr(
                f"연말 전망 {frames.value_in(metric, row['projection'], scale)} "
                f"(목표의 {fmt.percent(row['projection_pct'], 0)})",
                f"year-end projection {frames.value_in(metric, row['projection'], scale)} "
                f"({fmt.percent(row['projection_pct'], 0)} of target)",
            )
        )
    blocks.chart(
        fig,
        table,
        key="year_curves",
        stem=tr("연도별_누계", "by_year_running") + f"_{frames.metric_label(metric)}",
        caption=" · ".join(
            [
                tr(
                    f"분기말까지의 누계({scale.unit})",
                    f"Running total to each quarter end ({scale.unit})",
                )
                if not m.is_mean
                else tr(
                    "분기말까지의 누적 가중평균(점)", "Running weighted mean to each quarter end (points)"
                ),
                *notes,
            ]
        ),
    )

# --- year-on-year growth, every metric ------------------------------------------------------------
st.subheader(tr("전년 동기 대비 증감", "Year on year, same quarters"))
growth = card[card["growth_pct"].notna()].copy()
if growth.empty:
    blocks.empty(
        tr(
            "비교할 전년 동기 실적이 없습니다.",
            "No figures for the same quarters of the year before to compare with.",
        )
    )
    st.stop()
growth["label"] = growth["metric_code"].map(frames.metric_label)
growth["text"] = growth["growth_pct"].map(fmt.signed_percent)
growth["hover"] = [
    f"<b>{frames.metric_label(c)}</b><br>{fmt.year(f.year, LANG) if f.year else ''} {now}"
    f" / {tr('전년 동기', 'a year before')} {before}<br>{fmt.signed_percent(g)}"
    for c, v, p, g in zip(
        growth["metric_code"], growth["ytd_value"], growth["prev_value"], growth["growth_pct"], strict=True
    )
    for now, before in [frames.values_text(c, v, p)]
]
fig = charts.growth_bars(
    growth, x_title=tr("전년 동기 대비 증감률(%)", "Change on the same quarters a year before (%)")
)
growth_table = pd.DataFrame(
    {
        col("metric"): growth["label"],
        col("unit"): growth["metric_code"].map(lambda c: registry.get(c).unit(LANG)),
        col("ytd"): [
            round(v, frames.decimals(c))
            for c, v in zip(growth["metric_code"], growth["ytd_value"], strict=True)
        ],
        col("prev"): [
            round(v, frames.decimals(c))
            for c, v in zip(growth["metric_code"], growth["prev_value"], strict=True)
        ],
        col("growth"): growth["growth_pct"].round(1),
    }
)
blocks.chart(
    fig,
    growth_table,
    key="year_growth",
    stem=tr("전년동기대비", "year_on_year") + f"_{filters.describe(f)}",
    caption=tr(
        f"올해 1–{as_of}분기와 작년 같은 분기의 비교. 긴급상황 피해기업은 줄어드는 것이 좋습니다.",
        f"This year's Q1–Q{as_of} against the same quarters last year. For firms hit by emergencies, lower is better.",
    ),
)

# --- annual totals --------------------------------------------------------------------------------
st.subheader(tr("연간 실적", "Annual figures"))
annual = blocks.load(actuals, replace(f, year=None), ("year",))
if annual.empty:
    blocks.empty(blocks.no_data_message())
    st.stop()
wide = annual.pivot_table(index="metric_code", columns="year", values="value", aggfunc="first")
wide = wide.reindex([c for c in registry.codes() if c in wide.index])
totals = pd.DataFrame(
    {
        col("metric"): wide.index.map(frames.metric_label),
        col("unit"): wide.index.map(lambda c: registry.get(c).unit(LANG)),
    }
)
for y in wide.columns:
    label = fmt.year(int(y), LANG) + (
        tr(f" ({as_of}분기까지)", f" (to Q{as_of})") if y == f.year and as_of and as_of < 4 else ""
    )
    totals[label] = [
        round(v, frames.decimals(c)) if pd.notna(v) else None
        for c, v in zip(wide.index, wide[y], strict=True)
    ]
blocks.table(totals, stem=tr("연간_실적", "annual_figures") + f"_{filters.describe(f)}", key="annual")
st.caption(
    tr(
        "분기 범위를 좁히면 각 연도에서 그 분기들만 더합니다. 만족도는 지원기업 수로 가중한 평균입니다.",
        "A narrower quarter range adds only those quarters in each year. Satisfaction is a mean weighted by firms supported.",
    )
)
