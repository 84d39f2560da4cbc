"""Synthetic demo data: realistic quarterly returns for 2024 Q1 – 2026 Q3, written as real .xlsx files
in the layouts analysts send and taken in through the one intake (etl.intake), as are the 2025 and 2026 targets,
the council meetings and the incidents.

Everything here is invented (seeded, reproducible) and the warehouse is marked as demo data so the
dashboard says so on every page.
"""

import random
import tempfile
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook, load_workbook

from etl import intake
from etl.demo.actions import load_demo_actions
from etl.demo.explanations import write_demo_explanations
from etl.registers.meetings import Meeting
from etl.workbooks.meetings_export import meetings_workbook
from etl.workbooks.template import DATA_SHEET, HEADER_ROW, metric_columns, write_template
from warehouse.connection import connection
from warehouse.cycle import close_quarter
from warehouse.schema import read_reference

DEMO_ADMIN = intake.Actor("demo-admin")  # no role: the demo writes no audit lines for its files
PERIODS = [(y, q) for y in (2024, 2025, 2026) for q in (1, 2, 3, 4) if (y, q) <= (2026, 3)]
SEASON = {1: 0.8, 2: 1.0, 3: 0.95, 4: 1.25}
GROWTH = {2024: 1.0, 2025: 1.15, 2026: 1.32}

# Which sectors each region's SMEs go for (weights of base activity).
REGION_MIX = {
    "ne_asia": {"kbeauty": 1.0, "bio": 0.6, "it": 0.7, "green": 0.4},
    "se_asia": {"kbeauty": 1.0, "bio": 0.4, "it": 0.8, "green": 0.5},
    "s_asia": {"kbeauty": 0.4, "bio": 0.5, "it": 1.0, "green": 0.6},
    "c_asia": {"kbeauty": 0.5, "bio": 0.4, "it": 0.5, "green": 0.7},
    "middle_east": {"kbeauty": 0.8, "bio": 0.5, "it": 0.6, "green": 0.9},
    "africa": {"kbeauty": 0.2, "bio": 0.5, "it": 0.6, "green": 0.8},
    "europe": {"kbeauty": 0.7, "bio": 0.9, "it": 0.6, "green": 1.0},
    "n_america": {"kbeauty": 1.0, "bio": 1.0, "it": 0.9, "green": 0.6},
    "latam": {"kbeauty": 0.7, "bio": 0.3, "it": 0.5, "green": 0.5},
    "oceania": {"kbeauty": 0.6, "bio": 0.6, "it": 0.4, "green": 0.7},
}

