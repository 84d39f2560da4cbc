"""The briefing pack (회의 자료) as one HTML document of fixed A4-landscape sheets, for Chromium to print.

Sheets, in order: the cover, the one-page summary (ui/report_html.py's page, as printed from 요약),
"since the last council", the follow-up actions the last council agreed (이행 점검), one sheet per
sector, the exceptions (every target at 주의 or 미흡, with its 사유·대책 — cause, measures, recovery
quarter, owner — or 미작성 where none is written), and the incidents open now. Every sheet is exactly one
page (297 × 210 mm, `break-after: page`) and carries "n / N": the document is paginated here, not by
the browser, so page numbers are known when it is written. Long tables continue on further sheets
(`paginate`): each row's height is estimated from its longest text against its column's width,
with slack, so nothing is cut; tests/briefing/test_briefing.py checks in Chromium that no sheet overflows.
Pure function of `metrics.briefing.Briefing` and a language; inline CSS and SVG, no scripts.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from metrics import registry
from metrics.briefing import Briefing
from metrics.council import by_size_of_change, quarter_text
from ui import council_tables as ct
from ui import format as fmt
from ui.action_marks import DUE_SOON, OVERDUE
from ui.action_marks import STATUS as ACTION_STATUS
from ui.bilingual import t
from ui.figures import STATUS, status_text
from ui.report_html import report_html, status_colors, value_text
from warehouse.meeting import ordinal
from warehouse.text import clean_text

BODY_MM = 158.0  # the height a sheet's content may take under its heading and above its footer
ROW_MM = 5.6  # one line of a table row (8.2pt text, padding, border)
LINE_MM = 3.9  # each further line of a wrapped cell
TITLE_MM = 8.0  # a table's h2 and header row
MM_PER_CHAR = 1.55  # Hangul at 8.2pt; Latin letters are narrower, so this overestimates (slack)


def _e(text: object) -> str:
    return html.escape(clean_text(text))


# --- pagination -----------------------------------------------------------------------------------


@dataclass
class Table:
    """A table that may continue on the next sheet: its title, header cells, rows and column widths (mm)."""

    title: str
    head: list[str]
    rows: list[list[str]]  # cell HTML
    widths: list[float]  # mm; text wraps within them
    classes: list[str] | None = None  # per column: 'num', 'name', ''
    plain: list[list[str]] | None = None  # the cells' text, for the height estimate (default: rows)
    min_row_mm: float = ROW_MM  # a row with a drawing (the sector trend) is at least this tall

    def row_mm(self, i: int) -> float:
        cells = (self.plain or self.rows)[i]
        lines = 1
        for text, width in zip(cells, self.widths, strict=True):
            # each line of a cell that breaks its text ("\n" in the plain text) wraps on its own
            cell = sum(
                max(1, math.ceil(len(re.sub(r"<[^>]+>", "", part)) * MM_PER_CHAR / max(width - 3, 4)))
                for part in str(text).split("\n")
            )
            lines = max(lines, cell)
        return max(self.min_row_mm, ROW_MM + (lines - 1) * LINE_MM)

    def html(self, start: int, stop: int, lang: str, continued: bool) -> str:
        title = self.title + (t(lang, " (계속)", " (continued)") if continued else "")
        cols = "".join(f'<col style="width:{w}mm">' for w in self.widths)
        classes = self.classes or [""] * len(self.head)
        head = "".join(f"<th>{h}</th>" for h in self.head)
        body = "".join(
            "<tr>" + "".join(f'<td class="{c}">{v}</td>' for v, c in zip(row, classes, strict=True)) + "</tr>"
            for row in self.rows[start:stop]
        )
        return (
            f'<h2>{_e(title)}</h2><table class="bp"><colgroup>{cols}</colgroup><tr>{head}</tr>{body}</table>'
        )


@dataclass
class Fixed:
    """A block of known height (mm) that is never split."""

    html: str
    mm: float


def paginate(blocks: list[Fixed | Table], lang: str, body_mm: float = BODY_MM) -> list[str]:
    """The blocks laid out on as many sheets as they need; returns each sheet's body HTML."""
    sheets: list[list[str]] = [[]]
    left = body_mm
    gap = 4.0
    for block in blocks:
        if isinstance(block, Fixed):
            if block.mm > left and sheets[-1]:
                sheets.append([])
                left = body_mm
            sheets[-1].append(block.html)
            left -= block.mm + gap
            continue
        if not block.rows:
            continue
        i, continued = 0, False
        while i < len(block.rows):
            room = left - TITLE_MM
            j = i
            while j < len(block.rows) and room - block.row_mm(j) >= 0:
                room -= block.row_mm(j)
                j += 1
            if j == i:  # not even one row fits here: next sheet (a sheet always takes at least one)
                if sheets[-1]:
                    sheets.append([])
                    left = body_mm
                    continue
                j = i + 1
                room = left - TITLE_MM - block.row_mm(i)
            sheets[-1].append(block.html(i, j, lang, continued))
            left = room - gap
            i, continued = j, True
            if i < len(block.rows):
                sheets.append([])
                left = body_mm
    return ["".join(parts) for parts in sheets if parts]


# --- small pieces ---------------------------------------------------------------------------------


