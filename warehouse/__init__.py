"""The DuckDB warehouse: where it lives, how to connect, its schema and reference data."""
