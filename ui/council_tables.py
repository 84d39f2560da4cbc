"""The tables of "since the last council" (지난 회의 이후), labelled in a language.

Pure functions of `metrics.council.SinceCouncil` and a language, shared by the page (views/council.py,
whose downloads hold exactly these tables) and the briefing pack (briefing/), so
the screen and the printed pack show the same numbers. Values are rounded as shown; codes become
names. The `*_on_screen` functions narrow a table for the page without changing a number.
"""

from __future__ import annotations

import pandas as pd

from metrics import registry
from metrics.council import SinceCouncil, quarter_text
from ui import format as fmt
from ui.bilingual import t
from ui.figures import status_text

LEVELS = {
    "total": ("전체", "Total"),
    "sector": ("분야", "Sector"),
    "mission": ("공관", "Mission"),
    "agency": ("기관", "Agency"),
}
MOVED = {
    "better": ("개선", "Improved"),
    "worse": ("악화", "Worsened"),
    "same": ("유지", "Unchanged"),
    "new": ("신규 목표", "New target"),
    "gone": ("목표 없음", "No target now"),
}
CHANGE = {
    "replaced": ("값 변경", "Value changed"),
    "added": ("추가", "Added"),
    "withdrawn": ("삭제", "Withdrawn"),
    "rederived": ("누계 재산출", "Derived again (YTD)"),
}
# CHANGE as the narrow on-screen detail says it; the downloads keep CHANGE's words.
CHANGE_SHORT = {
    "replaced": ("값 변경", "Changed"),
    "added": ("추가", "Added"),
    "withdrawn": ("삭제", "Withdrawn"),
    "rederived": ("누계 재산출", "Re-derived"),
}
ACTIONS = {
    "close": ("마감", "Closed"),
    "auto_close": ("자동 마감", "Closed (deadline passed)"),
    "reopen": ("다시 열기", "Reopened"),
}


def pair(labels: dict[str, tuple[str, str]], code: object, lang: str) -> str:
    if not isinstance(code, str) or code not in labels:
        return ""
    ko, en = labels[code]
    return t(lang, ko, en)


def level_text(level: str, lang: str) -> str:
    """'sector+mission' → '분야+공관'."""
    return "+".join(pair(LEVELS, part, lang) or part for part in str(level).split("+"))


def scope_text(row: pd.Series, names: dict, lang: str) -> str:
    """What a target covers: '전체', 'K-뷰티', 'K-뷰티 · 주베트남 대사관', …"""
    parts = []
    for kind in ("sector", "mission", "agency"):
        code = row.get(f"{kind}_code")
        if isinstance(code, str) and code:
            parts.append(names.get((kind, lang), {}).get(code, code))
    return " · ".join(parts) or t(lang, "전체", "Total")


def pts(value: object) -> str:
    """+12.3%p, -4.5%p; – when missing (ui.format's one rule for a change)."""
    return fmt.column([value], "%p", signed=True)[0]


def _round(values: pd.Series, digits: int = 1) -> pd.Series:
    return values.astype("float64").round(digits)


def _value_digits(code: str) -> int:
    """A figure's precision in a column of several metrics (each with its unit beside it): whole
    numbers, money in 천달러 too, so that the column has one precision ("89,437" never beside
    "77,620.1"); a score keeps its decimal."""
    return 1 if fmt.is_score(registry.get(code).unit_ko) else 0


