"""The one text policy: what a stored text may hold, at intake and again on output.

Control characters (C0 other than a line break, DEL, C1) and Unicode format characters (category Cf:
the bidirectional embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069, the marks
U+200E/U+200F, zero-width spaces and joiners, the BOM …) are invisible: a right-to-left override in
a meeting title reverses everything after it on the page ("2026-12-18" reads "81-21-6202"), on the
PDF cover and in the HWPX running head. Every register, return and app form strips them before a
text is stored (etl.registers.cells, etl.followup, submissions' file names), and every page, PDF and
HWPX strips them again before showing a text (ui.text, ui.briefing_html, briefing.hwpx_writer), for
warehouses that already hold them. Format characters are dropped; a control character (a tab, an
escape) reads as a space; CR LF, CR and the Unicode line and paragraph separators as a line break.

It also holds the Korean particle (조사) that fits a word (josa), for text built from names.
warehouse is the bottom layer: etl, metrics, ui and briefing may all import this module.
"""

from __future__ import annotations
