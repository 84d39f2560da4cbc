"""The shared filters: one set of sidebar widgets, kept in the URL, read by every page.

`sidebar()` runs in dashboard.py before the page, so the widgets belong to the entry script and
their values survive page switches. Each value is mirrored to the URL under the widget's key, as
codes (?year=2025&q=1-3&sector=kbeauty&sector=bio&agency=mss), so a copied link reproduces the view
in either language. Streamlit's own `bind="query-params"` writes the *displayed label* instead
(?sector=K-뷰티), which a link in the other language would not match, hence the explicit sync:
a session's first run seeds the widgets from the URL; every run writes them back.
Pages call `current()` for a `metrics.Filters`, and `page_choice()` for their own choices (the
metric shown, a mission's profile), which are kept in the URL the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from metrics import Filters, registry
from metrics.views_support import years
from ui import cycle, frames
from ui import format as fmt
from ui.i18n import lang, tr
from ui.reference import codes, names
from ui.warehouse import query
from warehouse.connection import WarehouseMissing

# widget key = URL parameter
YEAR, QUARTERS, AGENCY, SECTOR, REGION, MISSION, PROGRAM = (
    "year",
    "q",
    "agency",
    "sector",
    "region",
    "mission",
    "program",
)
MULTI = {AGENCY: "agencies", SECTOR: "sectors", REGION: "regions", MISSION: "missions", PROGRAM: "programs"}
ALL_QUARTERS = (1, 4)
_SEEDED = "_filters_seeded_from_url"
_LABEL_LANGUAGE = "_filters_label_language"  # widget key -> the language its labels were last shown in
# Page choices shared by several pages (the metric): remembered apart from their page's widget,
# whose state goes with the page, and written to the URL on every page like the filters.
SHARED_CHOICES: dict[str, Callable[[], Sequence[str]]] = {"metric": registry.codes}
_SHARED = "_shared_choices"


def available_years() -> list[int]:
    """Years with figures (or, before any figure, with targets), ascending."""
    try:
        df = query(years)
    except WarehouseMissing:
        return []
    with_results = df[df["has_results"]]
    return [int(y) for y in (with_results if not with_results.empty else df)["year"]]


# --- URL <-> values -------------------------------------------------------------------------------


def _url_values(key: str) -> list[str]:
    """Every value of a parameter: repeated (?sector=a&sector=b) or comma-separated (?sector=a,b)."""
    out: list[str] = []
    for raw in st.query_params.get_all(key):
        out += [v.strip() for v in raw.split(",") if v.strip()]
    return out


def parse_quarters(values: Sequence[str]) -> tuple[int, int]:
    """ "1-3", "1–3", ["1", "3"] or "2" as a valid (from, to) range; anything else is the whole year."""
    parts: list[int] = []
    for v in values:
        for piece in v.replace("–", "-").split("-"):
            if piece.strip().isdigit():
                parts.append(int(piece))
    if not parts:
        return ALL_QUARTERS
    q_from, q_to = min(parts[0], parts[-1]), max(parts[0], parts[-1])
    if not 1 <= q_from <= q_to <= 4:
        return ALL_QUARTERS
    return q_from, q_to


def _set_param(key: str, value: str | list[str] | None) -> None:
    """Write one parameter only when it changes (each write is a message to the browser)."""
    current = st.query_params.get_all(key)
    wanted = [] if value is None else ([value] if isinstance(value, str) else list(value))
    if current == wanted:
        return
    if wanted:
        st.query_params[key] = wanted if len(wanted) > 1 else wanted[0]
    elif key in st.query_params:
        del st.query_params[key]


def _seed(ys: list[int]) -> None:
    """A session's first run: the widgets start from the link that opened it."""
    if st.session_state.get(_SEEDED):
        return
    year = next((int(v) for v in _url_values(YEAR) if v.isdigit() and int(v) in ys), None)
    st.session_state[cycle.PRELIM] = "1" in _url_values(cycle.PRELIM)
    meeting = next((int(v) for v in _url_values(cycle.MEETING) if v.isdigit()), 0)
    st.session_state[cycle.MEETING] = meeting
    seen = cycle.chosen_meeting()  # a meeting's link opens on the year it reviewed
    if year is None:
        year = seen.year if seen is not None and seen.year in ys else cycle.default_year(ys)
    st.session_state[YEAR] = year
    st.session_state[QUARTERS] = parse_quarters(_url_values(QUARTERS))
    for key, kind in MULTI.items():
        valid = set(codes(kind))
        st.session_state[key] = [v for v in dict.fromkeys(_url_values(key)) if v in valid]
    st.session_state[_SHARED] = {
        key: value
        for key, options in SHARED_CHOICES.items()
        for value in [next((v for v in _url_values(key) if v in options()), None)]
        if value is not None
    }
    st.session_state[_SEEDED] = True


