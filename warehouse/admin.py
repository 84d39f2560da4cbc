"""Administrator-edited reference data and the audit log (tables in data/admin.sql).

The K-beauty hub designation is not public, so the reference CSV may hold illustrative years; an
administrator's choice in admin_kbeauty_hub overrides it in the `missions` view. Every change
made through the dashboard is written to audit_log with who made it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from warehouse.text import clean_text
from warehouse.transaction import transaction

if TYPE_CHECKING:  # pandas is imported where a table is made: the command line loads without it
    import pandas as pd

HUB_TABLE = """
SELECT m.mission_code, m.name_ko, m.name_en, m.region_code,
       m.kbeauty_hub_since AS csv_since,
       h.mission_code IS NOT NULL AS overridden,
       h.since_year AS override_since,
       v.kbeauty_hub_since AS hub_since,
       h.note, h.changed_at, h.changed_by
FROM ref_missions AS m
JOIN missions AS v USING (mission_code)
LEFT JOIN admin_kbeauty_hub AS h USING (mission_code)
ORDER BY v.kbeauty_hub_since IS NULL, m.region_code, m.mission_code
"""


class AdminError(ValueError):
    """An edit that cannot be made (unknown mission, impossible year)."""


def record(
    con: duckdb.DuckDBPyConnection,
    action: str,
    *,
    actor: str | None,
    role: str | None = None,
    subject: str | None = None,
    detail: str | None = None,
) -> None:
    """One line in the audit log (inside the caller's transaction, if any); texts as warehouse.text keeps them."""
    con.execute(
        "INSERT INTO audit_log (actor, role, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
        [None if v is None else clean_text(v) for v in (actor, role, action, subject, detail)],
    )


def audit_log(con: duckdb.DuckDBPyConnection, limit: int = 200) -> pd.DataFrame:
    """The latest audit entries, newest first (empty before the first dashboard change)."""
    if not _has_table(con, "audit_log"):
        import pandas as pd

        return pd.DataFrame(columns=["audit_id", "acted_at", "actor", "role", "action", "subject", "detail"])
    return con.cursor().execute(f"SELECT * FROM audit_log ORDER BY audit_id DESC LIMIT {int(limit)}").df()


def kbeauty_hubs(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every mission with its hub year from the CSV, the override and the year in effect."""
    if not _has_table(con, "admin_kbeauty_hub"):  # a warehouse older than data/admin.sql, opened read-only
        return (
            con.cursor()
            .execute(
                "SELECT mission_code, name_ko, name_en, region_code, kbeauty_hub_since AS csv_since, "
                "false AS overridden, NULL::INTEGER AS override_since, kbeauty_hub_since AS hub_since, "
                "NULL::VARCHAR AS note, NULL::TIMESTAMP AS changed_at, NULL::VARCHAR AS changed_by "
                "FROM ref_missions ORDER BY kbeauty_hub_since IS NULL, region_code, mission_code"
            )
            .df()
        )
    return con.cursor().execute(HUB_TABLE).df()


def set_kbeauty_hub(
    con: duckdb.DuckDBPyConnection,
    mission_code: str,
    since_year: int | None,
    *,
    by: str | None,
    role: str | None = None,
    note: str | None = None,
) -> None:
    """Designate a mission a K-beauty hub from `since_year`, or withdraw it (None). Audited."""
    known = con.execute("SELECT 1 FROM ref_missions WHERE mission_code = ?", [mission_code]).fetchall()
    if not known:
        raise AdminError(f"알 수 없는 공관 코드입니다 / unknown mission: {mission_code}")
    if since_year is not None and not 2000 <= int(since_year) <= 2100:
        raise AdminError(f"지정 연도가 올바르지 않습니다 / impossible year: {since_year}")
    with transaction(con):
        con.execute(
            "INSERT OR REPLACE INTO admin_kbeauty_hub (mission_code, since_year, note, changed_at, changed_by) "
            "VALUES (?, ?, ?, current_timestamp, ?)",
            [mission_code, since_year, note, by],
        )
        record(
            con,
            "kbeauty_hub",
            actor=by,
            role=role,
            subject=mission_code,
            detail=f"since {since_year}" if since_year is not None else "withdrawn",
        )


def reset_kbeauty_hub(
    con: duckdb.DuckDBPyConnection, mission_code: str, *, by: str | None, role: str | None = None
) -> None:
    """Drop the override: the reference CSV's year applies again. Audited."""
    with transaction(con):
        con.execute("DELETE FROM admin_kbeauty_hub WHERE mission_code = ?", [mission_code])
        record(con, "kbeauty_hub", actor=by, role=role, subject=mission_code, detail="reset to reference CSV")


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    rows = con.execute(
        "SELECT 1 FROM duckdb_tables() WHERE table_name = ? AND NOT temporary", [name]
    ).fetchall()
    return bool(rows)
