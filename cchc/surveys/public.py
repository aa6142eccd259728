"""The citizen's form at a unit's link: no login, one small page of plain HTML and CSS, no
script; each opening of the form carries a signed token so that a form is counted once."""

from __future__ import annotations

import hashlib
import os
import time
import uuid

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .models import Round, RoundUnit
from .services import DUPLICATE, FORM_SALT, RateLimited, SurveyError, form_token, submit_public


def _trusted_proxies() -> set[str]:
    """The proxies whose X-Forwarded-For is believed: SURVEYS_TRUSTED_PROXIES, else the list
    gunicorn is given (FORWARDED_ALLOW_IPS, by default the loopback addresses)."""
    value = getattr(settings, "SURVEYS_TRUSTED_PROXIES", None)
    if value is None:
        value = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
    if isinstance(value, str):
        value = value.split(",")
    return {item.strip() for item in value if item.strip()}


def client_address(request) -> str:
    """The address the rate limit counts: behind a trusted proxy (the TLS proxy in front of
    gunicorn) the nearest untrusted address of X-Forwarded-For, so that citizens behind one proxy
    are not counted as one; otherwise the connection's own address (a forged header is ignored)."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    trusted = _trusted_proxies()
    if remote not in trusted and "*" not in trusted:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for address in reversed(forwarded):
        if address not in trusted:
            return address[:64]
    return remote


GROUP_PARAM = "nhom"


def _form_context(round_unit: RoundUnit, posted=None, errors=None, group=None) -> dict:
    """The form of the round's design; for a design with respondent groups, the form of `group`
    (its aspects only, the group question answered by the form itself)."""
    design = round_unit.round.parsed_design()
    posted = posted or {}
    group_q = design.role_question("group") if group is not None else None
    scored = [
        {"q": q, "value": posted.get(q.code, ""), "factor": design.factors[q.factor].name, "number": i}
        for i, q in enumerate(design.group_scored(group.code if group else None), 1)
    ]
    respondent = [{"q": q, "value": posted.get(q.code, "")} for q in design.respondent if q is not group_q]
    return {
        "round_unit": round_unit, "round": round_unit.round, "design": design, "scored": scored,
        "respondent": respondent, "total": len(scored), "errors": errors or [], "group": group,
        "group_q": group_q, "token": form_token(round_unit, uuid.uuid4().hex, group.code if group else ""),
        "posted": posted,
    }


def _group(round_unit: RoundUnit, code: str):
    return round_unit.round.parsed_design().groups.get(code or "")


def _group_of_token(round_unit: RoundUnit, token: str):
    try:
        data = signing.loads(token, salt=FORM_SALT)
    except signing.BadSignature:
        return None
    return _group(round_unit, str(data.get("g") or ""))


FORM_CACHE_SECONDS = 300
TOKEN_SLOT = "__cchc_form_token__"


def _fresh_form(request, round_unit: RoundUnit, group) -> HttpResponse:
    """An unfilled form: the page is rendered once per unit, design and group (kept a few
    minutes in the cache) and only its token is new at every opening."""
    round_ = round_unit.round
    names = "|".join((round_.province.name, round_.title, round_unit.unit.name))
    key = ":".join(("cchc-surveys-form", str(round_unit.pk), round_.fingerprint, group.code if group else "",
                    hashlib.sha256(names.encode()).hexdigest()[:16]))
    html = cache.get(key)
    if html is None:
        context = _form_context(round_unit, group=group)
        context["token"] = TOKEN_SLOT
        html = render_to_string("surveys/public_form.html", context, request)
        cache.set(key, html, FORM_CACHE_SECONDS)
    return HttpResponse(html.replace(TOKEN_SLOT, form_token(round_unit, uuid.uuid4().hex, group.code if group else "")))


def _message(round_unit: RoundUnit, title: str, message: str, status: int = 200) -> HttpResponse:
    """A short public page (thanks, refusal): rendered without the request, so none of the staff
    pages' context processors run for a citizen, and no session or cookie is touched."""
    pages = round_unit.__dict__.setdefault("_public_pages", {})  # lives as long as this copy of the unit
    html = pages.get((title, message))
    if html is None:
        html = pages[(title, message)] = render_to_string(
            "surveys/public_message.html", {"round_unit": round_unit, "title": title, "message": message})
    return HttpResponse(html, status=status)


