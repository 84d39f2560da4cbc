"""The briefing pack as a document outline: a title block and sections of 개조식 lines, tables and charts.

A Korean government report (보고서) writes in 개조식: □ for a topic, ○ for a point under it, - for a
detail, ※ for a note. This module turns `metrics.briefing.Briefing` into that outline, section by
section, in the PDF pack's order and with its numbers formatted the same way (ui/briefing_html.py,
ui/report_html.py, ui/council_tables.py). Writers (briefing/hwpx_writer.py) lay the outline out;
they know nothing of the council.

Adding a section is one function `(Briefing, lang) -> Section | None` and one entry in SECTIONS; the
PDF's own pieces (intros, cells) come from ui/briefing_html.py so both files say the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from briefing.images import Picture
from metrics import registry
from metrics.briefing import Briefing
from metrics.council import quarter_text
from metrics.summary import HEATMAP_METRICS, HUB_METRICS
from ui import council_tables as ct
from ui import figures
from ui import format as fmt
from ui.bilingual import t
from ui.briefing_html import (
    ACTION_COLUMNS,
    EXCEPTION_COLUMNS,
    SECTOR_COLUMNS,
    action_cells,
    action_intro,
    exceptions_intro,
    explanation_cell,
    incident_table,
)
from ui.council_charts import dumbbell
from ui.figures import status_text
from ui.report_charts import heatmap_figure
from ui.report_html import emergency_message, heat_cell, hub_header, tile_rows, value_text
from warehouse.meeting import ordinal

ROMAN = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ", "Ⅶ", "Ⅷ", "Ⅸ", "Ⅹ")
CHART_WIDTH = 760  # CSS px of a chart across the text width (170 mm), so its text prints at ~9 pt

# 개조식 levels: the marker each level's line starts with
TOPIC, POINT, DETAIL, NOTE = 1, 2, 3, 4
MARKERS = {TOPIC: "□", POINT: "○", DETAIL: "-", NOTE: "※"}


@dataclass(frozen=True)
class Line:
    """One line of 개조식 text; `new_page` starts it on a new page (a sector's □)."""

    text: str
    level: int = POINT
    new_page: bool = False

    @property
    def marked(self) -> str:
        return f"{MARKERS[self.level]} {self.text}"


@dataclass
class Table:
    """A real table: header cells, body cells (text as printed), which columns are figures, widths."""

    key: str  # what the table is, for tests and readers: 'tiles', 'sector:bio', 'exceptions' …
    head: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative column widths
    numeric: list[bool]


@dataclass
class Chart:
    key: str
    picture: Picture
    caption: str = ""
    png: bytes | None = None  # filled by `draw_charts`


Block = Line | Table | Chart


@dataclass
class Section:
    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class TitleBlock:
    kicker: str  # 회의 자료
    title: str  # 제3차 중기부–외교부 정책협의회
    when: str  # 2026-12-18 (개최 예정)
    as_of: str  # 2026년 3분기 마감 기준
    lines: list[str]  # completeness, the comparison, demo data
    contents: list[str]


@dataclass
class Outline:
    lang: str
    title: TitleBlock
    sections: list[Section]
    running_head: str  # the header line of every page after the first

    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def charts(self) -> list[Chart]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Chart)]


# --- helpers --------------------------------------------------------------------------------------


def _cell(value: object, digits: int = 1) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return fmt.DASH
    if isinstance(value, float):
        return fmt.number(value, digits)
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def frame_table(key: str, df: pd.DataFrame, widths: list[float] | None = None) -> Table:
    """A display frame (ui/council_tables.py) as a table; numbers as the PDF prints them."""
    numeric = [pd.api.types.is_numeric_dtype(df[c]) for c in df.columns]
    return Table(
        key,
        [str(c) for c in df.columns],
        [[_cell(v) for v in row] for row in df.itertuples(index=False)],
        widths or [1.0] * len(df.columns),
        numeric,
    )