def pill(status: object, lang: str) -> str:
    if not isinstance(status, str) or status not in STATUS:
        return fmt.DASH
    strong, light = status_colors(status)
    ink = STATUS[status].ink
    return f'<span class="pill bpill" style="background:{light};color:{ink};border-color:{strong}">{_e(status_text(status, lang))}</span>'


def sparkline(
    values: list[float | None], color: str = "#1F4E79", width: float = 34, height: float = 6
) -> str:
    """An inline SVG line of quarterly values (mm), the last point marked; gaps where not reported."""
    points = [(i, v) for i, v in enumerate(values) if v is not None and v == v]
    if len(points) < 2:
        return ""
    lo = min(v for _, v in points)
    hi = max(v for _, v in points)
    span = (hi - lo) or 1.0
    n = max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return (1 + i * (width - 2) / n, height - 1 - (v - lo) / span * (height - 2))

    path = " ".join(
        f"{'M' if k == 0 else 'L'}{x:.2f},{y:.2f}" for k, (x, y) in enumerate(xy(i, v) for i, v in points)
    )
    lx, ly = xy(*points[-1])
    return (
        f'<svg width="{width}mm" height="{height}mm" viewBox="0 0 {width} {height}">'
        f'<path d="{path}" fill="none" stroke="{color}" stroke-width="0.5"/>'
        f'<circle cx="{lx:.2f}" cy="{ly:.2f}" r="0.9" fill="{color}"/></svg>'
    )


def dumbbell_svg(df: pd.DataFrame, lang: str, width: float = 128, row: float = 7.5) -> str:
    """Mean attainment then (hollow) → now (filled) per row of a movers frame, as SVG (mm units)."""
    if df.empty:
        return f'<div class="empty">{t(lang, "비교할 목표 없음", "No targets to compare")}</div>'
    df = by_size_of_change(df)  # the one order: the web chart and the sentence follow it too
    label_w, right_w = 34.0, 16.0
    plot_w = width - label_w - right_w
    top = 5.0
    height = top + row * len(df) + 2
    peak = max(100.0, float(pd.concat([df["then_pct"], df["now_pct"]]).max()))
    scale = plot_w / (peak * 1.05)
    parts = []
    for tick in range(0, int(peak * 1.05) + 1, 25 if peak <= 150 else 50):
        x = label_w + tick * scale
        stroke = (
            'stroke="#7B8794" stroke-width="0.35" stroke-dasharray="1,1"'
            if tick == 100
            else ('stroke="#E3E8EF" stroke-width="0.25"')
        )
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 1}" x2="{x:.1f}" y2="{height - 1}" {stroke}/>'
            f'<text x="{x:.1f}" y="{top - 1.6}" font-size="2.4" text-anchor="middle" fill="#52606D">{tick}%</text>'
        )
    for k, (_, r) in enumerate(df.iterrows()):
        y = top + row * k + row / 2
        a, b = float(r["then_pct"]), float(r["now_pct"])
        color = "#004488" if b >= a else "#BB5566"
        name = _e(r["name_en"] if lang == "en" else r["name_ko"])
        parts.append(
            f'<text x="{label_w - 1.5}" y="{y + 1}" font-size="3" text-anchor="end" fill="#1F2933">{name}</text>'
            f'<line x1="{label_w + a * scale:.1f}" y1="{y}" x2="{label_w + b * scale:.1f}" y2="{y}" stroke="{color}" stroke-width="1"/>'
            f'<circle cx="{label_w + a * scale:.1f}" cy="{y}" r="1.3" fill="white" stroke="#6B7785" stroke-width="0.5"/>'
            f'<circle cx="{label_w + b * scale:.1f}" cy="{y}" r="1.3" fill="{color}"/>'
            f'<text x="{width - 0.5}" y="{y + 1}" font-size="3" text-anchor="end" font-weight="700" fill="{color}">{_e(ct.pts(r["change_pts"]))}</text>'
        )
    return (
        f'<svg class="db" width="{width}mm" height="{height:.1f}mm" viewBox="0 0 {width} {height:.1f}" '
        f'font-family="NanumGothic, sans-serif">{"".join(parts)}</svg>'
    )


# --- the sheets -----------------------------------------------------------------------------------


