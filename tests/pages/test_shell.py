"""The frame around every page (dashboard.py): what it shows renders on a server without emoji fonts."""

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.support.pages import ROOT, build
from warehouse.connection import open_connection

# Pictographs outside the Basic Multilingual Plane (🧪, 📊 …): Debian's chromium with fonts-nanum
# has no font for them and draws an empty box.
EMOJI = re.compile(r"[\U0001F000-\U0001FFFF]")


def test_demo_banner_uses_an_icon_that_renders(tmp_path, monkeypatch):
    db = build(tmp_path / "demo.duckdb")
    con = open_connection(db)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('demo', 'true')")
    con.close()
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_ROLE", "admin")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    banner = [w for w in at.warning if "데모 데이터" in w.value]
    assert banner, [w.value for w in at.warning]
    assert banner[0].icon.startswith(":material/"), banner[0].icon


def test_no_emoji_in_what_the_app_draws():
    sources = [
        ROOT / "dashboard.py",
        *sorted((ROOT / "views").glob("*.py")),
        *sorted((ROOT / "ui").glob("*.py")),
    ]
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sources
        for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1)
        if EMOJI.search(line)
    ]
    assert found == []
