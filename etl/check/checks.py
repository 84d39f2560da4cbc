"""What can be wrong with a staged return, each problem pointing at its cell, in Korean first.

Checks run over the staged DuckDB tables (body_{n}, coded_{n}, tidy_{n}); each is one query, and
the costly ones first find whether anything is wrong at all before collecting the details.
"""

from datetime import date

import duckdb

from etl.check.rules import RULES, maxima, rule_case
from etl.problems import Problem, cell_ref, josa, problem, short
from etl.read.workbook import Book, SheetHead, error_cell
from etl.shape.normalise import Defaults, TableRows, period_text, unknown_code
from etl.shape.period import FIRST_DAY, current_quarter
from etl.shape.resolve import LABELS, name_of

MAX_PROBLEMS = 2000
SHOWN_FORMULA_CELLS = 20
FIGURE_KEYS = ("year", "quarter", "agency_code", "mission_code", "sector_code", "program_code", "metric_code")


def _more(n: int) -> tuple[str, str]:
    return (f" (같은 값 {n - 1}개 셀 더)", f" ({n - 1} more cells)") if n > 1 else ("", "")


def unknown_texts(stg: duckdb.DuckDBPyConnection, rows: TableRows) -> list[Problem]:
    """Names we cannot resolve, and period, basis or unit texts we cannot read, once per distinct text."""
    layout = rows.layout
    out: list[Problem] = []
    for field, parsed in rows.lookups.items():
        bad = [raw for raw, value in parsed.items() if value[0] is None and str(raw).strip()]
        if field == "unit":
            bad = [raw for raw, value in parsed.items() if value[1]]  # Korean won
        if not bad:
            continue
        found = stg.execute(
            f"""
            SELECT {field}_raw, min(_row), count(*) FROM {rows.coded}
            WHERE NOT is_total AND {field}_raw IN (SELECT unnest($texts)) GROUP BY 1 ORDER BY 2
            """,
            {"texts": bad},
        ).fetchall()
        col = layout.fields.get(field)
        for text, row, n in found:
            if field in ("agency", "mission", "sector", "program", "metric"):
                out.append(unknown_code(layout.sheet, row, col, field, text, n))
            elif field == "unit":
                out.append(won_problem(layout.sheet, row, col, text))
            elif field == "basis":
                out.append(_unreadable(layout.sheet, row, col, text, n, *_BASIS_WORDS))
            else:
                out.append(_unreadable(layout.sheet, row, col, text, n, *_PERIOD_WORDS[field]))
    return out


_PERIOD_WORDS = {
    "year": ("연도", "year", "연도는 2026처럼 네 자리로 적으세요.", "Write the year like 2026."),
    "quarter": (
        "분기",
        "quarter",
        "분기는 1~4 또는 '1분기'처럼 적으세요.",
        "Write the quarter as 1-4 or '1분기'.",
    ),
    "period": (
        "기간",
        "period",
        "기간은 '2026년 1분기', '2026 Q1'처럼 적거나 연도·분기 열로 나누세요.",
        "Write the period like '2026년 1분기' or '2026 Q1', or use 연도 and 분기 columns.",
    ),
}
_BASIS_WORDS = (
    "기준",
    "basis",
    "기준은 '분기 실적' 또는 '누계'로 적으세요.",
    "Write the basis as '분기 실적' (quarterly) or '누계' (year to date).",
)


def _unreadable(
    sheet: str, row: int, col: int | None, text: str, n: int, ko: str, en: str, fix_ko: str, fix_en: str
) -> Problem:
    more_ko, more_en = _more(n)
    return problem(
        sheet,
        row,
        col,
        f"{josa(ko, '을/를')} 읽을 수 없습니다: '{text}'{more_ko}.",
        f"cannot read the {en} '{text}'{more_en}",
        fix_ko,
        fix_en,
    )


