"""Explanations (사유·대책) on the pages: the mark beside a status, the texts, and writing one.

Reading is metrics.explanations' (`attach` gives every target row its explanation). Writing goes
through etl.registers.followup.save_explanation on the app's write connection, which checks every field and
refuses the whole edit with Korean messages naming the field; they are shown under that field and
nothing is stored. Who may write: an administrator (any target, and may reassign the owner) or an
analyst of the owner agency (only those). Stored text is shown as text (html.escape, ui.text.plain),
never as Markdown or HTML.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import streamlit as st

from etl.problems import Problem, Refused
from etl.registers.followup import Editor, TargetKey, save_explanation
from etl.registers.spec import TEXT_LIMIT
from metrics import registry
from metrics.explanations import Quarter
from ui.charts import status_text
from ui.i18n import lang, tr
from ui.reference import names
from ui.roles import Identity
from ui.text import plain
from warehouse.connection import WarehouseBusy, connection
from warehouse.paths import db_path

DONE = "explanation_done"  # (message, warnings) shown after the rerun that follows a save
ERRORS = "explanation_errors"  # {field: [messages]} of the last refused save, by form key
SAVES = "explanation_saves"  # bumped after a save, so every form starts again from what is stored
KEY = ("metric_code", "sector_code", "mission_code", "agency_code")
# The form's fields, by the field name etl.registers.followup puts first in Problem.where ("원인 / Cause")
FIELDS = ("원인", "대책", "회복 예상 분기", "담당 기관")


def column_name() -> str:
    return tr("사유·대책", "Explanation")


def mark(row: dict | pd.Series) -> str:
    """'✓ 작성' where written, '✗ 미작성' where a target at 주의/미흡 of a closed quarter has none, else ''."""
    if bool(row.get("explained")):
        return tr("✓ 작성", "✓ written")
    if bool(row.get("needs_explanation")):
        return tr("✗ 미작성", "✗ missing")
    return ""


def marks(df: pd.DataFrame) -> list[str]:
    if "explained" not in df.columns:
        return [""] * len(df)
    return [mark(r) for r in df.to_dict("records")]


def with_marks(table: pd.DataFrame, attached: pd.DataFrame, after: str) -> pd.DataFrame:
    """`table` (one row per row of `attached`) with a 사유·대책 column right after column `after`."""
    out = table.copy()
    at = list(out.columns).index(after) + 1 if after in out.columns else len(out.columns)
    out.insert(at, column_name(), marks(attached))
    return out


SCOPE_KINDS = (("sectors", "sector_code"), ("missions", "mission_code"), ("agencies", "agency_code"))


def scope_names() -> dict[str, dict[str, str]]:
    """The name maps `scope` and `target_text` use: fetch once for a list of rows."""
    return {kind: names(kind) for kind, _ in SCOPE_KINDS}


def scope(row: dict | pd.Series, maps: dict[str, dict[str, str]] | None = None) -> str:
    """What a target covers: 'K-뷰티 · 주베트남 대사관', or 전체. `maps`: scope_names(), for many rows."""
    parts = []
    for kind, column in SCOPE_KINDS:
        code = row.get(column)
        if isinstance(code, str) and code:
            parts.append((maps[kind] if maps else names(kind)).get(code, code))
    return " · ".join(parts) or tr("전체", "Total")


def target_text(row: dict | pd.Series, maps: dict[str, dict[str, str]] | None = None) -> str:
    """'▲ 주의 · 지원기업 수 · 주베트남 대사관' (one target, for lists and choices)."""
    status = status_text(row.get("status"), lang()) if isinstance(row.get("status"), str) else ""
    return " · ".join(p for p in (status, registry.label(row["metric_code"], lang()), scope(row, maps)) if p)


def recover_text(value: object) -> str:
    if not isinstance(value, str) or len(value) != 6:
        return tr("미정", "not given")
    return tr(f"{value[:4]}년 {value[-1]}분기", f"{value[:4]} Q{value[-1]}")


def owner_name(code: object) -> str:
    return names("agencies").get(code, str(code)) if isinstance(code, str) else ""


def texts(df: pd.DataFrame) -> None:
    """The written explanations of `df`'s rows, each under its target: stored text escaped, never markup."""
    rows = [r for r in df.to_dict("records") if r.get("explained")]
    if not rows:
        return
    items = []
    maps = scope_names()
    for r in rows:
        when = (
            pd.Timestamp(r["written_at"]).strftime("%Y-%m-%d %H:%M") if pd.notna(r.get("written_at")) else ""
        )
        meta = tr(
            f"회복 예상 {recover_text(r.get('recover_by'))} · 담당 {owner_name(r.get('owner_agency'))} · "
            f"{r.get('written_by') or ''} {when}",
            f"Recover by {recover_text(r.get('recover_by'))} · owner {owner_name(r.get('owner_agency'))} · "
            f"{r.get('written_by') or ''} {when}",
        )
        items.append(
            f'<li style="margin-bottom:0.4rem"><b>{html.escape(target_text(r, maps))}</b>'
            f'<div style="white-space:pre-wrap"><b>{tr("원인", "Cause")}</b> {html.escape(str(r.get("cause") or ""))}</div>'
            f'<div style="white-space:pre-wrap"><b>{tr("대책", "Measures")}</b> {html.escape(str(r.get("measures") or ""))}</div>'
            f'<div style="color:#52606D;font-size:0.8rem">{html.escape(meta)}</div></li>'
        )
    st.html(f'<ul style="margin:0;padding-left:1.2rem;font-size:0.9rem">{"".join(items)}</ul>')


