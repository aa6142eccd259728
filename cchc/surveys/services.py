"""Writing responses: checking answers against the round's design, one submission per form
instance, paper entry and file import (all or nothing), and the per-address rate limit."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction

from cchc.core.surveys import Design, SurveyReadError, read_responses
from cchc.history.bulk import record_bulk
from cchc.history.models import ObjectChange

from .models import AnswerRow, RateCounter, Response, Round, RoundUnit

FORM_SALT = "cchc.surveys.form"
FORM_MAX_AGE = 2 * 24 * 3600  # a form opened two days ago is stale


class SurveyError(Exception):
    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


# --- answers ----------------------------------------------------------------------------------


def check_answers(design: Design, posted: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The answers of `posted` that belong to the design, and a Vietnamese error for each answer
    outside its scale; a form with no rated question answered is refused too."""
    answers, errors = {}, []
    for code, question in design.questions.items():
        value = (posted.get(code) or "").strip()
        if not value:
            continue
        if question.free_text:
            answers[code] = value[:200]
        elif question.answer(value) is None:
            errors.append(f"Câu {code} («{question.text[:60]}»): đáp án “{value[:20]}” không có trong thang đo.")
        else:
            answers[code] = value
    group_q = design.role_question("group")
    group = design.groups.get(answers.get(group_q.code, "")) if group_q and design.groups else None
    if group is not None:
        allowed = {q.code for q in design.group_scored(group.code)}
        errors.extend(f"Câu {code}: không thuộc «{group.name}»." for code in answers
                      if design.questions[code].factor and code not in allowed)
    if not errors and not any(design.questions[c].factor for c in answers):
        errors.append("Phiếu chưa trả lời câu hỏi đánh giá nào.")
    return answers, errors


def _response(round_unit: RoundUnit, design: Design, answers: dict[str, str], **fields) -> Response:
    group_q, channel_q = design.role_question("group"), design.role_question("channel")
    return Response(
        round_unit=round_unit,
        group=answers.get(group_q.code, "") if group_q else "",
        channel=answers.get(channel_q.code, "") if channel_q else "",
        **fields,
    )


def _save(round_unit: RoundUnit, design: Design, items: list[tuple[Response, dict[str, str]]]) -> list[Response]:
    responses = Response.objects.bulk_create([r for r, _ in items], batch_size=1000)
    AnswerRow.objects.bulk_create(
        [AnswerRow(response=r, round_unit_id=round_unit.pk, question=q, answer=a)
         for r, (_, answers) in zip(responses, items, strict=True) for q, a in answers.items()],
        batch_size=5000,
    )
    return responses


# --- public form ------------------------------------------------------------------------------


def form_token(round_unit: RoundUnit, nonce: str, group: str = "") -> str:
    """The signed proof of one opening of the form: unit, design fingerprint, respondent group."""
    data = {"u": round_unit.pk, "n": nonce, "f": round_unit.round.fingerprint}
    if group:
        data["g"] = group
    return signing.dumps(data, salt=FORM_SALT)


class RateLimited(Exception):
    """The address has sent more forms than SURVEYS_RATE_LIMIT in the current window."""


def _checked_public(round_unit: RoundUnit, token: str, posted: dict[str, str]) -> tuple[Response, dict[str, str]]:
    """The response and answers of a citizen's form, or SurveyError for a forged or stale token,
    a design changed since the form was opened, a closed round, answers off scale."""
    round_ = round_unit.round
    try:
        data = signing.loads(token, salt=FORM_SALT, max_age=FORM_MAX_AGE)
    except signing.SignatureExpired:
        raise SurveyError("Phiếu đã mở quá lâu (quá 2 ngày). Vui lòng mở lại đường dẫn khảo sát.") from None
    except signing.BadSignature:
        raise SurveyError("Mã phiếu không hợp lệ. Vui lòng mở lại đường dẫn khảo sát.") from None
    if data.get("u") != round_unit.pk:
        raise SurveyError("Mã phiếu không thuộc đơn vị này. Vui lòng mở lại đường dẫn khảo sát.")
    if data.get("f") != round_.fingerprint:
        raise SurveyError("Bộ câu hỏi đã thay đổi sau khi anh/chị mở phiếu. Vui lòng mở lại phiếu mới.")
    if not round_.is_open:
        raise SurveyError("Đợt khảo sát đã kết thúc, không nhận thêm phiếu.")
    design = round_.parsed_design()
    group_q = design.role_question("group")
    if design.groups and group_q:
        # the group is the form's (signed in the token), not a choice the person can change
        posted = {**posted, group_q.code: str(data.get("g") or "")}
    answers, errors = check_answers(design, posted)
    if errors:
        raise SurveyError("Phiếu chưa gửi được:", errors)
    response = _response(round_unit, design, answers, token=str(data.get("n"))[:64], source=Response.Source.WEB,
                         contact=(posted.get("contact") or "").strip()[:200],
                         comment=(posted.get("comment") or "").strip()[:2000])
    return response, answers


