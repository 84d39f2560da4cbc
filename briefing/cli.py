"""`python -m briefing --meeting 3 --format hwpx|pdf --out FILE [--lang ko|en] [--db PATH]`.

The council briefing pack (회의 자료) for the secretariat's scripts: the same pack the dashboard
offers, as an HWPX document for 한글 or as the PDF. The file appears whole or not at all (written
beside its target and renamed). Anything that goes wrong is one line on stderr, Korean then English,
and exit status 1 (75 when the warehouse stayed locked: try again later; 130 when interrupted by
Ctrl-C or SIGTERM); never a traceback. The pack is built in a child process with a time and memory
limit (briefing/isolated.py), as the dashboard builds it.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from briefing.failures import explain
from briefing.isolated import build
from briefing.pack import FORMATS, PackError, write_atomic
from etl.cli.main import operator


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own message, with ours first
        self.print_usage(sys.stderr)
        sys.stderr.write(f"명령 인자가 잘못되었습니다 / bad arguments: {message}\n")
        sys.exit(2)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m briefing",
        description="정책협의회 회의 자료 (HWPX·PDF) / the council briefing pack as HWPX or PDF",
    )
    p.add_argument("--meeting", type=int, help="회의 차수 (기본: 다음 예정 회의) / meeting number")
    p.add_argument("--format", choices=FORMATS, default="hwpx", help="hwpx (한글) 또는 pdf")
    p.add_argument("--out", required=True, type=Path, help="만들 파일 / output file")
    p.add_argument("--lang", choices=("ko", "en"), default="ko", help="언어 / language (ko, en)")
    p.add_argument("--db", help="웨어하우스 파일 (기본: $DASHBOARD_DB 또는 data/warehouse.duckdb)")
    return p


def _fail(message: str, status: int = 1) -> int:
    sys.stderr.write(message.rstrip() + "\n")
    return status


def _terminated(signum, frame) -> None:
    # SIGTERM unwinds like Ctrl-C: the child that builds the pack is stopped, temporary files removed
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    out: Path = args.out
    if not out.parent.is_dir():
        return _fail(f"{out.parent}: 폴더가 없습니다. 있는 폴더를 지정하세요. / folder not found")
    if out.is_dir():
        return _fail(f"{out}: 폴더입니다. 파일 이름을 지정하세요. / is a folder, give a file name")
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        data = build(args.db, args.meeting, args.format, args.lang, author=operator())
        write_atomic(out, data)
    except PackError as exc:
        return _fail(str(exc), exc.status)
    except PermissionError as exc:
        return _fail(f"{exc.filename or out}: 파일을 쓸 권한이 없습니다. / permission denied")
    except OSError as exc:
        ko, en, status = explain(exc, args.db)
        return _fail(f"{ko} / {en}", status)
    except KeyboardInterrupt:
        return _fail("중단했습니다. 파일은 만들지 않았습니다. / interrupted; no file was written", 130)
    finally:
        signal.signal(signal.SIGTERM, previous)
    print(f"회의 자료 작성: {out} ({len(data) / 1024:,.0f} KB) / briefing pack written")
    return 0
