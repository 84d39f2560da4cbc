"""Creating the schema and keeping reference data in step with data/ref/*.csv."""

import csv
import hashlib

import duckdb

from warehouse.cycle import adopt_cycle
from warehouse.derived import refresh_derived
from warehouse.names import name_key
from warehouse.paths import DATA_DIR, REF_DIR
from warehouse.transaction import transaction
from warehouse.weights import count_missing_weights

# table, CSV file, the code column, and the alias kind (for ref_aliases)
REFERENCE_TABLES = (
    ("ref_agencies", "agencies.csv", "agency_code", "agency"),
    ("ref_sectors", "sectors.csv", "sector_code", "sector"),
    ("ref_programs", "programs.csv", "program_code", "program"),
    ("ref_metrics", "metrics.csv", "metric_code", "metric"),
    ("ref_regions", "regions.csv", "region_code", "region"),
    ("ref_missions", "missions.csv", "mission_code", "mission"),
    ("ref_incident_types", "incident_types.csv", "type_code", "incident_type"),
    ("ref_incident_statuses", "incident_statuses.csv", "status_code", "incident_status"),
    ("ref_action_statuses", "action_statuses.csv", "status_code", "action_status"),
)
# kind as pages name it ("agencies", the table without ref_) -> (CSV file, code column)
REFERENCE_FILES = {table.removeprefix("ref_"): (csv, code) for table, csv, code, _ in REFERENCE_TABLES}
# Columns whose values are also spellings of the code.
_NAME_COLUMNS = ("name_ko", "name_en", "short_ko", "short_en")


def read_reference(file_name: str) -> list[dict[str, str]]:
    with open(REF_DIR / file_name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _reference_digest() -> str:
    digest = hashlib.sha256()
    for _, file_name, _, _ in REFERENCE_TABLES:
        digest.update((REF_DIR / file_name).read_bytes())
    return digest.hexdigest()


# The DDL ensure_schema runs, in order (views.sql last: its views read the others' tables).
SCHEMA_FILES = ("schema.sql", "admin.sql", "incidents.sql", "cycle.sql", "followup.sql")
VIEWS_FILE = "views.sql"


def _schema_digest(reference_digest: str) -> str:
    """What the warehouse's schema and reference data are made from: the DDL files and the CSVs."""
    digest = hashlib.sha256(reference_digest.encode())
    for file_name in (*SCHEMA_FILES, VIEWS_FILE):
        digest.update((DATA_DIR / file_name).read_bytes())
    return digest.hexdigest()


def _catalog(con: duckdb.DuckDBPyConnection) -> str:
    """How many tables and views the warehouse holds: one dropped since (a migration test, a
    hand-edited file) makes ensure_schema run its DDL again even though the digest matches."""
    tables, views = con.execute(
        "SELECT (SELECT count(*) FROM duckdb_tables() WHERE NOT temporary AND database_name = current_database()), "
        "(SELECT count(*) FROM duckdb_views() WHERE NOT internal AND NOT temporary "
        "AND database_name = current_database())"
    ).fetchall()[0]
    return f"tables={tables},views={views}"


def _stored_schema(con: duckdb.DuckDBPyConnection) -> str | None:
    tables = con.execute(
        "SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
        "AND table_name = 'meta'"
    ).fetchall()
    if not tables:
        return None
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_digest'").fetchall()
    return row[0][0] if row else None


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create what is missing; reload reference data if the CSVs changed. Idempotent.

    A warehouse whose schema was made from these very DDL files and CSVs (meta 'schema_digest') is
    not touched again: every write opens the warehouse, and re-running the DDL there would lengthen
    the time the write lock is held (and the checkpoint after it) for nothing.
    """
    reference = _reference_digest()
    digest = _schema_digest(reference)
    current = _stored_schema(con) == f"{digest} {_catalog(con)}"
    if not current:
        for file_name in SCHEMA_FILES:
            # schema.sql: the contract; admin.sql: administrator-edited data; incidents.sql: emergencies
            # (ref tables too); cycle.sql: closed quarters, meetings; followup.sql: explanations, actions
            con.execute((DATA_DIR / file_name).read_text(encoding="utf-8"))
        row = con.execute("SELECT value FROM meta WHERE key = 'reference_digest'").fetchall()
        if not row or row[0][0] != reference:
            load_reference(con, reference)
    # Figures from before fact_result.weight, result_sums, submission_slice or result_rollup existed: derive
    # those once. Normally a count and a meta lookup, nothing else.
    built = con.execute(
        "SELECT count(*) FROM meta WHERE key IN ('result_sums', 'submission_slice', 'result_rollup')"
    ).fetchall()[0][0]
    if built < 3 or count_missing_weights(con):
        refresh_derived(con)
    if not current:
        con.execute((DATA_DIR / VIEWS_FILE).read_text(encoding="utf-8"))
        con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_digest', ?)", [f"{digest} {_catalog(con)}"])
    adopt_cycle(con)


def alias_rows(kind: str, code_column: str, records: list[dict[str, str]]) -> list[tuple[str, str, str]]:
    """Every normalised spelling of each code: the code, its names and its listed aliases."""
    seen: dict[str, str] = {}
    for rec in records:
        code = rec[code_column]
        spellings = [code, *(rec.get(c) or "" for c in _NAME_COLUMNS)]
        spellings += (rec.get("aliases") or "").split("|")
        for spelling in spellings:
            key = name_key(spelling)
            if not key:
                continue
            if seen.get(key, code) != code:
                raise ValueError(f"{kind} alias {spelling!r} names both {seen[key]} and {code}")
            seen[key] = code
    return [(kind, key, code) for key, code in seen.items()]


def load_reference(con: duckdb.DuckDBPyConnection, digest: str) -> None:
    with transaction(con):
        con.execute("DELETE FROM ref_aliases")
        for table, file_name, code_column, kind in REFERENCE_TABLES:
            records = read_reference(file_name)
            columns = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall()]
            rows = [tuple(_cell(rec.get(c)) for c in columns) for rec in records]
            con.execute(f"DELETE FROM {table}")
            placeholders = ", ".join("?" for _ in columns)
            con.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows)
            con.executemany(
                "INSERT INTO ref_aliases VALUES (?, ?, ?)", alias_rows(kind, code_column, records)
            )
        con.execute("INSERT OR REPLACE INTO meta VALUES ('reference_digest', ?)", [digest])


def _cell(value: str | None) -> str | None:
    """CSV text to SQL: empty means NULL; DuckDB casts the rest to the column type."""
    return value if value not in (None, "") else None
