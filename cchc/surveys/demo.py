"""Demo surveys of Thanh Hóa: a closed SIPAS round and a closed sociological survey (XHH) of 2025
with generated responses (a fixed random seed, bulk writes), and an open 2026 SIPAS round whose
links a visitor can answer."""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from cchc.core.surveys import Design, design_from_dict, load_design
from cchc.units.models import Unit, UnitKind

from .models import AnswerRow, DesignVersion, QuestionnaireDesign, Response, Round, RoundUnit

DEPARTMENT_QUOTA = 40
COMMUNE_QUOTA = 15


def _units(province: Unit, day: datetime.date) -> list[Unit]:
    ids = Unit.objects.subtree_ids(province)
    return list(Unit.objects.filter(pk__in=ids, kind__in=[UnitKind.DEPARTMENT, UnitKind.COMMUNE])
                .valid_on(day).order_by("kind", "name"))


def _round(province, year, design: Design, title, status, units) -> tuple[Round, bool]:
    round_ = Round.objects.filter(province=province, year=year, design_key=design.key).first()
    if round_ is not None:
        return round_, False
    round_ = Round(province=province, year=year, title=title, start=datetime.date(year, 9, 1),
                   end=datetime.date(year, 11, 30), status=status)
    round_.set_design(design)
    round_.save()
    RoundUnit.objects.bulk_create([
        RoundUnit(round=round_, unit=u, quota=DEPARTMENT_QUOTA if u.kind == UnitKind.DEPARTMENT else COMMUNE_QUOTA)
        for u in units
    ])
    return round_, True


def _answer(rng: random.Random, question, mood: float) -> str:
    """An answer code: mostly satisfied, worse where the unit's `mood` is low, some no-opinion."""
    levels = {a.level: a.code for a in question.answers if a.level}
    no_opinion = next((a.code for a in question.answers if not a.valid), None)
    if no_opinion and rng.random() < 0.04:
        return no_opinion
    roll = rng.random()
    if roll < mood:
        return levels[5] if rng.random() < 0.45 else levels[4]
    return levels[3] if rng.random() < 0.6 else levels[rng.choice([1, 2])]


def _fill(round_: Round, rng: random.Random, share: float = 0.9) -> int:
    design = round_.parsed_design()
    group_q, channel_q = design.role_question("group"), design.role_question("channel")
    respondent = [q for q in design.respondent if q.answers]
    responses, answers = [], []
    for ru in round_.units.all():
        mood = rng.uniform(0.72, 0.97)
        for n in range(int(ru.quota * rng.uniform(share, 1.1))):
            about = {q.code: rng.choice(q.answers).code for q in respondent if rng.random() < 0.9}
            group = about.get(group_q.code) if group_q else None  # a group's form has only its aspects
            chosen = {q.code: _answer(rng, q, mood) for q in design.group_scored(group) if rng.random() > 0.02}
            chosen |= about
            source = Response.Source.WEB if rng.random() < 0.6 else Response.Source.PAPER
            responses.append(Response(
                round_unit=ru, source=source, form_no=f"{n + 1:04d}" if source == Response.Source.PAPER else "",
                group=chosen.get(group_q.code, "") if group_q else "",
                channel=chosen.get(channel_q.code, "") if channel_q else "",
            ))
            answers.append(chosen)
    created = Response.objects.bulk_create(responses, batch_size=2000)
    AnswerRow.objects.bulk_create(
        (AnswerRow(response=r, round_unit_id=r.round_unit_id, question=q, answer=a)
         for r, chosen in zip(created, answers, strict=True) for q, a in chosen.items()),
        batch_size=5000,
    )
    return len(created)


@transaction.atomic
def demo_surveys() -> None:
    province = Unit.objects.get(code="38")
    rng = random.Random(2025)
    units = _units(province, datetime.date(2025, 11, 30))
    sipas = load_design("sipas-2023")
    round_, created = _round(province, 2025, sipas, "Khảo sát sự hài lòng của người dân, tổ chức năm 2025",
                             Round.Status.CLOSED, units)
    if created:
        _fill(round_, rng)
    xhh_units = [u for u in units if u.kind == UnitKind.DEPARTMENT]
    xhh, created = _round(province, 2025, load_design("xhh-2025"),
                          "Điều tra xã hội học xác định Chỉ số CCHC năm 2025", Round.Status.CLOSED, xhh_units)
    if created:
        xhh.units.update(quota=8)
        _fill(xhh, rng)
    demo_library(province)
    _round(province, 2026, sipas, "Khảo sát sự hài lòng của người dân, tổ chức năm 2026", Round.Status.OPEN,
           _units(province, datetime.date(2026, 1, 1)))


def demo_library(province: Unit) -> None:
    """Thanh Hóa's own 2026 copy of the SIPAS design in the library: version 1 as built in,
    version 2 with one extra question."""
    import copy

    base = load_design("sipas-2023")
    design, created = QuestionnaireDesign.objects.get_or_create(
        province=province, key="sipas-thanh-hoa-2026", defaults={"name": "Phiếu SIPAS của Thanh Hóa năm 2026"})
    if not created:
        return
    content = copy.deepcopy(base.raw) | {"key": "sipas-thanh-hoa-2026", "name": design.name}
    DesignVersion.objects.create(design=design, number=1, content=content,
                                 fingerprint=design_from_dict(content).fingerprint, note="Sao chép thiết kế mẫu")
    extra = copy.deepcopy(content)
    factor = extra["aspects"][0]["factors"][0]
    factor["questions"].append({**factor["questions"][0], "code": f"{factor['code']}.9",
                                "text": "Nơi gửi xe thuận tiện, miễn phí"})
    DesignVersion.objects.create(design=design, number=2, content=extra,
                                 fingerprint=design_from_dict(extra).fingerprint, note="Thêm câu hỏi về nơi gửi xe")
