"""공관별: missions on a world map by a chosen metric or attainment, a ranking, and a mission's profile."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from metrics import actuals, registry
from metrics.explanations import attach, quarter_explanations
from metrics.views_support import hubs_in_scope, mission_results, scorecards_by
from ui import blocks, charts, filters, frames
from ui import explanations as ex
from ui import format as fmt
from ui.i18n import lang, tr
from ui.reference import names, sector_colors, table
from ui.text import plain

LANG = lang()
f = filters.current()
missions = table("missions")
mission_names = names("missions")
col = frames.col

blocks.header(tr("공관별 성과", "Results by mission"), f)

left, right = st.columns([3, 2])
metric = filters.metric_choice(left)
measure = filters.page_choice(
    tr("표시 기준", "Show"),
    ["value", "attainment"],
    key="measure",
    format_func=lambda m: {"value": tr("실적", "Value"), "attainment": tr("목표 달성률", "Attainment")}[m],
    container=right,
    widget="segmented",
    help=tr(
        "달성률은 공관별 목표가 있는 지표·공관에만 있습니다.",
        "Attainment exists only for metrics and missions with a mission target.",
    ),
)

data = blocks.load(mission_results, f, metric)
# each row's target is the mission's own (metric, mission; every sector and agency)
data = attach(
    data.assign(metric_code=metric),
    blocks.load(quarter_explanations, f),
    {"sector_code": None, "agency_code": None},
)
if data.empty or data["value"].isna().all():  # targets alone: no map of nothing, no ranking of dashes
    blocks.empty(blocks.no_data_message())
    st.stop()

use_attainment = measure == "attainment"
if use_attainment and data["attainment_pct"].notna().sum() == 0:
    blocks.empty(
        tr(
            f"‘{frames.metric_label(metric)}’에는 선택한 조건의 공관별 목표가 없어 달성률을 표시할 수 없습니다. "
            "실적으로 표시합니다.",
            f"‘{frames.metric_label(metric)}’ has no mission targets for the chosen filters, so attainment "
            "cannot be shown. Showing the values instead.",
        )
    )
    use_attainment = False


def hover(r: dict) -> str:
    value, target = frames.values_text(metric, r["value"], r["target"])
    lines = [
        f"<b>{mission_names.get(r['mission_code'], r['mission_code'])}</b>" + (" ★" if r["is_hub"] else ""),
        f"{r[f'country_{LANG}']} · {r[f'region_{LANG}']}",
        f"{frames.metric_label(metric)} {value}",
    ]
    if pd.notna(r["attainment_pct"]):
        lines.append(
            f"{tr('목표', 'Target')} {target} · "
            f"{tr('달성률', 'Attainment')} {fmt.percent(r['attainment_pct'])} · {charts.status_text(r['status'], LANG)}"
        )
    return "<br>".join(lines)


scale = frames.axis_scale(metric, data["value"])
digits = 2 if scale.divisor > 1 else frames.decimals(metric)
data = data.assign(
    name=data["mission_code"].map(mission_names),
    hover=[hover(r) for r in data.to_dict("records")],
    value_shown=(data["value"] / scale.divisor).round(digits),
    target_shown=(data["target"] / scale.divisor).round(digits),
)

# --- the map --------------------------------------------------------------------------------------
mapped = data.dropna(subset=["lat", "lon"])
if use_attainment:
    mapped = mapped[mapped["attainment_pct"].notna()]
mapped = mapped.assign(
    size=mapped["attainment_pct"].clip(upper=150) if use_attainment else mapped["value"].fillna(0)
)
# every hub gets its star, one without a figure or target too (its hover says so)
hubs = blocks.load(hubs_in_scope, f)
hover_of = dict(zip(data["mission_code"], data["hover"], strict=True))
hubs = hubs.assign(
    is_hub=True,
    hover=[
        hover_of.get(code)
        or f"<b>{mission_names.get(code, code)}</b> ★<br>{country} · {region}<br>"
        f"{frames.metric_label(metric)} {fmt.DASH} ({tr('실적 없음', 'no figure')})"
        for code, country, region in zip(
            hubs["mission_code"], hubs[f"country_{LANG}"], hubs[f"region_{LANG}"], strict=True
        )
    ],
)
fig = charts.mission_map(
    mapped,
    size_col="size",
    color_mode="status" if use_attainment else "value",
    color_col="status" if use_attainment else "value_shown",
    colorbar_title=scale.unit,
    hub_label=tr("K-뷰티 거점공관", "K-beauty hub mission"),
    lang=LANG,
    hubs=hubs,
)
map_table = pd.DataFrame(
    {
        col("mission"): mapped["name"],
        col("country"): mapped[f"country_{LANG}"],
        col("hub"): mapped["is_hub"].map({True: "★", False: ""}),
        f"{frames.metric_label(metric)} ({scale.unit})": mapped["value_shown"],
        col("attainment"): mapped["attainment_pct"].astype("float64").round(1),
        col("status"): mapped["status"].map(
            lambda s: charts.status_text(s, LANG) if isinstance(s, str) else ""
        ),
        ex.column_name(): ex.marks(mapped),
        col("lat"): mapped["lat"],
        col("lon"): mapped["lon"],
    }
)
blocks.chart(
    fig,
    # the map places the missions and stars the hubs: country and coordinates are in the files
    frames.hubs_starred(frames.on_screen(map_table, drop=("country", "lat", "lon"))),
    downloads=map_table,
    key="mission_map",
    stem=tr("공관별_지도", "by_mission_map") + f"_{frames.metric_label(metric)}_{filters.describe(f)}",
    caption=(
        tr(
            "원의 크기: 목표 달성률(150%에서 자름), 색과 모양: 상태 (● 정상, ▲ 주의, ■ 미흡). ★ K-뷰티 거점공관(예시 지정).",
            "Size: attainment (cut at 150%); colour and shape: status (● on track, ▲ at risk, ■ behind). "
            "★ K-beauty hub mission (illustrative designation).",
        )
        if use_attainment
        else tr(
            f"원의 크기와 색: {frames.metric_label(metric)} ({scale.unit}). ★ K-뷰티 거점공관(예시 지정).",
            f"Size and colour: {frames.metric_label(metric)} ({scale.unit}). ★ K-beauty hub mission "
            "(illustrative designation).",
        )
    ),
)

# --- ranking --------------------------------------------------------------------------------------
st.subheader(tr("공관 순위", "Mission ranking"))
ranked = (
    data.sort_values(["attainment_pct", "value"], ascending=False, na_position="last")
    if use_attainment
    else data
)
ranking = pd.DataFrame(
    {
        col("rank"): range(1, len(ranked) + 1),
        # the hub star beside the name rather than a column of its own, and the region without the
        # country (the profile below has it): the ranking fits at 1280 px in either language
        col("mission"): (ranked["name"] + ranked["is_hub"].map({True: " ★", False: ""})).to_numpy(),
        col("region"): ranked[f"region_{LANG}"].to_numpy(),
        col("value"): ranked["value_shown"].to_numpy(),
        col("share"): ranked["share_pct"].round(1).to_numpy(),
        col("target"): ranked["target_shown"].to_numpy(),
        col("attainment"): ranked["attainment_pct"].round(1).to_numpy(),
        col("status"): [charts.status_text(s, LANG) if isinstance(s, str) else "" for s in ranked["status"]],
    }
)
if registry.get(metric).is_mean:
    ranking = ranking.drop(columns=[col("share")])
# the unit once, above the table, rather than in two headers: the ranking fits at 1280 px
st.caption(tr(f"실적·목표 단위: {scale.unit}", f"Value and target in {scale.unit}"))
blocks.table(
    ranking,
    stem=tr("공관_순위", "mission_ranking") + f"_{frames.metric_label(metric)}",
    key="ranking",
    status_column=col("status"),
    statuses=list(ranked["status"]),
)
ex.expander(ranked)  # the missions' explanations, beside the ranking that must fit 1280 px as it is

# --- a mission's profile --------------------------------------------------------------------------
st.subheader(tr("공관 프로필", "Mission profile"))
choices = ["", *data["mission_code"]]
default = f.missions[0] if len(f.missions) == 1 and f.missions[0] in choices else ""
focus = filters.page_choice(
    tr("공관 선택", "Choose a mission"),
    choices,
    key="focus",
    format_func=lambda c: mission_names.get(c, c) if c else tr("— 공관을 고르세요 —", "— choose a mission —"),
    default=default,
)
if not focus:
    st.caption(
        tr(
            "공관을 고르면 모든 지표의 목표 대비 실적, 분야별 구성, 분기별 추이를 보여 줍니다.",
            "Choose a mission to see every metric against its target, the sector mix and the quarterly trend.",
        )
    )
    st.stop()

info = missions.set_index("code").loc[focus]
hub_since = info["kbeauty_hub_since"]
st.markdown(
    f"#### {plain(mission_names.get(focus, focus))}"
    + (
        f" &nbsp;★ {tr(f'K-뷰티 거점공관 ({int(hub_since)}년 지정)', f'K-beauty hub since {int(hub_since)}')}"
        if pd.notna(hub_since)
        else ""
    )
)
st.caption(plain(f"{info[f'city_{LANG}']}, {info[f'country_{LANG}']} · {info[f'region_{LANG}']} · {focus}"))

card = blocks.load(scorecards_by, f, "mission", (focus,))
card_table = frames.scorecard_table(card)
card_table = card_table[card["ytd_value"].notna().to_numpy() | card["target"].notna().to_numpy()]
profile_sectors = blocks.load(actuals, replace(f, missions=(focus,), metrics=(metric,)), ("sector",))
profile_sectors = profile_sectors[profile_sectors["metric_code"] == metric]

# One above the other: the profile table (eight columns) needs the page's width; beside the mix
# chart it was cut at 1440 px.
a, b = st.container(), st.container()
with a:
    st.markdown(f"**{tr('지표별 목표 대비 실적', 'Every metric against its target')}**")
    if card_table.empty:
        blocks.empty(tr("이 공관의 실적이 없습니다.", "No figures for this mission."))
    else:
        # On screen without the pace, the projection's % and last year's value, so the table fits a
        # 1280 px page; the downloads keep every column.
        on_screen = card_table.drop(columns=[col("expected"), col("projection_pct"), col("prev")]).rename(
            columns={
                col("projection"): tr("연말 전망", "Projected"),
                col("growth"): tr("전년 대비(%)", "YoY (%)"),
            }
        )
        blocks.table(
            on_screen, stem=f"{focus}_{tr('프로필', 'profile')}", key="profile", downloads=card_table
        )
with b:
    st.markdown(f"**{tr('분야별 구성', 'Sector mix')} — {frames.metric_label(metric)}**")
    if profile_sectors.empty:
        blocks.empty(tr("이 지표의 실적이 없습니다.", "No figures for this metric."))
    else:
        sector_names = names("sectors")
        s_scale = frames.axis_scale(metric, profile_sectors["value"])
        mix = profile_sectors.assign(
            category=focus,
            value=(profile_sectors["value"] / s_scale.divisor).round(2),
            hover=[
                f"<b>{sector_names.get(s, s)}</b><br>{frames.value_text(metric, v)}"
                for s, v in zip(profile_sectors["sector_code"], profile_sectors["value"], strict=True)
            ],
        ).rename(columns={"category": "mission"})
        fig = charts.stacked_bars(
            mix.assign(mission=[mission_names.get(focus, focus)] * len(mix)),
            category="mission",
            category_order=[mission_names.get(focus, focus)],
            series="sector_code",
            series_names={s: sector_names.get(s, s) for s in sector_names if s in set(mix["sector_code"])},
            colors=sector_colors(),
            x_title=frames.axis_title(metric, s_scale),
            stacked=not registry.get(metric).is_mean,
            height=220,
        )
        mix_table = pd.DataFrame(
            {
                col("sector"): mix["sector_code"].map(sector_names),
                f"{frames.metric_label(metric)} ({s_scale.unit})": mix["value"],
            }
        )
        blocks.chart(fig, mix_table, key="mission_mix", stem=f"{focus}_{tr('분야별', 'by_sector')}")

trend = blocks.load(actuals, replace(f, year=None, missions=(focus,), metrics=(metric,)), ("year", "quarter"))
trend = trend[trend["metric_code"] == metric]
st.markdown(f"**{tr('분기별 추이', 'Quarterly trend')} — {frames.metric_label(metric)}**")
if trend.empty:
    blocks.empty(tr("이 공관의 분기별 실적이 없습니다.", "No quarterly figures for this mission."))
else:
    t_scale = frames.axis_scale(metric, trend["value"])
    trend = trend.assign(
        series=focus,
        period=[fmt.period(y, q, LANG) for y, q in zip(trend["year"], trend["quarter"], strict=True)],
        shown=(trend["value"] / t_scale.divisor).round(2 if t_scale.divisor > 1 else frames.decimals(metric)),
    )
    trend["hover"] = [
        f"{p}<br>{frames.value_text(metric, v)}" for p, v in zip(trend["period"], trend["value"], strict=True)
    ]
    fig = charts.lines(
        trend,
        x="period",
        y="shown",
        series="series",
        series_names={focus: mission_names.get(focus, focus)},
        colors={focus: charts.NAVY},
        hover="hover",
        y_title=frames.axis_title(metric, t_scale),
        x_order=list(trend["period"]),
        x_ticks=fmt.period_ticks(list(zip(trend["year"], trend["quarter"], strict=True)), LANG),
        height=300,
    )
    trend_table = pd.DataFrame(
        {
            col("year"): trend["year"],
            col("quarter"): trend["quarter"],
            f"{frames.metric_label(metric)} ({t_scale.unit})": trend["shown"],
        }
    )
    blocks.chart(fig, trend_table, key="mission_trend", stem=f"{focus}_{tr('분기추이', 'trend')}")