def _none(lang: str, what: str | None = None) -> Line:
    return Line(what or t(lang, "없음", "None"), DETAIL)


def _figure_height(fig, default: int = 380) -> int:
    height = fig.layout.height
    return int(height) if height else default


# --- the title block ------------------------------------------------------------------------------


def title_block(b: Briefing, lang: str, contents: list[str], demo: bool) -> TitleBlock:
    m = b.meeting
    as_of = quarter_text(b.period, lang)
    comp = b.summary.completeness
    if m is not None:
        title = m.title(lang)
        planned = m.held_on >= b.today
        when = f"{m.held_on:%Y-%m-%d}" + (t(lang, " (개최 예정)", " (planned)") if planned else "")
        if lang == "en" and not m.title_en:
            title = f"{ordinal(m.meeting_no)} MSS–MOFA Policy Council"
    else:
        title = t(lang, "중기부–외교부 정책협의회", "MSS–MOFA Policy Council")
        when = t(lang, "예정된 회의 없음", "No meeting planned")
    lines = [
        t(
            lang,
            f"공관 제출 {comp.submitted}/{comp.expected} ({as_of})",
            f"Missions reported {comp.submitted}/{comp.expected} ({as_of})",
        )
    ]
    missing = comp.missing_text(lang, limit=8)
    if missing:
        lines.append(missing)
    if b.since is not None:
        lines.append(
            t(
                lang,
                f"비교 기준: 지난 회의 {b.since.meeting.short('ko')}, {quarter_text(b.since.then_period)} 검토",
                f"Compared with the last council, {b.since.meeting.short('en')}, which reviewed "
                f"{quarter_text(b.since.then_period, 'en')}",
            )
        )
    if demo:
        lines.append(t(lang, "데모 데이터 — 가상 수치", "Demo data — synthetic figures"))
    return TitleBlock(
        kicker=t(lang, "회의 자료", "Briefing pack"),
        title=title,
        when=when,
        as_of=t(lang, f"{as_of} 마감 기준", f"As of {as_of} (closed)"),
        lines=lines,
        contents=contents,
    )


# --- Ⅰ. the one-page summary ----------------------------------------------------------------------


