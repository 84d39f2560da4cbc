"""The executive summary as one self-contained HTML page, sized for one A4 landscape sheet.

Inline CSS only, no scripts, no external files: the heat map is an HTML table with coloured
cells, so it prints crisply at any resolution and Hangul uses the installed NanumGothic font.
Pure function of the `Summary` data and a language; ui/export.py turns it into PDF and PNG.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

import pandas as pd

from metrics import registry
from metrics.summary import HEADLINE_METRICS, HEATMAP_METRICS, HUB_METRICS, Summary
from ui import figures
from ui import format as fmt
from ui.bilingual import t
from ui.figures import NO_TARGET, STATUS
from warehouse.text import clean_text

# One status palette everywhere (ui.charts.STATUS: colour-blind safe, each with its own shape).
STATUS_COLORS = {code: (style.ink, style.light) for code, style in STATUS.items()}  # strong, light
STATUS_COLORS[None] = (NO_TARGET.ink, NO_TARGET.light)


def status_text(status: object, lang: str) -> str:
    """'● 정상' as everywhere else, or nothing where there is no status to show."""
    return figures.status_text(status, lang) if isinstance(status, str) and status in STATUS else ""


def status_colors(status: object) -> tuple[str, str]:
    return STATUS_COLORS.get(status if isinstance(status, str) else None, STATUS_COLORS[None])


def _e(text: object) -> str:
    return html.escape(clean_text(text))


def value_text(metric_code: str, value: object, lang: str) -> str:
    m = registry.get(metric_code)
    return fmt.metric_value(value, m.unit_ko, m.unit_en, lang)


SECTOR_VALUES = ("target", "ytd_value", "expected_value", "projection")


def metric_cells(cards: pd.DataFrame, fields: tuple[str, ...], lang: str) -> list[list[str]]:
    """Each row's `fields` (values of the row's metric) as text, row by row: a row in its metric's
    unit, every money cell of the table in one scale and one precision (fmt.table_cells), so that no
    row reads "1.12억 달러 | 72.7백만달러" and no column mixes 천달러 and 백만달러."""
    rows = [
        (registry.get(code).unit_ko, registry.get(code).unit_en, [r[f] for f in fields])
        for code, r in zip(cards["metric_code"], cards.to_dict("records"), strict=True)
    ]
    return fmt.table_cells(rows, lang)


def _column_text(metric_code: str, values: pd.Series, lang: str) -> list[str]:
    """A table column's values; money in one unit, `money_scale` of its largest value."""
    if not fmt.is_money(registry.get(metric_code).unit_ko):
        return [value_text(metric_code, v, lang) for v in values]
    peak = values.astype("float64").abs().max()
    scale = fmt.money_scale(0.0 if pd.isna(peak) else peak, lang)
    return [fmt.money_in(v, scale, lang) for v in values]


def values_text(metric_code: str, values: list, lang: str) -> list[str]:
    """Values read side by side in one unit (fmt.metric_values): a tile's actual and its target."""
    m = registry.get(metric_code)
    return fmt.metric_values(values, m.unit_ko, m.unit_en, lang)


# The K-beauty hub table's column headers, on the page and the printed sheet: the metric names
# ("Export contract value") are too long for three figure columns in a third of the sheet.
HUB_HEADERS = {
    "firms_supported": ("지원기업", "Firms"),
    "export_contracts": ("계약 건수", "Contracts"),
    "export_value": ("계약액", "Value"),
}


def hub_header(metric_code: str, lang: str) -> str:
    ko, en = HUB_HEADERS[metric_code]
    return t(lang, ko, en)


def tile_rows(summary: Summary, lang: str) -> list[dict]:
    """The headline tiles as display strings (shared by the page and the export)."""
    sc = summary.scorecard.set_index("metric_code") if not summary.scorecard.empty else None
    out = []
    for code in HEADLINE_METRICS:
        row = sc.loc[code] if sc is not None and code in sc.index else None
        get = lambda c, r=row: r[c] if r is not None else None  # noqa: E731
        value, target = values_text(code, [get("ytd_value"), get("target")], lang)
        out.append(
            {
                "code": code,
                "label": registry.label(code, lang),
                "value": value,
                "target": target,
                "attainment": fmt.percent(get("attainment_pct")),
                "attainment_pct": get("attainment_pct"),
                "status": get("status"),
                "status_text": status_text(get("status"), lang),
                "growth": fmt.signed_percent(get("growth_pct")),
                "growth_pct": get("growth_pct"),
            }
        )
    return out