# --- writing -------------------------------------------------------------------------------------


def editor_for(me: Identity) -> Editor | None:
    """Who writes, for etl.registers.followup: an administrator, or an analyst of their agency; None otherwise.

    An analyst without an agency (local mode without $DASHBOARD_AGENCY) may not write: as an
    Editor without an agency they would count as an administrator.
    """
    if me.role == "admin":
        return Editor(me.user, agency=None, role="admin")
    if me.role == "analyst" and me.agency:
        return Editor(me.user, agency=me.agency, role="analyst")
    return None


def writable(df: pd.DataFrame, me: Identity) -> pd.DataFrame:
    """The rows `me` may write an explanation for: every row for an administrator, the rows owned
    by their agency for an analyst, none for anyone else."""
    editor = editor_for(me)
    if editor is None:
        return df.head(0)
    if editor.is_admin:
        return df
    return df[df["owner_agency"] == editor.agency]


def row_id(row: dict) -> str:
    """A target's key as one string ('firms_supported|kbeauty||'), stable across reruns and saves."""
    return "|".join(v if isinstance(v, str) else "" for v in (row.get(c) for c in KEY))


def _field_of(p: Problem) -> str:
    head = p.where.split(" / ")[0]
    return head if head in FIELDS else ""


def _target_key(row: dict, quarter: Quarter) -> TargetKey:
    def code(column: str) -> str | None:
        value = row.get(column)
        return value if isinstance(value, str) and value else None

    return TargetKey(
        int(quarter.year or 0),
        int(quarter.quarter),
        row["metric_code"],
        code("sector_code"),
        code("mission_code"),
        code("agency_code"),
    )


def _quarters(year: int, quarter: int, ahead: int = 8) -> list[str]:
    out, y, q = [], year, quarter
    for _ in range(ahead + 1):
        out.append(f"{y}Q{q}")
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out


