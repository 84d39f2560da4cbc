"""HTML → one-page PDF (A4 landscape) and PNG, rendered on the server by headless Chromium.

Chromium is optional: `chromium_path()` is None when it is not installed, and the summary page then
shows its export buttons disabled with the reason. Each call writes the HTML to a private temporary
directory, runs one browser process with a time limit and returns the bytes.

The browser never outlives its call: it runs in a process group of its own, which is killed on every
way out (done, timed out, an exception, a signal turned into one), before its folder is removed;
and it is started so that the kernel kills it when the process that started it dies (SIGKILL included).
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TIMEOUT_SECONDS = 60
# A4 landscape at 150 dpi: 297 × 210 mm → 1754 × 1240 px.
PNG_SIZE = (1754, 1240)


class ExportUnavailable(RuntimeError):
    """No headless browser on this server."""


def chromium_path() -> str | None:
    """The browser to render with: $CHROMIUM_PATH, else the first known name on PATH."""
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit and Path(explicit).exists():
        return explicit
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _command(browser: str, tmp: str, flags: list[str], page: Path) -> list[str]:
    return [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--no-first-run",
        f"--user-data-dir={Path(tmp) / 'profile'}",
        *flags,
        page.as_uri(),
    ]


def _tethered(cmd: list[str]) -> list[str]:
    """The command, started so it dies with its parent and without the parent's address-space limit.

    util-linux's setpriv sets PR_SET_PDEATHSIG (kept across exec), so a parent killed outright takes
    the browser with it. prlimit lifts a soft RLIMIT_AS a limited parent runs under (etl/read/isolated.py):
    Chromium reserves far more address space than it uses and does not start under one.
    """
    setpriv, prlimit = shutil.which("setpriv"), shutil.which("prlimit")
    limited = resource.getrlimit(resource.RLIMIT_AS)[0] != resource.RLIM_INFINITY
    # the soft limit only ("unlimited:"), up to the hard one the limited child leaves unlimited
    wrapped = [prlimit, "--as=unlimited:", "--", *cmd] if prlimit and limited else cmd
    return [setpriv, "--pdeathsig", "KILL", "--", *wrapped] if setpriv else wrapped


def browse(cmd: list[str], timeout: float = TIMEOUT_SECONDS) -> subprocess.CompletedProcess:
    """Run a browser command to its end (or `timeout`), then kill whatever of it is left."""
    proc = subprocess.Popen(
        _tethered(cmd),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own group: the zygote and renderers are killed with it
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except BaseException:
        _kill_group(proc)
        proc.communicate()
        raise
    _kill_group(proc)  # helpers a finished browser may leave for a moment
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def _run(html: str, flags: list[str], out_name: str) -> bytes:
    browser = chromium_path()
    if browser is None:
        raise ExportUnavailable("chromium not found")
    with tempfile.TemporaryDirectory(prefix="summary_export_") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        out = Path(tmp) / out_name
        cmd = _command(browser, tmp, [f.replace("{out}", str(out)) for f in flags], page)
        proc = browse(cmd)
        if not out.exists() or out.stat().st_size == 0:
            raise RuntimeError(
                f"chromium failed ({proc.returncode}): {proc.stderr.decode('utf-8', 'replace')[-500:]}"
            )
        return out.read_bytes()


def html_to_pdf(html: str, budget_ms: int | None = None) -> bytes:
    """The page printed to PDF with the page size of its CSS (@page A4 landscape), no header or footer.

    `budget_ms`: virtual time the page's scripts get before it is printed (charts it draws itself).
    """
    wait = [f"--virtual-time-budget={budget_ms}"] if budget_ms else []
    return _run(html, [*wait, "--print-to-pdf={out}", "--no-pdf-header-footer"], "report.pdf")


def html_to_png(html: str, size: tuple[int, int] = PNG_SIZE) -> bytes:
    """A screenshot of the page at A4-landscape proportions (zoomed so 297 mm fills the width)."""
    width, height = size
    # The page is laid out at 96 px per inch (297 mm = 1123 px); scale it up to the requested width.
    scale = width / (297 / 25.4 * 96)
    return _run(
        html,
        [
            "--screenshot={out}",
            f"--window-size={round(width / scale)},{round(height / scale)}",
            f"--force-device-scale-factor={scale:.4f}",
        ],
        "report.png",
    )


def html_dom(html: str, budget_ms: int = 30_000) -> str:
    """The page's DOM after its scripts have run (virtual time: timers and promises settle first).

    For pages that compute something in the browser and write it into the document, such as
    plotly.js drawing figures to PNG (briefing/images.py).
    """
    browser = chromium_path()
    if browser is None:
        raise ExportUnavailable("chromium not found")
    with tempfile.TemporaryDirectory(prefix="browser_dom_") as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(html, encoding="utf-8")
        cmd = _command(browser, tmp, [f"--virtual-time-budget={budget_ms}", "--dump-dom"], page)
        proc = browse(cmd)
    if proc.returncode != 0 or not proc.stdout:
        raise RuntimeError(
            f"chromium failed ({proc.returncode}): {proc.stderr.decode('utf-8', 'replace')[-500:]}"
        )
    return proc.stdout.decode("utf-8", "replace")