def summary_section(b: Briefing, lang: str) -> Section:
    s = b.summary
    names = s.sector_names_en if lang == "en" else s.sector_names_ko
    blocks: list[Block] = [Line(t(lang, "주요 내용", "Highlights"), TOPIC)]
    blocks += [Line(x) for x in s.highlights(lang, names)] or [_none(lang)]

    blocks.append(Line(t(lang, "핵심 지표 (연간 목표 대비 누계)", "Headline metrics (year to date)"), TOPIC))
    tiles = tile_rows(s, lang)
    blocks.append(
        Table(
            "tiles",
            [
                t(lang, "지표", "Metric"),
                t(lang, "누계 실적", "Year to date"),
                t(lang, "연간 목표", "Annual target"),
                t(lang, "달성률", "Attainment"),
                t(lang, "상태", "Status"),
                t(lang, "전년 동기 대비", "Year on year"),
            ],
            [
                [x["label"], x["value"], x["target"], x["attainment"], x["status_text"], x["growth"]]
                for x in tiles
            ],
            [2.2, 1.6, 1.6, 1.1, 1.1, 1.3],
            [False, True, True, True, False, True],
        )
    )

    blocks.append(Line(t(lang, "분야 × 지표 달성률", "Attainment by sector × metric"), TOPIC))
    fig = heatmap_figure(s, names, lang)
    if fig is None:
        blocks.append(_none(lang, t(lang, "목표 없음", "No targets")))
    else:
        blocks.append(Chart("heatmap", Picture(fig, CHART_WIDTH, _figure_height(fig) + 20)))
        sectors = [c for c in names if c in set(s.sectors["sector_code"])]
        rows = []
        for code in HEATMAP_METRICS:
            part = s.sectors[s.sectors["metric_code"] == code].set_index("sector_code")
            if part.empty:
                continue
            rows.append(
                [registry.label(code, lang)]
                + [
                    heat_cell(part.at[c, "status"], part.at[c, "attainment_pct"])
                    if c in part.index
                    else fmt.DASH
                    for c in sectors
                ]
            )
        blocks.append(
            Table(
                "heatmap",
                [t(lang, "지표", "Metric"), *[names.get(c, c) for c in sectors]],
                rows,
                [2.2] + [1.0] * len(sectors),
                [False] + [True] * len(sectors),
            )
        )
        blocks.append(
            Line(
                t(
                    lang,
                    "연간 목표 대비 누계(%). 모양은 진도 대비 상태: ● 정상, ▲ 주의, ■ 미흡",
                    "Year to date as % of the annual target; shape = status against pace: ● on track, ▲ at risk, ■ behind",
                ),
                NOTE,
            )
        )

    blocks.append(
        Line(t(lang, "공관별 목표 달성률 상·하위 5", "Missions: top 5 and bottom 5 by attainment"), TOPIC)
    )
    if s.missions.empty:
        blocks.append(_none(lang, t(lang, "공관 목표 없음", "No mission targets")))
    else:
        rows = [
            [
                t(lang, "상위", "Top") if r["group"] == "top" else t(lang, "하위", "Bottom"),
                str(int(r["rank"])),
                str(r["name_en"] if lang == "en" else r["name_ko"]),
                fmt.percent(r["attainment_pct"]),
                status_text(r["worst_status"], lang),
            ]
            for _, r in s.missions.iterrows()
        ]
        blocks.append(
            Table(
                "missions",
                [
                    t(lang, "구분", "Group"),
                    t(lang, "순위", "Rank"),
                    t(lang, "공관", "Mission"),
                    t(lang, "달성률", "Attainment"),
                    t(lang, "상태", "Status"),
                ],
                rows,
                [0.9, 0.7, 3.4, 1.1, 1.1],
                [False, True, False, True, False],
            )
        )
    if s.unranked_text(lang):  # missions without their return for the quarter: not ranked (요약 too)
        blocks.append(Line(s.unranked_text(lang), NOTE))

    blocks.append(
        Line(t(lang, "K-뷰티 거점공관 (K-뷰티 분야)", "K-beauty hub missions (K-beauty sector)"), TOPIC)
    )
    if s.hubs.empty:
        blocks.append(_none(lang, t(lang, "지정된 거점공관 없음", "No hub designated")))
    else:
        columns = {m: _hub_column(m, s.hubs[m], lang) for m in HUB_METRICS}
        rows = []
        for i, (_, r) in enumerate(s.hubs.iterrows()):
            cells = [str(r["name_en"] if lang == "en" else r["name_ko"])]
            for m in HUB_METRICS:
                growth = r.get(f"{m}_growth")
                extra = f" ({fmt.signed_percent(growth, 0)})" if pd.notna(growth) else ""
                cells.append(columns[m][i] + extra)
            rows.append(cells)
        blocks.append(
            Table(
                "hubs",
                [t(lang, "공관", "Mission"), *[hub_header(m, lang) for m in HUB_METRICS]],
                rows,
                [2.6, 1.3, 1.3, 1.6],
                [False, True, True, True],
            )
        )
        blocks.append(
            Line(
                t(
                    lang,
                    "누적 실적, 괄호는 전년 동기 대비",
                    "Year to date; in brackets: change on the same period",
                ),
                NOTE,
            )
        )

    blocks.append(Line(t(lang, "긴급상황 대응", "Emergencies"), TOPIC))
    if s.incidents is not None:
        blocks.append(Line(s.incidents.headline(lang)))
        blocks += [Line(x, DETAIL) for x in s.incidents.lines(lang)]
    message = emergency_message(s, lang)
    if message:
        blocks.append(Line(message))
    return Section("summary", t(lang, "성과 요약", "Performance summary"), blocks)


