"""The command line: template, load, targets, incidents, actions, explanations, history, rollback, close/reopen, meetings, verify, demo.

Every command ends with a one-line summary of what changed on stdout; problems and progress go to
stderr; a refused file makes the exit status non-zero.

Files are read and checked before the warehouse is opened, and the warehouse is opened read-write
only for each commit, so a slow file never keeps the dashboard or another writer waiting; `history`
opens it read-only. A warehouse that stays locked, is missing or cannot be read ends the command
with one Korean line and exit status BUSY (75, "try again later") or 1, never a traceback.

Whoever can write the warehouse file can run the writing commands: the file's permissions are the
control. Every change is recorded as made by the operating system's account running the command
(`os:NAME`, from the effective user id, never from LOGNAME or USER, which anyone sets), with the role
`cli`, and written to the audit log in the change's own transaction, as the app does.
"""

import argparse
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import duckdb

from etl import intake
from etl.cli.progress import Progress, stage
from etl.problems import Refused, printable, short
from etl.registers.targets import withdrawal_message, withdrawals
from etl.shape.normalise import Defaults
from etl.store.ledger import RollbackError, history, rollback
from warehouse.connection import LOCK_WAIT_SECONDS, WarehouseBusy, WarehouseMissing, connection
from warehouse.paths import db_path

SHOWN_PROBLEMS = 200
LOADED_FILES = (
    "SELECT file_sha256, max(submission_id) FROM submission "
    "WHERE kind = 'results' AND status <> 'rolled_back' GROUP BY file_sha256"
)
BUSY = 75  # sysexits EX_TEMPFAIL: the warehouse stayed locked; the same command later may succeed
ROLE = "cli"  # the audit log's role for a change made on the command line
OS_PREFIX = "os:"  # marks an operating-system account, so it does not read as an app account (an e-mail)


def operator() -> str:
    """The account the operating system runs this process as (effective uid), as `os:NAME`.

    Never an environment variable: LOGNAME and USER are whatever the caller sets, an e-mail address
    of an app account or an escape sequence included.
    """
    uid = os.geteuid()
    try:
        import pwd

        name = pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):  # no passwd entry (a container's bare uid)
        name = f"uid{uid}"
    return f"{OS_PREFIX}{printable(name)}"


def actor() -> intake.Actor:
    """Who a command's changes are recorded as: the operator, in the role `cli`."""
    return intake.Actor(operator(), ROLE)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m etl", description="중기부–외교부 정책협의회 실적 적재 도구"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def register_file(p: argparse.ArgumentParser) -> None:
        p.add_argument("file", type=Path)
        p.add_argument(
            "--marked",
            type=Path,
            help="when the file is refused, write a copy with every problem cell marked and commented here",
        )

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", help="warehouse file (default: $DASHBOARD_DB or data/warehouse.duckdb)")
        p.add_argument(
            "--wait",
            type=float,
            default=LOCK_WAIT_SECONDS,
            help=f"seconds to wait for a locked warehouse (default {LOCK_WAIT_SECONDS:.0f})",
        )
        return p

    p = sub.add_parser("template", help="write the official return template (.xlsx)")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--year", type=int)
    p.add_argument("--quarter", type=int, choices=(1, 2, 3, 4))
    p.add_argument("--agency", help="agency code or name to fill in")

    p = with_db(sub.add_parser("load", help="load quarterly returns (.xlsx)"))
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--year", type=int, help="year, when the file does not say")
    p.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), help="quarter, when the file does not say")
    p.add_argument("--agency", help="reporting agency, when the file does not say")
    p.add_argument("--mission", help="mission, for a single mission's return that does not say")
    p.add_argument("--cumulative", action="store_true", help="figures are year-to-date (누계)")

    p = with_db(sub.add_parser("targets", help="load annual targets (.xlsx)"))
    register_file(p)
    p.add_argument(
        "--replace",
        action="store_true",
        help="load even when the file withdraws more than half of a year's targets in force",
    )

    p = with_db(
        sub.add_parser(
            "incidents", help="load emergencies (.xlsx): adds or updates by mission and start date"
        )
    )
    register_file(p)

    for command, text in (
        ("actions", "add or update follow-up actions and their progress notes (.xlsx register)"),
        ("explanations", "add or update explanations of targets at risk (.xlsx register)"),
    ):
        p = with_db(sub.add_parser(command, help=text))
        register_file(p)

    p = with_db(sub.add_parser("history", help="list loads, newest first"))
    p.add_argument("--limit", type=int, default=50)

    p = with_db(sub.add_parser("rollback", help="undo one load"))
    p.add_argument("submission_id", type=int)

    for command, text in (("close", "close a quarter (마감)"), ("reopen", "reopen a closed quarter")):
        p = with_db(sub.add_parser(command, help=text))
        p.add_argument("year", type=int)
        p.add_argument("quarter", type=int)

    with_db(sub.add_parser("quarters", help="list quarters: open or closed, who closed them, completeness"))

    p = with_db(sub.add_parser("meetings", help="add or update council meetings (.xlsx register)"))
    register_file(p)

    with_db(
        sub.add_parser("verify", help="check the warehouse: DuckDB's own checks and the contract's rules")
    )

    p = with_db(sub.add_parser("demo", help="build the demo warehouse from synthetic returns"))
    p.add_argument("--force", action="store_true", help="replace an existing warehouse")
    p.add_argument("--returns-dir", type=Path, help="where to write the demo .xlsx returns")
    return parser


