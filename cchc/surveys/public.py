"""The citizen's form at a unit's link: no login, one small page of plain HTML and CSS, no
script; each opening of the form carries a signed token so that a form is counted once."""

from __future__ import annotations

import hashlib
import os
import uuid

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .models import RoundUnit
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
    html = render_to_string("surveys/public_message.html",
                            {"round_unit": round_unit, "title": title, "message": message})
    return HttpResponse(html, status=status)


# The token is the form's own anti-forgery proof (signed, one use); there is no session to protect.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def public_form(request, key):
    round_unit = get_object_or_404(RoundUnit.objects.select_related("round__province", "unit"), key=key)
    if request.method == "GET":
        if not round_unit.round.is_open:
            return render(request, "surveys/public_closed.html", {"round_unit": round_unit}, status=410)
        design = round_unit.round.parsed_design()
        group = _group(round_unit, request.GET.get(GROUP_PARAM, ""))
        if design.groups and group is None:
            return render(request, "surveys/public_groups.html", {
                "round_unit": round_unit, "groups": design.groups.values(), "param": GROUP_PARAM})
        return _fresh_form(request, round_unit, group)
    posted = {k: v for k, v in request.POST.items() if k != "token"}
    try:
        outcome = submit_public(round_unit, request.POST.get("token", ""), posted, client_address(request))
    except RateLimited:
        response = _message(round_unit, "Gửi quá nhiều phiếu", "Địa chỉ mạng này đã gửi quá nhiều phiếu trong "
                            "thời gian ngắn. Vui lòng thử lại sau ít phút.", status=429)
        response["Retry-After"] = "600"
        return response
    except SurveyError as error:
        group = _group_of_token(round_unit, request.POST.get("token", ""))
        context = _form_context(round_unit, posted, [error.message, *error.details], group=group)
        status = 409 if "thay đổi" in error.message or "kết thúc" in error.message else 400
        return render(request, "surveys/public_form.html", context, status=status)
    return _message(round_unit, "Cảm ơn anh/chị!",
                    "Phiếu này đã được ghi nhận trước đó; lần gửi lại không được tính thêm." if outcome == DUPLICATE
                    else "Phiếu khảo sát của anh/chị đã được ghi nhận.")
