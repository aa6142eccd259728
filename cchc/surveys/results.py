"""Live results of a round: one GROUP BY over the answers, then the pure computation per unit and
for the province; `indicator_values` is what the PAR Index takes from closed rounds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connections
from django.db.models import Count

from cchc.core.surveys import Result, compute

from .models import AnswerRow, Response, Round


@dataclass
class RoundResults:
    round: Round
    province: Result
    units: dict[int, Result]  # RoundUnit pk → result
    responses: dict[int, int]  # RoundUnit pk → number of responses


def _filtered(qs, group: str = "", channel: str = "", prefix: str = ""):
    if group:
        qs = qs.filter(**{f"{prefix}group": group})
    if channel:
        qs = qs.filter(**{f"{prefix}channel": channel})
    return qs


def _rows(queryset) -> list[tuple]:
    """The rows of a values_list query as plain tuples, without the ORM's per-row converters
    (integers and strings need none): a round's tally is hundreds of thousands of rows."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def round_results(round_: Round, *, group: str = "", channel: str = "", round_unit_ids=None) -> RoundResults:
    design = round_.parsed_design()
    answers = AnswerRow.objects.filter(round_unit__round=round_)
    responses = Response.objects.filter(round_unit__round=round_)
    if round_unit_ids is not None:
        answers = answers.filter(round_unit__in=round_unit_ids)
        responses = responses.filter(round_unit__in=round_unit_ids)
    answers = _filtered(answers, group, channel, "response__")
    responses = _filtered(responses, group, channel)
    per_unit: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    total: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    # COUNT(*), not COUNT(id): the tally index (round_unit, question, answer) answers it alone
    tally = (answers.values("round_unit", "question", "answer").annotate(n=Count("*")).order_by()
             .values_list("round_unit", "question", "answer", "n"))
    for unit, question, answer, n in _rows(tally):
        per_unit[unit][question][answer] = n
        total[question][answer] += n
    counts = dict(responses.values_list("round_unit").annotate(n=Count("id")).order_by())
    units = {pk: compute(design, per_unit.get(pk, {}), counts.get(pk, 0), distribution=False)
             for pk in (round_unit_ids if round_unit_ids is not None else round_.units.order_by().values_list("pk", flat=True))}
    return RoundResults(round_, compute(design, total, sum(counts.values())), units, counts)


def indicator_values(province_unit, year: int, unit=None) -> dict[str, Decimal]:
    """Survey indices (percent) of the province's *closed* rounds of `year`, keyed
    "<survey>.<code>": "sipas.overall", "sipas.TC" (a factor), "sipas.DV" (an aspect),
    "sipas.TC.1" (a question), "xhh.2.5.1" (a factor of the sociological survey, named after the
    PAR Index criterion it measures), and each factor under the PAR Index criterion's own name
    ("sipas-8.1.1", "xhh-2.5.1": the design's `par`, for XHH the factor's code). With `unit`,
    only that unit's responses; an index with no valid answer is absent. Several closed rounds of one survey kind: the latest round wins."""
    values: dict[str, Decimal] = {}
    rounds = Round.objects.filter(province=province_unit, year=year, status=Round.Status.CLOSED).order_by("end", "pk")
    for round_ in rounds:
        ids = None
        if unit is not None:
            ids = list(round_.units.filter(unit=unit).values_list("pk", flat=True))
            if not ids:
                continue
        results = round_results(round_, round_unit_ids=ids)
        result = results.province
        design = round_.parsed_design()
        survey = design.survey
        stats = {"overall": result.overall, **result.aspects, **result.factors, **result.questions}
        for code, stat in stats.items():
            if stat.pct is not None:
                values[f"{survey}.{code}"] = stat.pct
        for code, factor in design.factors.items():  # the PAR Index's names: "sipas-8.1.1", "xhh-2.5.1"
            criterion = factor.par or (code if survey == "xhh" else "")
            if criterion and result.factors[code].pct is not None:
                values[f"{survey}-{criterion}"] = result.factors[code].pct
    return values
