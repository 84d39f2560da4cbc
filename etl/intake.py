"""The one intake: every file, a quarterly return or a register, is taken in here.

read() opens the file once with the bounded reader (etl.read: size, package and part checks, bounded
sheets), recognises its kind from its headers (a return, or which register) unless the caller names
it, and reads and checks every cell by the one text, number and date policy (warehouse.text; a finite
number within the plausible maximum of data/ref/metrics.csv, etl.check.rules; the window of etl.shape.period),
naming each cell. It gives an Incoming, or raises Refused with every problem; nothing here needs the
warehouse. commit() writes an Incoming (figures or register rows, the submission row and the audit
line) in one transaction, through its kind's store (etl.store.ledger.commit, etl.registers.*). load() is
read then commit, as the command line, the demo and the tests take a file in; the upload pages read,
show what would change, then commit.

Who takes a file in is an Actor: the signed-in user (the app) or the operating-system account (the
command line), never a name written in the file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from etl.problems import Problem, Refused
from etl.read.isolated import prepare_isolated
from etl.read.safety import DEFAULT_LIMITS, Limits, file_digest
from etl.read.workbook import Book, open_book
from etl.registers import actions, explanations, incidents, meetings, pipeline, targets
from etl.registers.explanations import StatusOf
from etl.registers.spec import Register
from etl.registers.store import find_duplicate
from etl.returns.prepare import Prepared, prepare
from etl.shape.normalise import Defaults
from etl.store.ledger import CommitResult
from etl.store.ledger import commit as commit_return

Opener = Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]
RESULTS = "results"
# The registers in the order a workbook is recognised: the first whose header (every required
# column) a visible sheet holds. An explanations register names its year and quarter in columns,
# which a return's 사유 sheet does not (its quarter is the return's), so such a return stays a return.
REGISTERS: dict[str, Register] = {
    r.kind: r
    for r in (
        actions.REGISTER,
        meetings.REGISTER,
        incidents.REGISTER,
        targets.REGISTER,
        explanations.REGISTER,
    )
}
KINDS = (RESULTS, *REGISTERS)


@dataclass(frozen=True)
class Actor:
    """Who takes a file in: the app's signed-in user or the command's operator."""

    user: str | None
    role: str | None = None  # the audit line's role; None writes none (the demo, a test's seed)
    agency: str | None = None  # an analyst's own agency: a return with another agency's figures is refused


@dataclass
class Incoming:
    """A file read and checked, not yet stored: its kind and what it holds (the kind's own rows)."""

    kind: str
    name: str
    sha256: str
    size: int
    content: Any  # Prepared (a return) or the register's rows as its reader gives them

    @property
    def prepared(self) -> Prepared:
        assert self.kind == RESULTS, self.kind
        return self.content


@dataclass
class Loaded:
    """What committing a return did (registers give their own result, each with summary())."""

    file_name: str
    result: CommitResult

    @property
    def warnings(self) -> list[Problem]:
        return self.result.warnings or []

    def summary(self) -> str:
        return self.result.summary(self.file_name)


def recognise(book: Book) -> str:
    """The kind of a workbook: the first register whose every required column heads a sheet, else a return."""
    for kind, register in REGISTERS.items():
        wanted = {c.field for c in register.columns if c.required} | set(register.header_fields)
        for head in book.heads:
            top = head.top(pipeline.HEADER_ROWS)
            if any(wanted <= set(pipeline.header_fields(register, row)) for row in top):
                return kind
    return RESULTS


def read(
    path: str | Path,
    actor: Actor,
    *,
    kind: str | None = None,
    defaults: Defaults | None = None,
    name: str | None = None,
    stg: duckdb.DuckDBPyConnection | None = None,
    isolated: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Incoming:
    """Read and check a file of `kind` (recognised when None); Refused with every problem by cell.

    `stg` stages a return on that connection (a cursor of the warehouse, so commit inserts straight
    from it); `isolated` reads a return in a child process with a time and memory limit (the app's).
    """
    path = Path(path)
    name = name or path.name
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if isolated:
        if kind != RESULTS:  # the child reads returns; registers are small and read in the caller
            raise ValueError("only a return is read in a child process")
        return _return(prepare_isolated(path, defaults, display_name=name, limits=limits), actor)
    book = open_book(path, name, limits)
    kind = kind or recognise(book)
    if kind == RESULTS:
        return _return(prepare(path, defaults, display_name=name, stg=stg, limits=limits, book=book), actor)
    sha256, size = file_digest(path, name, limits)
    return Incoming(kind, name, sha256, size, _READERS[kind](path, name, actor, book))


def _return(prepared: Prepared, actor: Actor) -> Incoming:
    if actor.role == "analyst":  # an analyst sends their own agency's figures only
        # imported here: etl.returns.preview needs pandas, which the command line starts without (0.6 s)
        from etl.returns.preview import outside_scope

        scope = outside_scope(prepared, actor.agency)
        if scope:
            if prepared.connection is not None:
                prepared.connection.close()
            raise Refused(prepared.file_name, scope)
    return Incoming(RESULTS, prepared.file_name, prepared.sha256, prepared.size, prepared)


_READERS: dict[str, Callable[[Path, str, Actor, Book], Any]] = {
    "targets": lambda path, name, actor, book: targets.read_targets(path, name, book),
    # the recorder is who takes the file in; a 기록자 column is ignored with a warning
    "incidents": lambda path, name, actor, book: incidents.read_incidents(path, name, actor.user, book),
    "meetings": lambda path, name, actor, book: meetings.read_meetings(path, name, book),
    "explanations": lambda path, name, actor, book: explanations.read_explanations(path, name, book),
    "actions": lambda path, name, actor, book: actions.read_actions(path, name, book),
}


def commit(
    con: duckdb.DuckDBPyConnection, incoming: Incoming, actor: Actor, *, status_of: StatusOf | None = None
):
    """Store what a file holds in one transaction: its rows, the submission row and, given the actor's
    role, the audit line; the same file again changes nothing. Raises Refused (nothing stored) when
    the file clashes with what is stored (an overlapping incident, an unknown action number …).

    `status_of` (from a caller that knows attainment) warns of an explanation of a target on track.
    """
    kind, name, by, role = incoming.kind, incoming.name, actor.user, actor.role
    if kind == RESULTS:
        return Loaded(name, commit_return(con, incoming.prepared, by, status_of, role=role))
    if kind == "meetings":  # not versioned: no submission row, every change audited
        rows = incoming.content
        return meetings.save_meetings(
            con, [m for m, *_ in rows], by=by, role=role, name=name, places=[(s, r, c) for _, s, r, c in rows]
        )
    common = dict(name=name, sha256=incoming.sha256, size=incoming.size, loaded_by=by, role=role)
    if kind == "targets":
        return targets.store_targets(con, incoming.content, **common)
    if kind == "incidents":
        return incidents.store(con, incoming.content, layout="incidents", **common)
    if kind == "explanations":
        return explanations.store_explanations(con, incoming.content, status_of=status_of, **common)
    found, notes = incoming.content
    return actions.store_actions(con, found, notes, **common)


def load(
    con: duckdb.DuckDBPyConnection | Opener,
    path: str | Path,
    actor: Actor,
    *,
    kind: str | None = None,
    defaults: Defaults | None = None,
    name: str | None = None,
    status_of: StatusOf | None = None,
    known: Mapping[str, int] | None = None,
):
    """Read, check and store one file; raises Refused (warehouse unchanged) when it breaks a rule.

    `con` is an open warehouse, or a function opening it for the commit alone (the command line's:
    a slow file never holds the write lock); then `known`, submission ids by file hash of the
    returns read beforehand, spares reading a return already loaded (commit finds a duplicate under
    the write lock all the same).
    """
    path = Path(path)
    name = name or path.name
    if callable(con):
        if known and kind == RESULTS:
            sha256, _ = file_digest(path)
            if sha256 in known:
                return Loaded(name, CommitResult(None, 0, 0, 0, unchanged=True, duplicate_of=known[sha256]))
        incoming = read(path, actor, kind=kind, defaults=defaults, name=name)
        try:
            if incoming.kind == RESULTS:
                # fetched from the staging database first: the write lock is held for the commit alone
                incoming.prepared.rows  # noqa: B018 (a property that fetches and keeps them)
            with con() as warehouse:
                return commit(warehouse, incoming, actor, status_of=status_of)
        finally:
            if incoming.kind == RESULTS and incoming.prepared.connection is not None:
                incoming.prepared.connection.close()
    if kind in (None, RESULTS):
        sha256, _ = file_digest(path)
        duplicate = find_duplicate(con, sha256)
        if duplicate is not None:
            return Loaded(name, CommitResult(None, 0, 0, 0, unchanged=True, duplicate_of=duplicate))
    # A return is staged on a cursor of the warehouse, so that the commit inserts straight from it.
    cursor = con.cursor()
    try:
        incoming = read(path, actor, kind=kind, defaults=defaults, name=name, stg=cursor)
        return commit(cursor, incoming, actor, status_of=status_of)
    finally:
        cursor.close()
