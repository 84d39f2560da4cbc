"""The read stage: check the file, scan its sheet XML within bounds, peek at the top rows, read the table."""