def won_problem(sheet: str, row: int | None, col: int | None, text: str) -> Problem:
    return problem(
        sheet,
        row,
        col,
        f"원화 금액은 받을 수 없습니다 ('{text}'). 합의된 환율이 없어 달러로 바꿀 수 없습니다.",
        f"Korean won amounts are not accepted ('{text}'): no exchange rate is agreed",
        "금액을 미화 천달러로 환산해 입력하고, 단위를 '천달러'로 적으세요.",
        "Convert the amounts to USD thousand yourself and label the unit 천달러.",
    )


def won_headers(rows: TableRows) -> list[Problem]:
    layout = rows.layout
    out = [
        won_problem(layout.sheet, layout.header_rows[-1], col, h.text)
        for col, h in layout.metrics.items()
        if h.won
    ]
    if layout.note_won and layout.note_cell:
        out.append(won_problem(layout.sheet, *layout.note_cell, layout.note_text))
    return out


def repeated_metric_columns(rows: TableRows) -> list[Problem]:
    """Two columns of one table holding the same metric: every row would hold it twice."""
    layout = rows.layout
    first: dict[str, int] = {}
    out = []
    for col, header in sorted(layout.metrics.items()):
        if header.metric not in first:
            first[header.metric] = col
            continue
        metric_ko, metric_en = name_of("metric", header.metric)
        other = cell_ref(None, layout.header_rows[-1], first[header.metric])
        out.append(
            problem(
                layout.sheet,
                layout.header_rows[-1],
                col,
                f"같은 지표({metric_ko})의 열이 두 개 있습니다: {other} 열과 이 열.",
                f"two columns hold the same metric ({metric_en}): {other} and this one",
                "한 열로 합치세요. 분야나 공관별로 열을 나누었다면 분야·공관 열을 두고 행으로 나누어 적으세요.",
                "Merge them into one column; if they split the figures by sector or mission, use a sector or "
                "mission column and one row each instead.",
            )
        )
    return out


_MISSING_FIX = {
    "year": (
        "연도 열을 넣거나 제목에 '2026년 1분기'처럼 기간을 적으세요.",
        "Add a 연도 column or a title like '2026년 1분기'.",
    ),
    "quarter": (
        "분기 열을 넣거나 제목에 '2026년 1분기'처럼 기간을 적으세요.",
        "Add a 분기 column or a title like '2026년 1분기'.",
    ),
    "agency": (
        "주관기관 열을 넣거나 표 위에 '보고기관: 외교부'처럼 적으세요.",
        "Add an agency column or a cover cell such as '보고기관: 외교부'.",
    ),
    "mission": ("공관 열을 넣거나 표 위에 '공관: 주베트남 대사관'처럼 적으세요.", "Add a mission column."),
    "sector": ("분야 열을 넣으세요 (K-뷰티, 바이오, IT, 친환경, 기타).", "Add a sector column."),
    "metric": ("지표 열에 지표 이름을 적으세요.", "Fill in the metric name."),
}