def _relabel(key: str, language: str) -> None:
    """A selectbox or multiselect sends the browser its value as the label shown ("2026년", "K-뷰티"),
    and the browser keeps that label until a value is sent again: after a language switch, send the
    value again (an assignment counts as a new value), so the box shows "2026" and "K-beauty"."""
    shown = st.session_state.setdefault(_LABEL_LANGUAGE, {})
    if key in st.session_state and shown.get(key, language) != language:
        st.session_state[key] = st.session_state[key]
    shown[key] = language


def _write_url(ys: list[int]) -> None:
    year = st.session_state.get(YEAR)
    _set_param(YEAR, str(year) if year is not None and ys and year != cycle.default_year(ys) else None)
    _set_param(cycle.PRELIM, "1" if st.session_state.get(cycle.PRELIM) else None)
    meeting = st.session_state.get(cycle.MEETING)
    _set_param(cycle.MEETING, str(meeting) if meeting else None)
    q = tuple(st.session_state.get(QUARTERS) or ALL_QUARTERS)
    _set_param(QUARTERS, None if q == ALL_QUARTERS else f"{q[0]}-{q[1]}")
    for key in MULTI:
        _set_param(key, list(st.session_state.get(key) or []))
    for key, value in st.session_state.get(_SHARED, {}).items():
        _set_param(key, value)


# --- widgets --------------------------------------------------------------------------------------


def _reset() -> None:
    ys = available_years()
    st.session_state[YEAR] = cycle.default_year(ys)
    st.session_state[QUARTERS] = ALL_QUARTERS
    for key in MULTI:
        st.session_state[key] = []


def sidebar() -> None:
    """Render the filter widgets in the sidebar and mirror them to the URL (once per run)."""
    ys = available_years()
    language = lang()  # bound into the format functions: AppTest calls them outside the script run
    _seed(ys)
    if st.session_state.get(YEAR) not in ys:  # a new warehouse, or the year's data rolled back
        st.session_state[YEAR] = cycle.default_year(ys)
    for key in (YEAR, QUARTERS, *MULTI):
        _relabel(key, language)
    side = st.sidebar
    side.markdown(f"**{tr('조회 조건', 'Filters')}**")
    cycle.switch(side)
    cycle.meeting_picker(side)
    if ys:
        side.selectbox(
            tr("연도", "Year"),
            options=ys,
            format_func=lambda y: fmt.year(y, language),
            key=YEAR,
            help=tr(
                "목표 대비 달성률과 진도는 이 연도의 1분기부터 최근 마감 분기까지를 봅니다.",
                "Attainment and pace count this year from Q1 to the latest closed quarter.",
            ),
        )
    side.select_slider(
        tr("분기", "Quarters"),
        options=[1, 2, 3, 4],
        value=ALL_QUARTERS,  # makes it a range slider; the session state (seeded from the URL) wins
        format_func=lambda q: fmt.quarter(q, language),
        key=QUARTERS,
        help=tr(
            "실적 합계와 추이에 적용됩니다. 끝 분기를 앞당기면 그 분기 기준으로 진도를 판정합니다.",
            "Applies to totals and trends. An earlier end quarter judges the pace as of that quarter.",
        ),
    )
    labels = {
        AGENCY: tr("주관기관", "Agency"),
        SECTOR: tr("분야", "Sector"),
        REGION: tr("지역", "Region"),
        MISSION: tr("재외공관", "Mission"),
        PROGRAM: tr("사업", "Program"),
    }
    for key, kind in MULTI.items():
        label_of = names(kind)
        side.multiselect(
            labels[key],
            options=codes(kind),
            format_func=lambda c, label_of=label_of: label_of.get(c, c),
            key=key,
            placeholder=tr("전체", "All"),
        )
    side.button(
        tr("조건 초기화", "Reset filters"),
        on_click=_reset,
        icon=":material/restart_alt:",
        key="reset_filters",
    )
    _write_url(ys)


