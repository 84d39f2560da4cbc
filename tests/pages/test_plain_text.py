"""Stored text (incident summaries, file names, who loaded or recorded what) is shown as text, never run
as Markdown or HTML: each page that shows it is rendered under AppTest, and every Markdown string it
sends is rendered by a CommonMark parser (raw HTML allowed, as a browser would see tags) to check."""

import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from etl import intake
from tests.support.prepared import copy_of
from tests.support.upload import (
    PROGRAM,
    XLSX,
    app,
    bad_return,
    filled_return,
    seed_warehouse,
    shown,
)
from tests.support.xlsx import write_xlsx
from ui.text import plain, plain_html
from warehouse.connection import connection

IMAGE = "![](http://host.example/p.png)"
HTML = "<img src=x onerror=alert(1)>"
BOLD = "**bold**"
LINK = "[link](javascript:alert(1))"
HOSTILE = f"{IMAGE} {HTML} {BOLD} {LINK} :red[x] $x$"
# A browser's file name cannot hold "/", so the uploaded one links to javascript: instead.
HOSTILE_UPLOAD = f"![](javascript:alert(1)) {HTML} {BOLD} {LINK}.xlsx"
HOSTILE_USER = f"{BOLD}{LINK}@mofa.test"

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-secret",
    "client_id": "id",
    "client_secret": "secret",
    "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
}

_MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def active(markdown: str) -> list[str]:
    """What the Markdown would make live in a page: images, links, raw HTML, the payload's bold, directives.

    The page's own emphasis around a value (`**file name** — refused`) is the page's, and allowed.
    """
    html = _MD.render(markdown)
    found = [tag for tag in ("<img", "<a ", "<script", "<strong>bold", "<del") if tag in html]
    if "http://" in markdown or "javascript:" in markdown:  # an autolink or a directive needs these raw
        found.append("unescaped scheme")
    if ":red[x]" in markdown or "$x$" in markdown:
        found.append("unescaped directive")
    return found


def markdown_strings(at) -> list[str]:
    elements = [*at.markdown, *at.caption, *at.info, *at.warning, *at.error, *at.success, *at.title]
    return [str(e.value) for e in elements]


def assert_plain(at, *expected: str) -> None:
    """No element has anything active, and each expected text is shown, exactly, by some element."""
    strings = markdown_strings(at)
    live = {s: active(s) for s in strings if active(s)}
    assert not live, live
    seen = "\n".join(shown(s) for s in strings)
    for text in expected:
        assert text in seen, text


def test_plain_escapes_every_active_form():
    for text in (IMAGE, HTML, BOLD, LINK, HOSTILE, "# title\n- item\n| a |", "&lt;b&gt;", "kim@mss.go.kr"):
        out = plain(text)
        assert not active(out), text
        assert shown(out) == text
    assert "<" not in plain_html(HTML) and "&lt;img" in plain_html(HTML)
    assert plain(None) == "" and plain("line\x00break") == "line break"


def _hostile(path: Path) -> None:
    """The seed, a return stored under a hostile file name and loader, and an incident with hostile text."""
    seed_warehouse(path, path.parent)
    fixed = path.parent / "fixed.xlsx"
    filled_return(
        fixed, [["주베트남 대사관", "K-뷰티", PROGRAM, 11, 20, 2, 100.0]], year=2026, quarter=1, agency="mofa"
    )
    head = ["공관", "유형", "시작일", "종료일", "개요", "공관 상황 메모", "상태", "기록자"]
    incident = ["MX-MEX", "무역 조치", "2026-04-01", None, HOSTILE, HOSTILE, "진행 중", HOSTILE_USER]
    sheet = write_xlsx(path.parent / "incidents.xlsx", [head, incident], sheet="긴급상황")
    with connection(path) as con:
        intake.load(con, fixed, intake.Actor(HOSTILE_USER), name=f"{HOSTILE}.xlsx")
        intake.load(con, sheet, intake.Actor(HOSTILE_USER), kind="incidents")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of `_hostile`'s warehouse (built once, tests/support/prepared.py), served to an administrator."""
    path = copy_of("plain_text", _hostile, tmp_path / "warehouse.duckdb")
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    monkeypatch.setenv("DASHBOARD_ROLE", "admin")
    monkeypatch.setenv("DASHBOARD_USER", "admin@mss.test")
    return path


def test_incident_summary_notes_and_recorder_are_text(db):
    at = app("views/emergency.py")
    assert not at.exception
    assert_plain(at, HOSTILE, HOSTILE_USER)
    # the map's hover label (plotly reads <a href>, <b> there) carries the summary escaped
    hover = json.dumps(json.loads(at.get("plotly_chart")[0].proto.spec)["data"], ensure_ascii=False)
    assert plain_html(HTML) in hover and HTML not in hover


def test_rollback_confirmation_shows_file_name_and_loader_as_text(db):
    at = app("views/history.py")
    at.selectbox(key="rb_choice").set_value(2)
    at.button(key="rb_ask").click()
    at.run()
    assert not at.exception
    assert at.warning
    assert_plain(at, f"{HOSTILE}.xlsx", HOSTILE_USER)


def test_uploaded_file_names_are_text_when_refused_and_when_passed(db, tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_ROLE", "analyst")
    at = app("views/upload.py")
    at.file_uploader[0].upload(HOSTILE_UPLOAD, bad_return(tmp_path), XLSX)
    at.run()
    assert not at.exception
    assert_plain(at, HOSTILE_UPLOAD)
    assert at.error
    from tests.support.upload import good_return

    at.file_uploader[0].upload(HOSTILE_UPLOAD, good_return(tmp_path), XLSX)
    at.run()
    assert not at.exception and at.success
    assert_plain(at, HOSTILE_UPLOAD)
    at.button(key="commit").click().run()
    assert not at.exception
    assert_plain(at, HOSTILE_UPLOAD)


def test_a_signed_in_name_is_text_in_the_sidebar(db):
    from streamlit.testing.v1 import AppTest

    from tests.support.upload import ROOT

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.secrets["roles"] = {"viewers": ["*@mss.go.kr"]}
    at.user = {"is_logged_in": True, "email": "choi@mss.go.kr", "name": HOSTILE}
    at.run()
    assert not at.exception
    assert_plain(at, HOSTILE)
