"""The pack's sections, each written once as outline elements (briefing/elements.py), in order.

common.py    what sections share: a display frame as a table, dates, 'none' lines, chart sizes
title.py     the title block: meeting, 회의 개요 (일시·안건·비교 기준), completeness, the data note
summary.py   Ⅰ the one-page summary          since.py      Ⅱ since the last council
actions.py   Ⅲ follow-up actions (이행 점검)   sectors.py    Ⅳ one part per sector
exceptions.py Ⅴ targets at 주의·미흡 (summary) and the annex with every one of them
incidents.py Ⅵ open incidents               plan.py       Ⅶ 향후 계획 / 논의 사항
"""