def _hub_column(metric_code: str, values: pd.Series, lang: str) -> list[str]:
    """A hub column in one unit (money: the largest value's), as the page and the PDF print it."""
    if not fmt.is_money(registry.get(metric_code).unit_ko):
        return [value_text(metric_code, v, lang) for v in values]
    peak = values.astype("float64").abs().max()
    scale = fmt.money_scale(0.0 if pd.isna(peak) else peak, lang)
    return [fmt.money_in(v, scale, lang) for v in values]


# --- Ⅱ. since the last council --------------------------------------------------------------------


def since_section(b: Briefing, lang: str) -> Section:
    title = t(lang, "지난 회의 이후", "Since the last council")
    s = b.since
    if s is None:
        return Section(
            "since",
            title,
            [Line(t(lang, "이전 회의가 없어 비교할 수 없습니다.", "No earlier council to compare with."))],
        )
    then_q, now_q = quarter_text(s.then_period, lang), quarter_text(s.now_period, lang)
    then_label, now_label = (
        t(lang, f"당시 ({then_q})", f"Then ({then_q})"),
        t(lang, f"현재 ({now_q})", f"Now ({now_q})"),
    )
    blocks: list[Block] = [
        Line(
            t(
                lang,
                f"{s.meeting.short('ko')} 당시 본 {then_q}(회의일 수치) ↔ 현재 {now_q} 마감(현재 수치). 목표는 현재 목표, 각 연도 목표 대비.",
                f"{s.meeting.short('en')}: {then_q} as it stood that day ↔ now: {now_q} closed, current figures. "
                "Each against its year's targets as they stand.",
            ),
            NOTE,
        ),
        Line(t(lang, "주요 변화", "What changed"), TOPIC),
    ]
    blocks += [Line(x) for x in s.highlights(lang)] or [_none(lang)]

    blocks.append(Line(t(lang, "목표 상태 변화 (당시 → 현재)", "Target status, then → now"), TOPIC))
    matrix = ct.transition_matrix(s, lang)
    blocks.append(frame_table("transitions", matrix, [1.6] + [1.0] * (len(matrix.columns) - 1)))
    blocks += [Line(f"{name}: {n}", DETAIL) for name, n in ct.transition_lines(s, lang)]

    blocks.append(
        Line(t(lang, "분야별 평균 달성률, 당시 → 현재", "Mean attainment by sector, then → now"), TOPIC)
    )
    if s.sector_movers.empty:
        blocks.append(_none(lang, t(lang, "비교할 목표 없음", "No targets to compare")))
    else:
        fig = dumbbell(s.sector_movers, lang=lang, then_label=then_label, now_label=now_label)
        blocks.append(Chart("sector_movers", Picture(fig, CHART_WIDTH, _figure_height(fig))))
        blocks.append(
            frame_table("sector_movers", ct.movers_table(s, "sector", lang), [2, 1.2, 1.6, 1.6, 1.1])
        )
        blocks.append(
            Line(
                t(
                    lang,
                    "○ 당시 ● 현재 · 분야 목표가 있는 지표의 평균",
                    "○ then ● now · mean over the metrics with sector targets",
                ),
                NOTE,
            )
        )

    blocks.append(
        Line(t(lang, "달성률 변동이 큰 공관 (상위 10)", "Missions that moved most (top 10)"), TOPIC)
    )
    movers = s.mission_movers.head(10)
    if movers.empty:
        blocks.append(_none(lang, t(lang, "비교할 목표 없음", "No targets to compare")))
    else:
        fig = dumbbell(movers, lang=lang, then_label=then_label, now_label=now_label)
        blocks.append(Chart("mission_movers", Picture(fig, CHART_WIDTH, _figure_height(fig))))
        blocks.append(
            frame_table(
                "mission_movers", ct.movers_table(s, "mission", lang).head(10), [3, 1.2, 1.6, 1.6, 1.1]
            )
        )

    blocks.append(
        Line(
            t(
                lang,
                "회의 때 본 분기의 정정 (당시 → 현재)",
                "Restated figures of quarters the council had seen (then → now)",
            ),
            TOPIC,
        )
    )
    restated = ct.restated_table(s, lang)
    if restated.empty:
        blocks.append(
            _none(lang, t(lang, "없음 — 회의 이후 바뀐 값이 없습니다.", "None: no figure has changed since."))
        )
    else:
        blocks.append(frame_table("restated", restated))
    for key, topic, df in (
        (
            "quarters_closed",
            t(lang, "회의 이후 분기 마감", "Quarters closed since"),
            ct.quarter_events_table(s, lang),
        ),
        (
            "incidents_since",
            t(lang, "회의 이후 긴급상황 발생·종료", "Incidents begun or ended since"),
            ct.incidents_table(s, lang),
        ),
        (
            "restating",
            t(lang, "회의 이후 적재된 정정 보고", "Restating returns loaded since"),
            ct.restating_table(s, lang),
        ),
    ):
        blocks.append(Line(topic, TOPIC))
        blocks.append(_none(lang) if df.empty else frame_table(key, df))
    return Section("since", title, blocks)