STORED, DUPLICATE = "stored", "duplicate"


def submit_public(round_unit: RoundUnit, token: str, posted: dict[str, str], address: str | None = None) -> str:
    """Accept a citizen's form: STORED, or DUPLICATE when its token was used already (the form
    posted again). Every call counts one submission of `address` (None: not counted) and raises
    RateLimited over the limit, whatever the form holds; then SurveyError for a refused form.

    On PostgreSQL a valid form is one statement in autocommit (the counter, the response and its
    answers: all stored or none, one round trip, no BEGIN/COMMIT); elsewhere the ORM in a
    transaction after the counter's own upsert."""
    try:
        response, answers = _checked_public(round_unit, token, posted)
    except SurveyError:
        if address is not None and rate_limited(address):
            raise RateLimited from None
        raise
    if connection.vendor == "postgresql":
        count, stored, live = _store_public_pg(response, answers, address, round_unit.key, round_unit.round.fingerprint)
        if count is not None and count > _rate_limit()[0]:
            raise RateLimited
        if not live:  # `round_unit` was a stale copy: closed, changed or gone since; check it afresh
            fresh = (RoundUnit.objects.select_related("round__province", "unit")
                     .filter(pk=round_unit.pk, key=round_unit.key).first())
            if fresh is None:
                raise SurveyError("Đường dẫn khảo sát không còn hiệu lực. Vui lòng mở lại đường dẫn mới.")
            return submit_public(fresh, token, posted, None)  # counted already
        return STORED if stored else DUPLICATE
    if address is not None and rate_limited(address):
        raise RateLimited
    try:
        with transaction.atomic():
            _save(round_unit, round_unit.round.parsed_design(), [(response, answers)])
    except IntegrityError:  # the same form posted again (its token is unique)
        return DUPLICATE
    return STORED