def save(me: Identity, key: TargetKey, status: object, **values) -> tuple[bool, list[str], dict]:
    """Store one explanation as `me`: (saved, warnings, {field: [messages]} when refused)."""
    editor = editor_for(me)
    if editor is None:
        return False, [], {"": [tr("사유·대책을 쓸 권한이 없습니다.", "You may not write explanations.")]}
    try:
        with connection(db_path()) as con:
            warnings = save_explanation(
                con, editor, key, status=status if isinstance(status, str) else None, **values
            )
    except Refused as exc:
        errors: dict[str, list[str]] = {}
        for p in exc.problems:
            if p.severity != "error":
                continue
            message = p.message_en if lang() == "en" else p.message_ko
            fix = p.fix_en if lang() == "en" else p.fix_ko
            errors.setdefault(_field_of(p), []).append(f"{message} {fix}".strip())
        return False, [], errors
    except WarehouseBusy:
        return (
            False,
            [],
            {
                "": [
                    tr(
                        "다른 작업이 웨어하우스를 쓰고 있어 저장하지 못했습니다. 잠시 후 다시 저장하세요.",
                        "The warehouse is busy with other work; nothing was saved. Save again in a moment.",
                    )
                ]
            },
        )
    st.cache_data.clear()  # every page shows the new explanation on its next run
    return True, warnings, {}


def _show_errors(errors: dict[str, list[str]], field: str) -> None:
    for message in errors.get(field, []):
        st.error(plain(message), icon=":material/error:")


def form(row: dict, me: Identity, quarter: Quarter, key: str) -> None:
    """The 사유·대책 form for one target, prefilled with its current explanation."""
    editor = editor_for(me)
    if editor is None:
        return
    target = _target_key(row, quarter)
    version = st.session_state.get(SAVES, 0)
    wid = f"{key}_{row_id(row)}_{version}"
    errors = st.session_state.get(ERRORS, {}).get(wid, {})
    st.markdown(
        f"**{plain(target_text(row))}** — {tr(f'{quarter.year}년 {quarter.quarter}분기', f'{quarter.year} Q{quarter.quarter}')}"
    )
    if row.get("status") == "on_track":
        st.warning(
            tr(
                "이 목표는 정상(진도 이상)입니다. 저장할 수는 있지만 사유·대책이 필요하지 않을 수 있습니다.",
                "This target is on track: you may save an explanation, though it may not be needed.",
            ),
            icon=":material/info:",
        )
    _show_errors(errors, "")
    recover_options = ["", *_quarters(int(quarter.year or 0), int(quarter.quarter))]
    current_recover = row.get("recover_by") if isinstance(row.get("recover_by"), str) else ""
    if current_recover and current_recover not in recover_options:
        recover_options.append(current_recover)
    agencies = names("agencies")
    owner = row.get("owner_agency") if isinstance(row.get("owner_agency"), str) else None
    with st.form(f"{wid}_form", border=True):
        cause = st.text_area(
            tr("원인", "Cause"),
            value=str(row.get("cause") or "") if row.get("explained") else "",
            key=f"{wid}_cause",
            help=tr(f"최대 {TEXT_LIMIT:,}자", f"At most {TEXT_LIMIT:,} characters"),
        )
        _show_errors(errors, "원인")
        measures = st.text_area(
            tr("대책", "Measures"),
            value=str(row.get("measures") or "") if row.get("explained") else "",
            key=f"{wid}_measures",
            help=tr(f"최대 {TEXT_LIMIT:,}자", f"At most {TEXT_LIMIT:,} characters"),
        )
        _show_errors(errors, "대책")
        recover = st.selectbox(
            tr("회복 예상 분기", "Recover by"),
            recover_options,
            index=recover_options.index(current_recover) if current_recover else 0,
            format_func=lambda v: tr("(미정)", "(not given)") if not v else recover_text(v),
            key=f"{wid}_recover",
        )
        _show_errors(errors, "회복 예상 분기")
        if editor.is_admin:
            codes = list(agencies)
            chosen = st.selectbox(
                tr("담당 기관", "Owner agency"),
                codes,
                index=codes.index(owner) if owner in codes else 0,
                format_func=lambda c: agencies.get(c, c),
                key=f"{wid}_owner",
                help=tr(
                    "목표의 기관, 기관이 없는 목표는 중기부(사무국)가 기본입니다. 관리자만 바꿀 수 있습니다.",
                    "The target's agency, or MSS (the secretariat) for a target without one. Only an "
                    "administrator may change it.",
                ),
            )
        else:
            chosen = None
            st.caption(tr(f"담당 기관: {owner_name(owner)}", f"Owner agency: {owner_name(owner)}"))
        _show_errors(errors, "담당 기관")
        submitted = st.form_submit_button(tr("저장", "Save"), type="primary", icon=":material/save:")
    if not submitted:
        return
    saved, warnings, errors = save(
        me, target, row.get("status"), cause=cause, measures=measures, recover_by=recover or None,
        owner_agency=chosen,
    )  # fmt: skip
    all_errors = st.session_state.setdefault(ERRORS, {})
    if saved:
        all_errors.pop(wid, None)
        st.session_state[SAVES] = version + 1
        st.session_state[DONE] = (
            tr(f"저장했습니다: {target_text(row)}", f"Saved: {target_text(row)}"),
            warnings,
        )
    else:
        all_errors[wid] = errors
    st.rerun()