def missing(stg: duckdb.DuckDBPyConnection, rows: TableRows) -> list[Problem]:
    """Rows with figures but without a mission, sector, agency, metric or period: once per column."""
    layout = rows.layout
    kinds = [("mission", "mission_code"), ("sector", "sector_code"), ("agency", "agency_code")]
    kinds += [("year", "year"), ("quarter", "quarter")]
    if layout.kind == "long":
        kinds.append(("metric", "metric_code"))
    conditions = {}
    for kind, column in kinds:
        raws = [f"{f}_raw IS NULL" for f in (kind, "period") if f"{f}_raw" in rows.columns]
        if kind not in ("year", "quarter"):
            raws = raws[:1]
        conditions[kind] = " AND ".join([f"{column} IS NULL", *raws])
    has_value = "coalesce(" + ", ".join(rows.value_columns) + ") IS NOT NULL"
    selects = ", ".join(
        f"count(*) FILTER (WHERE {cond}), min(_row) FILTER (WHERE {cond})" for cond in conditions.values()
    )
    counts = stg.execute(f"SELECT {selects} FROM {rows.coded} WHERE NOT is_total AND {has_value}").fetchall()[
        0
    ]
    found = {kind: (counts[2 * i], counts[2 * i + 1]) for i, kind in enumerate(conditions)}
    out = []
    absent = {k for k, (n, _) in found.items() if n and k not in layout.fields}
    if {"year", "quarter"} <= absent and "period" not in layout.fields:
        # Neither is given anywhere: one problem for the period, not two.
        out.append(
            problem(
                layout.sheet,
                layout.header_rows[-1],
                None,
                "보고 기간(연도·분기) 정보가 없습니다: 연도·분기 열도, 제목이나 표지에 적힌 기간도 없습니다.",
                "no reporting period: neither year and quarter columns nor the title or a cover cell give it",
                "제목에 '2026년 1분기 실적'처럼 기간을 적거나, 연도·분기 열을 넣으세요.",
                "State the period in the title, like '2026년 1분기 실적', or add 연도 and 분기 columns.",
            )
        )
        del found["year"], found["quarter"]
    for kind, (n, first) in found.items():
        if not n:
            continue
        ko, en = LABELS[kind]
        fix_ko, fix_en = _MISSING_FIX[kind]
        col = layout.fields.get(kind)
        if col is not None:
            out.append(
                problem(
                    layout.sheet,
                    first,
                    col,
                    f"{josa(ko, '이/가')} 비어 있습니다" + (f" (이 열의 {n}개 행)" if n > 1 else "") + ".",
                    f"missing {en}" + (f" in {n} rows" if n > 1 else ""),
                    f"실적이 있는 모든 행에 {josa(ko, '을/를')} 적으세요.",
                    f"Fill in the {en} on every row that has figures.",
                )
            )
        else:
            out.append(
                problem(
                    layout.sheet,
                    layout.header_rows[-1],
                    None,
                    f"{ko} 정보가 없습니다: {ko} 열도, 제목이나 표지에 적힌 {ko}도 없습니다.",
                    f"no {en}: neither a column nor the title or a cover cell gives it",
                    fix_ko,
                    fix_en,
                )
            )
    return out


def contradicting_periods(stg: duckdb.DuckDBPyConnection, rows: TableRows, found: Defaults) -> list[Problem]:
    """Year, quarter or period columns that disagree with the period the title or cover states."""
    layout = rows.layout
    columns = [f for f in ("year", "quarter", "period") if f"{f}_raw" in rows.columns]
    if found.stated_at is None or not columns:
        return []
    clash = []
    if found.year is not None:
        clash.append(f"year <> {int(found.year)}")
    if found.quarter is not None:
        clash.append(f"quarter <> {int(found.quarter)}")
    if not clash:
        return []
    given = " OR ".join(f"{f}_raw IS NOT NULL" for f in columns)
    found_rows = stg.execute(f"""
        SELECT year, quarter, min(_row), count(*) FROM {rows.coded}
        WHERE NOT is_total AND ({given}) AND ({" OR ".join(clash)})
        GROUP BY 1, 2 ORDER BY 3
    """).fetchall()
    stated_ko, stated_en = period_text(found.year, found.quarter)
    title_ref = cell_ref(layout.sheet, *found.stated_at)
    col = layout.fields.get("quarter", layout.fields.get("period", layout.fields.get("year")))
    out = []
    for year, quarter, row, n in found_rows:
        row_ko, row_en = period_text(year, quarter)
        out.append(
            problem(
                layout.sheet,
                row,
                col,
                f"보고 기간이 서로 다릅니다: 제목·표지({title_ref})에는 {stated_ko}, 이 행에는 {josa(row_ko, '으로/로')} 적혀 "
                f"있습니다{f' (같은 기간 {n - 1}개 행 더)' if n > 1 else ''}.",
                f"contradictory period: {title_ref} says {stated_en}, this row says {row_en}"
                + (f" ({n - 1} more rows)" if n > 1 else ""),
                "제목·표지의 기간과 연도·분기 열을 같게 고치세요. 여러 분기를 함께 보낼 때는 제목에서 분기를 빼세요.",
                "Make the title or cover and the year/quarter columns agree; for several quarters, leave the "
                "quarter out of the title.",
            )
        )
    return out


