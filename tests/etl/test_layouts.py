"""Returns as analysts actually send them: each layout is a real .xlsx, loaded, and its stored
figures checked in the warehouse's `results` view (canonical units, quarterly)."""

import pytest

from etl import intake
from etl.shape.normalise import Defaults
from tests.support.xlsx import as_excel_saves_it, cache_formula_results, workbook, write_xlsx

EMB = "재외공관 협업 중소벤처기업 글로벌 진출사업"


def results(con) -> dict[tuple, float]:
    rows = con.execute(
        "SELECT year, quarter, agency_code, mission_code, sector_code, program_code, metric_code, value FROM results"
    ).fetchall()
    return {tuple(r[:7]): r[7] for r in rows}


def cell_of(con, mission: str, sector: str, metric: str) -> str:
    return con.execute(
        "SELECT source_sheet || '!' || source_cell FROM results_lineage "
        "WHERE mission_code = ? AND sector_code = ? AND metric_code = ?",
        [mission, sector, metric],
    ).fetchall()[0][0]


def warnings_of(loaded) -> list:
    return loaded.result.warnings or []


def test_title_unit_note_cover_and_blank_rows_above_the_header(con, tmp_path):
    path = write_xlsx(
        tmp_path / "mofa.xlsx",
        [
            ["2026년 1/4분기 재외공관 협업 중소벤처기업 글로벌 진출사업 실적 보고"],
            ["(단위: 개사, 건, 천달러)"],
            ["보고기관", "외교부"],
            [],
            [],
            ["공관", "분야", "사업", "지원기업 수", "바이어 상담", "수출계약액"],
            ["주베트남 대사관", "K-뷰티", EMB, 12, 40, 250.5],
            ["주호치민 총영사관", "바이오", EMB, 5, None, 0],
        ],
    )
    intake.load(con, path, intake.Actor(None))
    assert results(con) == {
        (2026, 1, "mofa", "VN-HAN", "kbeauty", "emb_collab", "firms_supported"): 12,
        (2026, 1, "mofa", "VN-HAN", "kbeauty", "emb_collab", "buyer_meetings"): 40,
        (2026, 1, "mofa", "VN-HAN", "kbeauty", "emb_collab", "export_value"): 250.5,
        (2026, 1, "mofa", "VN-SGN", "bio", "emb_collab", "firms_supported"): 5,
        (2026, 1, "mofa", "VN-SGN", "bio", "emb_collab", "export_value"): 0,
    }
    assert cell_of(con, "VN-HAN", "kbeauty", "export_value") == "실적!F7"


def test_two_row_header_with_merged_cells(con, tmp_path):
    path = write_xlsx(
        tmp_path / "mss.xlsx",
        [
            ["2026 Q1 실적 (중소벤처기업부)"],
            ["보고기관: 중기부"],
            ["공관", "분야", "지원기업 수", "수출계약", None, "투자유치액(백만달러)"],
            [None, None, None, "건수", "금액(천달러)", None],
            ["주싱가포르 대사관", "IT", 8, 2, 120, 1.5],
            ["주인도네시아 대사관", "친환경", 3, 0, 0, None],
        ],
        merges=("A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:F4"),
    )
    intake.load(con, path, intake.Actor(None))
    got = results(con)
    assert got[(2026, 1, "mss", "SG-SIN", "it", "emb_collab", "export_contracts")] == 2
    assert got[(2026, 1, "mss", "SG-SIN", "it", "emb_collab", "export_value")] == 120
    assert got[(2026, 1, "mss", "SG-SIN", "it", "emb_collab", "investment_value")] == 1500
    assert got[(2026, 1, "mss", "ID-JKT", "green", "emb_collab", "export_contracts")] == 0
    assert len(got) == 7
    assert cell_of(con, "SG-SIN", "it", "export_value") == "실적!E5"