# agency → (program, missions, metrics it reports)
AGENCY_WORK = {
    "mofa": (
        "emb_collab",
        None,
        (
            "firms_supported",
            "buyer_meetings",
            "issues_resolved",
            "info_provided",
            "events_held",
            "mou_signed",
            "satisfaction",
        ),
    ),
    "mss": (
        "emb_collab",
        24,
        ("firms_supported", "buyer_meetings", "export_contracts", "export_value", "satisfaction"),
    ),
    "kosme": (
        "gbc",
        14,
        (
            "firms_supported",
            "buyer_meetings",
            "export_contracts",
            "export_value",
            "local_entities",
            "investment_value",
        ),
    ),
    "kised": (
        "kstartup_net",
        10,
        ("firms_supported", "investment_value", "mou_signed", "events_held", "local_entities"),
    ),
    "koica": ("koica_cts", 8, ("firms_supported", "mou_signed", "investment_value", "satisfaction")),
}
MISSED = {
    ("mofa", "US-ATL", (2026, 3)),
    ("mofa", "KE-NBO", (2026, 3)),
    ("mofa", "MX-MEX", (2025, 2)),
    ("kised", "IN-BOM", (2026, 3)),
    ("mss", "HU-BUD", (2026, 2)),
}
LATE_DAYS = {"koica": 52, "kised": 38}  # days after quarter end; others report within ~3 weeks
CLOSE_DAYS = 58  # the secretariat closes each quarter after the latest agency's return is in
# Restatements (정정) of closed quarters, loaded after a council had seen the first figures:
# (agency, year, quarter, loaded on, factor applied to counts and money).
CORRECTIONS = (
    ("kised", 2024, 3, date(2025, 2, 14), 1.12),
    ("kosme", 2025, 3, date(2026, 1, 22), 0.85),
    ("mss", 2026, 2, date(2026, 10, 20), 1.08),
)
# The council's meetings: the second's date is public; the first's day in December 2024 and the
# third's (planned) are illustrative, as are all the figures.
MEETINGS = [
    Meeting(
        1,
        date(2024, 12, 20),
        "제1차 중기부–외교부 정책협의회",
        "1st MSS–MOFA Policy Council",
        2024,
        3,
        "2024년 12월 개최(일자 예시)",
    ),
    Meeting(2, date(2025, 12, 19), "제2차 중기부–외교부 정책협의회", "2nd MSS–MOFA Policy Council", 2025, 3),
    Meeting(
        3,
        date(2026, 12, 18),
        "제3차 중기부–외교부 정책협의회",
        "3rd MSS–MOFA Policy Council",
        2026,
        3,
        "개최 예정(일자 예시)",
    ),
]
# Emergencies the demo missions report on (illustrative): mission → {period: (affected, relief)}
EMERGENCIES = {
    "TN-TUN": {(2025, 1): (6, 2), (2025, 2): (3, 5), (2025, 3): (0, 2)},
    "TR-IST": {(2025, 4): (9, 3), (2026, 1): (4, 7)},
    "MX-MEX": {(2026, 2): (12, 4), (2026, 3): (5, 8)},
}
# The incidents behind EMERGENCIES (illustrative): mission, type, start, end, status, description, notes.
DEMO_INCIDENTS = (
    (
        "주튀니지 대사관",
        "시위",
        date(2025, 1, 14),
        date(2025, 9, 30),
        "종료",
        "[데모] 튀니스 일대 반정부 시위와 야간 통행금지",
        "[데모] 공관이 현지 진출기업 비상연락망을 가동하고 내무부·세관과 통관 지연 해소를 협의함. "
        "화장품 유통기업 6개사 물류 차질.",
    ),
    (
        "주이스탄불 총영사관",
        "지진",
        date(2025, 11, 6),
        date(2026, 3, 20),
        "모니터링",
        "[데모] 마르마라 지역 지진으로 물류창고·항만 운영 중단",
        "[데모] 총영사관이 피해 현황을 조사하고 주정부 재난관리청(AFAD)과 협의. 중기부는 긴급경영안정자금 "
        "안내, 수출바우처 기한 연장 검토.",
    ),
    (
        "주멕시코 대사관",
        "수입규제",
        date(2026, 4, 1),
        None,
        "진행 중",
        "[데모] 비FTA국 수입품 관세 인상(화장품 등)",
        "[데모] 대사관이 경제부와 품목별 적용 범위를 확인 중. 대체 통관 경로와 원산지 증명 상담 제공.",
    ),
)
BASE = {
    "firms_supported": 9,
    "buyer_meetings": 28,
    "export_contracts": 2.2,
    "export_value": 180.0,
    "mou_signed": 1.2,
    "local_entities": 0.35,
    "investment_value": 90.0,
    "issues_resolved": 4.5,
    "info_provided": 7.0,
    "events_held": 1.4,
}


def _missions_for(agency: str, count: int | None, missions: list[dict], rng: random.Random) -> list[dict]:
    if count is None:
        return missions
    if agency == "koica":
        pool = [
            m
            for m in missions
            if m["region_code"] in ("se_asia", "africa", "c_asia", "ne_asia", "middle_east")
            and m["country_iso2"] not in ("JP", "CN", "SG", "AE", "SA")
        ]
    else:
        pool = missions
    return sorted(rng.sample(pool, min(count, len(pool))), key=lambda m: m["mission_code"])


