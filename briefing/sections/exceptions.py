"""Ⅴ. Targets at 주의 or 미흡: counted by agency and status, the 사유·대책 that exist, and the full list
as an annex (붙임) at the end, so the section reads in minutes however many targets fall short."""

from __future__ import annotations

import pandas as pd

from briefing.elements import DETAIL, NOTE, POINT, TOPIC, Block, Line, Section, Table, as_written, paper_date
from metrics import registry
from metrics.briefing import Briefing
from metrics.council import quarter_text
from ui import council_tables as ct
from ui import format as fmt
from ui.bilingual import t
from ui.figures import status_text
from ui.report_html import metric_cells

EXCEPTION_COLUMNS = (  # (ko, en, relative width, numeric)
    ("상태", "Status", 21, False),
    ("수준", "Level", 15, False),
    ("지표", "Metric", 34, False),
    ("범위", "Scope", 45, False),
    ("목표", "Target", 22, True),
    ("누계 실적", "Year to date", 22, True),
    ("달성률", "Attainment", 17, True),
    ("진도 대비", "vs pace", 15, True),
    ("사유·대책", "Cause and measures", 86, False),
)
EXPLANATION_CHARS = 240  # of a cause or measures on paper; the dashboard holds the whole text


def _clip(text: object, lang: str) -> str:
    text = " ".join(str(text or "").split())
    text = text if len(text) <= EXPLANATION_CHARS else text[: EXPLANATION_CHARS - 1] + "…"
    return as_written(text, lang)


def recover_text(recover: object, lang: str) -> str:
    """'2026Q4' → '회복 예상 2026년 4분기' / 'Recover by 2026 Q4'."""
    if not isinstance(recover, str) or len(recover) != 6:
        return t(lang, "회복 예상 미정", "Recovery not given")
    period = int(recover[:4]) * 10 + int(recover[-1])
    return t(lang, f"회복 예상 {quarter_text(period)}", f"Recover by {quarter_text(period, 'en')}")


def _owner(r: pd.Series, names: dict, lang: str) -> str:
    code = r.get("owner_agency")
    return names.get(("agency", lang), {}).get(code, code or "")


def explanation_parts(r: pd.Series, names: dict, lang: str) -> list[str] | None:
    """Cause, measures and 'recovery · owner · day written' of an exception; None where none is written."""
    if not bool(r.get("explained")):
        return None
    meta = " · ".join(
        part
        for part in (
            recover_text(r.get("recover_by"), lang),
            t(lang, f"담당 {_owner(r, names, lang)}", f"Owner {_owner(r, names, lang)}"),
            paper_date(r["written_at"], lang) if pd.notna(r.get("written_at")) else "",
        )
        if part
    )
    return [
        f"{t(lang, '원인', 'Cause')} {_clip(r.get('cause'), lang)}",
        f"{t(lang, '대책', 'Measures')} {_clip(r.get('measures'), lang)}",
        meta,
    ]


def explanation_cell(r: pd.Series, names: dict, lang: str) -> str:
    """The 사유·대책 cell: cause, measures, recovery and owner on their own lines; or 미작성 and whose."""
    parts = explanation_parts(r, names, lang)
    if parts is None:
        owner = _owner(r, names, lang)
        return t(lang, f"미작성 · 담당 {owner}", f"Not written · owner {owner}")
    return "\n".join(parts)


def exceptions_intro(b: Briefing, lang: str) -> str:
    """How many targets are at 주의 or 미흡, and how many have their 사유·대책."""
    df = b.exceptions
    counts = df["status"].value_counts()
    written = int(df["explained"].sum()) if "explained" in df.columns else 0
    behind, at_risk = int(counts.get("behind", 0)), int(counts.get("at_risk", 0))
    intro = t(
        lang,
        f"{quarter_text(b.period)} 마감 기준 주의·미흡 목표 {len(df)}개 (미흡 {behind}, 주의 {at_risk}). "
        f"사유·대책 작성 {written}개, 미작성 {len(df) - written}개.",
        f"{len(df)} targets at risk or behind as of {quarter_text(b.period, 'en')} (behind {behind}, "
        f"at risk {at_risk}). Cause and measures written for {written}, not yet for {len(df) - written}.",
    )
    if left := b.left_out["exceptions"]:  # metrics.briefing.PACK_CAPS: the lists are cut
        intro += t(
            lang,
            f" 목록에는 가장 뒤처진 {len(b.listed_exceptions):,}개를 싣고, 외 {left:,}개는 대시보드 제출 현황 화면(사유·대책)에서 확인하세요.",
            f" The lists show the {len(b.listed_exceptions):,} furthest behind; the other {left:,} are on the "
            "dashboard's Submissions page (cause and measures).",
        )
    return intro


