"""A killed `python -m briefing` leaves no browser and no temporary folder behind (#26 item 11).

The real command runs on the demo with a Chromium that, once started, stays up (a wrapper named by
CHROMIUM_PATH drops the print flag and keeps a debugging port open) and says so through a file: the
signal lands while the browser runs, however busy the machine. Every process the command started,
the browser's helpers included, carries a marker in its environment; after the signal none may be
left and no browser folder may remain under the command's TMPDIR.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.browser import needs_chromium

pytestmark = [pytest.mark.process, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
WAIT = 60.0  # the longest any condition below is waited for; each is polled, never slept on

HOLD = """#!{python}
import os, sys
flags = [a for a in sys.argv[1:] if not a.startswith(("--print-to-pdf", "--dump-dom", "--screenshot",
                                                       "--virtual-time-budget"))]
open(os.environ["HOLD_READY"], "w").write(str(os.getpid()))
os.execv({chromium!r}, [{chromium!r}, "--remote-debugging-port=0", *flags])
"""


def until(condition, what: str):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.05)  # a poll interval, not a wait for something to happen
    pytest.fail(f"not within {WAIT:.0f} s: {what}")


def marked(marker: str) -> list[int]:
    """Every live process whose environment carries `marker`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environ = (entry / "environ").read_bytes()
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if marker.encode() in environ and state != "Z":
                found.append(int(entry.name))
    return found


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["TERM", "INT", "KILL"])
def test_killed_while_the_browser_runs(demo_db, tmp_path, sig) -> None:
    chromium = needs_chromium()
    temp, ready = tmp_path / "tmp", tmp_path / "ready"
    temp.mkdir()
    hold = tmp_path / "hold-chromium"
    hold.write_text(HOLD.format(python=sys.executable, chromium=chromium))
    hold.chmod(0o755)
    marker = f"BRIEFING_KILL_TEST={tmp_path.name}"
    env = {
        **os.environ,
        "TMPDIR": str(temp),
        "CHROMIUM_PATH": str(hold),
        "HOLD_READY": str(ready),
        marker.split("=")[0]: marker.split("=")[1],
    }
    command = [sys.executable, "-m", "briefing", "--meeting", "3", "--format", "pdf"]
    command += ["--out", str(tmp_path / "pack.pdf"), "--db", str(demo_db)]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        until(ready.exists, "the browser started")
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=WAIT)
        if sig != signal.SIGKILL:
            assert proc.returncode == 130, err.decode()
            assert "Traceback" not in err.decode() and "중단했습니다" in err.decode()
        until(lambda: not marked(marker), "every process the command started has ended")
        leftovers = [p for p in temp.rglob("*") if p.name.startswith(("summary_export_", "browser_dom_"))]
        assert leftovers == []
        if sig != signal.SIGKILL:  # a process killed outright cannot remove its own folder
            assert list(temp.iterdir()) == []
        assert not (tmp_path / "pack.pdf").exists()
    finally:
        for pid in marked(marker):  # a failed run must not leave a browser on the machine
            os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
