"""Annual targets (목표): declared and stored by etl.registers.targets; these names stay importable here."""

from etl.registers.targets import TargetsLoaded, load_targets, read_targets, store_targets

__all__ = ["TargetsLoaded", "load_targets", "read_targets", "store_targets"]
