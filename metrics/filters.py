"""What a page asks for: the year, a quarter range and the dimension values to keep."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

# Filter field -> column of the `results` view it restricts. Regions restrict missions (see below).
DIMENSION_COLUMNS = {
    "agencies": "agency_code",
    "sectors": "sector_code",
    "missions": "mission_code",
    "programs": "program_code",
    "metrics": "metric_code",
}


def _as_tuple(value: object) -> tuple[str, ...]:
    # A bare string is one code, not a sequence of characters.
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    return tuple(str(v) for v in value)  # type: ignore[union-attr]


@dataclass(frozen=True)
class Filters:
    """Year, quarter range and dimension codes to keep; an empty tuple keeps everything.

    `year=None` means every year for `actuals`, and the latest year with data for the functions that
    work on one year (attainment, growth, completeness, K-beauty). Lists are turned into tuples, so
    a Filters is hashable and can key a cache.

    Which figures count (metrics/source.py): `through` (a period, 2026 Q3 = 20263) leaves out every
    figure after it, which is how pages keep open quarters' preliminary figures out of closed totals
    (warehouse.cycle.closed_through); `at` shows the figures as they stood at that moment (a
    council meeting) instead of the current ones. None: every current figure.
    """

    year: int | None = None
    quarter_from: int = 1
    quarter_to: int = 4
    agencies: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    missions: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    through: int | None = None
    at: datetime | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.name not in ("year", "quarter_from", "quarter_to", "through", "at"):
                object.__setattr__(self, f.name, _as_tuple(getattr(self, f.name)))
        if self.year is not None:
            object.__setattr__(self, "year", int(self.year))
        q_from, q_to = int(self.quarter_from), int(self.quarter_to)
        if not 1 <= q_from <= q_to <= 4:
            raise ValueError(f"분기 범위가 잘못되었습니다 / bad quarter range: {q_from}..{q_to}")
        object.__setattr__(self, "quarter_from", q_from)
        object.__setattr__(self, "quarter_to", q_to)
        if self.through is not None:
            through = int(self.through)
            if through % 10 not in (1, 2, 3, 4):
                raise ValueError(f"마감 기준 분기가 잘못되었습니다 / bad closed-through period: {through}")
            object.__setattr__(self, "through", through)

    @property
    def quarter_filtered(self) -> bool:
        """True when the quarter range is narrower than the whole year."""
        return self.quarter_from != 1 or self.quarter_to != 4


ALL = Filters()


def dimension_predicate(
    filters: Filters, alias: str = "r", *, skip: tuple[str, ...] = ()
) -> tuple[str, dict[str, object]]:
    """SQL predicate (never empty) and named parameters for the dimension filters, values as parameters."""
    clauses: list[str] = []
    params: dict[str, object] = {}
    for name, column in DIMENSION_COLUMNS.items():
        values = getattr(filters, name)
        if not values or name in skip:
            continue
        names = [f"f_{name}_{i}" for i in range(len(values))]
        params.update(zip(names, values, strict=True))
        clauses.append(f"{alias}.{column} IN ({', '.join('$' + n for n in names)})")
    if filters.regions and "regions" not in skip:
        names = [f"f_regions_{i}" for i in range(len(filters.regions))]
        params.update(zip(names, filters.regions, strict=True))
        # Regions are an attribute of missions: keep the figures of the missions in those regions.
        clauses.append(
            f"{alias}.mission_code IN (SELECT mission_code FROM missions "
            f"WHERE region_code IN ({', '.join('$' + n for n in names)}))"
        )
    return (" AND ".join(clauses) or "TRUE"), params
