"""The council briefing pack (회의 자료) as a file, without Streamlit: HWPX for 한글, or the PDF.

pack.py      the meeting's checks, the data (metrics.briefing), rendering, the atomic write
outline.py   the pack as one outline: sections (sections/, each written once) of elements (elements.py)
images.py    the pages' plotly figures drawn to PNG in one headless Chromium run (for both writers)
html_writer.py  the outline laid out on A4-landscape sheets as HTML, which Chromium prints (the PDF)
hwpx_writer.py  the outline written and validated with python-hwpx (the HWPX)
cli.py       `python -m briefing --meeting N --format hwpx|pdf --out FILE [--lang ko|en] [--db PATH]`
"""