def periods(stg: duckdb.DuckDBPyConnection, rows: TableRows, found: Defaults, today: date) -> list[Problem]:
    """Quarters that have not begun yet, or cannot exist."""
    year_now, quarter_now = current_quarter(today)
    layout = rows.layout
    bad = stg.execute(f"""
        SELECT year, quarter, min(_row) FROM {rows.coded}
        WHERE NOT is_total AND year IS NOT NULL AND quarter IS NOT NULL
        GROUP BY 1, 2
        HAVING year * 10 + quarter > {year_now * 10 + quarter_now} OR year < {FIRST_DAY.year} OR quarter NOT BETWEEN 1 AND 4
        ORDER BY 3
    """).fetchall()
    out = []
    for year, quarter, row in bad:
        # The cell of what is wrong: the year when it lies outside the years allowed, else the quarter.
        wrong_year = year < FIRST_DAY.year or year > year_now
        order = ("year", "period", "quarter") if wrong_year else ("quarter", "period", "year")
        col = next((layout.fields[f] for f in order if f in layout.fields), None)
        # With no period column the period came from the title or cover: point there.
        where = (row, col) if col is not None else (found.stated_at or (row, None))
        if 1 <= quarter <= 4 and year >= FIRST_DAY.year:
            message_ko = (
                f"아직 시작되지 않은 분기입니다: {year}년 {quarter}분기 "
                f"(오늘 기준 {year_now}년 {quarter_now}분기까지 적재할 수 있습니다)."
            )
            message_en = (
                f"future quarter {year} Q{quarter} (the latest allowed today is {year_now} Q{quarter_now})"
            )
        else:
            message_ko, message_en = (
                f"있을 수 없는 기간입니다: {year}년 {quarter}분기.",
                f"impossible period {year} Q{quarter}",
            )
        out.append(
            problem(
                layout.sheet,
                *where,
                message_ko,
                message_en,
                "보고 연도와 분기를 확인하세요.",
                "Check the reporting year and quarter.",
            )
        )
    return out


def rules(stg: duckdb.DuckDBPyConnection, tidy: str) -> list[Problem]:
    """Every figure that breaks a rule of etl.check.rules, in one scan."""
    found = stg.execute(f"""
        SELECT source_sheet, _row, col, value_raw, reported_value, metric_code, rule FROM (
            SELECT source_sheet, _row, col, value_raw, reported_value, metric_code, {rule_case()} AS rule
            FROM {tidy}
        ) WHERE rule IS NOT NULL
        ORDER BY source_sheet, _row, col LIMIT {MAX_PROBLEMS}
    """).fetchall()
    out = []
    for sheet, row, col, text, number, metric, index in found:
        rule = RULES[index]
        if text is None:  # read as a number
            number = float(number)
            text = f"{number:,.0f}" if number.is_integer() and abs(number) < 1e15 else f"{number:,.6g}"
        metric_ko, metric_en = name_of("metric", metric)
        maximum = maxima().get(metric)
        words = {
            "text": short(text),
            "metric_ko": metric_ko,
            "metric_en": metric_en,
            "metric_topic": josa(metric_ko, "은/는"),
            "maximum": f"{maximum:,.0f}" if maximum is not None else "",
        }
        out.append(
            problem(
                sheet,
                row,
                col,
                rule.message_ko.format(**words),
                rule.message_en.format(**words),
                rule.fix_ko,
                rule.fix_en,
            )
        )
    return out


