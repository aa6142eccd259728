"""Which of last year's tasks go into next year's draft plan, and why (pure rules).

* ``recurring`` — the task recurs or runs all year (a milestone of kind ongoing or recurring,
  "hằng năm"/"thường xuyên" in its time cell): carried into the new year with its deadline moved;
* ``carried_over`` — the task is not finished (any of its obligations is not completed): carried
  over, marked as such;
* otherwise the task stays in last year's plan.

Each drafted task keeps its origin (one of `ORIGINS`) so the review screen can say where it came
from. The PAR Index part ("Khắc phục hạn chế tại tiêu chí …", origin ``par_index``) comes from the
PAR Index app through `cchc.planning.drafting.PAR_INDEX_SOURCES` (see there).
"""

from __future__ import annotations

from collections.abc import Iterable

from cchc.core.text import fold

__all__ = ["ORIGINS", "ORIGIN_LABELS", "carry_reason"]

ORIGIN_LABELS = {
    "recurring": "Nhiệm vụ thường xuyên, định kỳ của năm trước",
    "carried_over": "Nhiệm vụ năm trước chưa hoàn thành, chuyển tiếp",
    "parent": "Nhiệm vụ của kế hoạch cấp trên giao",
    "par_index": "Khắc phục hạn chế theo kết quả Chỉ số CCHC",
    "manual": "Bổ sung khi soát xét",
}
ORIGINS = tuple(ORIGIN_LABELS)

_RECURRING_WORDS = ("hang nam", "hangnam", "moi nam", "thuong xuyen", "dinh ky", "lien tuc")


def carry_reason(milestone_kinds: Iterable[str], deadline_text: str, *, finished: bool | None) -> str | None:
    """"recurring", "carried_over" or None. `finished` None means no progress is known (a
    document, not a tracked plan): the task is then carried only when it recurs."""
    kinds = set(milestone_kinds)
    if kinds & {"ongoing", "recurring"} or any(word in fold(deadline_text) for word in _RECURRING_WORDS):
        return "recurring"
    if finished is False:
        return "carried_over"
    return None
