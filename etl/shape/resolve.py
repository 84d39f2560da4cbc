"""Turning the texts of a return into codes: mission, sector, agency, program, metric and unit."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from warehouse.names import name_key
from warehouse.schema import REFERENCE_TABLES, alias_rows, read_reference

DIMENSIONS = ("agency", "mission", "sector", "program", "metric")

LABELS = {
    "agency": ("주관기관", "agency"),
    "mission": ("공관", "mission"),
    "sector": ("분야", "sector"),
    "program": ("사업", "program"),
    "metric": ("지표", "metric"),
    "year": ("연도", "year"),
    "quarter": ("분기", "quarter"),
    "value": ("실적", "value"),
}


@cache
def aliases(kind: str) -> dict[str, str]:
    """Normalised spelling → code, for one kind of reference code."""
    for _, file_name, code_column, alias_kind in REFERENCE_TABLES:
        if alias_kind == kind:
            return {key: code for _, key, code in alias_rows(kind, code_column, read_reference(file_name))}
    raise KeyError(kind)


def _lookup(kind: str, key: str) -> str | None:
    table = aliases(kind)
    code = table.get(key)
    if code is None and kind == "mission" and len(key) > 3:
        # '주' (resident in) comes and goes: 주하노이 대사관 is 하노이 대사관, 호치민총영사관 is 주호치민총영사관.
        code = table.get(key[1:]) if key.startswith("주") else table.get("주" + key)
    return code


def resolve(kind: str, text: object) -> str | None:
    return _lookup(kind, name_key(text))


def resolve_many(kind: str, texts: Iterable[object]) -> dict[object, str | None]:
    return {t: _lookup(kind, name_key(t)) for t in texts}


def _distinctive(alias: str) -> bool:
    """Long enough to mean itself inside a title: 4+ characters, or 3 Hangul syllables (외교부, 중진공)."""
    return len(alias) >= 4 or (len(alias) == 3 and all("가" <= ch <= "힣" for ch in alias))


def find_in_title(kind: str, title: str) -> str | None:
    """The code whose longest distinctive spelling appears in a title, e.g. '주베트남대사관 실적 보고'."""
    key = name_key(title)
    best: tuple[int, str] | None = None
    for alias, code in aliases(kind).items():
        if _distinctive(alias) and alias in key and (best is None or len(alias) > best[0]):
            best = (len(alias), code)
    return best[1] if best else None


@dataclass(frozen=True)
class Choices:
    """What an analyst picks from, for error messages that suggest the right spelling."""

    kind: str

    def examples(self, n: int = 6, lang: str = "ko") -> str:
        """'주베트남 대사관, 주호치민 총영사관 … 등' in Korean; the codes ('VN-HAN, VN-SGN, …') in English."""
        file_name, code_column = next((f, c) for _, f, c, k in REFERENCE_TABLES if k == self.kind)
        records = read_reference(file_name)
        names = [r["name_ko"] if lang == "ko" else r[code_column] for r in records[:n]]
        more = (" 등" if lang == "ko" else ", …") if len(records) > n else ""
        return ", ".join(names) + more


@cache
def names(kind: str) -> dict[str, tuple[str, str]]:
    """Code → (Korean name, English name), for messages that speak the analyst's language."""
    file_name = next(f for _, f, _, k in REFERENCE_TABLES if k == kind)
    code_column = next(c for _, f, c, k in REFERENCE_TABLES if k == kind)
    return {r[code_column]: (r["name_ko"], r["name_en"]) for r in read_reference(file_name)}


def name_of(kind: str, code: str | None) -> tuple[str, str]:
    """(Korean, English) name of a code; the code itself when unknown."""
    if code is None:
        return "(없음)", "(none)"
    return names(kind).get(code, (code, code))