def current() -> Filters:
    """The filters as the sidebar holds them (year None when the warehouse has no figures)."""
    year = st.session_state.get(YEAR)
    q = st.session_state.get(QUARTERS) or ALL_QUARTERS
    q_from, q_to = (int(q[0]), int(q[1])) if isinstance(q, (tuple, list)) and len(q) == 2 else ALL_QUARTERS
    return Filters(
        year=int(year) if year is not None else None,
        quarter_from=q_from,
        quarter_to=q_to,
        agencies=tuple(st.session_state.get(AGENCY) or ()),
        sectors=tuple(st.session_state.get(SECTOR) or ()),
        regions=tuple(st.session_state.get(REGION) or ()),
        missions=tuple(st.session_state.get(MISSION) or ()),
        programs=tuple(st.session_state.get(PROGRAM) or ()),
        through=cycle.through(),
        at=cycle.at(),
    )


def describe(filters: Filters) -> str:
    """One line naming the view: "2026년 · 1–3분기 · K-뷰티 · 중기부" (only what is narrowed)."""
    parts: list[str] = []
    if filters.year is not None:
        parts.append(fmt.year(filters.year, lang()))
    parts.append(fmt.quarter_range(filters.quarter_from, filters.quarter_to, lang()))
    for field in ("sectors", "agencies", "regions", "missions", "programs"):
        chosen = getattr(filters, field)
        if chosen:
            label_of = names(field)
            shown = [label_of.get(c, c) for c in chosen[:3]]
            more = len(chosen) - len(shown)
            parts.append(", ".join(shown) + (tr(f" 외 {more}", f" +{more}") if more else ""))
    return " · ".join(parts)


def page_choice(
    label: str,
    options: Sequence,
    key: str,
    *,
    format_func: Callable = str,
    default=None,
    help: str | None = None,
    container=None,
    widget: str = "selectbox",
):
    """A page's own choice (metric, mission …), kept in the URL under `key` as the option itself.

    The URL wins when the widget first appears on a page (a link, or coming back to the page). A
    shared choice (SHARED_CHOICES: the metric) is also remembered for the session and kept in the
    URL on every page, so it survives a visit to a page without it; one default however one arrives.
    """
    options = list(options)
    if not options:
        return None
    by_text = {str(o): o for o in options}
    shared = st.session_state.setdefault(_SHARED, {}) if key in SHARED_CHOICES else None
    value = st.session_state.get(key)
    if value not in options:
        from_url = next((by_text[v] for v in _url_values(key) if v in by_text), None)
        if from_url is None and shared is not None:
            from_url = by_text.get(shared.get(key, ""))
        value = from_url if from_url is not None else (default if default in options else options[0])
    # Assigned on every run: the same key on another page is another widget, which would otherwise
    # start from its first option (the metric came as 지원기업 수 from 분야별, 수출계약액 from 요약);
    # an assignment is also sent to the browser again, in the language now shown.
    st.session_state[key] = value
    labels = {o: format_func(o) for o in options}  # made now, in the script run (see sidebar)
    format_func = labels.__getitem__
    where = container or st
    if widget == "segmented":
        value = where.segmented_control(
            label, options=options, format_func=format_func, key=key, help=help, required=True
        )
    elif widget == "radio":
        value = where.radio(
            label, options=options, format_func=format_func, key=key, help=help, horizontal=True
        )
    else:
        value = where.selectbox(label, options=options, format_func=format_func, key=key, help=help)
    _set_param(key, str(value) if value is not None else None)
    if shared is not None and value is not None:
        shared[key] = str(value)
    return value


def metric_choice(container=None) -> str:
    """The page's metric (지표), carried between the pages that offer it as ?metric=."""
    return page_choice(
        tr("지표", "Metric"),
        list(registry.codes()),
        key="metric",
        format_func=frames.metric_label,
        default="export_value",
        container=container,
    )
