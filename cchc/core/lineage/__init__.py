"""Task lineage across plans (years and levels), deadline shifting and gap rules; pure Python."""

from .matcher import THRESHOLD, LineageResult, Pair, TaskRef, area_number, match_tasks, refs_from_plan_json

__all__ = ["THRESHOLD", "LineageResult", "Pair", "TaskRef", "area_number", "match_tasks", "refs_from_plan_json",
           "evaluate"]


def evaluate(result: LineageResult, truth: set[tuple]) -> tuple[float, float]:
    """(precision, recall) of the result's (parent key, child key) pairs against the true pairs."""
    found = {(p.parent.key, p.child.key) for p in result.pairs}
    hits = len(found & truth)
    return (hits / len(found) if found else 1.0), (hits / len(truth) if truth else 1.0)
