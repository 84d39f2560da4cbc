"""A return read and checked without touching the warehouse (prepare), and what committing it would change (preview)."""