_CSS = """
@page { size: A4 landscape; margin: 0; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: 'NanumGothic', 'Nanum Gothic', 'Noto Sans CJK KR', sans-serif; color: #1F2933;
       -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.page { width: 297mm; height: 210mm; padding: 9mm 10mm 7mm 10mm; overflow: hidden;
        display: flex; flex-direction: column; gap: 3.2mm; font-size: 9.2pt; }
.head { display: flex; justify-content: space-between; align-items: flex-end;
        border-bottom: 2.2px solid #1F3A5F; padding-bottom: 2mm; }
.head h1 { font-size: 15pt; margin: 0; color: #1F3A5F; font-weight: 800; }
.head .sub { font-size: 10pt; color: #3E4C59; margin-top: 1mm; }
.head .meta { text-align: right; font-size: 8pt; color: #52606D; line-height: 1.45; }
.badge { display: inline-block; padding: 0.4mm 2mm; border-radius: 2mm; font-weight: 700;
         background: #FFF4CC; color: #8A5A00; border: 1px solid #E6C866; }
.tiles { display: grid; grid-template-columns: repeat(6, 1fr); gap: 2.6mm; }
.tile { border: 1px solid #D9DEE5; border-left: 5px solid; border-radius: 1.6mm; padding: 2mm 2.6mm;
        background: #FFFFFF; }
.tile .lbl { font-size: 8.8pt; color: #3E4C59; font-weight: 700; }
.tile .val { font-size: 16pt; font-weight: 800; margin: 0.8mm 0 0.6mm 0; white-space: nowrap; }
.tile .row { display: flex; justify-content: space-between; font-size: 8pt; color: #52606D; }
.tile .att { font-weight: 800; }
.pill { display: inline-block; padding: 0 1.6mm; border-radius: 1.5mm; font-weight: 700; font-size: 7.4pt; }
.mid { display: grid; grid-template-columns: 1.25fr 1fr; gap: 4mm; }
.bottom { display: grid; grid-template-columns: 1.15fr 1fr 0.85fr; gap: 4mm; flex: 1; min-height: 0; }
h2 { font-size: 10.4pt; margin: 0 0 1.2mm 0; color: #1F3A5F; font-weight: 800; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 1mm 1.5mm; font-size: 8.4pt; }
th { color: #52606D; font-weight: 700; text-align: center; border-bottom: 1px solid #CBD2D9; }
td { border-bottom: 1px solid #EEF1F4; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.name { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 48mm; }
td.name.wrap { white-space: normal; overflow: visible; max-width: none; }  /* hubs: rows are two lines anyway */
table.ranks td.name { max-width: 64mm; }  /* "37. Consulate General in Ho Chi Minh City" */
table.heat td.cell { text-align: center; font-weight: 700; border: 2px solid #FFFFFF; padding: 1.5mm 1mm; font-size: 9pt; }
table.heat td.m { font-weight: 700; white-space: nowrap; }
ul.hl { margin: 0; padding-left: 4.5mm; }
ul.hl li { font-size: 10.2pt; line-height: 1.55; margin-bottom: 0.8mm; }
.legend { font-size: 7.2pt; color: #52606D; margin-top: 1mm; }
.legend span.sw { display: inline-block; width: 3mm; height: 2.4mm; vertical-align: middle; margin: 0 0.8mm 0 2mm; }
.grp td { background: #F5F7FA; font-weight: 700; color: #3E4C59; font-size: 7.4pt; }
.foot { font-size: 6.8pt; color: #7B8794; display: flex; justify-content: space-between; }
.empty { color: #7B8794; font-size: 8pt; }
.inc-head { font-size: 8.4pt; font-weight: 700; color: #3E4C59; margin-bottom: 0.6mm; word-break: keep-all; }
.nw { white-space: nowrap; }
ul.inc { margin: 0 0 1.6mm 0; padding-left: 4mm; }
ul.inc li { font-size: 8.2pt; line-height: 1.4; word-break: keep-all; }
"""


def _pill(status: object, lang: str) -> str:
    strong, light = status_colors(status)
    text = status_text(status, lang)
    if not text:
        return ""
    return f'<span class="pill" style="background:{light};color:{strong}">{_e(text)}</span>'


def _tiles(summary: Summary, lang: str) -> str:
    cells = []
    for tile in tile_rows(summary, lang):
        strong, _ = status_colors(tile["status"])
        target = t(lang, "목표", "Target")
        yoy = t(lang, "전년 동기", "YoY")
        cells.append(
            f'<div class="tile" style="border-left-color:{strong}">'
            f'<div class="lbl">{_e(tile["label"])}</div>'
            f'<div class="val">{_e(tile["value"])}</div>'
            f'<div class="row"><span>{target} {_e(tile["target"])}</span>'
            f'<span class="att" style="color:{strong}">{_e(tile["attainment"])}</span></div>'
            f'<div class="row"><span>{yoy} {_e(tile["growth"])}</span>{_pill(tile["status"], lang)}</div>'
            "</div>"
        )
    return '<div class="tiles">' + "".join(cells) + "</div>"


