"""Reading and checking a file in a child process with a wall-time and memory limit.

The dashboard serves everyone from one process: a file that made a reader spin or allocate without
end there would stall or kill it for every user. prepare_isolated() runs etl.returns.prepare.prepare in a
fresh Python (`python -m etl.read.isolated`) whose address space is capped with RLIMIT_AS and which is
killed at its deadline; what comes back is the Prepared return (its figures as Arrow) or the
refusal. The commit then runs in the caller's process as before. A child that is killed, runs out
of memory or fails in any other way is a refusal in Korean; nothing of it reaches the user.

run_limited() is the mechanism itself, for anything else the dashboard must not run in its own
process (the briefing pack: briefing/isolated.py): a named function called in the child, its
pickled result back, ChildStopped when the child hits a limit or dies.
"""

import contextlib
import ctypes
import importlib
import logging
import os
import pickle
import resource
import signal
import subprocess
import sys
import tempfile
from dataclasses import fields
from datetime import date
from pathlib import Path

from etl.problems import Problem, Refused, problem
from etl.read.safety import DEFAULT_LIMITS, Limits, check_size
from etl.returns.prepare import Prepared, prepare
from etl.shape.normalise import Defaults

ROOT = Path(__file__).resolve().parents[2]
MB = 1024**2
# Address space, not resident memory: Python, DuckDB, Arrow and fastexcel reserve about 500 MB
# of it before reading anything (with the allocator settings below); the 200,000-row back-fill
# needs about 1 GB in all.
MEMORY_BYTES = 1536 * MB
BASE_SECONDS = 25.0  # starting Python and the imports take 1–2 s of it
SECONDS_PER_MB = 4.0  # the back-fill reads and checks at about 1 s per MB on a busy machine
_ENV = {
    "MALLOC_ARENA_MAX": "2",  # glibc reserves 64 MB of address space per thread arena otherwise
    "ARROW_DEFAULT_MEMORY_POOL": "system",
    "OMP_NUM_THREADS": "1",
}
log = logging.getLogger(__name__)
_PARENT = "ETL_ISOLATED_PARENT"  # the pid of the process that started the child
GRACE_SECONDS = 10.0  # for a child told to stop (SIGTERM) to clean up before it is killed


class ChildStopped(RuntimeError):
    """The child was stopped: `reason` is "time", "memory" or "error" (the limit it hit, or a crash)."""

    def __init__(self, reason: str, limit: float, detail: str = "") -> None:
        super().__init__(f"{reason} ({limit:,.0f}): {detail[-300:]}")
        self.reason, self.limit, self.detail = reason, limit, detail


def seconds_for(size: int) -> float:
    return BASE_SECONDS + SECONDS_PER_MB * size / MB


def _stopped(name: str, ko: str, en: str) -> Refused:
    return Refused(
        name,
        [
            problem(
                None,
                None,
                None,
                f"파일을 읽고 검사하는 중 {ko} 중단했습니다. 정상적인 실적 파일이라면 이렇게 되지 않습니다.",
                f"reading and checking the file was stopped: {en}",
                "Excel에서 파일을 열어 실적 표 외의 시트·서식·그림을 지우고 'Excel 통합 문서(*.xlsx)'로 다시 저장한 뒤 "
                "제출하세요. 계속되면 파일을 나누어 올리세요.",
                "Open it in Excel, remove sheets, formatting and pictures other than the results table, save it as an "
                "Excel Workbook (*.xlsx) and submit again; if it persists, split the file.",
            )
        ],
    )


def prepare_isolated(
    path: str | Path,
    defaults: Defaults | None = None,
    *,
    display_name: str | None = None,
    today: date | None = None,
    limits: Limits = DEFAULT_LIMITS,
    seconds: float | None = None,
    memory_bytes: int = MEMORY_BYTES,
) -> Prepared:
    """prepare() in a child process; Refused if the file breaks a rule or the child hits a limit."""
    path = Path(path)
    name = display_name or path.name
    size = check_size(path, name, limits)
    seconds = seconds if seconds is not None else seconds_for(size)
    outcome = _run(("prepare", str(path), defaults, name, today, limits), name, seconds, memory_bytes)
    if outcome[0] == "refused":
        raise Refused(outcome[1], outcome[2])
    return Prepared(connection=None, **outcome[1])  # ty: ignore[invalid-argument-type]


def annotate_isolated(
    data: bytes, problems: list[Problem], name: str, *, memory_bytes: int = MEMORY_BYTES
) -> bytes:
    """etl.workbooks.annotate.annotate in a child process; Refused when openpyxl cannot open or mark up the workbook."""
    outcome = _run(("annotate", data, problems), name, seconds_for(len(data) * 4), memory_bytes)
    if outcome[0] == "refused":
        raise Refused(outcome[1], outcome[2])
    return outcome[1]


def _run(request: tuple, name: str, seconds: float, memory_bytes: int) -> tuple:
    """One request in the child; a limit hit or a crash is a refusal of the file, in Korean."""
    try:
        return run_limited(request, seconds, memory_bytes, what=f"{request[0]} of {name!r}")
    except ChildStopped as stopped:
        if stopped.reason == "time":
            raise _stopped(
                name, f"시간 한도({seconds:,.0f}초)를 넘어", f"it took longer than {seconds:,.0f} s"
            ) from None
        if stopped.reason == "memory":
            raise _stopped(
                name,
                f"메모리 한도({memory_bytes / MB:,.0f} MB)를 넘어",
                f"it needed more than {memory_bytes / MB:,.0f} MB of memory",
            ) from None
        raise _stopped(name, "예기치 못한 오류로", "an unexpected error in the reader") from None