def targets_table(s: SinceCouncil, lang: str, rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each target then and now (or `rows`, a subset of s.targets such as s.transitions)."""
    df = s.targets if rows is None else rows
    then_q, now_q = quarter_text(s.then_period, lang), quarter_text(s.now_period, lang)
    metric = [registry.label(c, lang) for c in df["metric_code"]]
    return pd.DataFrame(
        {
            t(lang, "수준", "Level"): [level_text(v, lang) for v in df["level"]],
            t(lang, "지표", "Metric"): metric,
            t(lang, "범위", "Scope"): [scope_text(r, s.names, lang) for _, r in df.iterrows()],
            t(lang, f"당시 달성률(%) {then_q}", f"Then (%) {then_q}"): _round(df["then_pct"]),
            t(lang, "당시 상태", "Status then"): [
                status_text(v, lang) if isinstance(v, str) else fmt.DASH for v in df["then_status"]
            ],
            t(lang, f"현재 달성률(%) {now_q}", f"Now (%) {now_q}"): _round(df["now_pct"]),
            t(lang, "현재 상태", "Status now"): [
                status_text(v, lang) if isinstance(v, str) else fmt.DASH for v in df["now_status"]
            ],
            t(lang, "변화(%p)", "Change (pts)"): _round(df["change_pts"]),
            t(lang, "변동", "Move"): [pair(MOVED, v, lang) for v in df["moved"]],
        }
    )


def transition_matrix(s: SinceCouncil, lang: str) -> pd.DataFrame:
    """Targets by status then (rows) and now (columns); judged both times."""
    order = ("on_track", "at_risk", "behind")
    counts = s.transition_counts.set_index(["then_status", "now_status"])["targets"]
    first = t(lang, "당시 ↓ 현재 →", "Then ↓ now →")
    rows = []
    for a in order:
        row: dict[str, object] = {first: status_text(a, lang)}
        for b in order:
            row[status_text(b, lang)] = int(counts.get((a, b), 0))
        row[t(lang, "계", "Total")] = sum(int(counts.get((a, b), 0)) for b in order)
        rows.append(row)
    return pd.DataFrame(rows)


def transition_lines(s: SinceCouncil, lang: str) -> list[tuple[str, int]]:
    """('● 정상 → ▲ 주의', 57) for every status change that occurred, worsening first."""
    df = s.transition_counts
    moved = df[df["then_status"] != df["now_status"]]
    severity = {"on_track": 0, "at_risk": 1, "behind": 2}
    worse = moved["now_status"].map(severity) > moved["then_status"].map(severity)
    moved = moved.assign(_w=(~worse).astype(int)).sort_values(["_w", "targets"], ascending=[True, False])
    return [
        (f"{status_text(a, lang)} → {status_text(b, lang)}", int(n))
        for a, b, n in zip(moved["then_status"], moved["now_status"], moved["targets"], strict=True)
    ]


def movers_table(s: SinceCouncil, by: str, lang: str) -> pd.DataFrame:
    """Sectors or missions by change of mean attainment (largest first)."""
    df = s.sector_movers if by == "sector" else s.mission_movers
    then_q, now_q = quarter_text(s.then_period, lang), quarter_text(s.now_period, lang)
    name = [str(r["name_en"] if lang == "en" else r["name_ko"]) for _, r in df.iterrows()]
    return pd.DataFrame(
        {
            t(lang, "분야" if by == "sector" else "공관", "Sector" if by == "sector" else "Mission"): name,
            t(lang, "목표 지표 수", "Targeted metrics"): df["metrics"].astype("int64").to_list(),
            t(lang, f"당시 평균 달성률(%) {then_q}", f"Mean then (%) {then_q}"): _round(df["then_pct"]),
            t(lang, f"현재 평균 달성률(%) {now_q}", f"Mean now (%) {now_q}"): _round(df["now_pct"]),
            t(lang, "변화(%p)", "Change (pts)"): _round(df["change_pts"]),
        }
    )


def movers_on_screen(full: pd.DataFrame, lang: str, limit: int | None = None) -> pd.DataFrame:
    """movers_table as shown in half a page's width: the means under short headers (the chart beside
    it names the two quarters), without the count of targeted metrics, and only the first `limit`
    rows, those the chart draws (every row is in the downloads)."""
    rows = full if limit is None else full.head(limit)
    return rows.drop(columns=full.columns[1]).set_axis(
        [
            full.columns[0],
            t(lang, "당시(%)", "Then"),  # English: the heading above says these are attainment %
            t(lang, "현재(%)", "Now"),
            t(lang, "변화(%p)", "± pts"),
        ],
        axis=1,
    )


def _who(df: pd.DataFrame, lang: str) -> list[str]:
    return [
        f"{by} ({t(lang, '적재 취소', 'rollback')})" if bool(rb) else str(by)
        for by, rb in zip(df["changed_by"].fillna(""), df["by_rollback"].fillna(False), strict=True)
    ]


def restated_table(s: SinceCouncil, lang: str) -> pd.DataFrame:
    """Restated figures summed by file, quarter, agency and metric: old → new."""
    df = s.restated_summary
    agencies = s.names.get(("agency", lang), {})
    return pd.DataFrame(
        {
            t(lang, "분기", "Quarter"): [
                fmt.period(y, q, lang) for y, q in zip(df["year"], df["quarter"], strict=True)
            ],
            t(lang, "주관기관", "Agency"): [agencies.get(a, a) for a in df["agency_code"]],
            t(lang, "지표", "Metric"): [registry.label(c, lang) for c in df["metric_code"]],
            t(lang, "실적 수", "Figures"): df["figures"].astype("int64").to_list(),
            t(lang, "회의 당시", "Seen then"): [
                round(v, _value_digits(c)) if pd.notna(v) else None
                for v, c in zip(df["old_value"], df["metric_code"], strict=True)
            ],
            t(lang, "현재", "Now"): [
                round(v, _value_digits(c)) if pd.notna(v) else None
                for v, c in zip(df["new_value"], df["metric_code"], strict=True)
            ],
            t(lang, "변화율(%)", "Change (%)"): _round(df["change_pct"]),
            t(lang, "단위", "Unit"): [registry.get(c).unit(lang) for c in df["metric_code"]],
            t(lang, "파일", "File"): df["file_name"].astype("object").to_list(),
            t(lang, "변경자", "By"): _who(df, lang),
            t(lang, "일시", "When"): [_when(v) for v in df["changed_at"]],
        }
    )


def restated_detail(s: SinceCouncil, lang: str) -> pd.DataFrame:
    """Every restated figure (by mission, sector and program), for the download."""
    df = s.restated
    n = s.names
    return pd.DataFrame(
        {
            t(lang, "분기", "Quarter"): [
                fmt.period(y, q, lang) for y, q in zip(df["year"], df["quarter"], strict=True)
            ],
            t(lang, "주관기관", "Agency"): [n.get(("agency", lang), {}).get(a, a) for a in df["agency_code"]],
            t(lang, "재외공관", "Mission"): [
                n.get(("mission", lang), {}).get(m, m) for m in df["mission_code"]
            ],
            t(lang, "분야", "Sector"): [n.get(("sector", lang), {}).get(c, c) for c in df["sector_code"]],
            t(lang, "사업", "Program"): df["program_code"].astype("object").to_list(),
            t(lang, "지표", "Metric"): [registry.label(c, lang) for c in df["metric_code"]],
            t(lang, "회의 당시", "Seen then"): df["old_value"].astype("float64"),
            t(lang, "현재", "Now"): df["new_value"].astype("float64"),
            t(lang, "구분", "Change"): [pair(CHANGE, c, lang) for c in df["change"]],
            t(lang, "파일", "File"): df["file_name"].astype("object").to_list(),
            t(lang, "변경자", "By"): _who(df, lang),
            t(lang, "일시", "When"): [_when(v) for v in df["changed_at"]],
        }
    )


def _when(value: object) -> str:
    if value is None or pd.isna(value):
        return fmt.DASH
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")


def restating_table(s: SinceCouncil, lang: str) -> pd.DataFrame:
    """Returns loaded since the meeting that restated a closed quarter (any quarter)."""
    df = s.restating_returns
    agencies = s.names.get(("agency", lang), {})
    status = {"rolled_back": ("적재 취소됨", "Rolled back")}
    return pd.DataFrame(
        {
            t(lang, "파일", "File"): df["file_name"].astype("object").to_list(),
            t(lang, "주관기관", "Agency"): [
                ", ".join(agencies.get(a, a) for a in str(v).split(","))
                for v in df["agency_codes"].fillna("")
            ],
            t(lang, "정정한 분기", "Quarters restated"): [
                ", ".join(_period_code(p, lang) for p in str(v).split(",")) for v in df["restates"]
            ],
            t(lang, "적재자", "Loaded by"): df["loaded_by"].astype("object").to_list(),
            t(lang, "적재 일시", "Loaded at"): [_when(v) for v in df["loaded_at"]],
            t(lang, "상태", "Status"): [
                pair(status, v, lang) or t(lang, "반영", "In force") for v in df["status"]
            ],
        }
    )


def _period_code(code: str, lang: str) -> str:
    """'2025Q3' → '2025년 3분기'."""
    code = code.strip()
    if len(code) == 6 and code[4] == "Q":
        return quarter_text(int(code[:4]) * 10 + int(code[5]), lang)
    return code


def quarter_events_table(s: SinceCouncil, lang: str) -> pd.DataFrame:
    df = s.quarter_events
    return pd.DataFrame(
        {
            t(lang, "분기", "Quarter"): [
                fmt.period(y, q, lang) for y, q in zip(df["year"], df["quarter"], strict=True)
            ],
            t(lang, "처리", "Action"): [pair(ACTIONS, a, lang) for a in df["action"]],
            t(lang, "일시", "When"): [_when(v) for v in df["acted_at"]],
            t(lang, "처리자", "By"): df["acted_by"].astype("object").to_list(),
            t(lang, "공관 제출", "Missions reported"): df["missions_reported"].astype("Int64").to_list(),
            t(lang, "기관 제출", "Agencies reported"): df["agencies_reported"].astype("Int64").to_list(),
        }
    )


def incidents_table(s: SinceCouncil, lang: str) -> pd.DataFrame:
    """What happened to each incident since the meeting. 종료 (ended) only of a closed incident
    (metrics.emergency.ENDED_BETWEEN); a monitoring one whose acute phase ended since is ongoing."""
    df = s.incidents
    what = []
    for r in df.to_dict("records"):
        parts = [t(lang, "발생", "began")] if r["opened"] else []
        if r["ended"]:
            parts.append(t(lang, "종료", "ended"))
        elif r["acute_ended"] and r["status"] == "monitoring":
            parts.append(t(lang, "모니터링 전환", "now monitoring"))
        what.append("·".join(parts))
    return pd.DataFrame(
        {
            t(lang, "재외공관", "Mission"): df["name_en" if lang == "en" else "name_ko"]
            .astype("object")
            .to_list(),
            t(lang, "유형", "Type"): df["type_en" if lang == "en" else "type_ko"].astype("object").to_list(),
            t(lang, "시작일", "Began"): [_day(v) for v in df["started_on"]],
            t(lang, "종료일", "Ended"): [_day(v) for v in df["ended_on"]],
            t(lang, "회의 이후", "Since the meeting"): what,
            t(lang, "개요", "Summary"): df["description"].astype("object").to_list(),
        }
    )


def _day(value: object) -> str:
    if value is None or pd.isna(value):
        return fmt.DASH
    return pd.Timestamp(value).strftime("%Y-%m-%d")


# --- on screen -----------------------------------------------------------------------------------
# The tables above are what the downloads and the briefing pack hold. On the page each is shown
# narrower, so that it fits the page's width at 1280 px (about 820 px beside the sidebar) in either
# language: two statuses in one "then → now" cell, short headers, and who changed what, when and in
# which file left to the downloads. The numbers are the same cells.


def changed_on_screen(full: pd.DataFrame, s: SinceCouncil, lang: str) -> pd.DataFrame:
    """targets_table as shown: status 'then → now' in one column, percentages under short headers
    (the quarters are said above the table)."""
    then_q, now_q = quarter_text(s.then_period, lang), quarter_text(s.now_period, lang)
    then_status, now_status = t(lang, "당시 상태", "Status then"), t(lang, "현재 상태", "Status now")
    return pd.DataFrame(
        {
            t(lang, "수준", "Level"): full[t(lang, "수준", "Level")],
            t(lang, "지표", "Metric"): full[t(lang, "지표", "Metric")],
            t(lang, "범위", "Scope"): full[t(lang, "범위", "Scope")],
            t(lang, "상태 (당시 → 현재)", "Status (then → now)"): [
                f"{a} → {b}" for a, b in zip(full[then_status], full[now_status], strict=True)
            ],
            t(lang, "당시(%)", "Then %"): full[t(lang, f"당시 달성률(%) {then_q}", f"Then (%) {then_q}")],
            t(lang, "현재(%)", "Now %"): full[t(lang, f"현재 달성률(%) {now_q}", f"Now (%) {now_q}")],
            t(lang, "변화(%p)", "± pts"): full[t(lang, "변화(%p)", "Change (pts)")],
            t(lang, "변동", "Move"): full[t(lang, "변동", "Move")],
        }
    )


def restated_on_screen(full: pd.DataFrame, lang: str) -> pd.DataFrame:
    """restated_table without its file, who and when (in the downloads, and each restating return
    is listed with its loader and time in the table below it on the page)."""
    return full.drop(columns=[t(lang, "파일", "File"), t(lang, "변경자", "By"), t(lang, "일시", "When")])


def incidents_on_screen(full: pd.DataFrame, lang: str) -> pd.DataFrame:
    """incidents_table as shown: start and end in one period column, without the summary (stored
    text of any length, listed under the table instead)."""
    start, end = t(lang, "시작일", "Began"), t(lang, "종료일", "Ended")
    out = full.copy()
    out[start] = [
        f"{a} – {b}" if b != fmt.DASH else f"{a} –" for a, b in zip(full[start], full[end], strict=True)
    ]
    return out.drop(columns=[end, t(lang, "개요", "Summary")]).rename(
        columns={start: t(lang, "기간", "Period")}
    )


def incident_texts(full: pd.DataFrame, lang: str) -> list[tuple[str, str]]:
    """(mission, summary) of incidents_table, for the list under the table."""
    names, texts = full[t(lang, "재외공관", "Mission")], full[t(lang, "개요", "Summary")]
    return [(str(n), "" if pd.isna(x) else str(x)) for n, x in zip(names, texts, strict=True)]


def action_texts(full: pd.DataFrame, lang: str) -> list[tuple[str, str]]:
    """('2번', the action's text) of register_table, for the list under the table."""
    numbers, texts = full[t(lang, "번호", "No.")], full[t(lang, "내용", "Action")]
    return [(t(lang, f"{n}번", f"No. {n}"), str(x)) for n, x in zip(numbers, texts, strict=True)]


def every_on_screen(full: pd.DataFrame, s: SinceCouncil, lang: str) -> pd.DataFrame:
    """targets_table with its explanation marks (the page inserts them after each status) as shown in
    the expander: statuses and marks each 'then → now' in one column, percentages under short
    headers, without the level (the scope names it; the level is in the downloads)."""
    shown = changed_on_screen(full, s, lang).drop(columns=[t(lang, "수준", "Level")])
    then_mark, now_mark = (
        t(lang, "당시 사유·대책", "Explanation then"),
        t(lang, "현재 사유·대책", "Explanation now"),
    )
    if then_mark in full.columns or now_mark in full.columns:
        blank = pd.Series([""] * len(full), index=full.index)
        shown[t(lang, "사유·대책", "Explanation")] = [
            f"{a or fmt.DASH} → {b or fmt.DASH}" if a or b else ""
            for a, b in zip(full.get(then_mark, blank), full.get(now_mark, blank), strict=True)
        ]
    return shown


def restated_detail_on_screen(full: pd.DataFrame, lang: str) -> pd.DataFrame:
    """restated_detail as shown in the expander: each figure by quarter, mission, sector, program and
    metric, the kind of change in a word; the agency (the summary above gives it, and each program
    has one), the file, who and when are in the downloads."""
    change = t(lang, "구분", "Change")
    short_change = {pair(CHANGE, code, lang): pair(CHANGE_SHORT, code, lang) for code in CHANGE}
    out = restated_on_screen(full, lang).drop(columns=[t(lang, "주관기관", "Agency")])
    out[change] = [short_change.get(c, c) for c in full[change]]
    return out.rename(columns={t(lang, "회의 당시", "Seen then"): t(lang, "회의 당시", "Then")})
