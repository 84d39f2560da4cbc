"""The metric registry: every performance metric (성과지표) as declared in data/ref/metrics.csv.

Pages label their charts from here and the README's metric table is rendered from here, so the
codes, names, units and descriptions cannot drift apart.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache

import pandas as pd

from warehouse.schema import read_reference

AGGREGATIONS = ("sum", "weighted_mean")
LANGS = ("ko", "en")


@dataclass(frozen=True)
class Metric:
    """One metric: its code, labels, unit, how it aggregates and which direction is good."""

    code: str
    name_ko: str
    name_en: str
    unit_ko: str
    unit_en: str
    aggregation: str  # sum | weighted_mean
    weight_metric: str | None  # for weighted_mean: the metric on the same row that weighs it
    higher_is_better: bool
    has_target: bool
    sort_order: int
    description_ko: str
    description_en: str

    def name(self, lang: str = "ko") -> str:
        return self.name_ko if _lang(lang) == "ko" else self.name_en

    def unit(self, lang: str = "ko") -> str:
        return self.unit_ko if _lang(lang) == "ko" else self.unit_en

    def description(self, lang: str = "ko") -> str:
        return self.description_ko if _lang(lang) == "ko" else self.description_en

    @property
    def is_mean(self) -> bool:
        """True for a score that is averaged (satisfaction), not summed."""
        return self.aggregation == "weighted_mean"


def _lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {LANGS}")
    return lang


def _flag(text: str | None) -> bool:
    return (text or "").strip().lower() in ("true", "1", "yes", "y")


@cache
def all_metrics() -> tuple[Metric, ...]:
    """Every metric in display order; raises ValueError if the reference file is inconsistent."""
    out = []
    for rec in read_reference("metrics.csv"):
        out.append(
            Metric(
                code=rec["metric_code"],
                name_ko=(rec.get("name_ko") or "").strip(),
                name_en=(rec.get("name_en") or "").strip(),
                unit_ko=(rec.get("unit_ko") or "").strip(),
                unit_en=(rec.get("unit_en") or "").strip(),
                aggregation=(rec.get("aggregation") or "").strip(),
                weight_metric=(rec.get("weight_metric") or "").strip() or None,
                higher_is_better=_flag(rec.get("higher_is_better")),
                has_target=_flag(rec.get("has_target")),
                sort_order=int(rec.get("sort_order") or 0),
                description_ko=(rec.get("description_ko") or "").strip(),
                description_en=(rec.get("description_en") or "").strip(),
            )
        )
    out.sort(key=lambda m: (m.sort_order, m.code))
    codes = {m.code for m in out}
    for m in out:
        if m.aggregation not in AGGREGATIONS:
            raise ValueError(f"metric {m.code}: unknown aggregation {m.aggregation!r}")
        if m.is_mean and m.weight_metric not in codes:
            raise ValueError(f"metric {m.code}: weight metric {m.weight_metric!r} is not a metric")
    return tuple(out)


def codes() -> tuple[str, ...]:
    """Metric codes in display order."""
    return tuple(m.code for m in all_metrics())


def get(code: str) -> Metric:
    """The metric with this code; KeyError names the known codes otherwise."""
    for m in all_metrics():
        if m.code == code:
            return m
    raise KeyError(f"unknown metric {code!r}; known: {', '.join(codes())}")


def label(code: str, lang: str = "ko") -> str:
    """The metric's display name."""
    return get(code).name(lang)


def frame() -> pd.DataFrame:
    """The registry as a DataFrame keyed by `metric_code`, for pages to join labels onto results."""
    rows = [
        {"metric_code": m.code, **{k: v for k, v in asdict(m).items() if k != "code"}} for m in all_metrics()
    ]
    return pd.DataFrame(rows)


# Column headings and cell words of the README table, per language.
_TABLE_TEXT = {
    "ko": {
        "head": ("코드", "지표", "단위", "집계", "목표", "방향", "설명"),
        "sum": "합계",
        "weighted_mean": "가중평균(가중치: {weight})",
        "target": ("있음", "없음"),
        "direction": ("높을수록 좋음", "낮을수록 좋음"),
    },
    "en": {
        "head": ("code", "metric", "unit", "aggregation", "target", "direction", "description"),
        "sum": "sum",
        "weighted_mean": "weighted mean (weight: {weight})",
        "target": ("yes", "no"),
        "direction": ("higher is better", "lower is better"),
    },
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def markdown_table(lang: str = "ko") -> str:
    """The README's metric table (between `<!-- metrics-table:start -->` and `:end -->`), no trailing newline."""
    words = _TABLE_TEXT[_lang(lang)]
    head = words["head"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for m in all_metrics():
        if m.is_mean:
            aggregation = words["weighted_mean"].format(weight=get(m.weight_metric or "").name(lang))
        else:
            aggregation = words[m.aggregation]
        cells = (
            f"`{m.code}`",
            m.name(lang),
            m.unit(lang),
            aggregation,
            words["target"][0 if m.has_target else 1],
            words["direction"][0 if m.higher_is_better else 1],
            m.description(lang),
        )
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m metrics.registry [ko|en]: print the README table
    import sys

    print(markdown_table(sys.argv[1] if len(sys.argv) > 1 else "ko"))