def _cover(b: Briefing, lang: str, contents: list[tuple[str, int]], demo: bool, generated: str) -> str:
    m = b.meeting
    as_of = quarter_text(b.period, lang)
    comp = b.summary.completeness
    if m is not None:
        title = m.title(lang)
        when = m.held_on.strftime("%Y-%m-%d")
        planned = m.held_on >= b.today
        sub = t(
            lang,
            f"제{m.meeting_no}차 회의 · {when}{' (개최 예정)' if planned else ''}",
            f"{ordinal(m.meeting_no)} meeting · {when}{' (planned)' if planned else ''}",
        )
    else:
        title = t(lang, "중기부–외교부 정책협의회", "MSS–MOFA Policy Council")
        sub = t(lang, "예정된 회의 없음", "No meeting planned")
    heading = t(lang, "회의 자료", "Briefing pack")
    as_of_line = t(lang, f"{as_of} 마감 기준", f"As of {as_of} (closed)")
    comp_line = t(
        lang,
        f"공관 제출 {comp.submitted}/{comp.expected} ({as_of})",
        f"Missions reported {comp.submitted}/{comp.expected} ({as_of})",
    )
    missing = comp.missing_text(lang, limit=8)
    previous = (
        t(
            lang,
            f"비교 기준: 지난 회의 {b.since.meeting.short('ko')}, {quarter_text(b.since.then_period)} 검토",
            f"Compared with the last council, {b.since.meeting.short('en')}, which reviewed {quarter_text(b.since.then_period, 'en')}",
        )
        if b.since
        else t(lang, "지난 회의 없음", "No earlier council")
    )
    toc = "".join(f'<tr><td>{_e(name)}</td><td class="num">{page}</td></tr>' for name, page in contents)
    badge = (
        f'<div class="badge">{t(lang, "데모 데이터 — 가상 수치", "Demo data — synthetic figures")}</div>'
        if demo
        else ""
    )
    return f"""<div class="cover">
<div class="cv-top">{badge}<div class="cv-kicker">{_e(heading)}</div>
<h1 class="cv-title">{_e(title)}</h1><div class="cv-sub">{_e(sub)}</div></div>
<div class="cv-main"><div class="cv-facts"><div class="cv-asof">{_e(as_of_line)}</div>
<div class="cv-comp">{_e(comp_line)}</div>
{f'<div class="cv-missing">{_e(missing)}</div>' if missing else ""}
<div class="cv-prev">{_e(previous)}</div></div>
<div class="cv-toc"><h2>{t(lang, "목차", "Contents")}</h2><table class="toc">{toc}</table></div></div>
<div class="cv-gen">{t(lang, "작성", "Generated")} {_e(generated)}</div>
</div>"""


def _since_blocks(b: Briefing, lang: str) -> list[Fixed | Table]:
    s = b.since
    if s is None:
        return [
            Fixed(
                f'<div class="empty">{t(lang, "이전 회의가 없어 비교할 수 없습니다.", "No earlier council to compare with.")}</div>',
                10,
            )
        ]
    blocks: list[Fixed | Table] = []
    then_q, now_q = quarter_text(s.then_period, lang), quarter_text(s.now_period, lang)
    intro = t(
        lang,
        f"{s.meeting.short('ko')} 당시 본 {then_q}(회의일 수치) ↔ 현재 {now_q} 마감(현재 수치). 목표는 현재 목표, 각 연도 목표 대비.",
        f"{s.meeting.short('en')}: {then_q} as it stood that day ↔ now: {now_q} closed, current figures. "
        "Each against its year's targets as they stand.",
    )
    items = "".join(f"<li>{_e(x)}</li>" for x in s.highlights(lang))
    hl_mm = 8 + 6.2 * len(s.highlights(lang)) + (6 if lang == "en" else 0)
    blocks.append(
        Fixed(
            f'<div class="intro">{_e(intro)}</div><h2>{t(lang, "주요 변화", "What changed")}</h2><ul class="hl">{items}</ul>',
            hl_mm + 6,
        )
    )
    # the status matrix beside the sector dumbbell
    matrix = ct.transition_matrix(s, lang)
    head = "".join(f"<th>{_e(c)}</th>" for c in matrix.columns)
    rows = "".join(
        "<tr>" + "".join(f'<td class="{"num" if k else ""}">{_e(v)}</td>' for k, v in enumerate(r)) + "</tr>"
        for r in matrix.itertuples(index=False)
    )
    lines = "".join(f"<li>{_e(name)}: {n}</li>" for name, n in ct.transition_lines(s, lang))
    left = (
        f"<div><h2>{t(lang, '목표 상태 변화 (당시 → 현재)', 'Target status, then → now')}</h2>"
        f'<table class="bp mx"><tr>{head}</tr>{rows}</table><ul class="tl">{lines}</ul></div>'
    )
    right = (
        f"<div><h2>{t(lang, '분야별 평균 달성률, 당시 → 현재', 'Mean attainment by sector, then → now')}</h2>"
        f"{dumbbell_svg(s.sector_movers, lang)}"
        f'<div class="legend">{t(lang, "○ 당시 ● 현재 · 분야 목표가 있는 지표의 평균", "○ then ● now · mean over the metrics with sector targets")}</div></div>'
    )
    n_lines = len(ct.transition_lines(s, lang))
    side_mm = max(36 + 4.2 * n_lines, 14 + 7.5 * max(len(s.sector_movers), 1))
    blocks.append(Fixed(f'<div class="two">{left}{right}</div>', side_mm))
    movers = s.mission_movers.head(10)
    if not movers.empty:
        blocks.append(
            Fixed(
                f"<h2>{t(lang, '달성률 변동이 큰 공관 (상위 10)', 'Missions that moved most (top 10)')}</h2>{dumbbell_svg(movers, lang, width=200, row=6.2)}",
                12 + 6.2 * len(movers),
            )
        )
    # restated figures, by file × quarter × agency × metric
    rt = ct.restated_table(s, lang)
    if rt.empty:
        blocks.append(
            Fixed(
                f'<h2>{t(lang, "회의 때 본 분기의 정정", "Restated figures of quarters the council had seen")}</h2><div class="empty">{t(lang, "없음 — 회의 이후 바뀐 값이 없습니다.", "None: no figure has changed since.")}</div>',
                14,
            )
        )
    else:
        cols = list(rt.columns)
        values = [
            [
                _e(fmt.number(v, 1) if isinstance(v, float) else v)
                if not (isinstance(v, float) and v != v)
                else fmt.DASH
                for v in r
            ]
            for r in rt.itertuples(index=False)
        ]
        blocks.append(
            Table(
                t(
                    lang,
                    "회의 때 본 분기의 정정 (당시 → 현재)",
                    "Restated figures of quarters the council had seen (then → now)",
                ),
                [_e(c) for c in cols],
                values,
                [20, 22, 30, 12, 20, 20, 15, 13, 50, 38, 25],
                ["", "", "", "num", "num", "num", "num", "", "", "", ""],
            )
        )
    qe = ct.quarter_events_table(s, lang)
    inc = ct.incidents_table(s, lang)
    rr = ct.restating_table(s, lang)
    for title, df, widths in (
        (t(lang, "회의 이후 분기 마감", "Quarters closed since"), qe, [30, 40, 40, 50, 45, 45]),
        (
            t(lang, "회의 이후 긴급상황 발생·종료", "Incidents begun or ended since"),
            inc,
            [45, 25, 25, 25, 25, 132],
        ),
        (
            t(lang, "회의 이후 적재된 정정 보고", "Restating returns loaded since"),
            rr,
            [70, 40, 40, 40, 40, 47],
        ),
    ):
        if df.empty:
            blocks.append(
                Fixed(f'<h2>{_e(title)}</h2><div class="empty">{t(lang, "없음", "None")}</div>', 13)
            )
            continue
        blocks.append(
            Table(
                title,
                [_e(c) for c in df.columns],
                [
                    [
                        _e(fmt.DASH if v is None or (isinstance(v, float) and v != v) or v is pd.NA else v)
                        for v in r
                    ]
                    for r in df.itertuples(index=False)
                ],
                widths,
            )
        )
    return blocks