def done_message() -> None:
    """The outcome of the last save, once, after its rerun."""
    done = st.session_state.pop(DONE, None)
    if done:
        message, warnings = done
        st.success(plain(message), icon=":material/check_circle:")
        for w in warnings:  # etl's one-line form, "[field] 한국어 (English)": the field is on screen already
            st.warning(plain(re.sub(r"^\[[^\]]*\]\s*", "", w)), icon=":material/info:")


def writer(df: pd.DataFrame, me: Identity, quarter: Quarter, key: str) -> None:
    """'사유·대책 작성' for the rows of `df` that `me` may write: choose the target, then the form."""
    if not quarter.closed or quarter.year is None:
        return
    rows = writable(df, me)
    done_message()
    if editor_for(me) is None:
        if me.role == "analyst":
            st.caption(
                tr(
                    "기관이 지정되지 않은 분석 담당자는 사유·대책을 쓸 수 없습니다 (관리자에게 기관 지정을 요청하세요).",
                    "An analyst without an agency cannot write explanations (ask an administrator to set yours).",
                )
            )
        return
    if rows.empty:
        st.caption(tr("내가 쓸 수 있는 목표가 없습니다.", "No target here is yours to explain."))
        return
    records = {row_id(r): r for r in rows.to_dict("records")}
    maps = scope_names()  # the format function runs for every option on every run
    choice = st.selectbox(
        tr("사유·대책 작성 — 목표 선택", "Write an explanation — choose the target"),
        [None, *records],
        format_func=lambda i: (
            tr("— 목표를 고르세요 —", "— choose a target —")
            if i is None
            else f"{target_text(records[i], maps)} · {mark(records[i]) or tr('정상', 'on track')}"
        ),
        key=f"{key}_choice",
    )
    if choice is not None and choice in records:
        form(records[choice], me, quarter, key)


def expander(df: pd.DataFrame) -> None:
    """Under a table of targets: how many at 주의/미흡 are explained, and the texts written (folded)."""
    if "needs_explanation" not in df.columns:
        return
    needing = int(df["needs_explanation"].sum())
    written = df[df["explained"].astype(bool)]
    if not needing and written.empty:
        return
    title = tr(
        f"사유·대책 — 주의·미흡 {needing}개 중 {int(written['needs_explanation'].sum())}개 작성",
        f"Explanations — {int(written['needs_explanation'].sum())} of {needing} at risk or behind explained",
    )
    with st.expander(title, icon=":material/edit_note:"):
        if written.empty:
            st.caption(
                tr(
                    "아직 작성된 사유·대책이 없습니다. 담당 기관이 제출 현황에서 작성합니다.",
                    "None written yet. The owning agency writes them on Submissions.",
                )
            )
        else:
            texts(written)
