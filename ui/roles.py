"""Who is looking: viewer, analyst or admin.

Local mode (no OIDC configured): the role comes from $DASHBOARD_ROLE (default admin), for a single
machine where the server listens on 127.0.0.1 only.
"""

import os

import streamlit as st

ROLES = ("viewer", "analyst", "admin")


def current_role() -> str:
    role = os.environ.get("DASHBOARD_ROLE", "admin")
    return role if role in ROLES else "viewer"


def current_user() -> str:
    return os.environ.get("DASHBOARD_USER") or os.environ.get("USER") or "local"


def require(roles: frozenset[str]) -> None:
    """Stop a page reached by URL by someone whose role may not use it."""
    if current_role() not in roles:
        st.error("이 페이지를 볼 권한이 없습니다 / You do not have access to this page.")
        st.stop()
