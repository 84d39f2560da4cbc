"""The demo's follow-up actions: the four directions the second council (2025-12-19) agreed on.

The directions are from the public account of that meeting; their owners follow it (K-beauty hub
missions: MOFA; the emergency cooperation of missions and MSS: one action for each, MOFA's missions
assessing and talking to local authorities, MSS reviewing support for the firms hit). Due dates,
statuses and every progress note are invented, stored with is_demo = true and shown as 데모.
Written through etl.registers.followup like an administrator's edits, then dated as if made over 2026.
"""

from __future__ import annotations

from datetime import date, datetime, time

import duckdb

from etl.registers.followup import Editor, add_action_note, save_action, set_action_status

DEMO_EDITOR = Editor("demo-admin")
AGREED_ON = datetime(2025, 12, 22, 10, 0)  # entered by the secretariat after the meeting
MEETING = 2

# (fields of save_action, final status, [(noted on, note)])
ACTIONS = (
    (
        {
            "text_ko": "K-뷰티 거점공관 지정 (주요 시장 3곳, 신흥 시장 1곳)",
            "text_en": "Designate K-beauty hub missions (three in major markets, one emerging)",
            "owner_agency": "mofa",
            "sector": "kbeauty",
            "due_on": date(2026, 3, 31),
        },
        "done",
        [
            (date(2026, 1, 20), "후보 공관 8곳의 K-뷰티 수출 실적과 현지 유통망을 비교 검토함."),
            (date(2026, 3, 25), "거점공관 4곳 지정 완료 (공관 선정은 예시). 기준 정보에 지정 연도 반영."),
        ],
    ),
    (
        {
            "text_ko": "기관별 강점에 따른 역할 분담안 마련 (중기부·외교부·KOSME·KISED·KOICA)",
            "text_en": "Divide roles among the agencies by their strengths (MSS, MOFA, KOSME, KISED, KOICA)",
            "owner_agency": "mss",
            "due_on": date(2026, 6, 30),
        },
        "in_progress",
        [
            (date(2026, 2, 10), "기관별 사업·공관 현황을 모아 역할 분담안 초안을 작성함."),
            (date(2026, 5, 28), "실무협의회에서 분담안을 논의함. KOICA 의견 회신 대기."),
            (date(2026, 9, 15), "분담안 2차 수정. 확정은 제3차 회의 안건으로 올릴 예정 (기한 경과)."),
        ],
    ),
    (
        {
            "text_ko": "양 부처 정책·사업 연계 (외교부와 공동: 수출바우처·해외지사화와 공관 협업사업)",
            "text_en": "Link the two ministries' policies and programs (with MOFA: export vouchers and "
            "branch offices with the missions' program)",
            "owner_agency": "mss",
            "metric": "firms_supported",
            "due_on": date(2026, 12, 31),
        },
        "in_progress",
        [
            (date(2026, 4, 14), "외교부와 연계 대상 사업 목록을 확정함."),
            (date(2026, 10, 6), "연계 사업 공동 공고안을 마련하고 참여기업 중복 지원 기준을 협의 중."),
        ],
    ),
    (
        {
            "text_ko": "긴급상황 시 공관의 현지 상황 파악·현지 당국 협의와 중기부 공유 체계 마련",
            "text_en": "Emergencies: missions assess the situation, talk to local authorities and inform MSS",
            "owner_agency": "mofa",
            "mission": "MX-MEX",
            "metric": "affected_firms",
            "due_on": date(2026, 12, 15),
        },
        "in_progress",
        [
            (
                date(2026, 4, 8),
                "주멕시코 대사관 수입규제 대응을 첫 적용 사례로 공관–중기부 연락 체계를 시험 운영함.",
            ),
        ],
    ),
    (
        {
            "text_ko": "긴급상황 피해기업의 경영안정·수출 지원 검토 절차 마련",
            "text_en": "Emergencies: a procedure to review management and export support for the firms hit",
            "owner_agency": "mss",
            "metric": "relief_cases",
            "due_on": date(2027, 3, 31),
        },
        "planned",
        [
            (date(2026, 11, 20), "멕시코 사례를 바탕으로 절차안 작성을 시작할 예정."),
        ],
    ),
)


def _date_last_submission(con: duckdb.DuckDBPyConnection, at: datetime) -> None:
    """Date the edit just stored as if made at `at` (its submission and audit line)."""
    con.execute(
        "UPDATE submission SET loaded_at = ? WHERE submission_id = (SELECT max(submission_id) FROM submission)",
        [at],
    )


def load_demo_actions(con: duckdb.DuckDBPyConnection) -> int:
    """Store the demo's actions and notes (is_demo); how many actions."""
    for fields, status, notes in ACTIONS:
        action_id = save_action(
            con, DEMO_EDITOR, meeting_no=MEETING, status="planned", is_demo=True, **fields
        )
        _date_last_submission(con, AGREED_ON)
        for noted_on, text in notes:
            add_action_note(con, DEMO_EDITOR, action_id, noted_on, text, is_demo=True)
            _date_last_submission(con, datetime.combine(noted_on, time(17, 0)))
        if status != "planned":
            set_action_status(con, DEMO_EDITOR, action_id, status)
            _date_last_submission(con, datetime.combine(notes[-1][0], time(17, 30)))
    return len(ACTIONS)
