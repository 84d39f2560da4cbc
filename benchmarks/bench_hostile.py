"""Hostile workbooks against the loader: each must end fast, small, and scale linearly with its size.

    .venv/bin/python -m benchmarks.bench_hostile [--scale 1]

Each case (tests/support/hostile.py: unclosed <f> tags, a row of 200,000 cells, 800,000 <row>
tags, disguised zip bombs in styles/theme/shared strings, damaged containers) is built at its size
and at twice its size, and etl.returns.prepare.prepare runs on each in a fresh process, which reports its
wall time (after a warm-up load of a good return, so imports are not counted) and peak memory.
The baseline is the same for the good two-row return itself, in the same run.

Targets: every case under 30 s and 1.5 GB; the doubled case at most 3× the single one (a linear
pass takes about 2×, a quadratic one 4×; process start-up makes small cases look better still).
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT_SECONDS = 30.0
LIMIT_BYTES = 1.5 * 1024**3
TARGET_DOUBLING = 3.0


def _one(path: str, warm: str) -> None:
    """Child: prepare `warm` (imports, reference data), then time one file; print seconds, peak memory, outcome."""
    from etl.problems import Refused
    from etl.returns.prepare import prepare

    prepare(Path(warm))
    started = time.perf_counter()
    try:
        prepare(Path(path))
        outcome = "loaded"
    except Refused as exc:
        outcome = exc.problems[0].message_en[:70] if exc.problems else "refused"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "peak": peak, "outcome": outcome}))


def measure(path: Path, warm: Path) -> dict:
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_hostile", "--one", str(path), "--warm", str(warm)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    if run.returncode != 0:
        return {"seconds": float("nan"), "peak": 0, "outcome": "CRASHED: " + run.stderr[-200:], "kb": 0}
    return json.loads(run.stdout.strip().splitlines()[-1]) | {"kb": path.stat().st_size / 1024}


def cases(tmp: Path, scale: int) -> dict[str, Path]:
    from tests.support import hostile as hb
    from tests.support.returns import GOOD
    from tests.support.xlsx import as_excel_saves_it, write_xlsx

    plain = write_xlsx(tmp / "plain.xlsx", GOOD)
    shared = as_excel_saves_it(write_xlsx(tmp / "shared.xlsx", GOOD))
    head = hb.SHEET_HEAD
    built: dict[str, Path] = {"(baseline) good return": plain}
    for factor in (1, 2):
        n = scale * factor
        sheets = {
            f"{100_000 * n:,} unclosed formula cells": head
            + b'<row r="1">'
            + b'<c r="A1"><f>' * (100_000 * n),
            f"{100_000 * n:,} unclosed <f>": head + b'<row r="1"><c r="A1">' + b"<f>" * (100_000 * n),
            f"{200_000 * n:,} <c><v>1</v> in one row": head + b'<row r="1">' + b"<c><v>1</v>" * (200_000 * n),
            f"{800_000 * n:,} <row> tags": head + b"<row>" * (800_000 * n),
        }
        for label, xml in sheets.items():
            built[label] = hb.hostile_sheet(plain, tmp / f"{len(built)}.xlsx", xml)
    for part in (hb.STYLES, hb.THEME, hb.SST):
        built[f"{part} inflating 1 GB, declaring 20 kB"] = hb.disguised_part(
            shared, tmp / f"{len(built)}.xlsx", part, inflated=1024**3
        )
    built["corrupt deflate in workbook.xml"] = hb.damaged(shared, tmp / "d.xlsx", hb.WORKBOOK, "deflate")
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="multiply every hostile size")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--warm", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        _one(args.one, args.warm)
        return 0
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        built = cases(Path(tmp), args.scale)
        good = built["(baseline) good return"]
        results = {label: measure(path, good) for label, path in built.items()}
    base = results["(baseline) good return"]["seconds"]
    print(f"{'case':48} {'KB':>6} {'s':>7} {'×base':>6} {'peak MB':>8}  outcome")
    for label, r in results.items():
        within = r["seconds"] < LIMIT_SECONDS and r["peak"] < LIMIT_BYTES
        ok = ok and within
        print(
            f"{label[:48]:48} {r['kb']:6.0f} {r['seconds']:7.2f} {r['seconds'] / base:6.1f} "
            f"{r['peak'] / 1024**2:8.0f}  {r['outcome'][:60]}{'' if within else '  ✗'}"
        )
    labels = list(results)
    for single, double in zip(labels[1:5], labels[5:9], strict=True):
        ratio = results[double]["seconds"] / max(results[single]["seconds"], 0.01)
        ok = ok and ratio <= TARGET_DOUBLING
        print(f"  doubling '{single}': {ratio:.1f}× the time (target ≤ {TARGET_DOUBLING:g})")
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
