"""One number-format rule per column and per sentence (ui/format.py: column, frame_cells, grid_format),
used by pages, downloads and both pack formats (#25 item 10, #27 item 2)."""

from __future__ import annotations

import random
import re
from datetime import date

import pandas as pd
import pytest

from ui import format as fmt

UNITS = [
    ("개사", "firms"),
    ("건", "cases"),
    ("천달러", "USD thousand"),
    ("점", "points"),
    ("%", "%"),
    ("%p", "%p"),
]
NUMBER = re.compile(r"([+-]?)([\d,]+)(?:\.(\d+))?")


def _random_column(rng: random.Random) -> list[object]:
    magnitude = 10 ** rng.randint(0, 7)
    values: list[object] = []
    for _ in range(rng.randint(1, 12)):
        roll = rng.random()
        if roll < 0.1:
            values.append(None)
        elif roll < 0.2:
            values.append(0)
        elif roll < 0.5:
            values.append(float(rng.randint(-magnitude, magnitude)))  # whole, as a float: 406.0
        else:
            values.append(rng.uniform(-magnitude, magnitude))
    return values


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_column_has_one_unit_one_precision_and_signed_changes(lang):
    rng = random.Random(42)
    for _ in range(600):
        unit_ko, unit_en = rng.choice(UNITS)
        values, signed = _random_column(rng), rng.random() < 0.5
        cells = fmt.column(values, unit_ko, unit_en, lang, signed=signed)
        assert len(cells) == len(values)
        shown = [(c, v) for c, v in zip(cells, values, strict=True) if v is not None]
        assert all(c == fmt.DASH for c, v in zip(cells, values, strict=True) if v is None)
        assert all("−" not in c for c in cells)  # one minus sign: ASCII
        units, places = set(), set()
        for cell, value in shown:
            m = NUMBER.search(cell)
            assert m, cell
            units.add(NUMBER.sub("#", cell).replace("firm#", "#").replace("case#", "#"))
            places.add(len(m.group(3) or ""))
            if signed and m.group(2).strip("0,") and value > 0:
                assert m.group(1) == "+", (cell, value)
            if m.group(1) == "-":
                assert value < 0, (cell, value)
        # one unit (money in one scale; "1 firm" and "3 firms" are the same unit) and one precision
        assert len({u.rstrip("s") for u in units}) <= 1, (unit_ko, values, cells)
        assert len(places) <= 1, (unit_ko, values, cells)
        if unit_ko in ("개사", "건"):
            assert places <= {0}, cells  # counts never "406.0"


def test_frame_cells_one_precision_per_column_and_signed_changes():
    rng = random.Random(7)
    for _ in range(200):
        n = rng.randint(1, 8)
        counts = [float(rng.randint(0, 500)) for _ in range(n)]
        rates = [round(rng.uniform(-60, 60), rng.choice((0, 1))) for _ in range(n)]
        df = pd.DataFrame({"지표": ["x"] * n, "현재": counts, "변화(%p)": rates, "실적 수": list(range(n))})
        rows = fmt.frame_cells(df)
        now = [r[1] for r in rows]
        change = [r[2] for r in rows]
        assert all("." not in c for c in now), now  # whole numbers stay whole: not "406.0 → 339.0"
        assert len({len(c.split(".")[1]) if "." in c else 0 for c in change}) == 1, change
        for cell, v in zip(change, rates, strict=True):
            assert cell.startswith("+") if round(v, 1) > 0 else not cell.startswith("+"), (cell, v)


def test_the_examples_of_the_issue():
    # "-36" beside "-37.1": one precision, signed; one minus sign
    assert fmt.column([-36.0, -37.1, 2.0], "%p", signed=True) == ["-36.0%p", "-37.1%p", "+2.0%p"]
    assert fmt.grid_format("변화(%p)", pd.Series([-36.0, -37.1])) == "%+,.1f"
    assert fmt.grid_format("달성률(%)", pd.Series([64.0, 64.6])) == "%,.1f"
    assert fmt.grid_format("실적 수", pd.Series([406.0, 339.0])) == "%,.0f"
    # "1.12억 달러" beside "72.7백만달러" for one metric; "1백만달러 / 663천달러 / 3백만달러" in a column
    assert fmt.column([112_400, 72_700], "천달러") == ["112.4백만달러", "72.7백만달러"]
    assert fmt.column([1_000, 663, 3_000], "천달러") == ["1,000천달러", "663천달러", "3,000천달러"]
    assert fmt.column([1_000, 1_700], "천달러") == ["1.0백만달러", "1.7백만달러"]
    # counts with ".0"
    assert fmt.column([406.0, 339.0], "개사") == ["406개사", "339개사"]
    assert fmt.frame_cells(pd.DataFrame({"회의 당시": [406.0], "현재": [339.0]})) == [["406", "339"]]
    assert fmt.unit_note(["백만달러", "%"]) == "(단위: 백만달러, %)"


# --- the pack's tables on the demo ------------------------------------------------------------------


@pytest.fixture(scope="module")
def briefing(demo_db):
    from metrics.briefing import build_briefing
    from warehouse.connection import connection

    with connection(demo_db, read_only=True) as con:
        return build_briefing(con, today=date(2026, 12, 1))


def _money_units(cells: list[str]) -> set[str]:
    return {re.sub(r"[\d,.+-]", "", c) for c in cells if "달러" in c or "USD" in c}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_packs_sector_tables_have_one_money_unit(briefing, lang):
    """Both pack formats take these rows (the outline's HWPX, the PDF's sector sheets)."""
    from briefing.html_writer import briefing_html
    from briefing.sections.sectors import sector_table

    html = briefing_html(briefing, lang=lang, demo=True)
    for sector in briefing.sectors:
        rows = sector_table(briefing, sector, lang).rows
        money = [c for r in rows for c in r[1:] if "달러" in c or "USD" in c]
        assert len(_money_units(money)) <= 1, money  # the whole table, so every row and column too
        for cell in money:
            assert cell in html  # the PDF's sheet prints the same cells
        decimals = {len(re.search(r"[\d,]+(?:\.(\d+))?", c).group(1) or "") for c in money}
        assert len(decimals) <= 1, money


def test_the_packs_restated_table_prints_counts_whole(briefing):
    from briefing.sections.since import since_section

    section = since_section(briefing, "ko")
    restated = [b for b in section.blocks if getattr(b, "key", None) == "restated"]
    assert restated, "the demo restates figures the council had seen"
    table = restated[0]
    for row in table.rows:
        cells = dict(zip(table.head, row, strict=True))
        for column in ("회의 당시", "현재"):
            assert not cells[column].endswith(".0"), row
        if cells["변화율(%)"] not in (fmt.DASH, "0.0"):
            assert cells["변화율(%)"][0] in "+-", row


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_packs_exceptions_table_has_one_money_unit_per_column(briefing, lang):
    """ "1백만달러 / 663천달러 / 3백만달러" in one column: the targets of missions at risk or behind."""
    from briefing.sections.exceptions import exception_rows

    rows = exception_rows(briefing, briefing.listed_exceptions, lang)
    for column in (4, 5):
        money = [r[column] for r in rows if "달러" in r[column] or "USD" in r[column]]
        assert money and len(_money_units(money)) == 1, money
