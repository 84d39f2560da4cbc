"""Where the project's files live."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
REF_DIR = DATA_DIR / "ref"
DEFAULT_DB = DATA_DIR / "warehouse.duckdb"


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The warehouse file: the explicit path, else $DASHBOARD_DB, else data/warehouse.duckdb."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("DASHBOARD_DB")
    return Path(env) if env else DEFAULT_DB