def generate(seed: int = 2026) -> dict[tuple[str, int, int], list[dict]]:
    """(agency, year, quarter) → rows of {mission, sector, program, metric values}."""
    rng = random.Random(seed)
    missions = read_reference("missions.csv")
    size = {m["mission_code"]: rng.uniform(0.5, 1.6) for m in missions}
    out: dict[tuple[str, int, int], list[dict]] = defaultdict(list)
    for agency, (program, count, metrics) in AGENCY_WORK.items():
        chosen = _missions_for(agency, count, missions, rng)
        for year, quarter in PERIODS:
            for m in chosen:
                code = m["mission_code"]
                if (agency, code, (year, quarter)) in MISSED:
                    continue
                hub = m["kbeauty_hub_since"] and year >= int(m["kbeauty_hub_since"])
                for sector, weight in REGION_MIX[m["region_code"]].items():
                    if weight < 0.45 and agency != "mofa":
                        continue
                    lift = 1.45 if hub and sector == "kbeauty" else 1.0
                    scale = size[code] * weight * SEASON[quarter] * GROWTH[year] * lift
                    row = {"mission": code, "sector": sector, "program": program}
                    for metric in metrics:
                        if metric == "satisfaction":
                            row[metric] = round(min(99.0, rng.gauss(84 + 3 * (year - 2024), 4)), 1)
                        elif metric in ("export_value", "investment_value"):
                            row[metric] = round(BASE[metric] * scale * rng.uniform(0.6, 1.4), 1)
                        else:
                            row[metric] = max(0, round(BASE[metric] * scale * rng.uniform(0.6, 1.4)))
                    if agency == "mofa" and code in EMERGENCIES and sector == "kbeauty":
                        affected, relief = EMERGENCIES[code].get((year, quarter), (None, None))
                        if affected is not None:
                            row["affected_firms"], row["relief_cases"] = affected, relief
                    out[(agency, year, quarter)].append(row)
    return out


def _names(kind: str) -> dict[str, str]:
    file_name, column = {
        "mission": ("missions.csv", "mission_code"),
        "sector": ("sectors.csv", "sector_code"),
        "program": ("programs.csv", "program_code"),
        "agency": ("agencies.csv", "agency_code"),
    }[kind]
    return {r[column]: r["name_ko"] for r in read_reference(file_name)}


def write_return(path: Path, agency: str, year: int, quarter: int, rows: list[dict]) -> Path:
    """One agency's quarterly return, in the layout that agency's analysts habitually send."""
    missions, sectors, programs = _names("mission"), _names("sector"), _names("program")
    metrics = metric_columns()
    if agency == "mofa":  # the official template, filled in by hand
        write_template(path, year=year, quarter=quarter, agency=agency)
        wb = load_workbook(path)
        ws = wb[DATA_SHEET]
        for r, row in enumerate(rows, start=HEADER_ROW + 1):
            values = [missions[row["mission"]], sectors[row["sector"]], programs[row["program"]]]
            values += [row.get(code) for code, _, _ in metrics]
            for c, value in enumerate(values, start=1):
                ws.cell(r, c, value)
        wb.save(path)
        return path
    wb = Workbook()
    ws = wb.active
    used = [(c, h) for c, h, _ in metrics if any(c in row for row in rows)]
    if agency == "kosme":  # a long table: one row per figure, period in the title
        ws.title = "실적"
        ws.append([f"중소벤처기업진흥공단 {year}년 {quarter}/4분기 해외사업 실적"])
        ws.append([])
        ws.append(["공관", "분야", "사업", "지표", "실적", "단위"])
        for row in rows:
            for code, header in used:
                if code in row:
                    unit = (
                        "천달러"
                        if code in ("export_value", "investment_value")
                        else header.split("(")[1][:-1]
                    )
                    ws.append(
                        [
                            missions[row["mission"]],
                            sectors[row["sector"]],
                            programs[row["program"]],
                            header.split("(")[0],
                            row[code],
                            unit,
                        ]
                    )
    elif agency == "kised":  # two-row header, short-form period in the title
        ws.title = "K-스타트업 실적"
        ws.append([f"창업진흥원 실적 보고 ('{year % 100}.{quarter}Q)"])
        ws.append(["(단위: 개사, 건, 천달러, 회)"])
        ws.append(["공관", "분야", "사업", "기업 지원", None, "성과", None, None])
        ws.append([None, None, None, "지원기업 수", "현지법인 설립", "투자유치액", "MOU 체결", "행사 개최"])
        ws.merge_cells("D3:E3")
        ws.merge_cells("F3:H3")
        order = ("firms_supported", "local_entities", "investment_value", "mou_signed", "events_held")
        for row in rows:
            ws.append(
                [
                    missions[row["mission"]],
                    sectors[row["sector"]],
                    programs[row["program"]],
                    *(row.get(c) for c in order),
                ]
            )
    else:  # a plain wide table with 연도/분기 columns (mss: Korean headers; koica: English)
        english = agency == "koica"
        ws.title = "Results" if english else "실적"
        head = (
            ["Year", "Quarter", "Agency", "Mission", "Sector", "Program"]
            if english
            else ["연도", "분기", "주관기관", "공관", "분야", "사업"]
        )
        labels = {r["metric_code"]: r["name_en"] for r in read_reference("metrics.csv")}
        ws.append(
            [
                *head,
                *(
                    (labels[c] + (" (USD thousand)" if "value" in c else "")) if english else h
                    for c, h in used
                ),
            ]
        )
        for row in rows:
            ws.append(
                [
                    year,
                    f"{quarter}분기" if not english else f"Q{quarter}",
                    "KOICA" if english else "중기부",
                    row["mission"] if english else missions[row["mission"]],
                    sectors[row["sector"]],
                    row["program"],
                    *(row.get(c) for c, _ in used),
                ]
            )
    wb.save(path)
    return path