ACTION_COLUMNS = (
    ("번호", "No.", 11, "num"),
    ("회의", "Meeting", 15, ""),
    ("내용", "Action", 76, ""),
    ("담당", "Owner", 18, ""),
    ("기한", "Due", 20, ""),
    ("상태", "Status", 18, ""),
    ("기한 대비", "Against due", 27, ""),
    ("최근 진행", "Latest progress", 92, ""),
)


def _action_timing(r: pd.Series, lang: str) -> tuple[str, str | None]:
    """('■ 기한 경과 · 154일', 'behind') / ('▲ 기한 임박 · D-14', 'at_risk') / ('', None): text, colour of the status it reads as."""
    days = r["days_left"]
    if bool(r["overdue"]):
        return (
            f"{OVERDUE[0]} {t(lang, OVERDUE[1], OVERDUE[2])} · {t(lang, f'{-int(days)}일', f'{-int(days)} days')}",
            "behind",
        )
    if bool(r["due_soon"]):
        return f"{DUE_SOON[0]} {t(lang, DUE_SOON[1], DUE_SOON[2])} · D-{int(days)}", "at_risk"
    return "", None


def action_intro(review, lang: str) -> str:
    """The 이행 점검 sheet's opening line: the actions agreed, counted by state, as of the day."""
    m, c = review.meeting, review.counts
    counts = t(
        lang,
        f"완료 {c.done} · 진행 {c.in_progress} · 예정 {c.planned} · 중단 {c.dropped} — {OVERDUE[0]} 기한 경과 {c.overdue} · {DUE_SOON[0]} 30일 내 기한 {c.due_soon}",
        f"done {c.done} · in progress {c.in_progress} · planned {c.planned} · dropped {c.dropped} — {OVERDUE[0]} overdue {c.overdue} · {DUE_SOON[0]} due within 30 days {c.due_soon}",
    )
    intro = t(
        lang,
        f"{m.short('ko')}에서 합의한 후속 조치 {c.total}건, {review.today:%Y-%m-%d} 기준: {counts}.",
        f"The {c.total} follow-up action{'s' if c.total != 1 else ''} agreed at the {m.short('en')}, as of {review.today:%Y-%m-%d}: {counts}.",
    )
    if review.carried:
        intro += t(
            lang,
            f" 이전 회의에서 넘어온 미완료 조치 {review.carried}건도 함께 싣습니다.",
            f" Also listed: {review.carried} unfinished action{'s' if review.carried != 1 else ''} from earlier meetings.",
        )
    if any(bool(x) for x in review.actions["is_demo"]):
        intro += t(
            lang, " [데모] 표시는 시연용 가상 자료입니다.", " [Demo] marks synthetic demonstration items."
        )
    return intro


