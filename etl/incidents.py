"""Emergencies (긴급상황): declared and stored by etl.registers.incidents; these names stay importable here."""

from etl.registers.cells import parse_date
from etl.registers.incidents import (
    EDIT_COLUMNS,
    EDIT_SHEET,
    Incident,
    IncidentsLoaded,
    current_incidents,
    load_incidents,
    read_incidents,
    save_edits,
    store,
    validate,
)

__all__ = [
    "EDIT_COLUMNS",
    "EDIT_SHEET",
    "Incident",
    "IncidentsLoaded",
    "current_incidents",
    "load_incidents",
    "parse_date",
    "read_incidents",
    "save_edits",
    "store",
    "validate",
]
