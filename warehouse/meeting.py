"""A council meeting (정책협의회 회의): the one record the register stores (etl.registers.meetings) and
the metrics read back from the `meetings` view (metrics.council), with the closed quarter it reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


def ordinal(n: int) -> str:
    """1 → '1st', 2 → '2nd', 11 → '11th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True)
class Meeting:
    """A council meeting and the closed quarter it reviews; `note` (비고) is the register's, not the view's."""

    meeting_no: int
    held_on: date
    title_ko: str
    title_en: str | None
    review_year: int
    review_quarter: int
    note: str | None = None

    @property
    def review_period(self) -> int:
        return self.review_year * 10 + self.review_quarter

    def title(self, lang: str = "ko") -> str:
        return (self.title_en or self.title_ko) if lang == "en" else self.title_ko

    def short(self, lang: str = "ko") -> str:
        """'제2차 회의 (2025-12-19)' / '2nd council (2025-12-19)'."""
        if lang == "en":
            return f"{ordinal(self.meeting_no)} council ({self.held_on:%Y-%m-%d})"
        return f"제{self.meeting_no}차 회의 ({self.held_on:%Y-%m-%d})"
