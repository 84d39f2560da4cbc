"""The accessibility audit of a page in the browser tests: axe-core run inside the Chromium page.

axe.min.js comes pinned from PyPI (axe-playwright-python bundles it; requirements-dev.txt pins the
version, so the audit is the same on every machine and needs no Node.js). Only axe's file is used:
the audit is run here, with the WCAG 2.0/2.1 A and AA rules.

Each violation's nodes are sorted by where they sit: inside one of Streamlit's own components
(FRAMEWORK: its page menu, toolbar, data grid, plotly's mode bar) they are the framework's, and listed
in docs/accessibility.md; anywhere else they are ours (our text, colours, labels, charts).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SEVERE = ("serious", "critical")
# Streamlit's (and plotly's) own components: what their markup does is not ours to change.
FRAMEWORK = {
    '[data-testid="stSidebarNav"]': "Streamlit page menu (st.navigation)",
    '[data-testid="stToolbar"]': "Streamlit toolbar",
    '[data-testid="stHeader"]': "Streamlit header",
    '[data-testid="stDataFrame"]': "Streamlit data grid (st.dataframe)",
    '[data-testid="stElementToolbar"]': "Streamlit element toolbar",
    ".modebar": "plotly mode bar",
}


def axe_script() -> Path:
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).parent / "axe.min.js"


@dataclass(frozen=True)
class Finding:
    rule: str
    impact: str
    owner: str  # "ours", or which framework component
    target: str
    html: str
    summary: str

    @property
    def ours(self) -> bool:
        return self.owner == "ours"

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}) {self.target}: {self.html[:120]} — {self.summary[:200]}"


_RUN = """async ([tags, framework]) => {
    const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
    const owner = target => {
        const el = typeof target === 'string' ? document.querySelector(target) : null;
        if (!el) return 'ours';
        for (const [selector, name] of framework) if (el.closest(selector)) return name;
        return 'ours';
    };
    return result.violations.flatMap(v => v.nodes.map(n => ({
        rule: v.id, impact: n.impact || v.impact || 'minor',
        owner: owner(n.target[n.target.length - 1]),
        target: n.target.join(' >>> '), html: n.html, summary: n.failureSummary || '',
    })));
}"""


def audit(page) -> list[Finding]:
    """Every WCAG 2.0/2.1 A and AA violation axe finds on the page as it is now, node by node."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script()))
    found = page.evaluate(_RUN, [WCAG_TAGS, list(FRAMEWORK.items())])
    return [Finding(**f) for f in found]


def severe_of_ours(findings: list[Finding]) -> list[str]:
    return [str(f) for f in findings if f.ours and f.impact in SEVERE]


# Horizontal scrolling of the page itself or of its main column (a data grid scrolling inside its own
# frame is allowed: WCAG 1.4.10 excepts tables); the text blocks wider than the main column.
REFLOW = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const room = main.getBoundingClientRect().right + 1;
    const wide = [...main.querySelectorAll('[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"], '
        + '[data-testid="stWidgetLabel"], h1, h2, h3, [data-testid="stMetric"], [data-testid="stAlert"]')]
        .filter(e => e.closest('[data-testid="stDataFrame"]') === null)
        .filter(e => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > room)
        .map(e => e.innerText.trim().slice(0, 60));
    const page = document.documentElement.scrollWidth > window.innerWidth + 1;
    const column = main.scrollWidth > main.clientWidth + 1;
    return {page, column, wide};
}"""


# The main area's headings as a screen reader's outline: each one's level (aria-level where set).
OUTLINE = """() => [...document.querySelectorAll('[data-testid="stMain"] :is(h1, h2, h3, h4, h5, h6)')]
    .filter(h => h.innerText.trim())
    .map(h => Number(h.getAttribute('aria-level') || h.tagName[1]))"""


def outline_gaps(levels: list[int]) -> list[str]:
    """What is wrong with an outline: not one level-1 heading first, or a level skipped going down."""
    gaps = [] if levels[:1] == [1] and levels.count(1) == 1 else [f"level 1 headings: {levels}"]
    gaps += [f"{a} → {b}" for a, b in itertools.pairwise(levels) if b > a + 1]
    return gaps
