"""Task lineage: precision/recall on the annotated seed pairs, speed of matching two 60-task plans,
and how much of the real 2022 province plan a draft built from its 2021 plan covers.

    .venv/bin/python bench/lineage.py [--repeat N] [--parsed]

Quality: for 000↔001 (commune 2022 against province 2022) and 002↔000 (province 2021 against
2022), the matcher's pairs against tests/fixtures/lineage/*.json, from the gold parses (or, with
--parsed, from the seeds read by the plan reader as `cchc import-plan` reads them).

Speed: median of --repeat runs of `match_tasks` on two plans of 60 tasks (the province 2022 plan
plus tasks of 004, against the commune 2026 plan plus tasks of 001), beside a baseline measured in
the same run: rapidfuzz's `cdist` of the same 60×60 folded texts with token_set_ratio (the bare
pairwise comparison the matcher builds on). Target: ≤ 200 ms.

Drafting: the 2021 tasks `cchc.core.lineage.drafting.carry_reason` carries into 2022 (no progress is
known in the seeds, so only recurring ones), and the share of the real 2022 tasks whose annotated
2021 predecessor is among them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from cchc.core.deadlines import parse_deadline  # noqa: E402
from cchc.core.lineage import evaluate, match_tasks, refs_from_plan_json  # noqa: E402
from cchc.core.lineage.drafting import carry_reason  # noqa: E402
from cchc.core.lineage.matcher import TaskRef  # noqa: E402
from cchc.core.text import fold  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = {"000": "000_2e2ce113b0e961ad.txt", "001": "001_f427b61819319772.txt",
         "002": "002_442362603b7241c1.txt", "004": "004_4c8b279deba99ff8.txt"}


def plan(seed: str, parsed: bool) -> dict:
    if parsed:
        from cchc.core.plan_reader import read_plan

        return read_plan(ROOT / "cchc" / "demo" / "seeds" / SEEDS[seed])
    return json.loads((FIXTURES / "gold" / f"{seed}.json").read_text())


def median_ms(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def sixty(first: list[TaskRef], extra: list[TaskRef], tag: str) -> list[TaskRef]:
    tasks = (first + [TaskRef(f"{tag}{t.key}", t.area, 0, t.number, t.text) for t in extra])[:60]
    assert len(tasks) == 60
    return tasks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--parsed", action="store_true", help="read the seed documents instead of the gold parses")
    args = parser.parse_args()
    source = "seeds read by the plan reader" if args.parsed else "gold parses"
    print(f"Lineage quality ({source}):")
    for name in ("000-001", "002-000"):
        annotation = json.loads((FIXTURES / "lineage" / f"{name}.json").read_text())
        parent = refs_from_plan_json(plan(annotation["parent"], args.parsed))
        child = refs_from_plan_json(plan(annotation["child"], args.parsed))
        truth = {tuple(p) for p in annotation["pairs"]}
        result = match_tasks(parent, child)
        precision, recall = evaluate(result, truth)
        print(f"  {name} ({annotation['relation']}): {len(result.pairs)} pairs proposed, {len(truth)} true; "
              f"precision {precision:.3f}, recall {recall:.3f}")

    parents = sixty(refs_from_plan_json(plan("000", False)), refs_from_plan_json(plan("004", False)), "x")
    children = sixty(refs_from_plan_json(plan("004", False)), refs_from_plan_json(plan("001", False)), "y")
    folded_p = [fold(t.text) for t in parents]
    folded_c = [fold(t.text) for t in children]
    baseline = median_ms(lambda: process.cdist(folded_p, folded_c, scorer=fuzz.token_set_ratio), args.repeat)
    matcher = median_ms(lambda: match_tasks(parents, children), args.repeat)
    verdict = "PASS" if matcher <= 200 else "MISS"
    print(f"Matching 60 × 60 tasks: match_tasks {matcher:.1f} ms (median of {args.repeat}); baseline cdist "
          f"token_set_ratio {baseline:.1f} ms; ratio {matcher / baseline:.1f}×; target ≤ 200 ms: {verdict}")

    annotation = json.loads((FIXTURES / "lineage" / "002-000.json").read_text())
    earlier = plan("002", False)
    drafted = set()
    for task, ref in zip((t for s in earlier["sections"] for t in s["tasks"]), refs_from_plan_json(earlier),
                         strict=True):
        kinds = [m.kind for m in parse_deadline(task["deadline_text"], earlier["year"])]
        if carry_reason(kinds, task["deadline_text"], finished=None):
            drafted.add(ref.key)
    real_2022 = len(refs_from_plan_json(plan("000", False)))
    covered = {c for p, c in annotation["pairs"] if p in drafted}
    print(f"Drafting 2022 from the 2021 plan: {len(drafted)} of 35 tasks of 2021 drafted (recurring); they cover "
          f"{len(covered)} of the {len(annotation['pairs'])} 2022 tasks with a 2021 predecessor "
          f"(recall {len(covered) / len(annotation['pairs']):.3f}) and {len(covered)} of all {real_2022} "
          f"2022 tasks ({len(covered) / real_2022:.3f}); with every 2021 task unfinished (carried over), "
          f"{len(annotation['pairs'])} of {real_2022} ({len(annotation['pairs']) / real_2022:.3f}).")


if __name__ == "__main__":
    main()
