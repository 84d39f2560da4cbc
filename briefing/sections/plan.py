"""Ⅶ. 향후 계획 / 논의 사항: what the meeting should settle, drawn from the actions due and the gaps."""

from __future__ import annotations

from briefing.elements import DETAIL, POINT, TOPIC, Block, Line, Section, paper_date
from briefing.sections.actions import action_text
from metrics.briefing import Briefing
from ui.bilingual import t


def _action_line(r, lang: str) -> Line:
    owner = r["owner_short_en"] if lang == "en" else r["owner_short_ko"]
    due = paper_date(r["due_on"], lang)
    return Line(f"{action_text(r, lang)} ({owner}, {t(lang, '기한', 'due')} {due})", DETAIL)


def plan_section(b: Briefing, lang: str) -> Section | None:
    blocks: list[Block] = [Line(t(lang, "향후 계획", "Next steps"), TOPIC)]
    review = b.actions
    acts = review.actions if review is not None and review.meeting is not None else None
    if acts is not None and not acts.empty:
        overdue = acts[acts["overdue"].astype(bool)]
        soon = acts[acts["due_soon"].astype(bool) & ~acts["overdue"].astype(bool)]
        if not overdue.empty:
            blocks.append(
                Line(
                    t(
                        lang,
                        f"기한이 지난 후속 조치 {len(overdue)}건: 완료 계획 또는 기한 조정",
                        f"{len(overdue)} overdue action{'s' if len(overdue) != 1 else ''}: a plan to finish, or a new due date",
                    )
                )
            )
            blocks += [_action_line(r, lang) for _, r in overdue.iterrows()]
        if not soon.empty:
            blocks.append(
                Line(
                    t(
                        lang,
                        f"30일 안에 기한이 오는 후속 조치 {len(soon)}건: 이행 점검",
                        f"{len(soon)} action{'s' if len(soon) != 1 else ''} due within 30 days: check progress",
                    )
                )
            )
            blocks += [_action_line(r, lang) for _, r in soon.iterrows()]
    exc = b.exceptions
    missing = exc[~exc["explained"].astype(bool)] if not exc.empty else exc
    if not missing.empty:
        names = b.names.get(("agency", lang), {})
        by = missing["owner_agency"].value_counts()
        who = ", ".join(f"{names.get(code, code)} {n}" for code, n in by.items())
        blocks.append(
            Line(
                t(
                    lang,
                    f"사유·대책 미작성 {len(missing)}건 작성 요청 ({who})",
                    f"Ask for the {len(missing)} missing causes and measures ({who})",
                )
            )
        )
    if len(blocks) == 1:
        blocks.append(Line(t(lang, "점검할 조치 없음", "Nothing due"), DETAIL))

    blocks.append(Line(t(lang, "논의 사항", "For discussion"), TOPIC))
    behind = int((exc["status"] == "behind").sum()) if not exc.empty else 0
    if behind:
        blocks.append(
            Line(
                t(
                    lang,
                    f"미흡 목표 {behind}개의 회복 대책과 기관 간 지원 방안",
                    f"Recovery of the {behind} targets behind, and how agencies can support each other",
                ),
                POINT,
            )
        )
    if not b.incidents.empty:
        n = len(b.incidents)
        blocks.append(
            Line(
                t(
                    lang,
                    f"진행 중인 긴급상황 {n}건의 피해기업 지원 지속 여부",
                    f"Whether relief continues for the {n} open incident{'s' if n != 1 else ''}",
                ),
                POINT,
            )
        )
    if len(blocks) and blocks[-1].text == t(lang, "논의 사항", "For discussion"):
        blocks.append(Line(t(lang, "없음", "None"), DETAIL))
    return Section("plan", t(lang, "향후 계획 및 논의 사항", "Next steps and points for discussion"), blocks)