# --- follow-up actions (이행 점검) -----------------------------------------------------------------


def actions_section(b: Briefing, lang: str) -> Section:
    """What the last council agreed and where each action stands (the PDF's 이행 점검 sheet)."""
    title = t(lang, "후속 조치 이행 점검", "Follow-up actions: progress check")
    review = b.actions
    if review is None or review.meeting is None:
        return Section(
            "actions",
            title,
            [
                Line(
                    t(
                        lang,
                        "이전 회의가 없어 점검할 후속 조치가 없습니다.",
                        "No earlier council, so no actions to check.",
                    )
                )
            ],
        )
    blocks: list[Block] = [Line(action_intro(review, lang))]
    if review.actions.empty:
        blocks.append(_none(lang, t(lang, "합의된 후속 조치가 없습니다.", "No action was agreed.")))
        return Section("actions", title, blocks)
    blocks.append(Line(t(lang, "후속 조치별 이행 상황", "Each action and where it stands"), TOPIC))
    blocks.append(
        Table(
            "actions",
            [t(lang, ko, en) for ko, en, _w, _c in ACTION_COLUMNS],
            [action_cells(review, r, lang)[0] for _, r in review.actions.iterrows()],
            [w for _ko, _en, w, _c in ACTION_COLUMNS],
            [c == "num" for _ko, _en, _w, c in ACTION_COLUMNS],
        )
    )
    blocks.append(
        Line(
            t(
                lang,
                "기한 경과: 기한이 지났는데 완료·중단되지 않은 조치. 최근 진행: 가장 최근 진행 메모.",
                "Overdue: past due and neither done nor dropped. Latest progress: the most recent progress note.",
            ),
            NOTE,
        )
    )
    return Section("actions", title, blocks)


# --- Ⅲ. the sectors -------------------------------------------------------------------------------


