"""What every register's store shares: one transaction, the submission row, versions add-or-update.

A versioned register (incidents, explanations, actions, notes) writes each added or changed entry
as a new version row under one submission; the contract view shows the latest version whose
submission is not rolled back, so etl.store.ledger.rollback undoes a load, and an entry written again
with the same details is not a change (the same file again stores nothing).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from etl.problems import Problem, cell_ref, josa, printable, short
from warehouse.text import clean_text

SUBMISSION_COLUMNS = (
    "kind",
    "file_name",
    "file_sha256",
    "file_bytes",
    "reporter",
    "agency_codes",
    "mission_count",
    "period_first",
    "period_last",
    "layout",
    "row_count",
    "warning_count",
    "loaded_by",
)


def find_duplicate(con: duckdb.DuckDBPyConnection, sha256: str, kind: str = "results") -> int | None:
    row = con.execute(
        "SELECT max(submission_id) FROM submission WHERE file_sha256 = ? AND kind = ? AND status <> 'rolled_back'",
        [sha256, kind],
    ).fetchall()
    return row[0][0]


def new_submission(con: duckdb.DuckDBPyConnection, **columns: object) -> int:
    """A `submission` row (status current) for one load or edit; its id. Columns: SUBMISSION_COLUMNS."""
    names = [c for c in SUBMISSION_COLUMNS if c in columns]
    return con.execute(
        f"INSERT INTO submission ({', '.join(names)}, status) VALUES ({', '.join('?' * len(names))}, 'current') "
        "RETURNING submission_id",
        [clean_text(columns[c]) if isinstance(columns[c], str) else columns[c] for c in names],
    ).fetchall()[0][0]


def edit_digest(by: str | None, content: object) -> str:
    """A hash for an edit made in the app: unique, since an edit is never 'the same file again'."""
    text = json.dumps(content, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{by}\n{datetime.now().isoformat()}\n{text}".encode()).hexdigest()


@dataclass
class Changes:
    """Entries of a load split by what storing them changes."""

    added: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)

    @property
    def changed(self) -> list:
        return self.added + self.updated


def split(entries: list, stored: dict[Hashable, tuple], key: Callable, details: Callable) -> Changes:
    """Added (key not stored), updated (stored with other details) and unchanged entries."""
    out = Changes()
    for entry in entries:
        k = key(entry)
        if k not in stored:
            out.added.append(entry)
        elif stored[k] != details(entry):
            out.updated.append(entry)
        else:
            out.unchanged.append(entry)
    return out


@dataclass
class Loaded:
    """What loading a register file did: added, updated, unchanged, or the same file again."""

    label: tuple[str, str]  # ('후속 조치', 'actions')
    file_name: str
    submission_id: int | None = None
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate_of: int | None = None
    warnings: list[Problem] = field(default_factory=list)
    extra: tuple[str, str] = ("", "")  # more in each language, e.g. notes

    def summary(self) -> str:
        name = printable(short(self.file_name, 200))
        ko, en = self.label
        if self.duplicate_of is not None:
            return f"{name}: 이미 적재된 {ko} 파일입니다(제출 #{self.duplicate_of}) — 변경 없음 / already loaded, nothing changed"
        if self.submission_id is None:
            return f"{name}: 바뀐 {josa(ko, '이/가')} 없습니다 — 변경 없음 / no {en} changed"
        return (
            f"{name}: {ko} #{self.submission_id} 적재 — 추가 {self.added}건, 수정 {self.updated}건, "
            f"그대로 {self.unchanged}건{self.extra[0]} / added {self.added}, updated {self.updated}, "
            f"unchanged {self.unchanged}{self.extra[1]}"
        )


def ignored_author(where: str | None, label: str, label_en: str) -> list[Problem]:
    """The warning for a file's author column (`where`: its sheet and column, e.g. '진행 메모!D'; None when no
    row names an author): the column is ignored, the one who loads the file is stored as the author."""
    if where is None:
        return []
    return [
        Problem(
            where=where,
            message_ko=f"{label} 열은 무시합니다: 적재한 사람이 {label}로 기록됩니다.",
            message_en=f"the {label_en} column is ignored: whoever loads the file is recorded as {label_en}",
            fix_ko=f"{label} 열은 비우거나 지워도 됩니다.",
            fix_en=f"The {label_en} column may be left empty or removed.",
            severity="warning",
        )
    ]


def author_column(rows: list, name: str) -> str | None:
    """Where the author column `name` is ('진행 메모!D') when any row writes something in it, else None."""
    for row in rows:
        col = row.col(name)
        if col is not None and row.values.get(name):
            return cell_ref(row.sheet, None, col)
    return None