def action_cells(review, r: pd.Series, lang: str) -> tuple[list[str], str | None]:
    """One action's cells as printed (ACTION_COLUMNS) and the status its due date reads as."""
    text = r["text_en"] if lang == "en" and isinstance(r["text_en"], str) and r["text_en"] else r["text_ko"]
    demo = t(lang, "[데모] ", "[Demo] ") if bool(r["is_demo"]) else ""
    glyph = ACTION_STATUS.get(r["status"], ("",))[0]
    status = f"{glyph} {r['status_en'] if lang == 'en' else r['status_ko']}".strip()
    timing, tone = _action_timing(r, lang)
    note = review.latest_note(int(r["action_id"]))
    latest = f"{pd.Timestamp(note['noted_on']):%Y-%m-%d} {note['text']}" if note is not None else fmt.DASH
    owner = r["owner_short_en"] if lang == "en" else r["owner_short_ko"]
    cells = [
        str(int(r["action_id"])),
        t(lang, f"제{int(r['meeting_no'])}차", f"#{int(r['meeting_no'])}"),
        demo + str(text),
        str(owner if isinstance(owner, str) else r["owner_agency"]),
        f"{pd.Timestamp(r['due_on']):%Y-%m-%d}" if not pd.isna(r["due_on"]) else fmt.DASH,
        status,
        timing,
        latest,
    ]
    return cells, tone


def _action_blocks(b: Briefing, lang: str) -> list[Fixed | Table]:
    review = b.actions
    if review is None or review.meeting is None:
        return [
            Fixed(
                f'<div class="empty">{t(lang, "이전 회의가 없어 점검할 후속 조치가 없습니다.", "No earlier council, so no actions to check.")}</div>',
                10,
            )
        ]
    intro = action_intro(review, lang)
    blocks: list[Fixed | Table] = [Fixed(f'<div class="intro">{_e(intro)}</div>', 12)]
    if review.actions.empty:
        blocks.append(
            Fixed(
                f'<div class="empty">{t(lang, "합의된 후속 조치가 없습니다.", "No action was agreed.")}</div>',
                10,
            )
        )
        return blocks
    rows, plain = [], []
    for _, r in review.actions.iterrows():
        cells, tone = action_cells(review, r, lang)
        timing = cells[6]
        plain.append(cells)
        shown = [_e(x) for x in cells]
        if tone is not None:
            strong, light = status_colors(tone)
            shown[6] = (
                f'<span class="pill bpill" style="background:{light};color:{STATUS[tone].ink};border-color:{strong}">{_e(timing)}</span>'
            )
        rows.append(shown)
    blocks.append(
        Table(
            t(lang, "후속 조치별 이행 상황", "Each action and where it stands"),
            [_e(t(lang, ko, en)) for ko, en, _w, _c in ACTION_COLUMNS],
            rows,
            [w for _ko, _en, w, _c in ACTION_COLUMNS],
            [c for _ko, _en, _w, c in ACTION_COLUMNS],
            plain=plain,
        )
    )
    blocks.append(
        Fixed(
            f'<div class="legend">{_e(t(lang, "기한 경과: 기한이 지났는데 완료·중단되지 않은 조치. 최근 진행: 가장 최근 진행 메모.", "Overdue: past due and neither done nor dropped. Latest progress: the most recent progress note."))}</div>',
            6,
        )
    )
    return blocks


SECTOR_COLUMNS = (
    ("지표", "Metric", 44, ""),
    ("목표", "Target", 26, "num"),
    ("누계 실적", "Year to date", 26, "num"),
    ("달성률", "Attainment", 19, "num"),
    ("진도 기준", "Expected by now", 26, "num"),
    ("진도 대비", "vs pace", 17, "num"),
    ("상태", "Status", 22, ""),
    ("연말 전망", "Year-end projection", 26, "num"),
    ("전년 동기 대비", "Year on year", 20, "num"),
    ("추이 (최근 8분기)", "Trend (8 quarters)", 36, ""),
)


def _sector_blocks(b: Briefing, sector: str, lang: str) -> list[Fixed | Table]:
    cards = b.sector_cards[b.sector_cards["sector_code"] == sector]
    trend = b.trend[b.trend["sector_code"] == sector]
    periods = sorted({int(y) * 10 + int(q) for y, q in zip(trend["year"], trend["quarter"], strict=True)})
    rows, plain = [], []
    for _, r in cards.iterrows():
        code = r["metric_code"]
        if pd.isna(r["ytd_value"]) and pd.isna(r["target"]):
            continue
        series = trend[trend["metric_code"] == code]
        by_period = {
            int(y) * 10 + int(q): v
            for y, q, v in zip(series["year"], series["quarter"], series["value"], strict=True)
        }
        spark = sparkline([by_period.get(p) for p in periods])
        cells = [
            registry.label(code, lang),
            value_text(code, r["target"], lang),
            value_text(code, r["ytd_value"], lang),
            fmt.percent(r["attainment_pct"]),
            value_text(code, r["expected_value"], lang),
            fmt.percent(r["vs_expected_pct"], 0),
            "",
            value_text(code, r["projection"], lang),
            fmt.signed_percent(r["growth_pct"]),
            "",
        ]
        plain.append(cells)
        shown = [_e(c) for c in cells]
        shown[6] = pill(r["status"], lang)
        shown[9] = spark
        rows.append(shown)
    head = [_e(t(lang, ko, en)) for ko, en, _w, _c in SECTOR_COLUMNS]
    span = f"{quarter_text(periods[0], lang)}–{quarter_text(periods[-1], lang)}" if periods else fmt.DASH
    note = t(
        lang,
        f"달성률 = 누계 실적 ÷ 연간 목표. 진도 기준 = 과거 연도의 같은 분기까지 비중 × 목표. 추이: {span} 분기별 실적.",
        f"Attainment = year to date ÷ annual target. Expected = the share prior years had reached by this quarter × target. Trend: quarterly figures, {span}.",
    )
    table = Table(
        t(lang, "지표별 목표 대비 실적", "Each metric against the sector's target"),
        head,
        rows,
        [w for _ko, _en, w, _c in SECTOR_COLUMNS],
        [c for _ko, _en, _w, c in SECTOR_COLUMNS],
        plain=plain,
        min_row_mm=8.4,
    )
    return [table, Fixed(f'<div class="legend">{_e(note)}</div>', 8)]