def heat_frame(summary: Summary, sector_names: dict[str, str], lang: str) -> pd.DataFrame:
    """Sector × metric attainment (%) and status, metrics as rows in HEATMAP_METRICS order."""
    df = summary.sectors
    if df.empty:
        return pd.DataFrame(columns=["metric_code", "metric", "sector_code", "sector", "pct", "status"])
    df = df[df["metric_code"].isin(HEATMAP_METRICS) & df["sector_code"].notna()]
    out = pd.DataFrame(
        {
            "metric_code": df["metric_code"],
            "metric": [registry.label(c, lang) for c in df["metric_code"]],
            "sector_code": df["sector_code"],
            "sector": [sector_names.get(c, c) for c in df["sector_code"]],
            "pct": df["attainment_pct"],
            "status": df["status"],
        }
    )
    return out.reset_index(drop=True)


def heat_cell(status: object, pct: object) -> str:
    """A heat map cell: the status's shape and the attainment, "▲ 64%", so status never rests on
    colour alone (the README's promise: ● 정상, ▲ 주의, ■ 미흡)."""
    return f"{figures.status_style(status).glyph} {fmt.percent(pct, 0)}"


def _heat(summary: Summary, sector_names: dict[str, str], lang: str) -> str:
    hf = heat_frame(summary, sector_names, lang)
    title = t(lang, "분야 × 지표 달성률", "Attainment by sector × metric")
    if hf.empty:
        return f'<div><h2>{title}</h2><div class="empty">{t(lang, "목표 없음", "No targets")}</div></div>'
    sectors = [c for c in sector_names if c in set(hf["sector_code"])] or sorted(set(hf["sector_code"]))
    head = "".join(f"<th>{_e(sector_names.get(s, s))}</th>" for s in sectors)
    rows = []
    for code in HEATMAP_METRICS:
        part = hf[hf["metric_code"] == code].set_index("sector_code")
        if part.empty:
            continue
        tds = []
        for s in sectors:
            if s in part.index:
                strong, light = status_colors(part.at[s, "status"])
                tds.append(
                    f'<td class="cell" style="background:{light};color:{strong}">'
                    f"{_e(heat_cell(part.at[s, 'status'], part.at[s, 'pct']))}</td>"
                )
            else:
                tds.append('<td class="cell">–</td>')
        rows.append(f'<tr><td class="m">{_e(registry.label(code, lang))}</td>{"".join(tds)}</tr>')
    legend = "".join(
        f'<span class="sw" style="background:{status_colors(s)[1]};border:1px solid {status_colors(s)[0]}">'
        f"</span>{_e(status_text(s, lang))}"
        for s in ("on_track", "at_risk", "behind", "no_data")
    )
    note = t(
        lang,
        "연간 목표 대비 누적 실적(%), 색과 모양은 진도 대비 상태",
        "YTD as % of annual target; colour and shape = status vs pace",
    )
    return (
        f'<div><h2>{title}</h2><table class="heat"><tr><th></th>{head}</tr>{"".join(rows)}</table>'
        f'<div class="legend">{note}{legend}</div></div>'
    )


def _highlights(items: list[str], lang: str) -> str:
    title = t(lang, "주요 내용", "Highlights")
    body = "".join(f"<li>{_e(s)}</li>" for s in items) or f'<li class="empty">{t(lang, "없음", "None")}</li>'
    return f'<div><h2>{title}</h2><ul class="hl">{body}</ul></div>'


def _name(row: pd.Series, lang: str) -> str:
    return str(row["name_en"] if lang == "en" else row["name_ko"])


