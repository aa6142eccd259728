"""Content-Security-Policy: scripts from this origin only, and no template that needs more."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "cchc" / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_policy_allows_scripts_and_style_elements_from_this_origin_only(client, make_user):
    client.force_login(make_user("csp-officer"))
    page = client.get("/")
    policy = directives(page.headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src-elem"] == ["'self'"]
    html = page.content.decode()
    assert not INLINE_SCRIPT.search(html) and not HANDLER.search(html)
    assert '"allowEval": false' in html and "alpine" not in html


def test_no_template_holds_inline_script_handler_or_javascript_url():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER, re.compile(r"javascript:", re.I), re.compile(r"<style", re.I),
                        re.compile(r"hx-on|hx-vars|js:", re.I)):
            if pattern.search(text):
                offenders.append(f"{path.relative_to(TEMPLATES)}: {pattern.pattern}")
    assert offenders == []