EXCEPTION_COLUMNS = (
    ("상태", "Status", 21, ""),
    ("수준", "Level", 15, ""),
    ("지표", "Metric", 34, ""),
    ("범위", "Scope", 45, ""),
    ("목표", "Target", 22, "num"),
    ("누계 실적", "Year to date", 22, "num"),
    ("달성률", "Attainment", 17, "num"),
    ("진도 대비", "vs pace", 15, "num"),
    ("사유·대책", "Cause and measures", 86, "slot"),
)
EXPLANATION_CHARS = 240  # of a cause or measures on paper; the dashboard holds the whole text


def _clip(text: object) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= EXPLANATION_CHARS else text[: EXPLANATION_CHARS - 1] + "…"


def recover_text(recover: object, lang: str) -> str:
    """'2026Q4' → '회복 예상 2026년 4분기' / 'Recover by 2026 Q4'."""
    if not isinstance(recover, str) or len(recover) != 6:
        return t(lang, "회복 예상 미정", "Recovery not given")
    period = int(recover[:4]) * 10 + int(recover[-1])
    return t(lang, f"회복 예상 {quarter_text(period)}", f"Recover by {quarter_text(period, 'en')}")


def explanation_cell(r: pd.Series, names: dict, lang: str) -> tuple[str, str]:
    """The 사유·대책 cell of an exception row: (HTML, its plain text with line breaks for the height).

    Cause, measures, the recovery quarter and the owner; or 미작성 and whose it is. Stored text is
    escaped, never markup.
    """
    owner_code = r.get("owner_agency")
    owner = names.get(("agency", lang), {}).get(owner_code, owner_code or "")
    if not bool(r.get("explained")):
        text = t(lang, f"미작성 · 담당 {owner}", f"Not written · owner {owner}")
        return f'<span class="unwritten">{_e(text)}</span>', text
    when = pd.Timestamp(r["written_at"]).strftime("%Y-%m-%d") if pd.notna(r.get("written_at")) else ""
    meta = " · ".join(
        part
        for part in (
            recover_text(r.get("recover_by"), lang),
            t(lang, f"담당 {owner}", f"Owner {owner}"),
            when,
        )
        if part
    )
    cause, measures = _clip(r.get("cause")), _clip(r.get("measures"))
    label_c, label_m = t(lang, "원인", "Cause"), t(lang, "대책", "Measures")
    html_text = (
        f"<b>{label_c}</b> {_e(cause)}<br><b>{label_m}</b> {_e(measures)}"
        f'<br><span class="meta">{_e(meta)}</span>'
    )
    return html_text, f"{label_c} {cause}\n{label_m} {measures}\n{meta}"


def exceptions_intro(b: Briefing, lang: str) -> str:
    """How many targets are at 주의 or 미흡, and how many have their 사유·대책 (the PDF and the HWPX)."""
    df = b.exceptions
    counts = df["status"].value_counts()
    written = int(df["explained"].sum()) if "explained" in df.columns else 0
    return t(
        lang,
        f"{quarter_text(b.period)} 마감 기준 주의·미흡 목표 {len(df)}개 (미흡 {int(counts.get('behind', 0))}, 주의 {int(counts.get('at_risk', 0))}). "
        f"사유·대책 작성 {written}개, 미작성 {len(df) - written}개 — 담당 기관(목표의 기관, 없으면 중기부)이 대시보드에서 작성합니다.",
        f"{len(df)} targets at risk or behind as of {quarter_text(b.period, 'en')} (behind {int(counts.get('behind', 0))}, at risk {int(counts.get('at_risk', 0))}). "
        f"Cause and measures written for {written}, not yet for {len(df) - written}: the owning agency (the target's, else MSS) writes them in the dashboard.",
    )