def test_english_and_code_headers_in_any_order_with_units(con, tmp_path):
    path = write_xlsx(
        tmp_path / "english.xlsx",
        [
            [
                "Export contract value (USD)",
                "Sector",
                "mission_code",
                "firms_supported",
                "Buyer consultations",
                "Year",
                "Quarter",
                "Agency",
                "Program",
            ],
            [45_000, "K-Beauty", "US-LAX", 6, 30, 2025, "Q4", "KOSME", "Global Business Center"],
            [1_200, "Bio", "JP-TYO", 2, None, 2025, "Q4", "KOSME", "gbc"],
        ],
        sheet="Results",
    )
    intake.load(con, path, intake.Actor(None))
    assert results(con) == {
        (2025, 4, "kosme", "US-LAX", "kbeauty", "gbc", "export_value"): 45.0,
        (2025, 4, "kosme", "US-LAX", "kbeauty", "gbc", "firms_supported"): 6,
        (2025, 4, "kosme", "US-LAX", "kbeauty", "gbc", "buyer_meetings"): 30,
        (2025, 4, "kosme", "JP-TYO", "bio", "gbc", "export_value"): 1.2,
        (2025, 4, "kosme", "JP-TYO", "bio", "gbc", "firms_supported"): 2,
    }


def test_long_table_with_units_in_a_column(con, tmp_path):
    path = write_xlsx(
        tmp_path / "long.xlsx",
        [
            ["2025년 3분기 실적", None, None, None, None],
            ["공관", "분야", "지표", "실적", "단위"],
            ["주케냐 대사관", "친환경", "수출계약액", 2.5, "백만달러"],
            ["주케냐 대사관", "친환경", "투자유치액", 80_000, "달러"],
            ["주케냐 대사관", "친환경", "지원기업 수", 4, "개사"],
            ["주이집트 대사관", "바이오", "수출계약액", 300, "천달러"],
        ],
    )
    intake.load(con, path, intake.Actor(None), defaults=Defaults(agency="koica", program="CTS"))
    assert results(con) == {
        (2025, 3, "koica", "KE-NBO", "green", "koica_cts", "export_value"): 2500,
        (2025, 3, "koica", "KE-NBO", "green", "koica_cts", "investment_value"): 80,
        (2025, 3, "koica", "KE-NBO", "green", "koica_cts", "firms_supported"): 4,
        (2025, 3, "koica", "EG-CAI", "bio", "koica_cts", "export_value"): 300,
    }


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("2025년 3분기 실적 보고", (2025, 3)),
        ("2025년 2/4분기 실적 보고", (2025, 2)),
        ("'25.4Q 실적", (2025, 4)),
        ("실적 보고 (2026 Q1)", (2026, 1)),
    ],
)
def test_period_in_the_title(con, tmp_path, title, period):
    path = write_xlsx(
        tmp_path / "t.xlsx",
        [[title], ["보고기관: 창진원"], ["공관", "분야", "지원기업 수"], ["호치민", "IT", 3]],
    )
    intake.load(con, path, intake.Actor(None))
    assert results(con) == {(*period, "kised", "VN-SGN", "it", "emb_collab", "firms_supported"): 3}


@pytest.mark.parametrize(
    "cover",
    [
        [["보고기간: 2025년 4분기", None, "보고기관: 코이카"]],
        [["연도", 2025, "분기", "4분기", "주관기관", "KOICA"]],
    ],
    ids=["period-cell", "year-and-quarter-cells"],
)
def test_period_in_cover_cells(con, tmp_path, cover):
    path = write_xlsx(
        tmp_path / "c.xlsx", [*cover, [], ["공관", "분야", "지원기업 수"], ["나이로비", "그린", 7]]
    )
    intake.load(con, path, intake.Actor(None))
    assert results(con) == {(2025, 4, "koica", "KE-NBO", "green", "emb_collab", "firms_supported"): 7}


def test_back_fill_with_period_columns_over_many_quarters(con, tmp_path):
    path = write_xlsx(
        tmp_path / "backfill.xlsx",
        [
            ["기간", "주관기관", "공관", "분야", "사업", "지원기업 수"],
            ["2025 Q3", "중진공", "LA", "K-뷰티", "수출바우처", 4],
            ["2025년 4분기", "중진공", "LA", "K-뷰티", "수출바우처", 5],
            ["'26.1Q", "중진공", "LA", "K-뷰티", "수출바우처", 6],
        ],
    )
    intake.load(con, path, intake.Actor(None))
    assert results(con) == {
        (2025, 3, "kosme", "US-LAX", "kbeauty", "export_voucher", "firms_supported"): 4,
        (2025, 4, "kosme", "US-LAX", "kbeauty", "export_voucher", "firms_supported"): 5,
        (2026, 1, "kosme", "US-LAX", "kbeauty", "export_voucher", "firms_supported"): 6,
    }


