"""Council meetings (정책협의회 회의): declared and stored by etl.registers.meetings; names stay importable here."""

from etl.registers.meetings import (
    EDIT_SHEET,
    TEXT_LIMIT,
    Meeting,
    MeetingsSaved,
    load_meetings,
    meeting_problems,
    read_meetings,
    save_meetings,
    stored_meetings,
)

__all__ = [
    "EDIT_SHEET",
    "TEXT_LIMIT",
    "Meeting",
    "MeetingsSaved",
    "load_meetings",
    "meeting_problems",
    "read_meetings",
    "save_meetings",
    "stored_meetings",
]