def _exception_blocks(b: Briefing, lang: str) -> list[Fixed | Table]:
    df = b.exceptions
    if df.empty:
        return [
            Fixed(
                f'<div class="empty">{t(lang, "주의·미흡 목표가 없습니다.", "No target at risk or behind.")}</div>',
                10,
            )
        ]
    rows, plain = [], []
    for _, r in df.iterrows():
        code = r["metric_code"]
        cells = [
            "",
            ct.level_text(r["level"], lang),
            registry.label(code, lang),
            ct.scope_text(r, b.names, lang),
            value_text(code, r["target"], lang),
            value_text(code, r["ytd_value"], lang),
            fmt.percent(r["attainment_pct"]),
            fmt.percent(r["vs_expected_pct"], 0),
            "",
        ]
        slot, slot_text = explanation_cell(r, b.names, lang)
        plain.append([status_text(r["status"], lang), *cells[1:-1], slot_text])
        shown = [_e(c) for c in cells]
        shown[0] = pill(r["status"], lang)
        shown[-1] = slot
        rows.append(shown)
    intro = exceptions_intro(b, lang)
    return [
        Fixed(f'<div class="intro">{_e(intro)}</div>', 12),
        Table(
            t(lang, "주의·미흡 목표", "Targets at risk or behind"),
            [_e(t(lang, ko, en)) for ko, en, _w, _c in EXCEPTION_COLUMNS],
            rows,
            [w for _ko, _en, w, _c in EXCEPTION_COLUMNS],
            [c for _ko, _en, _w, c in EXCEPTION_COLUMNS],
            plain=plain,
        ),
    ]


def incident_table(df: pd.DataFrame, lang: str) -> tuple[list[str], list[list[object]]]:
    """The open incidents' table as values (head, rows), which the PDF and the HWPX each write out."""
    suffix = "en" if lang == "en" else "ko"
    rows = [
        [
            r[f"mission_{suffix}"],
            r[f"type_{suffix}"],
            pd.Timestamp(r["started_on"]).strftime("%Y-%m-%d"),
            r[f"status_{suffix}"],
            value_text("affected_firms", r["affected_firms"], lang),
            value_text("relief_cases", r["relief_cases"], lang),
            r["description"],
            r["situation"],
        ]
        for _, r in df.iterrows()
    ]
    head = [
        t(lang, "재외공관", "Mission"),
        t(lang, "유형", "Type"),
        t(lang, "시작일", "Began"),
        t(lang, "상태", "Status"),
        t(lang, "피해기업", "Firms hit"),
        t(lang, "지원", "Relief"),
        t(lang, "개요", "Summary"),
        t(lang, "공관 상황", "Mission's notes"),
    ]
    return head, rows


def _incident_blocks(b: Briefing, lang: str) -> list[Fixed | Table]:
    df = b.incidents
    if df.empty:
        return [
            Fixed(
                f'<div class="empty">{t(lang, "진행 중인 긴급상황이 없습니다.", "No incident is open.")}</div>',
                10,
            )
        ]
    head, raw = incident_table(df, lang)
    rows = [[_e(v) for v in row] for row in raw]
    note = t(
        lang,
        "피해기업·지원: 사건 시작 이후 보고된 합계",
        "Firms hit, relief: totals reported since each incident began",
    )
    return [
        Table(
            t(lang, "사건별 현황", "By incident"),
            [_e(h) for h in head],
            rows,
            [38, 20, 22, 20, 20, 18, 56, 83],
            ["", "", "", "", "num", "num", "", ""],
        ),
        Fixed(f'<div class="legend">{_e(note)}</div>', 6),
    ]


_CSS = """
.sheet { width: 297mm; height: 210mm; position: relative; overflow: hidden; break-after: page; page-break-after: always; }
.sheet:last-child { break-after: auto; page-break-after: auto; }
.sheet > .page { height: 210mm; }
.pno { position: absolute; right: 10mm; bottom: 2.6mm; font-size: 7.4pt; color: #52606D; }
.pfoot { position: absolute; left: 10mm; bottom: 2.6mm; font-size: 7pt; color: #7B8794; }
.bpage { width: 297mm; height: 210mm; padding: 9mm 10mm 9mm 10mm; display: flex; flex-direction: column; gap: 3mm; font-size: 8.6pt; }
.bbody { display: flex; flex-direction: column; gap: 4mm; }
table.bp { table-layout: fixed; width: auto; }
table.bp th { font-size: 7.8pt; text-align: left; vertical-align: bottom; }
table.bp td { font-size: 8.2pt; vertical-align: middle; overflow-wrap: anywhere; word-break: keep-all; }
table.bp td.num { text-align: right; white-space: normal; }
table.bp td.slot { border: 1px dashed #CBD2D9; background: #FBFCFD; font-size: 7.6pt; line-height: 1.35; }
table.bp td.slot .meta { color: #52606D; }
table.bp td.slot .unwritten { color: #8C2F43; font-weight: 700; }
table.mx td, table.mx th { text-align: center; padding: 1.2mm 2mm; }
ul.tl { margin: 1.5mm 0 0 0; padding-left: 4mm; }
ul.tl li { font-size: 8.2pt; line-height: 1.45; }
.two { display: grid; grid-template-columns: 1fr 1.05fr; gap: 8mm; }
.intro { font-size: 8.6pt; color: #3E4C59; }
.bpill { border: 1px solid; white-space: nowrap; }
svg.db { display: block; }
.cover { width: 297mm; height: 210mm; display: flex; flex-direction: column; }
.cv-top { height: 82mm; background: #1F3A5F; color: #FFFFFF; padding: 20mm 24mm 0 24mm; }
.cv-top .badge { margin-bottom: 4mm; }
.cv-kicker { font-size: 12pt; letter-spacing: 0.5mm; opacity: 0.85; }
.cv-title { font-size: 25pt; margin: 3mm 0 2mm 0; font-weight: 800; color: #FFFFFF; }
.cv-sub { font-size: 13pt; }
.cv-main { flex: 1; display: grid; grid-template-columns: 1.2fr 1fr; gap: 16mm; padding: 10mm 24mm 0 24mm; }
.cv-asof { font-size: 20pt; font-weight: 800; color: #1F3A5F; }
.cv-comp { font-size: 12pt; margin-top: 3mm; }
.cv-missing { font-size: 9pt; color: #8C2F43; margin-top: 2mm; }
.cv-prev { font-size: 10pt; color: #3E4C59; margin-top: 6mm; line-height: 1.5; }
table.toc td { font-size: 10pt; padding: 1.3mm 1mm; }
.cv-gen { padding: 0 24mm 12mm 24mm; font-size: 8pt; color: #7B8794; }
.bhead { display: flex; justify-content: space-between; align-items: flex-end;
         border-bottom: 2.2px solid #1F3A5F; padding-bottom: 1.6mm; }
.bhead h1 { font-size: 14pt; margin: 0; color: #1F3A5F; font-weight: 800; }
.bhead .meta { font-size: 8pt; color: #52606D; text-align: right; }
"""