def _quarter(path, quarter: int, firms: int, title_extra: str = "", cover=(), sat=None):
    rows = [[f"2026년 {quarter}분기 실적 {title_extra}".strip()], ["보고기관: 외교부"], list(cover)]
    rows += [["공관", "분야", "지원기업 수", "만족도"], ["주프랑스 대사관", "K-뷰티", firms, sat]]
    return write_xlsx(path, rows)


def test_cumulative_in_the_title_becomes_quarterly_from_earlier_quarters(con, tmp_path):
    intake.load(con, _quarter(tmp_path / "q1.xlsx", 1, 10, sat=80), intake.Actor(None))
    loaded = intake.load(con, _quarter(tmp_path / "q2.xlsx", 2, 25, "(누계)", sat=90), intake.Actor(None))
    intake.load(con, _quarter(tmp_path / "q3.xlsx", 3, 31, cover=["기준", "누계"]), intake.Actor(None))
    key = ("mofa", "FR-PAR", "kbeauty", "emb_collab")
    got = results(con)
    assert got[(2026, 1, *key, "firms_supported")] == 10
    assert got[(2026, 2, *key, "firms_supported")] == 15  # 25 year to date − 10 in Q1
    assert got[(2026, 3, *key, "firms_supported")] == 6  # 31 − (10 + 15)
    # a score's 누계 is the year-to-date mean: Q2's own score makes (80 × 10 + s × 15) ÷ 25 = 90
    assert got[(2026, 2, *key, "satisfaction")] == pytest.approx((90 * 25 - 80 * 10) / 15)
    assert not [w for w in warnings_of(loaded) if "누계" in w.message_ko]
    reported = con.execute(
        "SELECT reported_value FROM results_lineage WHERE quarter = 3 AND metric_code = 'firms_supported'"
    ).fetchall()
    assert reported == [(31.0,)]


def test_cumulative_basis_column_in_a_back_fill(con, tmp_path):
    path = write_xlsx(
        tmp_path / "ytd.xlsx",
        [
            ["연도", "분기", "기준", "주관기관", "공관", "분야", "지원기업 수", "수출계약액(천달러)"],
            [2026, 1, "누계", "mss", "VN-HAN", "bio", 4, 100],
            [2026, 2, "누계", "mss", "VN-HAN", "bio", 9, 250],
            [2026, 3, "누계", "mss", "VN-HAN", "bio", 9, 400],
        ],
    )
    intake.load(con, path, intake.Actor(None))
    got = results(con)
    base = ("mss", "VN-HAN", "bio", "emb_collab")
    assert [got[(2026, q, *base, "firms_supported")] for q in (1, 2, 3)] == [4, 5, 0]
    assert [got[(2026, q, *base, "export_value")] for q in (1, 2, 3)] == [100, 150, 150]


def test_cumulative_with_an_earlier_quarter_missing_is_stored_with_a_warning(con, tmp_path):
    loaded = intake.load(con, _quarter(tmp_path / "q2.xlsx", 2, 25, "누계 실적"), intake.Actor(None))
    assert results(con)[(2026, 2, "mofa", "FR-PAR", "kbeauty", "emb_collab", "firms_supported")] == 25
    warning = next(w for w in warnings_of(loaded) if "1분기 실적이 없어" in w.message_ko)
    assert warning.severity == "warning" and "주프랑스 대사관(외교부)" in warning.message_ko


def test_numbers_as_text_dashes_and_empty_cells(con, tmp_path):
    path = write_xlsx(
        tmp_path / "text.xlsx",
        [
            ["2026년 1분기", None, None, None, None, None],
            ["보고기관: 외교부"],
            ["공관", "분야", "지원기업 수", "바이어 상담", "수출계약액(천달러)", "MOU 체결"],
            ["베트남", "K-뷰티", "1,234", " 1 234 ", "１，２３４．５", "-"],
            ["호치민", "바이오", "   ", "", None, "－"],
        ],
    )
    intake.load(con, path, intake.Actor(None))
    got = results(con)
    assert got == {
        (2026, 1, "mofa", "VN-HAN", "kbeauty", "emb_collab", "firms_supported"): 1234,
        (2026, 1, "mofa", "VN-HAN", "kbeauty", "emb_collab", "buyer_meetings"): 1234,
        (2026, 1, "mofa", "VN-HAN", "kbeauty", "emb_collab", "export_value"): 1234.5,
        (2026, 1, "mofa", "VN-HAN", "kbeauty", "emb_collab", "mou_signed"): 0,
        (2026, 1, "mofa", "VN-SGN", "bio", "emb_collab", "mou_signed"): 0,
    }


