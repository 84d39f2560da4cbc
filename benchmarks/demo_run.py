"""The command line the pack benchmarks share: time `run(db, repeat, today)` on a demo warehouse."""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ui.export import chromium_path


def main_on_demo(description: str, run: Callable[[Path, int, date], object], argv: list[str] | None) -> int:
    """--db reuses a demo warehouse (built there when missing); without it one is built in a temp folder."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", type=Path, help="a demo warehouse to reuse (built there when missing)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 12, 1))
    args = parser.parse_args(argv)
    if chromium_path() is None:
        print("Chromium is not installed: nothing to time")
        return 0
    from etl.demo.build import build_demo

    if args.db:
        if not args.db.exists():
            build_demo(args.db)
        run(args.db, args.repeat, args.today)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        build_demo(db, returns_dir=Path(tmp) / "returns")
        run(db, args.repeat, args.today)
    return 0
