"""The council briefing pack (회의 자료) as a file, without Streamlit: HWPX for 한글, or the PDF.

pack.py      the meeting's checks, the data (metrics.briefing), rendering, the atomic write
outline.py   the pack as 개조식 sections of lines, tables and charts (one function per section)
images.py    the pages' plotly figures drawn to PNG in one headless Chromium run
hwpx_writer.py  the outline written and validated with python-hwpx
cli.py       `python -m briefing --meeting N --format hwpx|pdf --out FILE [--lang ko|en] [--db PATH]`
"""