def _lookup(key: str) -> RoundUnit:
    return get_object_or_404(RoundUnit.objects.select_related("round__province", "unit"), key=key)


# The units of the public links this process served, each with its round and design parsed, for a
# few seconds: a flood of forms then costs one SQL statement each. A stale copy is harmless: the
# statement that stores a form checks that the unit's round is still open with the same design
# (services._store_public_pg; other databases do not use the copy for a POST), and a refused form is
# judged again afresh; a form opened from a stale copy is refused when posted. Saving or deleting a
# round or a unit empties it in this process.
UNIT_CACHE_SECONDS = 30
_UNITS: dict[str, tuple[float, RoundUnit]] = {}


def _cached_unit(key: str) -> RoundUnit:
    now = time.monotonic()
    hit = _UNITS.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    round_unit = _lookup(key)
    round_ = round_unit.round
    round_.design = round_.parsed_design().raw  # the parsed design's own copy, shared by its units
    if len(_UNITS) >= 4096:
        _UNITS.clear()
    _UNITS[key] = (now + UNIT_CACHE_SECONDS, round_unit)
    return round_unit


@receiver([post_save, post_delete], sender=Round)
@receiver([post_save, post_delete], sender=RoundUnit)
def forget_units(**kwargs) -> None:
    _UNITS.clear()


# The token is the form's own anti-forgery proof (signed, one use); there is no session to protect.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def public_form(request, key):
    if request.method == "POST":
        if connection.vendor == "postgresql":
            return _post(request, key, _cached_unit(key), cached=True)
        return _post(request, key, _lookup(key))  # no check of the round in the storing statement
    round_unit = _cached_unit(key)
    if not round_unit.round.is_open:
        return render(request, "surveys/public_closed.html", {"round_unit": round_unit}, status=410)
    design = round_unit.round.parsed_design()
    group = _group(round_unit, request.GET.get(GROUP_PARAM, ""))
    if design.groups and group is None:
        return render(request, "surveys/public_groups.html", {
            "round_unit": round_unit, "groups": design.groups.values(), "param": GROUP_PARAM})
    return _fresh_form(request, round_unit, group)


def _post(request, key: str, round_unit: RoundUnit, cached: bool = False) -> HttpResponse:
    posted = {k: v for k, v in request.POST.items() if k != "token"}
    token = request.POST.get("token", "")
    try:
        try:
            outcome = submit_public(round_unit, token, posted, client_address(request))
        except SurveyError:
            if not cached:
                raise
            # refused on a cached copy of the unit: judge it again on the unit as it is now (the
            # submission was counted already)
            _UNITS.pop(key, None)
            round_unit = _lookup(key)
            outcome = submit_public(round_unit, token, posted, None)
    except RateLimited:
        response = _message(round_unit, "Gửi quá nhiều phiếu", "Địa chỉ mạng này đã gửi quá nhiều phiếu trong "
                            "thời gian ngắn. Vui lòng thử lại sau ít phút.", status=429)
        response["Retry-After"] = "600"
        return response
    except SurveyError as error:
        group = _group_of_token(round_unit, token)
        context = _form_context(round_unit, posted, [error.message, *error.details], group=group)
        status = 409 if "thay đổi" in error.message or "kết thúc" in error.message else 400
        return render(request, "surveys/public_form.html", context, status=status)
    return _message(round_unit, "Cảm ơn anh/chị!",
                    "Phiếu này đã được ghi nhận trước đó; lần gửi lại không được tính thêm." if outcome == DUPLICATE
                    else "Phiếu khảo sát của anh/chị đã được ghi nhận.")
