"""Streamlit-side helpers shared by the pages: language, warehouse access, formatting, charts."""