def _by_agency(b: Briefing, lang: str) -> Table:
    df = b.exceptions.assign(explained=b.exceptions["explained"].astype(bool))
    names = b.names.get(("agency", lang), {})
    rows = []
    for code, part in df.groupby("owner_agency", sort=False, dropna=False):
        rows.append(
            [
                names.get(code, code if isinstance(code, str) else fmt.DASH),
                str(int((part["status"] == "behind").sum())),
                str(int((part["status"] == "at_risk").sum())),
                str(len(part)),
                str(int(part["explained"].sum())),
                str(int((~part["explained"]).sum())),
            ]
        )
    rows.sort(key=lambda r: -int(r[3]))
    return Table(
        "exceptions_by_agency",
        [
            t(lang, "담당 기관", "Owner"),
            status_text("behind", lang),
            status_text("at_risk", lang),
            t(lang, "계", "Total"),
            t(lang, "사유·대책 작성", "Explained"),
            t(lang, "미작성", "Not written"),
        ],
        rows,
        [3.0, 1.0, 1.0, 1.0, 1.3, 1.1],
        [False, True, True, True, True, True],
    )


def exception_rows(b: Briefing, df: pd.DataFrame, lang: str) -> list[list[str]]:
    """Each exception's cells (EXCEPTION_COLUMNS); target and actual each in one unit per column."""
    values = metric_cells(df, ("target", "ytd_value"), lang)
    return [
        [
            status_text(r["status"], lang),
            ct.level_text(r["level"], lang),
            registry.label(r["metric_code"], lang),
            ct.scope_text(r, b.names, lang),
            target,
            ytd,
            fmt.percent(r["attainment_pct"]),
            fmt.percent(r["vs_expected_pct"], 0),
            explanation_cell(r, b.names, lang),
        ]
        for (_, r), (target, ytd) in zip(df.iterrows(), values, strict=True)
    ]


def exceptions_section(b: Briefing, lang: str) -> Section:
    title = t(lang, "주의·미흡 목표와 사유·대책", "Targets at risk or behind: causes and measures")
    df = b.exceptions
    if df.empty:
        return Section(
            "exceptions", title, [Line(t(lang, "주의·미흡 목표가 없습니다.", "No target at risk or behind."))]
        )
    blocks: list[Block] = [
        Line(exceptions_intro(b, lang)),
        Line(t(lang, "담당 기관별 현황", "By owning agency"), TOPIC),
        _by_agency(b, lang),
        Line(t(lang, "작성된 사유·대책", "Causes and measures written"), TOPIC),
    ]
    listed = b.listed_exceptions
    written = listed[listed["explained"].astype(bool)]
    if written.empty:
        blocks.append(Line(t(lang, "아직 작성된 사유·대책이 없습니다.", "None written yet."), DETAIL))
    for (_, r), cells in zip(written.iterrows(), exception_rows(b, written, lang), strict=True):
        blocks.append(
            Line(
                f"{cells[0]} · {cells[2]} · {cells[3]} ({t(lang, '달성률', 'attainment')} {cells[6]})", POINT
            )
        )
        blocks += [Line(part, DETAIL) for part in explanation_parts(r, b.names, lang) or []]
    blocks.append(
        Line(
            t(
                lang,
                f"주의·미흡 목표 {len(df)}개 전체 목록은 붙임 1. 담당 기관: 목표의 기관, 없으면 중기부."
                if not b.left_out["exceptions"]
                else f"주의·미흡 목표 중 가장 뒤처진 {len(listed)}개 목록은 붙임 1. 담당 기관: 목표의 기관, 없으면 중기부.",
                f"All {len(df)} targets are listed in Annex 1. Owner: the target's agency, else MSS."
                if not b.left_out["exceptions"]
                else f"The {len(listed)} furthest behind are listed in Annex 1. Owner: the target's agency, else MSS.",
            ),
            NOTE,
        )
    )
    return Section("exceptions", title, blocks)


def annex_section(b: Briefing, lang: str) -> Section | None:
    """붙임 1: every target at 주의 or 미흡 with its 사유·대책 or 미작성."""
    df = b.listed_exceptions
    if df.empty:
        return None
    tones = [[r["status"]] + [None] * 8 for _, r in df.iterrows()]
    return Section(
        "annex",
        t(lang, "붙임 1. 주의·미흡 목표 전체 목록", "Annex 1. Every target at risk or behind"),
        [
            Line(exceptions_intro(b, lang)),
            Table(
                "exceptions",
                [t(lang, ko, en) for ko, en, _w, _n in EXCEPTION_COLUMNS],
                exception_rows(b, df, lang),
                [w for _ko, _en, w, _n in EXCEPTION_COLUMNS],
                [n for _ko, _en, _w, n in EXCEPTION_COLUMNS],
                tones=tones,
            ),
        ],
        numbered=False,
    )