def _report(exc: Refused) -> None:
    errors = [p for p in exc.problems if p.severity == "error"]
    sys.stderr.write(exc.summary() + "\n")
    for p in errors[:SHOWN_PROBLEMS]:
        sys.stderr.write(f"  ✗ {p.text()}\n")
    if len(errors) > SHOWN_PROBLEMS:
        sys.stderr.write(
            f"  … 외 {len(errors) - SHOWN_PROBLEMS}건 / and {len(errors) - SHOWN_PROBLEMS} more\n"
        )


def _mark(args, exc: Refused) -> None:
    """A refused register file, written back with its problem cells marked (--marked PATH)."""
    out = getattr(args, "marked", None)
    if out is None:
        return
    from etl.workbooks.annotate import annotate

    try:
        out.write_bytes(annotate(args.file, exc.problems))
    except Exception as failed:  # a file openpyxl cannot open: the problems above still stand
        sys.stderr.write(
            f"{out}: 표시한 사본을 만들지 못했습니다 / could not write the marked copy ({type(failed).__name__})\n"
        )
        return
    sys.stderr.write(f"{out}: 문제 셀을 표시한 사본 / the marked copy\n")


def _loaded_files(db: str | None) -> dict[str, int]:
    """Submission id by file hash of the returns loaded so far, if the warehouse can be read at once.

    Only spares reading a file again: commit() itself finds a duplicate under the write lock.
    """
    try:
        with connection(db, read_only=True, wait=0) as con:
            rows = con.execute(LOADED_FILES).fetchall()
    except (duckdb.Error, WarehouseBusy, WarehouseMissing, OSError):
        return {}
    return {sha: submission_id for sha, submission_id in rows}


def _load(args) -> int:
    defaults = Defaults(
        year=args.year,
        quarter=args.quarter,
        agency=args.agency,
        mission=args.mission,
        basis="cumulative" if args.cumulative else None,
    )
    loaded = refused = unchanged = rows = 0
    progress = Progress(len(args.files), "적재") if len(args.files) > 1 else None
    known = _loaded_files(args.db)
    me = actor()

    @contextmanager
    def for_commit():
        with connection(args.db, wait=args.wait) as con:
            # One thread writes whole row groups. Parallel inserts leave each thread a partial one,
            # which the checkpoint before closing merges again, under the lock: 3-4 s for a million
            # figures here, against nothing gained on 2 cores. The setting is this process's own
            # DuckDB instance's: nothing else runs on it.
            con.execute("SET threads = 1")
            yield con

    for path in args.files:
        if progress is None:
            stage(f"{path.name} 읽는 중 / reading")
        try:
            # the one intake: read and checked first, the warehouse held for the commit alone
            result = intake.load(
                for_commit, path, me, kind=intake.RESULTS, defaults=defaults, known=known
            ).result
        except Refused as exc:
            refused += 1
            _report(exc)
            continue
        except FileNotFoundError:
            refused += 1
            sys.stderr.write(f"{printable(short(path, 200))}: 파일이 없습니다 / file not found\n")
            continue
        finally:
            if progress:
                progress.step(path.name)
        for w in result.warnings or []:
            sys.stderr.write(f"  ! {w.text()}\n")
        if result.unchanged:
            unchanged += 1
            if len(args.files) == 1:
                print(result.summary(path.name))
                return 0
        else:
            loaded += 1
            rows += result.rows
            if len(args.files) == 1:
                print(result.summary(path.name))
    if len(args.files) > 1 or refused:
        print(
            f"적재 {loaded}개 파일({rows:,}건), 변경 없음 {unchanged}개, 거부 {refused}개 / "
            f"loaded {loaded} file(s) ({rows:,} figures), unchanged {unchanged}, refused {refused}"
        )
    return 1 if refused else 0


def _register(args) -> int:
    """A register file (targets, incidents, meetings, actions, explanations) through the one intake: read
    and checked before the warehouse is opened, then stored under the write lock with its audit line.

    The command line knows nothing of attainment (etl does not import metrics), so an explanation of
    a target on track is stored without the warning the app gives.
    """
    me = actor()
    incoming = intake.read(args.file, me, kind=args.command)
    name = printable(short(incoming.name, 200))
    with connection(args.db, wait=args.wait) as con:
        if args.command == "targets" and (heavy := withdrawals(con, incoming.content)):
            ko, en = withdrawal_message(heavy)
            if not args.replace:
                print(f"{name}: {ko} 그대로 적재하려면 --replace를 붙이세요. / {en} Add --replace to load it as it is.",
                      file=sys.stderr)  # fmt: skip
                return 1
            print(f"{name}: {ko} / {en}")
        result = intake.commit(con, incoming, me)
    for w in getattr(result, "warnings", []):
        sys.stderr.write(f"  ! {w.text()}\n")
    print(result.summary())
    return 0