@pytest.mark.parametrize(
    ("header", "note", "factor"),
    [
        ("수출계약액(달러)", None, 0.001),
        ("수출계약액 (천달러)", None, 1),
        ("수출계약액(백만달러)", None, 1000),
        ("수출계약액", "(단위: 개사, 백만달러)", 1000),
        ("Export value (USD thousand)", None, 1),
    ],
)
def test_money_units_in_the_header_or_the_unit_note(con, tmp_path, header, note, factor):
    path = write_xlsx(
        tmp_path / "money.xlsx",
        [
            ["2026년 1분기"],
            [note],
            ["보고기관: 중기부"],
            ["공관", "분야", "지원기업 수", header],
            ["뭄바이", "IT", 2, 1500],
        ],
    )
    intake.load(con, path, intake.Actor(None))
    got = results(con)
    assert got[(2026, 1, "mss", "IN-BOM", "it", "emb_collab", "export_value")] == pytest.approx(1500 * factor)
    assert got[(2026, 1, "mss", "IN-BOM", "it", "emb_collab", "firms_supported")] == 2


def test_subtotals_totals_and_footnotes_are_left_out_and_totals_checked(con, tmp_path):
    path = write_xlsx(
        tmp_path / "totals.xlsx",
        [
            ["2026년 1분기 실적"],
            ["보고기관: 외교부"],
            ["공관", "분야", "지원기업 수", "수출계약액(천달러)"],
            ["합계", None, 20, 300],  # grand total on top
            ["주베트남 대사관", "K-뷰티", 5, 100],
            ["주베트남 대사관", "바이오", 3, 50],
            ["주베트남 대사관", "소계", 8, 150],
            ["주태국 대사관", "K-뷰티", 7, 100],
            ["주태국 대사관", "IT", 5, 50],
            ["계", None, 12, 151],  # subtotal of the two rows above, 1 off
            ["Total", None, 20, 300],
            ["※ 수출계약액은 계약 체결 기준입니다.", None, None, None],
            ["* 2026.4.5. 기준", None, None, None],
            ["주) 만족도 조사는 하반기에 실시", None, None, None],
        ],
    )
    loaded = intake.load(con, path, intake.Actor(None))
    got = results(con)
    assert len(got) == 8
    assert got[(2026, 1, "mofa", "TH-BKK", "it", "emb_collab", "export_value")] == 50
    assert sum(v for k, v in got.items() if k[-1] == "firms_supported") == 20
    mismatches = [w for w in warnings_of(loaded) if "합계가 맞지 않습니다" in w.message_ko]
    assert [w.where for w in mismatches] == ["실적!D10"]
    assert "151" in mismatches[0].message_ko and "150" in mismatches[0].message_ko


def test_several_data_sheets_instruction_and_hidden_sheets_passed_over(con, tmp_path):
    header = ["공관", "분야", "사업", "지원기업 수"]
    path = workbook(
        tmp_path / "sheets.xlsx",
        {
            "작성안내": [
                ["작성 방법"],
                ["1. 공관, 분야, 지원기업 수를 적으세요."],
                ["공관", "분야", "지원기업 수"],
            ],
            "K-뷰티": [
                ["2026년 1분기 · 보고기관: 중진공"],
                ["보고기관: 중진공"],
                header,
                ["두바이", "K-뷰티", "GBC", 3],
            ],
            "바이오": [
                ["2026년 1분기"],
                ["보고기관: 중진공"],
                header,
                ["Dubai", "바이오헬스", "수출바우처", 2],
            ],
            "목록": [["공관"], ["주베트남 대사관"], ["분야"], ["K-뷰티"]],
        },
        hidden=("목록",),
    )
    intake.load(con, path, intake.Actor(None))
    assert results(con) == {
        (2026, 1, "kosme", "AE-DXB", "kbeauty", "gbc", "firms_supported"): 3,
        (2026, 1, "kosme", "AE-DXB", "bio", "export_voucher", "firms_supported"): 2,
    }
    assert cell_of(con, "AE-DXB", "bio", "firms_supported") == "바이오!D4"


