"""Metric tiles drawn as one block of HTML: a group of cards, each with a title and its metrics.

A page of st.metric tiles costs the browser an element per tile, note and caption (분야별 had 32 of
them), and each element is a React component with its own styles: about a second of a first
visit's drawing. One st.html block draws the same cards at a fraction of that. The tiles read like
st.metric's: label (with its description on hover), value, and the change against the same
quarters a year earlier as a number whose arrow follows its sign, red when the news is bad (a fall
of a higher-is-better metric, a rise of affected firms).

Every text is escaped here; `note_html` is the one piece of markup a caller passes (a status badge
built from our own styles), never stored text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pandas as pd

from metrics import registry
from ui import format as fmt
from ui import frames
from ui.figures import STATUS, badge_html, status_style
from ui.i18n import lang, tr

_COLOR = re.compile(r"#[0-9A-Fa-f]{3,8}")
_FALLBACK_COLOR = "#1f3b6f"

STYLE = """<style>
.kt-grid { container-type: inline-size; }
.kt-row { display: grid; grid-template-columns: repeat(var(--kt-n), minmax(0, 1fr)); gap: 1rem; }
@container (max-width: 640px) { .kt-row { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
.kt-card { container-type: inline-size; border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem;
  word-break: keep-all;
  padding: 0.8rem 1rem; }
.kt-title { border-left: 6px solid var(--kt-color); padding-left: 10px; font-size: 1.25rem;
  font-weight: 700; margin-bottom: 0.5rem; overflow-wrap: anywhere; }
.kt-tile { margin: 0.6rem 0 0.9rem; }
.kt-label { font-size: 0.875rem; overflow-wrap: anywhere; }
.kt-help { cursor: help; opacity: 0.55; margin-left: 0.25rem; }
.kt-value { font-size: clamp(1.2rem, 11cqi, 2.25rem); line-height: 1.25; font-weight: 400;
  white-space: nowrap; }
.kt-delta { display: inline-block; font-size: 0.875rem; border-radius: 999px; padding: 0 0.5rem;
  margin-top: 0.15rem; }
.kt-good { color: #0a7a30; background: rgba(9, 171, 59, 0.12); }
.kt-bad { color: #c4161c; background: rgba(255, 43, 43, 0.1); }
.kt-flat { color: #5b5e6a; background: rgba(49, 51, 63, 0.08); }
.kt-note { font-size: 0.85rem; margin-top: 0.3rem; overflow-wrap: anywhere; }
.kt-foot, .kt-empty { font-size: 0.875rem; opacity: 0.7; margin-top: 0.4rem; overflow-wrap: anywhere; }
</style>"""


@dataclass(frozen=True)
class Tile:
    code: str  # the metric, for which way is good news
    label: str
    value: str
    growth_pct: float | None = None  # change against the same quarters a year earlier, in %
    help: str | None = None
    note_html: str = ""  # markup built by the caller from its own styles (a status badge), or ""


@dataclass(frozen=True)
class Card:
    title: str
    color: str
    tiles: list[Tile] = field(default_factory=list)
    foot: str = ""  # a line under the tiles
    empty: str = ""  # said instead of tiles when there are none


def delta(tile: Tile) -> tuple[str, str, str]:
    """(arrow, tone, text) of a tile's change: ('↓', 'bad', '−25.0%') for a fall of export value."""
    growth = tile.growth_pct
    if growth is None or growth != growth:  # None or NaN: nothing to compare with
        return "", "", ""
    growth = round(float(growth), 1)
    if growth == 0:
        return "", "flat", "0.0%"
    rising = growth > 0
    good = rising == registry.get(tile.code).higher_is_better
    return ("↑" if rising else "↓"), ("good" if good else "bad"), f"{growth:+.1f}%".replace("-", "−")


def _tile(tile: Tile) -> str:
    e = html.escape
    help_mark = (
        f'<span class="kt-help" title="{e(tile.help)}" aria-label="{e(tile.help)}">ⓘ</span>'
        if tile.help
        else ""
    )
    arrow, tone, text = delta(tile)
    change = (
        f'<div class="kt-delta kt-{tone}" data-tone="{tone}">{arrow} {text} '
        f"<span>{e(tr('전년 동기 대비', 'YoY'))}</span></div>"
        if tone
        else ""
    )
    note = f'<div class="kt-note">{tile.note_html}</div>' if tile.note_html else ""
    return (
        f'<div class="kt-tile" data-metric="{e(tile.code)}">'
        f'<div class="kt-label">{e(tile.label)}{help_mark}</div>'
        f'<div class="kt-value">{e(tile.value)}</div>{change}{note}</div>'
    )


def _card(card: Card) -> str:
    e = html.escape
    color = card.color if _COLOR.fullmatch(card.color or "") else _FALLBACK_COLOR
    body = "".join(_tile(t) for t in card.tiles) or f'<div class="kt-empty">{e(card.empty)}</div>'
    foot = f'<div class="kt-foot">{e(card.foot)}</div>' if card.foot else ""
    return (
        f'<div class="kt-card" style="--kt-color:{color}">'
        f'<div class="kt-title">{e(card.title)}</div>{body}{foot}</div>'
    )


def cards_html(cards: list[Card]) -> str:
    """The cards side by side (two a row where the page is narrow), with their stylesheet."""
    row = "".join(_card(c) for c in cards)
    return f'{STYLE}<div class="kt-grid"><div class="kt-row" style="--kt-n:{max(len(cards), 1)}">{row}</div></div>'


def sector_card(
    cards: pd.DataFrame, sector: str, names: dict[str, str], colors: dict[str, str], codes: tuple[str, ...]
) -> Card:
    """One sector's card on 분야별: its `codes` that have figures, each with its status against the
    target, and how many of the sector's targeted metrics stand where."""
    lang_now = lang()
    part = cards[cards["sector_code"] == sector].set_index("metric_code")
    title, color = names.get(sector, sector), colors.get(sector, _FALLBACK_COLOR)
    if part["ytd_value"].isna().all():
        return Card(title, color, empty=tr("이 분야의 실적이 없습니다.", "No figures for this sector."))
    shown = []
    for code in codes:
        if code not in part.index or pd.isna(part.loc[code, "ytd_value"]):
            continue  # not reported in this sector
        row = part.loc[code]
        value, target = frames.values_text(code, row["ytd_value"], row["target"])
        note = ""
        if pd.notna(row["target"]):
            note = (
                f"{badge_html(status_style(row['status']), lang_now)} "
                f"{html.escape(tr('달성률', 'attained'))} {html.escape(fmt.percent(row['attainment_pct'], 0))}"
                f" · {html.escape(tr('목표', 'target'))} {html.escape(target)}"
            )
        growth = row["growth_pct"]
        shown.append(
            Tile(
                code,
                frames.metric_label(code),
                value,
                None if pd.isna(growth) else float(growth),
                help=registry.get(code).description(lang_now),
                note_html=note,
            )
        )
    counts = frames.status_counts(part)
    foot = " · ".join(
        f"{STATUS[s].glyph}\u00a0{STATUS[s].en if lang_now == 'en' else STATUS[s].ko}\u00a0{counts[s]}"
        for s in ("on_track", "at_risk", "behind")
    ) + tr(" (목표가 있는 지표 수)", " (metrics with a target)")
    return Card(title, color, shown, foot=foot)