def _history(args) -> int:
    with connection(args.db, read_only=True, wait=args.wait) as con:
        df = history(con, args.limit)
    if df.empty:
        print("적재 이력이 없습니다 / no loads yet")
        return 0
    cols = [
        "submission_id",
        "kind",
        "file_name",
        "reporter",
        "period_first",
        "period_last",
        "row_count",
        "status",
        "loaded_at",
        "loaded_by",
    ]
    # stored text (a file's name, an account) printed with its control characters escaped
    shown = df[cols].map(lambda v: printable(v) if isinstance(v, str) else v)
    print(shown.to_string(index=False))
    print(f"적재 이력 {len(df)}건 / {len(df)} load(s)")
    return 0


def _rollback(args) -> int:
    with connection(args.db, wait=args.wait) as con:
        try:
            changed = rollback(con, args.submission_id, by=operator(), role=ROLE)
        except RollbackError as exc:
            sys.stderr.write(f"{exc}\n")
            return 1
    print(
        f"제출 #{args.submission_id} 취소 — 실적 {changed:,}건 변경 / rolled back, {changed:,} figures changed"
    )
    return 0


def _demo(args) -> int:
    from etl.demo.build import build_demo

    target = db_path(args.db)
    if target.exists() and not args.force:
        print(f"{target}: 이미 있습니다 (--force로 다시 생성) / exists, use --force to rebuild")
        return 0
    print(build_demo(target, returns_dir=args.returns_dir, progress=Progress))
    return 0


def _verify(args) -> int:
    target = db_path(args.db)
    from warehouse.verify import check

    findings = check(target, wait=args.wait)
    for finding in findings:
        print(finding.line())
    if all(f.ok for f in findings):
        print(f"{target}: 이상 없음 / the warehouse is sound")
        return 0
    print(
        f"{target}: 문제가 있습니다. 대시보드와 적재를 멈추고 백업에서 되살리거나, 원본 파일을 다시 적재해 새로 만드세요 "
        "(`python -m etl demo --force`는 데모용). / the warehouse has problems: restore a backup or rebuild it"
    )
    return 1


def _cycle(args) -> int:
    from etl.cli.cycle import run_cycle_command

    def report(exc: Refused) -> None:
        _report(exc)
        _mark(args, exc)

    return run_cycle_command(args, operator(), ROLE, report)


COMMANDS = {
    "load": _load,
    "targets": _register,
    "incidents": _register,
    "actions": _register,
    "explanations": _register,
    "history": _history,
    "rollback": _rollback,
    "demo": _demo,
    "verify": _verify,
    "close": _cycle,
    "reopen": _cycle,
    "quarters": _cycle,
    "meetings": _register,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "template":
        from etl.workbooks.template import write_template  # openpyxl: only this command writes a workbook

        write_template(args.out, year=args.year, quarter=args.quarter, agency=args.agency)
        print(f"양식 작성: {args.out} / template written")
        return 0
    target = db_path(getattr(args, "db", None))
    try:
        return COMMANDS[args.command](args)
    except Refused as exc:
        _report(exc)
        _mark(args, exc)
        return 1
    except WarehouseBusy:
        sys.stderr.write(
            f"{target}: 웨어하우스를 다른 작업(대시보드의 적재나 다른 명령)이 쓰고 있어 {args.wait:.0f}초 기다렸지만 "
            "열지 못했습니다. 잠시 후 다시 실행하세요. / warehouse locked, try again later\n"
        )
        return BUSY
    except WarehouseMissing:
        sys.stderr.write(
            f"{target}: 웨어하우스 파일이 없습니다. `python -m etl demo`로 만들거나 실적을 적재하세요. "
            "/ warehouse not found\n"
        )
        return 1
    except FileNotFoundError as exc:
        # a file name is the caller's text: shown printable (no terminal escapes), bounded
        sys.stderr.write(f"{printable(short(exc.filename, 200))}: 파일이 없습니다 / file not found\n")
        return 1
    except MemoryError:
        sys.stderr.write(
            "메모리가 부족해 파일을 처리하지 못했습니다. 파일을 나누어 적재하거나 메모리가 넉넉한 곳에서 실행하세요. "
            "/ out of memory\n"
        )
        return 1
    except PermissionError as exc:
        sys.stderr.write(
            f"{printable(short(exc.filename or target, 200))}: 파일을 쓸 권한이 없습니다. 권한을 확인하세요 (이력 조회는 읽기 전용으로도 됩니다). "
            "/ permission denied\n"
        )
        return 1
    except duckdb.Error as exc:
        sys.stderr.write(
            f"{target}: 웨어하우스를 읽거나 쓸 수 없습니다 ({type(exc).__name__}). `python -m etl verify`로 점검하고, "
            "손상되었다면 백업에서 되살리거나 `python -m etl demo --force`·원본 파일 재적재로 다시 만드세요. "
            "/ warehouse unreadable, run `python -m etl verify`\n"
        )
        return 1
