"""From the metrics package's tidy frames to what a page shows: labelled, rounded, formatted.

Each function returns the frame a chart draws (codes, numbers, hover text) and/or the table shown
under it, whose columns are named in the current language and whose numbers are exactly the ones
drawn. The downloads are made from that table.
"""

from __future__ import annotations

import pandas as pd

from metrics import registry
from ui import format as fmt
from ui.charts import status_text
from ui.i18n import lang, tr
from warehouse.text import josa

# Column headings of the shown tables, in both languages.
_COLUMNS = {
    "sector": ("분야", "Sector"),
    "agency": ("주관기관", "Agency"),
    "mission": ("재외공관", "Mission"),
    "country": ("국가", "Country"),
    "region": ("지역", "Region"),
    "program": ("사업", "Program"),
    "metric": ("지표", "Metric"),
    "unit": ("단위", "Unit"),
    "year": ("연도", "Year"),
    "quarter": ("분기", "Quarter"),
    "period": ("기간", "Period"),
    "target": ("목표", "Target"),
    "ytd": ("누계 실적", "Year to date"),
    "value": ("실적", "Value"),
    "attainment": ("달성률(%)", "Attainment (%)"),
    "expected": ("진도 기준(%)", "Expected by now (%)"),
    "status": ("상태", "Status"),
    "projection": ("연말 전망", "Year-end projection"),
    "projection_pct": ("전망 달성률(%)", "Projected attainment (%)"),
    "prev": ("전년 동기", "Same period last year"),
    "growth": ("전년 동기 대비(%)", "Year on year (%)"),
    "share": ("비중(%)", "Share (%)"),
    "rank": ("순위", "Rank"),
    "hub": ("K-뷰티 거점", "K-beauty hub"),
    "pace": ("진도 기준", "Expected pace"),
    "lat": ("위도", "Latitude"),
    "lon": ("경도", "Longitude"),
}
# Shorter headings for the tables folded under a chart, which must fit 784 px at 1280 px.
_SHORT = {
    "ytd": ("누계 실적", "YTD"),
    "projection": ("연말 전망", "Projected"),
    "projection_pct": ("전망 달성률(%)", "Projected (%)"),
    "growth": ("전년 대비(%)", "YoY (%)"),
}


def col(key: str) -> str:
    ko, en = _COLUMNS[key]
    return tr(ko, en)


def on_screen(
    table: pd.DataFrame, *, drop: tuple[str, ...] = (), shorten: tuple[str, ...] = ()
) -> pd.DataFrame:
    """`table` as shown where it must fit the page: the columns `drop` (keys of the headings above)
    left to the downloads, and `shorten` under their short headings, a unit after them kept
    ('Year to date (USD thousand)' → 'YTD (USD thousand)'). The cells are untouched."""

    def key_of(column: str, keys: tuple[str, ...]) -> str | None:
        return next((k for k in keys if column == col(k) or str(column).startswith(f"{col(k)} (")), None)

    kept = [c for c in table.columns if key_of(c, drop) is None]
    renamed = {}
    for c in kept:
        key = key_of(c, shorten)
        if key is not None:
            ko, en = _SHORT[key]
            renamed[c] = tr(ko, en) + str(c)[len(col(key)) :]
    return table[kept].rename(columns=renamed)


def hubs_starred(table: pd.DataFrame) -> pd.DataFrame:
    """A table of missions with its K-beauty hub column ('★' or '') folded into the mission's name,
    'Embassy in Viet Nam ★', as the map marks them: one column less on screen."""
    mission, hub = col("mission"), col("hub")
    out = table.drop(columns=[hub])
    out[mission] = [f"{m} {h}" if h else m for m, h in zip(table[mission], table[hub], strict=True)]
    return out


def metric_label(code: str) -> str:
    return registry.get(code).name(lang())


def unit_label(code: str, scale: fmt.Scale | None = None) -> str:
    m = registry.get(code)
    if scale is not None and fmt.is_money(m.unit_ko):
        return scale.unit
    return m.unit(lang())


def value_text(code: str, value: object) -> str:
    m = registry.get(code)
    return fmt.metric_value(value, m.unit_ko, m.unit_en, lang())


def values_text(code: str, *values: object) -> list[str]:
    """Values read side by side (actual and target, this year and last) in one unit (fmt.metric_values)."""
    m = registry.get(code)
    return fmt.metric_values(values, m.unit_ko, m.unit_en, lang())


def value_in(code: str, value: object, scale: fmt.Scale) -> str:
    """A value in the unit its chart's axis uses (money), else as `value_text` shows it."""
    if fmt.is_money(registry.get(code).unit_ko):
        return fmt.money_in(value, scale, lang())
    return value_text(code, value)


def decimals(code: str) -> int:
    """How a metric's values are rounded in tables: money and scores to one decimal, counts whole."""
    m = registry.get(code)
    return 1 if fmt.is_money(m.unit_ko) or fmt.is_score(m.unit_ko) else 0


def rounded(values: pd.Series, code: str) -> pd.Series:
    return values.astype("float64").round(decimals(code))


def axis_scale(code: str, values: pd.Series) -> fmt.Scale:
    """The unit a chart of this metric uses: money in 천달러/백만달러/억 달러, others as they are."""
    m = registry.get(code)
    if fmt.is_money(m.unit_ko):
        peak = float(values.abs().max()) if len(values) and values.notna().any() else 0.0
        return fmt.money_scale(peak, lang())
    return fmt.Scale(1.0, m.unit(lang()))


def axis_title(code: str, scale: fmt.Scale) -> str:
    return f"{metric_label(code)} ({scale.unit})"