def _sheet(body: str, number: int, total: int, footer: str) -> str:
    return f'<div class="sheet">{body}<div class="pfoot">{_e(footer)}</div><div class="pno">{number} / {total}</div></div>'


def _page(title: str, meta: str, body: str) -> str:
    return (
        f'<div class="bpage"><div class="bhead"><h1>{_e(title)}</h1><div class="meta">{_e(meta)}</div></div>'
        f'<div class="bbody">{body}</div></div>'
    )


def _summary_parts(b: Briefing, lang: str, demo: bool, generated: datetime) -> tuple[str, str]:
    """The one-page summary's CSS and its page, taken from the document 요약 prints."""
    names = b.summary.sector_names_en if lang == "en" else b.summary.sector_names_ko
    doc = report_html(b.summary, lang, sector_names=names, demo=demo, generated=generated)
    css = re.search(r"<style>(.*?)</style>", doc, re.S)
    body = doc.split("<body>", 1)[1].rsplit("</body>", 1)[0]
    return (css.group(1) if css else ""), body


def briefing_html(
    b: Briefing, lang: str = "ko", *, demo: bool = False, generated: datetime | None = None
) -> str:
    """The whole pack as one HTML document of A4-landscape sheets."""
    generated = generated or datetime.now()
    when = generated.strftime("%Y-%m-%d %H:%M")
    as_of = quarter_text(b.period, lang)
    meta = t(lang, f"{as_of} 마감 기준", f"As of {as_of} (closed)")
    summary_css, summary_page = _summary_parts(b, lang, demo, generated)

    sections: list[tuple[str, list[str]]] = []  # (contents entry, sheet bodies)
    sections.append((t(lang, "성과 요약", "Performance summary"), [summary_page]))
    since_title = t(lang, "지난 회의 이후", "Since the last council")
    sections.append(
        (since_title, [_page(since_title, meta, body) for body in paginate(_since_blocks(b, lang), lang)])
    )
    actions_title = t(lang, "후속 조치 이행 점검", "Follow-up actions: progress check")
    sections.append(
        (
            actions_title,
            [_page(actions_title, meta, body) for body in paginate(_action_blocks(b, lang), lang)],
        )
    )
    sector_names = b.names.get(("sector", lang), {})
    for sector in b.sectors:
        title = t(
            lang, f"{sector_names.get(sector, sector)} 분야", f"Sector: {sector_names.get(sector, sector)}"
        )
        sections.append(
            (title, [_page(title, meta, body) for body in paginate(_sector_blocks(b, sector, lang), lang)])
        )
    exc_title = t(lang, "주의·미흡 목표와 사유·대책", "Targets at risk or behind: causes and measures")
    sections.append(
        (exc_title, [_page(exc_title, meta, body) for body in paginate(_exception_blocks(b, lang), lang)])
    )
    inc_title = t(lang, "진행 중인 긴급상황", "Open incidents")
    sections.append(
        (inc_title, [_page(inc_title, meta, body) for body in paginate(_incident_blocks(b, lang), lang)])
    )

    contents, page = [], 2
    for name, bodies in sections:
        contents.append((name, page))
        page += len(bodies)
    total = page - 1
    footer = (
        (
            b.meeting.title(lang)
            if b.meeting
            else t(lang, "중기부–외교부 정책협의회", "MSS–MOFA Policy Council")
        )
        + " · "
        + t(lang, "회의 자료", "Briefing pack")
    )
    sheets = [_sheet(_cover(b, lang, contents, demo, when), 1, total, "")]
    number = 2
    for _name, bodies in sections:
        for body in bodies:
            sheets.append(_sheet(body, number, total, footer if number > 2 else ""))
            number += 1
    title = b.title(lang)  # one place for the pack's title (metrics.briefing), for Chromium's PDF /Title
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{_e(title)}</title>
<style>{summary_css}{_CSS}</style></head>
<body>{"".join(sheets)}</body></html>
"""


def page_count(document: str) -> int:
    """How many sheets (PDF pages) a pack document has."""
    return document.count('<div class="sheet">')