def run_limited(
    request: tuple,
    seconds: float,
    memory_bytes: int,
    *,
    what: str = "",
    env: dict[str, str] | None = None,
) -> tuple:
    """Run one request in `python -m etl.read.isolated` and return its unpickled outcome.

    A request is ("prepare", …), ("annotate", …) or ("call", "module:function", args): the function
    called with args in the child, its return value pickled back. ChildStopped when the child takes
    longer than `seconds`, needs more than `memory_bytes` of address space or dies. The child's
    temporary files (TMPDIR) live in this call's own folder, removed on every way out, so a child
    killed at its limit leaves nothing behind; an exception or signal here (a server shutting down,
    a Ctrl-C) stops the child first.
    """
    with tempfile.TemporaryDirectory(prefix="etl-isolated-", ignore_cleanup_errors=True) as tmp:
        asked, answer, errors = Path(tmp) / "request", Path(tmp) / "answer", Path(tmp) / "stderr"
        scratch = Path(tmp) / "tmp"
        scratch.mkdir()
        asked.write_bytes(pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL))
        env = {
            **os.environ,
            **_ENV,
            **(env or {}),
            "PYTHONPATH": str(ROOT),
            "TMPDIR": str(scratch),
            _PARENT: str(os.getpid()),
        }
        with open(errors, "wb") as err:
            child = subprocess.Popen(
                [sys.executable, "-m", "etl.read.isolated", str(asked), str(answer), str(memory_bytes)],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
                start_new_session=True,  # a Ctrl-C or SIGTERM to the server is not the child's
            )
            try:
                code = child.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                _stop(child)
                raise ChildStopped("time", seconds) from None
            except BaseException:
                _stop(child)
                raise
        if code != 0 or not answer.exists():
            detail = errors.read_bytes()[-2000:].decode("utf-8", "replace")
            log.warning("isolated %s ended with %s: %s", what or request[0], code, detail)
            if (
                code == 3
                or "MemoryError" in detail
                or "memory allocation" in detail
                or "Out of Memory" in detail
                or "failed to map segment" in detail  # a library that no longer fits the address space
                or "Cannot allocate memory" in detail
            ):
                raise ChildStopped("memory", memory_bytes / MB, detail)
            raise ChildStopped("error", code, detail)
        return pickle.loads(answer.read_bytes())


def _stop(child: subprocess.Popen) -> None:
    """SIGTERM first, so the child can stop what it started (a browser) and remove its files; then kill."""
    try:
        child.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=GRACE_SECONDS)
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)  # its whole group: anything it started and left
        child.wait()


def _annotate(data: bytes, problems: list[Problem]) -> tuple:
    from etl.workbooks.annotate import annotate

    try:
        return ("ok", annotate(data, problems))
    except MemoryError:
        raise
    except Exception as exc:  # openpyxl cannot open or write what fastexcel could not read either
        return ("refused", "", [problem(None, None, None, type(exc).__name__, type(exc).__name__)])


def _die_with_parent() -> None:
    """Have the kernel send SIGTERM when the process that started this one dies, even by SIGKILL: a
    child left running would go on building for no one (and keep a browser alive)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG
    parent = os.environ.get(_PARENT)
    if parent and os.getppid() != int(parent):  # it died before the line above
        raise SystemExit(128 + signal.SIGTERM)


def _terminated(signum, frame) -> None:
    raise SystemExit(128 + signum)  # unwinds: finally blocks and context managers clean up


def _child(request: Path, answer: Path, memory_bytes: int) -> int:
    signal.signal(signal.SIGTERM, _terminated)
    _die_with_parent()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    asked = pickle.loads(request.read_bytes())
    if asked[0] == "call":
        # The soft limit only: a browser the call starts (Chromium reserves terabytes of address
        # space it never uses) lifts it for itself (ui/export.py); this Python stays bounded.
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, resource.RLIM_INFINITY))
        module, _, function = asked[1].partition(":")
        try:
            outcome = getattr(importlib.import_module(module), function)(*asked[2])
        except MemoryError:
            return 3
        answer.write_bytes(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
        return 0
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    if asked[0] == "annotate":
        try:
            outcome = _annotate(asked[1], asked[2])
        except MemoryError:
            return 3
        answer.write_bytes(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
        return 0
    _, path, defaults, name, today, limits = asked
    try:
        prepared = prepare(Path(path), defaults, display_name=name, today=today, limits=limits)
        fetched = prepared.rows
        outcome: tuple = (
            "ok",
            {
                f.name: getattr(prepared, f.name)
                for f in fields(Prepared)
                if f.name not in ("connection", "_rows")
            }
            | {"_rows": fetched},
        )
    except Refused as exc:
        outcome = ("refused", exc.file_name, exc.problems)
    except MemoryError:
        return 3
    answer.write_bytes(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
    return 0


if __name__ == "__main__":
    sys.exit(_child(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])))