def duplicates(stg: duckdb.DuckDBPyConnection, tables: list[TableRows]) -> list[Problem]:
    """The same mission, sector, program and metric more than once in a quarter: one problem per set of rows.

    Rows are compared first (a fifth of the figures in a wide table): only where two rows share
    their keys, or a long table repeats a metric, are the figures themselves compared.
    """
    keys = ", ".join(FIGURE_KEYS)
    row_keys = ", ".join(FIGURE_KEYS[:6])
    rows = " UNION ALL ".join(
        f"SELECT {row_keys}, {'metric_code' if t.layout.kind == 'long' else 'NULL'} AS metric_code "
        f"FROM {t.coded} WHERE NOT is_total"
        for t in tables
    )
    # Wide rows carry no metric (NULL): two rows with the same keys share every metric column.
    has_long = any(t.layout.kind == "long" for t in tables)
    distinct_metrics = "AND count(*) > count(DISTINCT metric_code)" if has_long else ""
    stg.execute(f"""
        CREATE OR REPLACE TEMP TABLE duplicate_candidates AS
        SELECT {row_keys} FROM ({rows})
        WHERE mission_code IS NOT NULL AND sector_code IS NOT NULL
        GROUP BY ALL HAVING count(*) > 1 {distinct_metrics}
    """)
    if not stg.execute("SELECT count(*) FROM duplicate_candidates").fetchall()[0][0]:
        return []
    figures = " UNION ALL BY NAME ".join(f"SELECT * FROM {t.tidy}" for t in tables)
    found = stg.execute(f"""
        WITH figures AS (
            SELECT * FROM ({figures}) SEMI JOIN duplicate_candidates USING ({row_keys})
        ),
        twice AS (
            SELECT {keys} FROM figures
            WHERE metric_code IS NOT NULL
            GROUP BY ALL HAVING count(*) > 1
            LIMIT {MAX_PROBLEMS}
        )
        SELECT {keys}, list((source_sheet, _row, col) ORDER BY source_sheet, _row, col) AS cells
        FROM figures JOIN twice USING ({keys})
        GROUP BY ALL
    """).fetchall()
    # A wide table repeats a whole row: report the rows once, with the metrics they share.
    groups: dict[tuple, list] = {}
    for *key, cells in found:
        rows_key = tuple((sheet, row) for sheet, row, _ in cells)
        entry = groups.setdefault((rows_key, *key[:6]), [cells[0], []])
        entry[0] = min(entry[0], cells[0])
        entry[1].append((cells[0][2], key[6]))
    out = []
    for (rows_key, year, quarter, _agency, mission, sector, program), (first, metrics) in sorted(
        groups.items(), key=lambda g: g[0][0]
    ):
        sheet, row, col = first
        others_ko = ", ".join(f"{s}!{r}행" if s != sheet else f"{r}행" for s, r in rows_key[1:6])
        others_en = ", ".join(f"{s}!{r}:{r}" if s != sheet else f"row {r}" for s, r in rows_key[1:6])
        more = len(rows_key) - 6
        names = [name_of(k, c) for k, c in (("mission", mission), ("sector", sector), ("program", program))]
        metric_names = [name_of("metric", m) for _, m in sorted(metrics)]
        out.append(
            problem(
                sheet,
                row,
                col,
                f"같은 공관·분야·사업·지표의 실적이 두 번 이상 있습니다: {year}년 {quarter}분기 "
                f"{' · '.join(n[0] for n in names)} ({', '.join(m[0] for m in metric_names)}) — "
                f"{others_ko}{f' 외 {more}곳' if more > 0 else ''}과 중복.",
                f"the same mission, sector, program and metric more than once: {year} Q{quarter} "
                f"{', '.join(n[1] for n in names)} ({', '.join(m[1] for m in metric_names)}), also in {others_en}",
                "중복된 행을 하나로 합치거나 지우세요. 사업이 다르면 사업 열에 구분해 적으세요.",
                "Merge the rows into one or delete the duplicate; if the programs differ, say so in the program "
                "column.",
            )
        )
    return out


