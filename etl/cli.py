"""The command line: template, load, targets, incidents, history, rollback, close/reopen, meetings, demo.

Every command ends with a one-line summary of what changed on stdout; problems and progress go to
stderr; a refused file makes the exit status non-zero.
"""

import argparse
import getpass
import sys
from pathlib import Path

from etl.loader import load_return
from etl.normalise import Defaults
from etl.problems import Refused
from etl.progress import Progress, stage
from etl.store import RollbackError, history, rollback
from etl.targets import load_targets
from etl.template import write_template
from warehouse.connection import connection
from warehouse.paths import db_path

SHOWN_PROBLEMS = 200


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m etl", description="중기부–외교부 정책협의회 실적 적재 도구"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", help="warehouse file (default: $DASHBOARD_DB or data/warehouse.duckdb)")
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
    p.add_argument("file", type=Path)

    p = with_db(
        sub.add_parser(
            "incidents", help="load emergencies (.xlsx): adds or updates by mission and start date"
        )
    )
    p.add_argument("file", type=Path)

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
    p.add_argument("file", type=Path)

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
    with connection(args.db) as con:
        for path in args.files:
            if progress is None:
                stage(f"{path.name} 읽는 중 / reading")
            try:
                result = load_return(con, path, defaults, loaded_by=getpass.getuser())
            except Refused as exc:
                refused += 1
                _report(exc)
                continue
            except FileNotFoundError:
                refused += 1
                sys.stderr.write(f"{path}: 파일이 없습니다 / file not found\n")
                continue
            finally:
                if progress:
                    progress.step(path.name)
            for w in result.result.warnings or []:
                sys.stderr.write(f"  ! {w.text()}\n")
            if result.result.unchanged:
                unchanged += 1
                if len(args.files) == 1:
                    print(result.summary())
                    return 0
            else:
                loaded += 1
                rows += result.result.rows
                if len(args.files) == 1:
                    print(result.summary())
    if len(args.files) > 1 or refused:
        print(
            f"적재 {loaded}개 파일({rows:,}건), 변경 없음 {unchanged}개, 거부 {refused}개 / "
            f"loaded {loaded} file(s) ({rows:,} figures), unchanged {unchanged}, refused {refused}"
        )
    return 1 if refused else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "template":
        write_template(args.out, year=args.year, quarter=args.quarter, agency=args.agency)
        print(f"양식 작성: {args.out} / template written")
        return 0
    if args.command == "load":
        return _load(args)
    if args.command == "targets":
        with connection(args.db) as con:
            try:
                print(load_targets(con, args.file, loaded_by=getpass.getuser()).summary())
            except Refused as exc:
                _report(exc)
                return 1
        return 0
    if args.command == "incidents":
        from etl.incidents import load_incidents

        with connection(args.db) as con:
            try:
                print(load_incidents(con, args.file, loaded_by=getpass.getuser()).summary())
            except Refused as exc:
                _report(exc)
                return 1
        return 0
    if args.command == "history":
        with connection(args.db) as con:
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
        print(df[cols].to_string(index=False))
        print(f"적재 이력 {len(df)}건 / {len(df)} load(s)")
        return 0
    if args.command == "rollback":
        with connection(args.db) as con:
            try:
                changed = rollback(con, args.submission_id, by=getpass.getuser())
            except RollbackError as exc:
                sys.stderr.write(f"{exc}\n")
                return 1
        print(
            f"제출 #{args.submission_id} 취소 — 실적 {changed:,}건 변경 / rolled back, {changed:,} figures changed"
        )
        return 0
    if args.command in ("close", "reopen", "quarters", "meetings"):
        from etl.cycle_cli import run_cycle_command

        return run_cycle_command(args, getpass.getuser(), _report)
    if args.command == "demo":
        from etl.demo import build_demo

        target = db_path(args.db)
        if target.exists() and not args.force:
            print(f"{target}: 이미 있습니다 (--force로 다시 생성) / exists, use --force to rebuild")
            return 0
        summary = build_demo(target, returns_dir=args.returns_dir, progress=Progress)
        print(summary)
        return 0
    return 2