def write_targets(path: Path, data: dict[tuple[str, int, int], list[dict]]) -> Path:
    """2025 and 2026 targets: last year's actual plus a stretch, at several granularities."""
    totals: dict[tuple, float] = defaultdict(float)
    for (agency, year, _), rows in data.items():
        for row in rows:
            for metric, value in row.items():
                if metric in ("mission", "sector", "program") or metric in ("satisfaction", "affected_firms"):
                    continue
                for key in (
                    (year, metric, None, None, None),
                    (year, metric, row["sector"], None, None),
                    (year, metric, None, row["mission"], None),
                    (year, metric, None, None, agency),
                ):
                    totals[key] += value
    wb = Workbook()
    ws = wb.active
    ws.title = "목표"
    ws.append(["연도", "지표", "분야", "공관", "주관기관", "목표"])
    sectors, missions, agencies = _names("sector"), _names("mission"), _names("agency")
    # Ambition differs by owner, so that some missions and sectors are on track and others behind.
    rng = random.Random(7)
    for year, stretch in ((2025, 1.12), (2026, 1.24)):
        for (base_year, metric, sector, mission, agency), value in sorted(totals.items(), key=str):
            if base_year != year - 1:
                continue
            if mission and metric not in ("firms_supported", "export_value"):
                continue
            ws.append(
                [
                    year,
                    metric,
                    sectors.get(sector, ""),
                    missions.get(mission, ""),
                    agencies.get(agency, ""),
                    round(
                        value
                        * stretch
                        * (1.0 if sector is None and mission is None else rng.uniform(0.8, 1.3))
                    ),
                ]
            )
        ws.append([year, "satisfaction", "", "", "", 85 if year == 2025 else 88])
    wb.save(path)
    return path