# --- scorecards (one row per metric, maybe per sector/agency/mission) ---------------------------


def scorecard_chart_frame(df: pd.DataFrame, facet: str | None = None) -> pd.DataFrame:
    """Rows with a target, for the bullet charts: attainment, expected %, status, bar text, hover."""
    rows = df[df["target"].notna()].copy()
    if rows.empty:
        return rows.assign(metric_label=pd.Series(dtype="str"), expected_pct=[], bar_text=[], hover=[])
    rows["metric_label"] = rows["metric_code"].map(metric_label)
    rows["expected_pct"] = rows["expected_share"] * 100
    rows["bar_text"] = rows["attainment_pct"].map(lambda v: fmt.percent(v, 0))  # "–" for a target of 0
    rows["hover"] = [_attainment_hover(r) for r in rows.to_dict("records")]
    return rows


def _attainment_hover(r: dict) -> str:
    code = r["metric_code"]
    lines = [f"<b>{r.get('facet_name') or ''}{' · ' if r.get('facet_name') else ''}{metric_label(code)}</b>"]
    ytd, target, projection = values_text(code, r["ytd_value"], r["target"], r.get("projection"))
    lines.append(f"{col('ytd')} {ytd} / {col('target')} {target}")
    lines.append(f"{tr('달성률', 'Attainment')} {fmt.percent(r['attainment_pct'])}")
    if pd.notna(r.get("expected_share")):
        lines[-1] += f" ({tr('진도 기준', 'pace')} {fmt.percent(r['expected_share'] * 100)})"
    lines.append(f"{col('status')} {status_text(r['status'], lang())}")
    if pd.notna(r.get("projection")):
        lines.append(f"{col('projection')} {projection} ({fmt.percent(r['projection_pct'])})")
    return "<br>".join(lines)


def scorecard_table(
    df: pd.DataFrame, facet: str | None = None, facet_names: dict[str, str] | None = None
) -> pd.DataFrame:
    """The table behind a scorecard: one row per (facet,) metric, values in the metric's own unit."""
    out = pd.DataFrame()
    if facet is not None:
        out[col(facet)] = df[f"{facet}_code"].map(lambda c: (facet_names or {}).get(c, c))
    out[col("metric")] = df["metric_code"].map(metric_label)
    out[col("unit")] = df["metric_code"].map(lambda c: registry.get(c).unit(lang()))
    for key, source in (("target", "target"), ("ytd", "ytd_value")):
        out[col(key)] = [
            round(v, decimals(c)) if pd.notna(v) else None
            for c, v in zip(df["metric_code"], df[source], strict=True)
        ]
    out[col("attainment")] = df["attainment_pct"].astype("float64").round(1)
    # the pace says where a target should stand by now: without a target there is nothing to expect
    expected = (df["expected_share"].astype("float64") * 100).round(1)
    out[col("expected")] = expected.where(df["target"].notna().to_numpy())
    out[col("status")] = df["status"].map(lambda s: status_text(s, lang()))
    out[col("projection")] = [
        round(v, decimals(c)) if pd.notna(v) else None
        for c, v in zip(df["metric_code"], df["projection"], strict=True)
    ]
    out[col("projection_pct")] = df["projection_pct"].astype("float64").round(1)
    out[col("prev")] = [
        round(v, decimals(c)) if pd.notna(v) else None
        for c, v in zip(df["metric_code"], df["prev_value"], strict=True)
    ]
    out[col("growth")] = df["growth_pct"].astype("float64").round(1)
    for key in ("target", "ytd", "projection", "prev"):
        out[col(key)] = out[col(key)].astype("float64")
    return out.reset_index(drop=True)


def status_counts(df: pd.DataFrame) -> dict[str, int]:
    """How many scopes are on track, at risk, behind (rows with a status)."""
    counts = df["status"].value_counts(dropna=True).to_dict()
    return {s: int(counts.get(s, 0)) for s in ("on_track", "at_risk", "behind", "no_data", "withheld")}


# Figures of the emergency protocol (긴급 대응), not of the export programme: a note says so where a
# results chart shows one beside the programme's metrics.
EMERGENCY_METRICS = ("affected_firms", "relief_cases")


def target_notes(rows: pd.DataFrame, facet: str, facet_names: dict[str, str], language: str) -> list[str]:
    """Footnotes for a faceted attainment chart, only about what it shows: satisfaction's target is a
    score; a metric with a target in some facets only is named with those facets (and explained when
    it is an emergency figure)."""
    notes = []
    shown = rows.groupby("metric_code", sort=False)[facet].agg(lambda v: list(dict.fromkeys(v)))
    every = list(dict.fromkeys(rows[facet]))
    if "satisfaction" in shown.index:
        notes.append(
            "만족도는 목표 점수 대비입니다."
            if language == "ko"
            else "Satisfaction is compared with its target score."
        )
    for code, facets in shown.items():
        if len(facets) == len(every):
            continue
        where = ", ".join(facet_names.get(f, f) for f in facets)
        label = metric_label(str(code))
        if code in EMERGENCY_METRICS:
            notes.append(
                f"{josa(label, '은/는')} 긴급상황 피해기업을 도운 건수로(긴급 대응 화면), 목표가 정해진 {where}에만 있습니다."
                if language == "ko"
                else f"{label} counts relief given to firms hit by emergencies (see Emergencies); "
                f"only {where} has a target for it."
            )
        else:
            notes.append(
                f"{josa(label, '은/는')} 목표가 정해진 {where}에만 있습니다."
                if language == "ko"
                else f"{label}: only {where} has a target for it."
            )
    return notes
