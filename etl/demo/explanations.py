"""The demo's explanations (사유·대책): synthetic answers for some of 2026 Q3's targets at 주의/미흡.

Written through etl.registers.followup.save_explanation, as an analyst or the secretariat would in the app,
by authors named `demo-…` and with texts marked [데모]. Only some targets are answered, so the
briefing pack shows both written and missing explanations and 제출 현황 lists what is missing;
KOICA's two targets are left unanswered on purpose. Each target below is at 주의 or 미흡 in 2026 Q3
with the demo's figures (tests/metrics/test_explanations.py checks this against metrics, which etl may
not import); two mission targets are reassigned to MOFA by the secretariat, as an administrator may.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb

from etl.registers.followup import Editor, TargetKey, save_explanation

YEAR, QUARTER = 2026, 3
WRITTEN_FROM = datetime(2026, 11, 29, 9, 0)  # after 2026 Q3 closed (2026-11-28), before the 3rd council

# (metric, sector, mission, agency, owner reassigned to, cause, measures, recover by)
# fmt: off
EXPLANATIONS = (
    (
        "firms_supported", None, None, "kosme", None,
        "[데모] 3분기 수출바우처 선정 공고가 한 달 늦어져 신규 지원기업 모집이 10월로 밀렸습니다.",
        "[데모] 4분기 추가 모집(150개사)과 기존 선정기업 조기 착수로 연간 목표를 맞춥니다.",
        "2026Q4",
    ),
    (
        "export_value", None, None, "kosme", None,
        "[데모] 미국 관세 조정으로 화장품 대형 계약 2건의 체결이 4분기로 연기되었습니다.",
        "[데모] 연기된 계약의 체결 지원, 대체 바이어 상담회(11월, LA·뉴욕) 개최.",
        "2026Q4",
    ),
    (
        "firms_supported", None, None, "mofa", None,
        "[데모] 공관 인사이동 시기와 겹쳐 현지 설명회 일부가 취소되었습니다.",
        "[데모] 하반기 공관별 설명회 일정을 재확정하고 온라인 상담으로 보완합니다.",
        "2026Q4",
    ),
    (
        "issues_resolved", None, None, "mofa", None,
        "[데모] 애로 접수 건 중 인허가 관련 건의 처리 기간이 길어 해소 건수 집계가 늦어지고 있습니다.",
        "[데모] 현지 당국과 정례 협의 채널을 만들고 처리 중인 건의 진행 상황을 월별로 점검합니다.",
        "2027Q1",
    ),
    (
        "firms_supported", None, None, "kised", None,
        "[데모] 창업기업 해외 실증 프로그램 선정이 3분기 말에 몰려 실적 반영이 늦어졌습니다.",
        "[데모] 선정 기업의 현지 활동 개시를 4분기 초로 앞당깁니다.",
        "2026Q4",
    ),
    (
        "firms_supported", None, None, "mss", None,
        "[데모] 글로벌 진출 지원사업 통합 공고 지연.",
        "[데모] 4분기 수시 모집 전환, 지방청 홍보 확대.",
        "2026Q4",
    ),
    (
        "firms_supported", None, None, None, None,
        "[데모] 기관 공통: 상반기 사업 공고 지연과 3분기 현지 행사 축소로 지원기업 수가 진도에 못 미칩니다.",
        "[데모] 기관별 4분기 추가 모집과 공관 연계 상담회 확대. 제3차 회의에서 기관별 보완 계획 보고.",
        "2026Q4",
    ),
    (
        "firms_supported", "bio", None, None, None,
        "[데모] 바이오 분야는 현지 인허가 기간이 길어 지원 착수가 늦습니다.",
        "[데모] 인허가 컨설팅을 묶은 패키지 지원으로 참여 기업을 늘립니다.",
        "2027Q2",
    ),
    (
        "events_held", "it", None, None, None,
        "[데모] IT 분야 박람회 2건이 주최 측 사정으로 취소되었습니다.",
        "[데모] 대체 행사(온라인 IR)를 11월에 개최합니다.",
        "2026Q4",
    ),
    (
        "mou_signed", "kbeauty", None, None, None,
        "[데모] K-뷰티 거점공관 지정 전이라 현지 기관과의 협약 체결 창구가 분산되어 있었습니다.",
        "[데모] 거점공관 지정 후 공관 주도로 유통·인증 기관과 MOU를 추진합니다.",
        "2027Q1",
    ),
    (
        "firms_supported", None, "US-ATL", None, "mofa",
        "[데모] 3분기 공관 실적 보고가 제출되지 않아 누계에 반영되지 않았습니다.",
        "[데모] 3분기 보고를 정정 제출하도록 요청했고, 4분기부터 보고 담당자를 2인으로 지정합니다.",
        "2026Q4",
    ),
    (
        "firms_supported", None, "KE-NBO", None, "mofa",
        "[데모] 현지 정세 불안으로 3분기 행사가 중단되었고 실적 보고도 제출되지 않았습니다.",
        "[데모] 정세 안정 후 행사 재개, 인접 공관과 공동 상담회 개최를 검토합니다.",
        "2027Q1",
    ),
    (
        "export_value", None, "DE-FRA", None, None,
        "[데모] 유럽 경기 둔화로 친환경 분야 계약 규모가 줄었습니다.",
        "[데모] 프랑크푸르트 전시회 연계 바이어 매칭을 늘리고 계약 단계 지원을 강화합니다.",
        "2027Q1",
    ),
    (
        "firms_supported", None, "VN-HAN", None, None,
        "[데모] 하노이 K-뷰티 행사 일정이 4분기로 바뀌었습니다.",
        "[데모] 4분기 행사에 참여기업을 집중 배정합니다.",
        "2026Q4",
    ),
)
# fmt: on


def write_demo_explanations(con: duckdb.DuckDBPyConnection) -> int:
    """Store EXPLANATIONS (2026 Q3 must be closed); each dated as written after the close. How many."""
    for i, (metric, sector, mission, agency, owner, cause, measures, recover) in enumerate(EXPLANATIONS):
        # the target's own agency writes its explanation; the secretariat (an administrator) the rest
        editor = (
            Editor(f"demo-{agency}", agency=agency, role="analyst")
            if agency and not owner
            else Editor("demo-admin")
        )
        key = TargetKey(YEAR, QUARTER, metric, sector, mission, agency)
        save_explanation(
            con, editor, key, cause=cause, measures=measures, recover_by=recover, owner_agency=owner
        )
        con.execute(
            "UPDATE submission SET loaded_at = ? WHERE submission_id = (SELECT max(submission_id) "
            "FROM submission WHERE kind = 'explanations')",
            [WRITTEN_FROM + timedelta(hours=2 * i)],
        )
    return len(EXPLANATIONS)
