"""Progress on long CLI work, on stderr so that the one-line summary on stdout stays clean."""

import sys
import time

from etl.problems import printable


class Progress:
    """A bar on a terminal, a line every few seconds otherwise (CI logs)."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.label, self.done = total, label, 0
        self.tty = sys.stderr.isatty()
        self.started = self.last = time.monotonic()

    def step(self, note: str = "") -> None:
        self.done += 1
        note = printable(note)
        now = time.monotonic()
        if self.tty:
            filled = int(30 * self.done / max(self.total, 1))
            bar = "█" * filled + "·" * (30 - filled)
            sys.stderr.write(f"\r{self.label} [{bar}] {self.done}/{self.total} {note[:40]:<40}")
            if self.done == self.total:
                sys.stderr.write("\n")
        elif now - self.last > 3 or self.done == self.total:
            sys.stderr.write(f"{self.label}: {self.done}/{self.total} ({now - self.started:.0f}s) {note}\n")
            self.last = now
        sys.stderr.flush()


def stage(message: str) -> None:
    """One step of a single long task (reading, checking, committing)."""
    sys.stderr.write(f"… {printable(message)}\n")
    sys.stderr.flush()
