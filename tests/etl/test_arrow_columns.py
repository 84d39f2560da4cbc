"""etl.shape.arrow builds the staging tables' small columns without pandas, exactly as pa.array would."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from etl.shape import arrow
from tests.support.returns import quarter_return

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["VN-HAN", None, "주베트남 대사관", "", "x" * 300], pa.string()),
        ([True, None, False, True, False, False, True, True, False], pa.bool_()),
        ([2026, None, -1, 0], pa.int32()),
        ([1.5, None, 1e308, -0.0], pa.float64()),
        ([7, 8], pa.int64()),
        ([], pa.string()),
        ([None, None], pa.float64()),
    ],
)
def test_a_column_equals_what_pyarrow_builds(values, kind):
    built = arrow.column(values, kind)
    built.validate(full=True)
    assert built.equals(pa.array(values, kind))


def test_a_numpy_column_shares_its_values():
    rows = np.arange(5, 10, dtype=np.int32)
    assert arrow.from_numpy(rows).equals(pa.array(rows))
    assert arrow.table({"a": arrow.from_numpy(rows)}).column_names == ["a"]


@pytest.mark.process
def test_a_command_line_load_never_imports_pandas(tmp_path, db_file):
    """pandas (and pyarrow.compute) cost a command-line load start-up time and serve it nothing."""
    path = quarter_return(tmp_path, "good.xlsx", [["VN-HAN", "kbeauty", "emb_collab", 10]])
    code = (
        "import sys; from etl.cli.main import main; "
        f"status = main(['load', {str(path)!r}, '--db', {str(db_file)!r}]); "
        "sys.exit(10 if {'pandas', 'pyarrow.compute'} & set(sys.modules) else status)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
