"""The command line: `python -m etl …` (main), the reporting cycle (cycle), progress on stderr."""