def _store_public_pg(response: Response, answers: dict[str, str], address: str | None, key: str,
                     fingerprint: str) -> tuple[int | None, bool, bool]:
    """One data-modifying statement: bump the address's counter, insert the response unless the
    counter is over the limit, the unit's round is no longer open with that design (`live`: the
    caller's copy of the round may be a cached one) or the token exists (ON CONFLICT on its unique
    index), insert its answers from two arrays. Returns (the counter, or None when not counted;
    stored?; live?)."""
    quote = connection.ops.quote_name
    rc, resp, ans = (quote(m._meta.db_table) for m in (RateCounter, Response, AnswerRow))
    ru, rnd = (quote(m._meta.db_table) for m in (RoundUnit, Round))
    limit, window = _rate_limit()
    params: list = []
    if address is not None and limit is not None:
        counter = (f"counter AS (INSERT INTO {rc} (address, slot, count) VALUES (%s, %s, 1) ON CONFLICT (address) "
                   f"DO UPDATE SET count = CASE WHEN {rc}.slot = excluded.slot THEN {rc}.count + 1 ELSE 1 END, "
                   "slot = excluded.slot RETURNING count), ")
        params += [address[:64], int(time.time() // window)]
        source, counted = ", counter WHERE counter.count <= %s", "(SELECT count FROM counter)"
        source_params = [limit]
    else:
        counter, source, counted, source_params = "", "", "NULL::integer", []
    live = (f"live AS (SELECT 1 FROM {ru} JOIN {rnd} ON {rnd}.id = {ru}.round_id WHERE {ru}.id = %s "
            f"AND {ru}.key = %s AND {rnd}.status = %s AND {rnd}.fingerprint = %s), ")
    params += [response.round_unit_id, key, Round.Status.OPEN, fingerprint]
    sql = (f"WITH {counter}{live}stored AS (INSERT INTO {resp} (round_unit_id, source, form_no, token, "
           f"{quote('group')}, channel, contact, comment, entered_by_id, created_at) "
           f"SELECT %s, %s, '', %s, %s, %s, %s, %s, NULL, now() FROM live{source} "
           "ON CONFLICT (token) DO NOTHING RETURNING id), "
           f"answers AS (INSERT INTO {ans} (response_id, round_unit_id, question, answer) "
           "SELECT stored.id, %s, a.question, a.answer FROM stored, "
           "unnest(%s::varchar[], %s::varchar[]) AS a(question, answer) RETURNING 1) "
           f"SELECT {counted}, (SELECT id FROM stored), (SELECT count(*) FROM answers), EXISTS (SELECT 1 FROM live)")
    params += [response.round_unit_id, response.source, response.token, response.group, response.channel,
               response.contact, response.comment, *source_params,
               response.round_unit_id, list(answers), list(answers.values())]
    # autocommit: the statement is its own transaction. It is also its own health check (instead
    # of a SELECT 1 first, one more round trip per form): on a broken connection it is sent again
    # on a new one. Sent twice after all (the first one committed but its reply was lost), the
    # unique token makes the second one store nothing: DUPLICATE.
    retry = not connection.in_atomic_block and connection.connection is not None and not connection.health_check_done
    if retry:
        connection.health_check_done = True
    try:
        count, pk, _, is_live = _execute_one(sql, params)
    except (OperationalError, InterfaceError):
        if not retry:
            raise
        connection.close()
        count, pk, _, is_live = _execute_one(sql, params)
    return count, pk is not None, is_live


def _execute_one(sql: str, params: list) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _rate_limit() -> tuple[int | None, int]:
    return getattr(settings, "SURVEYS_RATE_LIMIT", 30), getattr(settings, "SURVEYS_RATE_WINDOW", 600)


def rate_limited(address: str) -> bool:
    """A fixed-window counter per address in the database (one atomic upsert, shared by every
    worker process): at most SURVEYS_RATE_LIMIT submissions per SURVEYS_RATE_WINDOW seconds
    (defaults 30 per 600 s); SURVEYS_RATE_LIMIT = None switches the limit off."""
    limit, window = _rate_limit()
    if limit is None:
        return False
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    sql = (f"INSERT INTO {table} (address, slot, count) VALUES (%s, %s, 1) ON CONFLICT (address) DO UPDATE SET "
           f"count = CASE WHEN {table}.slot = excluded.slot THEN {table}.count + 1 ELSE 1 END, "
           "slot = excluded.slot RETURNING count")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [address[:64], int(time.time() // window)])
        count = cursor.fetchone()[0]
    return count > limit


# --- staff entry and import -------------------------------------------------------------------


@dataclass
class EntryOutcome:
    created: list[Response] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def enter_paper_forms(round_unit: RoundUnit, rows: list[dict[str, str]], user, source=Response.Source.PAPER,
                      where: str = "Dòng") -> EntryOutcome:
    """Paper forms typed by staff (or rows of a file): all are saved or none. Each row is
    {question code: answer code, "form_no": number}; a form number may be used once per unit."""
    design = round_unit.round.parsed_design()
    outcome = EntryOutcome()
    if not round_unit.round.is_open:
        outcome.errors.append("Đợt khảo sát đã kết thúc, không nhập thêm phiếu.")
        return outcome
    used = set(Response.objects.filter(round_unit=round_unit).exclude(form_no="").values_list("form_no", flat=True))
    items, seen = [], set()
    for index, row in enumerate(rows, 1):
        form_no = (row.get("form_no") or "").strip()[:40]
        label = f"{where} {row.get('_line', index)}" + (f" (phiếu số {form_no})" if form_no else "")
        answers, errors = check_answers(design, row)
        outcome.errors.extend(f"{label}: {e}" for e in errors)
        if form_no and (form_no in used or form_no in seen):
            outcome.errors.append(f"{label}: số phiếu {form_no} đã được nhập.")
        seen.add(form_no)
        items.append((_response(round_unit, design, answers, form_no=form_no, source=source, entered_by=user), answers))
    if outcome.errors or not items:
        return outcome
    with transaction.atomic():
        outcome.created = _save(round_unit, design, items)
        record_bulk(outcome.created, ObjectChange.Action.CREATE)
    return outcome


def import_file(round_: Round, data: bytes, name: str, user, round_unit: RoundUnit | None = None) -> EntryOutcome:
    """Responses from a .csv/.xlsx; a `unit` column (unit code) says where each row belongs when
    no unit is given. All rows are saved or none."""
    design = round_.parsed_design()
    try:
        read = read_responses(data, name, design)
    except SurveyReadError as exc:
        return EntryOutcome(errors=[str(exc)])
    outcome = EntryOutcome(errors=[f"{name}, {e}" for e in read.errors])
    units = {ru.unit.code: ru for ru in round_.units.select_related("unit")}
    by_unit: dict[int, tuple[RoundUnit, list[dict]]] = {}
    for row in read.rows:
        target = round_unit
        if row.unit:
            target = units.get(row.unit)
            if target is None or (round_unit is not None and target != round_unit):
                outcome.errors.append(f"{name}, dòng {row.line}: đơn vị “{row.unit}” không thuộc đợt khảo sát này.")
                continue
        if target is None:
            outcome.errors.append(f"{name}, dòng {row.line}: thiếu cột unit (mã đơn vị).")
            continue
        by_unit.setdefault(target.pk, (target, []))[1].append({**row.answers, "form_no": row.form_no, "_line": row.line})
    if outcome.errors:
        return outcome
    with transaction.atomic():
        for target, rows in by_unit.values():
            part = enter_paper_forms(target, rows, user, source=Response.Source.IMPORT, where=f"{name}, dòng")
            if part.errors:
                outcome.errors.extend(part.errors)
                transaction.set_rollback(True)
                outcome.created = []
                return outcome
            outcome.created.extend(part.created)
    return outcome
