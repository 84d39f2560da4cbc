"""Names of codes in the current language, read from the warehouse's reference views (cached)."""

from __future__ import annotations

import pandas as pd

from metrics import registry
from metrics.views_support import reference
from ui.i18n import lang, name_column
from ui.warehouse import derived, query
from warehouse.connection import WarehouseMissing
from warehouse.schema import REFERENCE_FILES, read_reference

KINDS = ("agencies", "sectors", "programs", "regions", "missions")
# The sectors the council tracks side by side (docs/reference.md); 기타 is shown only where it has figures.
MAIN_SECTORS = ("kbeauty", "bio", "it", "green")


def table(kind: str) -> pd.DataFrame:
    """The reference list (`code`, `name_ko`, `name_en`, …) from the warehouse, else from data/ref."""
    try:
        return query(reference, kind)
    except WarehouseMissing:
        file_name, code = REFERENCE_FILES[kind]
        return pd.DataFrame(read_reference(file_name)).rename(columns={code: "code"})


def _name_map(kind: str, column: str) -> dict[str, str]:
    # Pages look names up row by row (a target's scope, an owner), hundreds of times a run on
    # 제출 현황: the map is built once per warehouse version (ui.warehouse.derived), each caller
    # gets its own copy.
    def build() -> dict[str, str]:
        df = table(kind)
        return dict(zip(df["code"], df[column], strict=True))

    return dict(derived(f"names:{kind}:{column}", build))


def names(kind: str) -> dict[str, str]:
    """code -> name in the current language, in display order."""
    column = name_column()
    if kind == "agencies":
        column = "short_en" if lang() == "en" else "short_ko"
    return _name_map(kind, column)


def full_names(kind: str) -> dict[str, str]:
    """code -> full name (agencies: 중소벤처기업부 rather than 중기부)."""
    return _name_map(kind, name_column())


def codes(kind: str) -> list[str]:
    """The codes of a reference list, in display order (the filters ask for them on every run)."""
    return list(derived(f"codes:{kind}", lambda: tuple(table(kind)["code"].tolist())))


def name(kind: str, code: str | None) -> str:
    if code is None or code != code:
        return ""
    return names(kind).get(code, code)


def sector_colors() -> dict[str, str]:
    """sector_code -> its colour (data/ref/sectors.csv `color`)."""
    return _name_map("sectors", "color")


def metric_name(code: str) -> str:
    return registry.get(code).name(lang())


def metric_unit(code: str) -> str:
    return registry.get(code).unit(lang())