def sector_chart_frame(cards: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rows of 분야별's bullet chart (ui/frames.py scorecard_chart_frame), without hover text."""
    rows = cards[cards["target"].notna()].copy()
    rows["metric_label"] = [registry.label(c, lang) for c in rows["metric_code"]]
    rows["expected_pct"] = rows["expected_share"] * 100
    rows["bar_text"] = rows["attainment_pct"].map(lambda v: fmt.percent(v, 0))
    rows["hover"] = ""
    return rows


def sector_rows(b: Briefing, sector: str, lang: str) -> list[list[str]]:
    """Each metric against the sector's target, the cells of the PDF's sector sheet (without its sparkline)."""
    cards = b.sector_cards[b.sector_cards["sector_code"] == sector]
    rows = []
    for _, r in cards.iterrows():
        code = r["metric_code"]
        if pd.isna(r["ytd_value"]) and pd.isna(r["target"]):
            continue
        rows.append(
            [
                registry.label(code, lang),
                value_text(code, r["target"], lang),
                value_text(code, r["ytd_value"], lang),
                fmt.percent(r["attainment_pct"]),
                value_text(code, r["expected_value"], lang),
                fmt.percent(r["vs_expected_pct"], 0),
                status_text(r["status"], lang),
                value_text(code, r["projection"], lang),
                fmt.signed_percent(r["growth_pct"]),
            ]
        )
    return rows


def trend_table(b: Briefing, sector: str, lang: str) -> Table | None:
    """The sector's quarterly figures (the PDF's trend line), one row per metric."""
    trend = b.trend[b.trend["sector_code"] == sector]
    if trend.empty:
        return None
    periods = sorted({int(y) * 10 + int(q) for y, q in zip(trend["year"], trend["quarter"], strict=True)})
    rows = []
    for code in dict.fromkeys(trend["metric_code"]):
        series = trend[trend["metric_code"] == code]
        by = {
            int(y) * 10 + int(q): v
            for y, q, v in zip(series["year"], series["quarter"], series["value"], strict=True)
        }
        digits = 1 if fmt.is_score(registry.get(code).unit_ko) else 0
        rows.append(
            [registry.label(code, lang), _unit(code, lang)] + [fmt.number(by.get(p), digits) for p in periods]
        )
    head = [t(lang, "지표", "Metric"), t(lang, "단위", "Unit")] + [
        fmt.period(p // 10, p % 10, lang) for p in periods
    ]
    return Table(
        f"trend:{sector}",
        head,
        rows,
        [2.4, 0.9] + [1.0] * len(periods),
        [False, False] + [True] * len(periods),
    )


def sectors_section(b: Briefing, lang: str) -> Section:
    names = b.names.get(("sector", lang), {})
    blocks: list[Block] = []
    for i, sector in enumerate(b.sectors):
        name = names.get(sector, sector)
        blocks.append(Line(t(lang, f"{name} 분야", f"Sector: {name}"), TOPIC, new_page=i > 0))
        cards = b.sector_cards[b.sector_cards["sector_code"] == sector]
        chart_rows = sector_chart_frame(cards, lang)
        if not chart_rows.empty:
            fig = figures.attainment_bullets(
                chart_rows,
                facet_col="sector_code",
                facet_titles={sector: name},
                lang=lang,
                labels={"pace": t(lang, "지금까지의 진도 기준", "Expected by now")},
            )
            blocks.append(Chart(f"sector:{sector}", Picture(fig, CHART_WIDTH, _figure_height(fig))))
        blocks.append(
            Table(
                f"sector:{sector}",
                [t(lang, ko, en) for ko, en, _w, _c in SECTOR_COLUMNS[:-1]],
                sector_rows(b, sector, lang),
                [w for _ko, _en, w, _c in SECTOR_COLUMNS[:-1]],
                [c == "num" for _ko, _en, _w, c in SECTOR_COLUMNS[:-1]],
            )
        )
        trend = trend_table(b, sector, lang)
        if trend is not None:
            blocks.append(Line(t(lang, "분기별 실적 (최근 8분기)", "Quarterly figures (last 8 quarters)")))
            blocks.append(trend)
        blocks.append(
            Line(
                t(
                    lang,
                    "달성률 = 누계 실적 ÷ 연간 목표. 진도 기준 = 과거 연도의 같은 분기까지 비중 × 목표. "
                    "막대: 달성률(150%에서 자름), 세로 눈금: 진도 기준.",
                    "Attainment = year to date ÷ annual target. Expected = the share prior years had reached by "
                    "this quarter × target. Bar: attainment (cut at 150%); tick: expected by now.",
                ),
                NOTE,
            )
        )
    return Section("sectors", t(lang, "분야별 성과", "Sectors"), blocks)


# --- Ⅳ. exceptions, Ⅴ. open incidents -----------------------------------------------------------


def exception_rows(b: Briefing, lang: str) -> list[list[str]]:
    rows = []
    for _, r in b.exceptions.iterrows():
        code = r["metric_code"]
        rows.append(
            [
                status_text(r["status"], lang),
                ct.level_text(r["level"], lang),
                registry.label(code, lang),
                ct.scope_text(r, b.names, lang),
                value_text(code, r["target"], lang),
                value_text(code, r["ytd_value"], lang),
                fmt.percent(r["attainment_pct"]),
                fmt.percent(r["vs_expected_pct"], 0),
                explanation_cell(r, b.names, lang)[1],  # cause, measures, recovery, owner; or 미작성
            ]
        )
    return rows


def exceptions_section(b: Briefing, lang: str) -> Section:
    title = t(lang, "주의·미흡 목표와 사유·대책", "Targets at risk or behind: causes and measures")
    df = b.exceptions
    if df.empty:
        return Section(
            "exceptions", title, [Line(t(lang, "주의·미흡 목표가 없습니다.", "No target at risk or behind."))]
        )
    blocks: list[Block] = [
        Line(exceptions_intro(b, lang)),
        Table(
            "exceptions",
            [t(lang, ko, en) for ko, en, _w, _c in EXCEPTION_COLUMNS],
            exception_rows(b, lang),
            [w for _ko, _en, w, _c in EXCEPTION_COLUMNS],
            [c == "num" for _ko, _en, _w, c in EXCEPTION_COLUMNS],
        ),
    ]
    return Section("exceptions", title, blocks)


def incidents_section(b: Briefing, lang: str) -> Section:
    title = t(lang, "진행 중인 긴급상황", "Open incidents")
    df = b.incidents
    if df.empty:
        return Section(
            "incidents", title, [Line(t(lang, "진행 중인 긴급상황이 없습니다.", "No incident is open."))]
        )
    head, raw = incident_table(df, lang)
    rows = [[_cell(v) for v in row] for row in raw]
    return Section(
        "incidents",
        title,
        [
            Table(
                "incidents",
                head,
                rows,
                [38, 20, 22, 20, 20, 18, 56, 83],
                [False] * 4 + [True] * 2 + [False] * 2,
            ),
            Line(
                t(
                    lang,
                    "피해기업·지원: 사건 시작 이후 보고된 합계",
                    "Firms hit, relief: totals reported since each incident began",
                ),
                NOTE,
            ),
        ],
    )


SECTIONS: tuple[Callable[[Briefing, str], Section | None], ...] = (
    summary_section,
    since_section,
    actions_section,
    sectors_section,
    exceptions_section,
    incidents_section,
)


def build_outline(b: Briefing, lang: str = "ko", *, demo: bool = False) -> Outline:
    """The pack's outline in `lang` (charts not drawn yet: see `draw_charts`)."""
    sections = [s for s in (make(b, lang) for make in SECTIONS) if s is not None]
    for number, section in zip(ROMAN, sections, strict=False):
        section.title = f"{number}. {section.title}"
    contents = [s.title for s in sections]
    running = b.title(lang)  # the PDF writer's <title> is the same (metrics.briefing)
    return Outline(lang, title_block(b, lang, contents, demo), sections, running)


def draw_charts(outline: Outline) -> Outline:
    """Every chart of the outline drawn to PNG, in one browser run."""
    from briefing.images import render_pngs

    charts = outline.charts()
    for chart, png in zip(charts, render_pngs([c.picture for c in charts]), strict=True):
        chart.png = png
    return outline


def _unit(code: str, lang: str) -> str:
    m = registry.get(code)
    return m.unit_en if lang == "en" else m.unit_ko