def write_incidents(path: Path) -> Path:
    """The demo's incidents sheet, in the layout an administrator would keep (title row, then the table)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "긴급상황"
    ws.append(["[데모] 재외공관 긴급상황 대응 현황"])
    ws.append([])
    ws.append(["공관", "유형", "시작일", "종료일", "개요", "공관 상황 메모", "상태", "기록자"])
    for mission, kind, start, end, status, description, notes in DEMO_INCIDENTS:
        ws.append([mission, kind, start, end, description, notes, status, "demo-admin"])
    wb.save(path)
    return path


def _after_quarter(year: int, quarter: int, days: int) -> datetime:
    """`days` after the first day of the month following the quarter."""
    return (datetime(year, 3 * quarter, 1) + timedelta(days=31)).replace(day=1) + timedelta(days=days)


def _backdate(con, submission_id: int, at: datetime) -> None:
    con.execute("UPDATE submission SET loaded_at = ? WHERE submission_id = ?", [at, submission_id])


def _corrected(row: dict, factor: float) -> dict:
    """A corrected row: counts and money scaled by `factor` (scores as they were)."""
    out = dict(row)
    for key, value in row.items():
        if key in ("mission", "sector", "program", "satisfaction") or value is None:
            continue
        out[key] = round(value * factor, 1) if isinstance(value, float) else max(0, round(value * factor))
    return out


def build_demo(db: Path, *, returns_dir: Path | None = None, progress=None) -> str:
    """Write and load every demo return and the targets into a fresh warehouse; a one-line summary."""
    data = generate()
    # returns load in period and agency order: the quarter closes after its last agency's
    last_agency = {
        (year, quarter): max(a for a, y, q in data if (y, q) == (year, quarter)) for _, year, quarter in data
    }
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    out_dir = Path(returns_dir or tempfile.mkdtemp(prefix="demo_returns_"))
    out_dir.mkdir(parents=True, exist_ok=True)
    bar = progress(len(data) + 1, "데모 생성") if progress else None
    rows = 0
    with connection(db) as con:
        for (agency, year, quarter), agency_rows in sorted(
            data.items(), key=lambda kv: (kv[0][1], kv[0][2], kv[0][0])
        ):
            path = write_return(
                out_dir / f"{year}Q{quarter}_{agency}.xlsx", agency, year, quarter, agency_rows
            )
            loaded = intake.load(con, path, intake.Actor(f"demo-{agency}"), kind=intake.RESULTS)
            rows += loaded.result.rows
            delay = LATE_DAYS.get(agency, 12 + (year * 4 + quarter + len(agency)) % 9)
            _backdate(con, loaded.result.submission_id, _after_quarter(year, quarter, delay))
            if agency == last_agency[(year, quarter)]:
                # the secretariat closes the quarter once the latest agency is in
                close_quarter(
                    con, year, quarter, by="demo-admin", at=_after_quarter(year, quarter, CLOSE_DAYS)
                )
            if bar:
                bar.step(path.name)
        for agency, year, quarter, loaded_on, factor in CORRECTIONS:
            corrected = [_corrected(row, factor) for row in data[(agency, year, quarter)]]
            path = write_return(
                out_dir / f"{year}Q{quarter}_{agency}_정정.xlsx", agency, year, quarter, corrected
            )
            loaded = intake.load(con, path, intake.Actor(f"demo-{agency}"), kind=intake.RESULTS)
            _backdate(con, loaded.result.submission_id, datetime.combine(loaded_on, datetime.min.time()))
        meetings = out_dir / "meetings.xlsx"
        meetings.write_bytes(meetings_workbook(MEETINGS))
        intake.load(con, meetings, DEMO_ADMIN, kind="meetings")
        load_demo_actions(con)  # the second council's four directions, with synthetic progress
        targets = intake.load(
            con, write_targets(out_dir / "targets_2025_2026.xlsx", data), DEMO_ADMIN, kind="targets"
        )
        if bar:
            bar.step("targets")
        intake.load(con, write_incidents(out_dir / "incidents.xlsx"), DEMO_ADMIN, kind="incidents")
        write_demo_explanations(con)  # needs the targets and 2026 Q3 closed
        con.execute("INSERT OR REPLACE INTO meta VALUES ('demo', 'true')")
        con.execute("CHECKPOINT")
    return (
        f"데모 웨어하우스 생성: {db} — 보고서 {len(data)}개, 실적 {rows:,}건, 목표 {targets.rows}건 "
        f"/ demo warehouse built: {len(data)} returns, {rows:,} figures, {targets.rows} targets"
    )