def _missions(summary: Summary, lang: str) -> str:
    title = t(lang, "공관별 목표 달성률 상·하위 5", "Missions: top 5 and bottom 5 by attainment")
    df = summary.missions
    unranked = summary.unranked_text(lang)  # missions without their return: not ranked, named here
    note = f'<div class="legend">{_e(unranked)}</div>' if unranked else ""
    if df.empty:
        return f'<div><h2>{title}</h2><div class="empty">{t(lang, "공관 목표 없음", "No mission targets")}</div>{note}</div>'
    rows = []
    for group, label in (("top", t(lang, "상위", "Top")), ("bottom", t(lang, "하위", "Bottom"))):
        part = df[df["group"] == group]
        if part.empty:
            continue
        rows.append(f'<tr class="grp"><td colspan="3">{label}</td></tr>')
        for _, r in part.iterrows():
            rows.append(
                f'<tr><td class="name">{int(r["rank"])}. {_e(_name(r, lang))}</td>'
                f'<td class="num">{_e(fmt.percent(r["attainment_pct"]))}</td>'
                f"<td>{_pill(r['worst_status'], lang)}</td></tr>"
            )
    head = f"<tr><th style='text-align:left'>{t(lang, '공관', 'Mission')}</th><th>{t(lang, '달성률', 'Attainment')}</th><th>{t(lang, '상태', 'Status')}</th></tr>"
    return f'<div><h2>{title}</h2><table class="ranks">{head}{"".join(rows)}</table>{note}</div>'


def _hubs(summary: Summary, lang: str) -> str:
    title = t(lang, "K-뷰티 거점공관 (K-뷰티 분야)", "K-beauty hub missions (K-beauty sector)")
    df = summary.hubs
    if df.empty:
        return f'<div><h2>{title}</h2><div class="empty">{t(lang, "지정된 거점공관 없음", "No hub designated")}</div></div>'
    heads = "".join(f'<th class="nw">{_e(hub_header(m, lang))}</th>' for m in HUB_METRICS)
    # each column in one unit, as on the page (ui.report_charts.hubs_table: the largest value's)
    columns = {m: _column_text(m, df[m], lang) for m in HUB_METRICS}
    rows = []
    for i, (_, r) in enumerate(df.iterrows()):
        cells = []
        for m in HUB_METRICS:
            growth = r.get(f"{m}_growth")
            g = (
                f'<br><span style="color:#52606D">{_e(fmt.signed_percent(growth, 0))}</span>'
                if pd.notna(growth)
                else ""
            )
            cells.append(f'<td class="num">{_e(columns[m][i])}{g}</td>')
        rows.append(f'<tr><td class="name wrap">{_e(_name(r, lang))}</td>{"".join(cells)}</tr>')
    note = t(lang, "누적 실적, 아래는 전년 동기 대비", "Year to date; below: change vs same period last year")
    return (
        f'<div><h2>{title}</h2><table><tr><th style="text-align:left">{t(lang, "공관", "Mission")}</th>{heads}</tr>'
        f'{"".join(rows)}</table><div class="legend">{note}</div></div>'
    )


# The emergencies column shares one sheet with the rest: at most this many open incidents and
# mission rows are printed, the rest counted ("외 n건"); the page and 긴급 대응 list them all.
MAX_INCIDENTS = 3
MAX_EMERGENCY_ROWS = 4


def _incidents(summary: Summary, lang: str) -> str:
    """The open incidents as on the page: the headline, then one line each (as many as fit)."""
    brief = summary.incidents
    if brief is None:
        return ""
    parts = brief.headline(lang).split(" · ")  # wrap between the parts, not inside "(지원율 73%)"
    head = '<div class="inc-head">' + " · ".join(f'<span class="nw">{_e(p)}</span>' for p in parts) + "</div>"
    if not brief.count:
        return head
    lines = brief.lines(lang)
    # keep "(2025-11-06~, 모니터링)" on one line: no break at the date's hyphens
    items = "".join(
        "<li>" + re.sub(r"\([^)]*\)", lambda m: f'<span class="nw">{m.group(0)}</span>', _e(line)) + "</li>"
        for line in lines[:MAX_INCIDENTS]
    )
    more = len(lines) - MAX_INCIDENTS
    if more > 0:
        items += f'<li class="empty">{t(lang, f"외 {more}건", f"and {more} more")}</li>'
    return f'{head}<ul class="inc">{items}</ul>'


def emergency_message(summary: Summary, lang: str) -> str | None:
    """The sentence the emergencies block says when there is no figure this year (shared with the page).

    None when there are figures; with open incidents, that their figures are not in for the year yet
    (the incidents are listed above it); otherwise that there is no emergency.
    """
    case = summary.emergency_case
    if case == "open":
        year = summary.completeness.year
        if year is None:
            return t(
                lang,
                "올해 피해기업·지원 실적은 아직 보고되지 않았습니다",
                "No affected-firm or relief figures reported this year yet",
            )
        return t(
            lang,
            f"{year}년 피해기업·지원 실적은 아직 보고되지 않았습니다",
            f"No affected-firm or relief figures reported for {year} yet",
        )
    if case == "none":
        return t(lang, "보고된 긴급상황이 없습니다", "No emergency reported")
    return None


