"""Explanations on the read side (metrics.explanations), in the briefing pack and in the demo."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from briefing.html_writer import briefing_html
from etl.problems import Refused
from etl.registers.followup import Editor, TargetKey, save_explanation
from etl.store.ledger import rollback
from metrics.briefing import build_briefing
from metrics.council import now_filters
from metrics.explanations import (
    exceptions,
    explained_attainment,
    explanation_for,
    explanations,
    missing,
    missing_by_agency,
    quarter_explanations,
)
from metrics.filters import Filters
from tests.support.explanations import QUARTER, YEAR, build_short, oracle_owner, oracle_statuses
from warehouse.connection import connection

ADMIN = Editor("kim@mss.go.kr")
KOSME = Editor("lee@kosme.or.kr", agency="kosme", role="analyst")
NEEDS = ("at_risk", "behind")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build_short(tmp_path / "short.duckdb")


def _key(metric, sector=None, mission=None, agency=None) -> TargetKey:
    return TargetKey(YEAR, QUARTER, metric, sector, mission, agency)


def _as_key(row) -> tuple:
    return tuple(
        v if isinstance(v, str) else None
        for v in (row[c] for c in ("metric_code", "sector_code", "mission_code", "agency_code"))
    )


def _set_written_at(con, when: datetime) -> None:
    con.execute(
        "UPDATE submission SET loaded_at = ? WHERE submission_id = (SELECT max(submission_id) FROM submission "
        "WHERE kind = 'explanations')",
        [when],
    )


def test_missing_explanations_match_an_independent_recomputation(db):
    statuses = oracle_statuses()
    needing = {k for k, s in statuses.items() if s in NEEDS}
    assert len(needing) == 4  # the fixture's own check: some targets fall short, some do not
    with connection(db) as con:
        save_explanation(con, KOSME, _key("firms_supported", agency="kosme"), cause="원인", measures="대책")
        save_explanation(
            con,
            ADMIN,
            _key("firms_supported", mission="VN-HAN"),
            cause="c",
            measures="m",
            owner_agency="mofa",
        )
        written = {("firms_supported", None, None, "kosme"), ("firms_supported", None, "VN-HAN", None)}
        left = missing(con)
        assert {_as_key(r) for _, r in left.iterrows()} == needing - written
        for _, r in left.iterrows():
            assert r["owner_agency"] == oracle_owner(_as_key(r))
            assert r["status"] == statuses[_as_key(r)]
        by_agency = missing_by_agency(con)
        assert by_agency.to_dict("records") == [
            {"owner_agency": "mss", "missing": 2, "behind": 1, "at_risk": 1}
        ]
        # every target of the quarter, with its explanation where written
        att = explained_attainment(con, now_filters(con))
        assert {_as_key(r) for _, r in att[att["needs_explanation"]].iterrows()} == needing
        assert {_as_key(r) for _, r in att[att["explained"]].iterrows()} == written
        vn = att[att["mission_code"] == "VN-HAN"].iloc[0]
        assert (vn["owner_agency"], vn["cause"], vn["measures"]) == ("mofa", "c", "m")
        found = explanation_for(att, ("firms_supported", None, "VN-HAN", None))
        assert found is not None and (found["owner_agency"], found["cause"]) == ("mofa", "c")
        assert explanation_for(att, ("firms_supported", None, None, "mss")) is None
        exc = exceptions(con, now_filters(con))
        assert list(exc["status"]) == sorted(exc["status"], key=["behind", "at_risk"].index)


def test_no_explanation_is_needed_in_an_open_quarter(db):
    with connection(db) as con:
        con.execute("DELETE FROM quarter_close WHERE year = 2026 AND quarter = 2")
        q = quarter_explanations(con, Filters(year=2026))  # the preliminary view: as of 2026 Q2, open
        assert (q.year, q.quarter, q.closed) == (2026, 2, False)
        assert not explained_attainment(con, Filters(year=2026))["needs_explanation"].any()
        # chasing moves to the latest closed quarter, 2026 Q1
        assert set(missing(con)["status"]) <= set(NEEDS)


def test_as_the_council_saw_it(db):
    key = _key("firms_supported", agency="kosme")
    with connection(db) as con:
        save_explanation(con, KOSME, key, cause="첫 판", measures="m")
        _set_written_at(con, datetime(2026, 8, 1))
        save_explanation(con, KOSME, key, cause="고친 판", measures="m")
        _set_written_at(con, datetime(2026, 9, 1))
        later = con.execute("SELECT max(submission_id) FROM submission").fetchall()[0][0]
        save_explanation(con, ADMIN, _key("firms_supported", "bio"), cause="bio", measures="m")
        _set_written_at(con, datetime(2026, 9, 2))

        def causes(at):
            return sorted(explanations(con, YEAR, QUARTER, at)["cause"])

        assert causes(datetime(2026, 7, 1)) == []
        assert causes(datetime(2026, 8, 15)) == ["첫 판"]
        assert causes(datetime(2026, 9, 1, 12)) == ["고친 판"]
        assert causes(None) == ["bio", "고친 판"]
        # the view of a meeting on 2026-08-15: its quarter, the explanations standing then
        seen = Filters(year=YEAR, quarter_to=QUARTER, through=YEAR * 10 + QUARTER, at=datetime(2026, 8, 15))
        assert missing(con, seen)["agency_code"].isna().sum() == 2  # VN-HAN and bio: nothing written then
        assert "kosme" not in set(missing(con, seen)["owner_agency"])
        # a version rolled back after the meeting was still standing at it
        rollback(con, later, by="kim")
        assert causes(datetime(2026, 9, 1, 12)) == ["고친 판"]
        assert causes(None) == ["bio", "첫 판"]


def test_briefing_exceptions_page_is_filled(db):
    with connection(db) as con:
        save_explanation(
            con, KOSME, _key("firms_supported", agency="kosme"), cause="<b>규제</b> **강화**",
            measures="인증 지원", recover_by="2026Q4",
        )  # fmt: skip
        b = build_briefing(con, today=datetime(2026, 9, 1).date())
    assert b is not None
    exc = b.exceptions
    assert {
        "explained",
        "owner_agency",
        "cause",
        "measures",
        "recover_by",
        "written_by",
        "written_at",
    } <= set(exc)
    assert int(exc["explained"].sum()) == 1 and len(exc) == 4
    doc = briefing_html(b, "ko")
    assert "사유·대책 (작성 예정)" not in doc
    assert "&lt;b&gt;규제&lt;/b&gt; **강화**" in doc and "<b>규제</b>" not in doc
    assert "인증 지원" in doc and "회복 예상 2026년 4분기" in doc and "담당 중소벤처기업진흥공단" in doc
    assert doc.count("미작성 · 담당 중소벤처기업부") == 3
    assert "사유·대책 작성 1개, 미작성 3개" in doc
    english = briefing_html(b, "en")
    assert english.count("Not written · owner ") == 3 and "Recover by 2026 Q4" in english


def test_demo_explains_some_of_2026_q3s_shortfalls(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        stored = con.execute(
            "SELECT metric_code, sector_code, mission_code, agency_code, written_by, cause FROM explanations"
        ).df()
        att = explained_attainment(con, now_filters(con))
        left = missing(con)
    finally:
        con.close()
    assert len(stored) >= 10
    assert (
        stored["written_by"].str.startswith("demo-").all() and stored["cause"].str.startswith("[데모]").all()
    )
    needing = {_as_key(r) for _, r in att[att["status"].isin(NEEDS)].iterrows()}
    written = {_as_key(r) for _, r in stored.iterrows()}
    assert written <= needing  # each answers a target at 주의/미흡 in 2026 Q3
    assert len(left) == len(needing) - len(written) > 0
    assert "koica" in set(left["owner_agency"])  # left unanswered on purpose
    assert (
        pd.Series([r for r in att["owner_agency"][att["explained"]]])
        .isin(["mofa", "mss", "kosme", "kised"])
        .all()
    )


def test_a_reassigned_target_is_written_by_its_new_owner(db):
    key = _key("firms_supported", mission="VN-HAN")
    mofa = Editor("park@mofa.go.kr", agency="mofa", role="analyst")
    mss = Editor("choi@mss.go.kr", agency="mss", role="analyst")
    with connection(db) as con:
        save_explanation(con, mss, key, cause="사무국 초안", measures="m")  # MSS owns a mission target
        with pytest.raises(Refused):
            save_explanation(con, mofa, key, cause="c", measures="m")
        save_explanation(con, ADMIN, key, cause="사무국 초안", measures="m", owner_agency="mofa")
        save_explanation(con, mofa, key, cause="외교부 작성", measures="m")
        with pytest.raises(Refused):
            save_explanation(con, mss, key, cause="c", measures="m")
        rows = con.execute("SELECT owner_agency, cause, written_by FROM explanations").fetchall()
    assert rows == [("mofa", "외교부 작성", "park@mofa.go.kr")]