def formulas(grid: SheetHead) -> list[Problem]:
    """Formula cells saved without their result: every reader would see them empty."""
    cells = sorted(grid.uncached)
    if not cells:
        return []
    out = [
        problem(
            grid.name,
            row,
            col,
            "수식의 계산 결과가 저장되어 있지 않아 값을 읽을 수 없습니다.",
            "a formula saved without its calculated value, so its value cannot be read",
            "Excel에서 파일을 열어 계산이 끝난 뒤 저장하거나, 수식 셀을 복사해 '값으로 붙여넣기' 하세요.",
            "Open the file in Excel and save it (Excel stores the results), or paste the cells as values.",
        )
        for row, col in cells[:SHOWN_FORMULA_CELLS]
    ]
    if len(cells) > SHOWN_FORMULA_CELLS:
        rest = len(cells) - SHOWN_FORMULA_CELLS
        out.append(
            problem(
                grid.name,
                None,
                None,
                f"계산 결과가 없는 수식 셀이 {rest}개 더 있습니다.",
                f"{rest} more formula cells without a calculated value",
                "Excel에서 파일을 열어 저장한 뒤 다시 제출하세요.",
                "Open the file in Excel, save it and submit again.",
            )
        )
    return out


def error_cells(head: SheetHead, first_row: int, figure_columns: list[int]) -> list[Problem]:
    """Figure cells holding an error value (#DIV/0!, #N/A …): a reader sees them empty, i.e. 'not reported'."""
    columns = set(figure_columns)
    cells = sorted((r, c, v) for r, c, v in head.errors if r >= first_row and c in columns)
    out = []
    for row, col, value in cells[:SHOWN_FORMULA_CELLS]:
        out.append(error_cell(head.name, row, col, value, ("실적 셀", "figure cell")))
    if len(cells) > SHOWN_FORMULA_CELLS:
        rest = len(cells) - SHOWN_FORMULA_CELLS
        out.append(
            problem(
                head.name,
                None,
                None,
                f"오류 값이 든 실적 셀이 {rest}개 더 있습니다.",
                f"{rest} more figure cells holding an error value",
                "Excel에서 오류 값(#DIV/0!, #N/A 등)을 모두 고친 뒤 다시 제출하세요.",
                "Fix every error value (#DIV/0!, #N/A …) in Excel and submit again.",
            )
        )
    return out


def no_figures() -> Problem:
    return problem(
        None,
        None,
        None,
        "실적 값이 하나도 없습니다.",
        "the file holds no figures",
        "실적 표에 숫자를 입력한 뒤 다시 제출하세요.",
        "Fill in the figures and submit again.",
    )


def no_table(book: Book) -> Problem:
    if book.empty:
        return problem(
            None,
            None,
            None,
            "빈 통합문서입니다: 어느 시트에도 내용이 없습니다.",
            "the workbook is empty: no sheet has any content",
            "실적 표를 작성해 저장한 뒤 다시 제출하세요. 공식 양식은 'python -m etl template'으로 받을 수 있습니다.",
            "Fill in the results table, save and submit again (the official template: python -m etl template).",
        )
    names = ", ".join(h.name for h in book.heads) or "(없음)"
    return problem(
        None,
        None,
        None,
        f"실적 표의 머리글(열 이름) 행을 찾지 못했습니다. 살펴본 시트: {names}.",
        f"no recognisable header row of a results table in any sheet ({names})",
        "공관·분야 열과 지표 열(예: 지원기업 수, 수출계약액(천달러))이 있는 머리글 행을 넣거나, 지표·실적 열로 "
        "된 표를 만드세요. 공식 양식을 쓰면 가장 확실합니다.",
        "Add a header row with mission and sector columns and metric columns (e.g. 지원기업 수), or 지표 and "
        "실적 columns; the official template is safest.",
    )
