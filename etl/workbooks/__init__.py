"""Workbooks the project writes: the official template, pre-filled and annotated returns, register exports."""
