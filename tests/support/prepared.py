"""Prepared warehouses built once and copied per test: copying a built file takes milliseconds,
building one seconds.

Each kind is built by a function `build(path)` and kept on disk under tests/.cache/, keyed by a hash
of what builds it (the project's code, schema and reference data, the builder's own module, the
DuckDB version and today's date, since the demo and the period checks depend on it). A lock file
makes the pytest-xdist workers build a kind once between them. Tests get copies, never the cached
file, so a test that writes cannot change what the next one starts from.
"""

from __future__ import annotations

import fcntl
import hashlib
import inspect
import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("TEST_WAREHOUSE_CACHE", ROOT / "tests" / ".cache"))
# What every prepared warehouse is built from: code, schema, views and reference data.
_SOURCES = ("etl", "warehouse", "data/schema.sql", "data/views.sql", "data/ref")


def _files(where: Path) -> list[Path]:
    if where.is_file():
        return [where]
    return sorted(p for p in where.rglob("*") if p.is_file() and p.suffix in (".py", ".sql", ".csv"))


def _fingerprint(build: Callable) -> str:
    digest = hashlib.sha256()
    digest.update(f"{duckdb.__version__}|{date.today().isoformat()}|{build.__qualname__}".encode())
    builder_file = Path(inspect.getfile(build))
    for path in [f for s in _SOURCES for f in _files(ROOT / s)] + [builder_file]:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def prepared(name: str, build: Callable[[Path], object]) -> Path:
    """The cached warehouse `name` built by `build(path)`, building it first if no current one exists."""
    CACHE.mkdir(parents=True, exist_ok=True)
    target = CACHE / f"{name}-{_fingerprint(build)}.duckdb"
    with open(CACHE / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            for stale in CACHE.glob(f"{name}-*.duckdb"):
                stale.unlink()
            with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
                built = Path(tmp) / "w.duckdb"
                build(built)
                _checkpoint(built)
                os.replace(built, target)
    return target


def _checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the file, so that the file alone is the whole warehouse."""
    with duckdb.connect(str(path)) as con:
        con.execute("CHECKPOINT")
    if path.with_name(path.name + ".wal").exists():
        raise RuntimeError(f"{path} kept a write-ahead log after CHECKPOINT")


def copy_of(name: str, build: Callable[[Path], object], dest: Path) -> Path:
    """A private copy of the prepared warehouse `name` at `dest`."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(prepared(name, build), dest)
    return dest