@pytest.mark.parametrize(
    ("mission", "sector", "agency", "expected"),
    [
        ("VN-HAN", "K-Beauty", "MSS", ("mss", "VN-HAN", "kbeauty")),
        ("주베트남대사관", "케이뷰티", "중기부", ("mss", "VN-HAN", "kbeauty")),
        ("호치민", "화장품", "중소벤처기업부", ("mss", "VN-SGN", "kbeauty")),
        ("Embassy in Viet Nam", "ICT", "Ministry of SMEs and Startups", ("mss", "VN-HAN", "it")),
        ("Consulate General in Los Angeles", "정보통신", "중진공", ("kosme", "US-LAX", "it")),
        ("주 상하이 총영사관", "그린", "KOSME", ("kosme", "CN-SHA", "green")),
        ("상하이", "녹색", "외교부", ("mofa", "CN-SHA", "green")),
        ("주LA 총영사관", "환경", "코이카", ("koica", "US-LAX", "green")),
        ("주하노이대사관", "뷰티", "MOFA", ("mofa", "VN-HAN", "kbeauty")),
    ],
)
def test_names_in_the_spellings_returns_use(con, tmp_path, mission, sector, agency, expected):
    path = write_xlsx(
        tmp_path / "names.xlsx",
        [["2026년 1분기"], ["주관기관", "공관", "분야", "지원기업 수"], [agency, mission, sector, 1]],
    )
    intake.load(con, path, intake.Actor(None))
    assert results(con) == {
        (2026, 1, expected[0], expected[1], expected[2], "emb_collab", "firms_supported"): 1
    }


def test_unknown_extra_columns_are_ignored_with_a_warning(con, tmp_path):
    path = write_xlsx(
        tmp_path / "extra.xlsx",
        [
            ["2026년 1분기"],
            ["보고기관: 외교부"],
            ["연번", "공관", "분야", "담당자", "지원기업 수", "비고"],
            [1, "베트남", "IT", "홍길동", 3, "신규 2개사"],
        ],
    )
    loaded = intake.load(con, path, intake.Actor(None))
    assert results(con) == {(2026, 1, "mofa", "VN-HAN", "it", "emb_collab", "firms_supported"): 3}
    unknown = [w for w in warnings_of(loaded) if "알 수 없는 열" in w.message_ko]
    assert sorted(w.where for w in unknown) == ["실적!A3", "실적!D3"]
    assert all(w.severity == "warning" for w in unknown)


def test_workbook_as_excel_saves_it_shared_strings_rich_text_and_formula_results(con, tmp_path):
    path = write_xlsx(
        tmp_path / "excel.xlsx",
        [
            ["2026년 1분기 실적 보고"],
            ["보고기관", "외교부"],
            ["공관", "분야", "지원기업 수", "수출계약액(천달러)"],
            ["주베트남 대사관", "K-뷰티", 12, 250],
            ["주호치민 총영사관", "바이오", "=C4*2", 100],
            ["합계", None, "=SUM(C4:C5)", "=SUM(D4:D5)"],
        ],
    )
    as_excel_saves_it(path, rich=("주베트남 대사관", "수출계약액(천달러)"))
    cache_formula_results(path, {"C5": 24, "C6": 36, "D6": 350})
    loaded = intake.load(con, path, intake.Actor(None))
    assert results(con) == {
        (2026, 1, "mofa", "VN-HAN", "kbeauty", "emb_collab", "firms_supported"): 12,
        (2026, 1, "mofa", "VN-HAN", "kbeauty", "emb_collab", "export_value"): 250,
        (2026, 1, "mofa", "VN-SGN", "bio", "emb_collab", "firms_supported"): 24,
        (2026, 1, "mofa", "VN-SGN", "bio", "emb_collab", "export_value"): 100,
    }
    assert not [w for w in warnings_of(loaded) if "합계" in w.message_ko]