def emergency_note(summary: Summary, lang: str) -> str | None:
    """Which period each number counts (shared with the page): the open incidents' totals and relief
    ratios run since each incident began, the figures by mission are this year's; None if nothing to say."""
    brief = summary.incidents
    since = brief is not None and brief.count > 0 and brief.has_figures
    case = summary.emergency_case
    if case == "figures" and since:
        return t(
            lang,
            "합계·지원율: 사건 시작 이후 · 공관별: 올해 누적 보고",
            "Totals, relief ratio: since each incident began · by mission: year to date",
        )
    if case == "figures":
        return t(lang, "공관별: 올해 누적 보고", "By mission: year to date")
    if case == "open" and since:
        return t(lang, "합계·지원율: 사건 시작 이후", "Totals, relief ratio: since each incident began")
    return None


def _emergencies(summary: Summary, lang: str) -> str:
    title = t(lang, "긴급상황 대응", "Emergencies")
    incidents = _incidents(summary, lang)
    note = emergency_note(summary, lang)
    legend = f'<div class="legend">{_e(note)}</div>' if note else ""
    df = summary.emergencies
    if summary.emergency_case != "figures":
        message = emergency_message(summary, lang)
        return f'<div><h2>{title}</h2>{incidents}<div class="empty">{_e(message)}</div>{legend}</div>'
    rows = "".join(
        f'<tr><td class="name">{_e(_name(r, lang))}</td>'
        f'<td class="num">{_e(value_text("affected_firms", r["affected_firms"], lang))}</td>'
        f'<td class="num">{_e(value_text("relief_cases", r["relief_cases"], lang))}</td></tr>'
        for _, r in df.head(MAX_EMERGENCY_ROWS).iterrows()
    )
    more = len(df) - MAX_EMERGENCY_ROWS
    if more > 0:
        rows += f'<tr><td class="empty" colspan="3">{t(lang, f"외 {more}곳", f"and {more} more")}</td></tr>'
    head = (
        f"<tr><th style='text-align:left'>{t(lang, '공관', 'Mission')}</th>"
        f"<th>{t(lang, '피해기업', 'Firms hit')}</th><th>{t(lang, '지원', 'Relief cases')}</th></tr>"
    )
    return f"<div><h2>{title}</h2>{incidents}<table>{head}{rows}</table>{legend}</div>"


def report_html(
    summary: Summary,
    lang: str = "ko",
    *,
    sector_names: dict[str, str] | None = None,
    demo: bool = False,
    preliminary: bool = False,
    generated: datetime | None = None,
    scope: str | None = None,
) -> str:
    """The whole one-page report as an HTML document string (titled 잠정 in the preliminary view);
    `scope` names the filters it follows."""
    names = sector_names or {}
    when = (generated or datetime.now()).strftime("%Y-%m-%d %H:%M")
    title = t(lang, "중기부–외교부 정책협의회 성과 요약", "MSS–MOFA Policy Council: Performance Summary")
    if preliminary:
        title += t(lang, " (잠정)", " (preliminary)")
    demo_badge = (
        f'<span class="badge">{t(lang, "데모 데이터 — 가상 수치", "Demo data — synthetic figures")}</span><br>'
        if demo
        else ""
    )
    comp = summary.completeness.text(lang)
    missing = summary.completeness.missing_text(lang)
    sub = _e(comp) + (f' <span style="color:#C0392B">· {_e(missing)}</span>' if missing else "")
    if scope:
        sub = f'<span class="badge">{t(lang, "조회 조건", "Filtered")}</span> {_e(scope)}<br>' + sub
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{_e(title)}</title><style>{_CSS}</style></head>
<body><div class="page">
<div class="head"><div><h1>{_e(title)}</h1><div class="sub">{sub}</div></div>
<div class="meta">{demo_badge}{t(lang, "작성", "Generated")} {when}</div></div>
{_tiles(summary, lang)}
<div class="mid">{_heat(summary, names, lang)}{_highlights(summary.highlights(lang, names), lang)}</div>
<div class="bottom">{_missions(summary, lang)}{_hubs(summary, lang)}{_emergencies(summary, lang)}</div>
<div class="foot"><span>{t(lang, "달성률 = 연간 누적 실적 ÷ 연간 목표 × 100. 상태는 예상 진도 대비(정상 ≥ 100%, 주의 ≥ 80%, 미흡 < 80%).", "Attainment = year-to-date ÷ annual target × 100. Status against expected pace (on track ≥ 100%, at risk ≥ 80%, behind < 80%).")}</span>
<span>{_e(comp)}</span></div>
</div></body></html>
"""
