"""Korean by default, English on request; the choice lives in the URL (?lang=en) so links keep it."""

import streamlit as st

from ui.bilingual import LANGS, t


def lang() -> str:
    value = st.query_params.get("lang", "ko")
    return value if value in LANGS else "ko"


def tr(ko: str, en: str) -> str:
    """The label in the current language; every label is written in both at its call site."""
    return t(lang(), ko, en)


def name_column() -> str:
    """Which reference column holds names in the current language."""
    return "name_en" if lang() == "en" else "name_ko"


def language_switch() -> None:
    choice = st.sidebar.segmented_control(
        "언어 / Language",
        options=list(LANGS),
        format_func={"ko": "한국어", "en": "English"}.get,
        default=lang(),
        key="lang_switch",
    )
    if choice and choice != lang():
        st.query_params["lang"] = choice
        st.rerun()