def test_money_unit_in_a_column_of_a_wide_table(con, tmp_path):
    path = write_xlsx(
        tmp_path / "unitcol.xlsx",
        [
            ["2026년 1분기", None, None, None, None],
            ["보고기관: 중진공"],
            ["공관", "분야", "금액 단위", "수출계약액", "투자유치액(천달러)"],
            ["자카르타", "IT", "백만달러", 1.5, 40],
            ["방콕", "IT", "달러", 25_000, 10],
            ["마닐라", "IT", None, 300, 20],
        ],
    )
    intake.load(con, path, intake.Actor(None))
    got = results(con)
    base = (2026, 1, "kosme")
    assert got[(*base, "ID-JKT", "it", "emb_collab", "export_value")] == 1500
    assert got[(*base, "TH-BKK", "it", "emb_collab", "export_value")] == 25
    assert got[(*base, "PH-MNL", "it", "emb_collab", "export_value")] == 300  # 천달러, as canonical
    # A unit in the header is the column's own: the row's unit does not apply to it.
    assert got[(*base, "ID-JKT", "it", "emb_collab", "investment_value")] == 40


def test_one_sheet_per_sector_named_in_the_tab(con, tmp_path):
    header = ["공관", "지원기업 수"]
    path = workbook(
        tmp_path / "tabs.xlsx",
        {
            "K-뷰티": [["2026년 1분기 · 보고기관: 외교부"], header, ["파리", 4]],
            "그린": [["2026년 1분기 · 보고기관: 외교부"], header, ["파리", 2]],
        },
    )
    intake.load(con, path, intake.Actor(None))
    assert results(con) == {
        (2026, 1, "mofa", "FR-PAR", "kbeauty", "emb_collab", "firms_supported"): 4,
        (2026, 1, "mofa", "FR-PAR", "green", "emb_collab", "firms_supported"): 2,
    }


def test_names_merged_down_over_their_rows(con, tmp_path):
    path = write_xlsx(
        tmp_path / "merged.xlsx",
        [
            ["2026년 1분기 실적"],
            ["보고기관: 외교부"],
            ["공관", "분야", "지원기업 수", "수출계약액(천달러)"],
            ["주베트남 대사관", "K-뷰티", 5, 100],
            [None, "바이오", 3, 50],
            [None, "IT", 2, None],
            ["주태국 대사관", "K-뷰티", 7, 80],
        ],
        merges=("A4:A6",),
    )
    intake.load(con, path, intake.Actor(None))
    got = results(con)
    assert got[(2026, 1, "mofa", "VN-HAN", "bio", "emb_collab", "firms_supported")] == 3
    assert got[(2026, 1, "mofa", "VN-HAN", "it", "emb_collab", "firms_supported")] == 2
    assert got[(2026, 1, "mofa", "TH-BKK", "kbeauty", "emb_collab", "export_value")] == 80
    assert len(got) == 7


def test_row_weights_read_off_the_row_equal_the_paired_weights(tmp_path):
    from etl.returns.prepare import prepare
    from etl.store.ledger import commit
    from warehouse.connection import open_connection

    path = write_xlsx(
        tmp_path / "weights.xlsx",
        [
            ["2026년 1분기"],
            ["보고기관: 외교부"],
            ["공관", "분야", "지원기업 수", "만족도", "바이어 상담"],
            ["베트남", "IT", 12, 80, 3],
            ["호치민", "IT", 0, 90, None],
            ["다낭", "IT", None, 70, 1],
            ["방콕", "IT", "-", "85", 2],
        ],
    )
    stored = []
    for fast in (True, False):
        con = open_connection(tmp_path / f"w_{fast}.duckdb")
        prepared = prepare(path)
        assert prepared.row_weights
        prepared.row_weights = fast  # False: the commit pairs rows itself (warehouse.weights)
        commit(con, prepared)
        stored.append(
            con.execute("SELECT mission_code, metric_code, weight FROM fact_result ORDER BY ALL").fetchall()
        )
        con.close()
    assert stored[0] == stored[1]
    assert ("VN-HAN", "satisfaction", 12.0) in stored[0] and ("VN-SGN", "satisfaction", 1.0) in stored[0]
