"""The administrative document of Nghị định 30/2020/NĐ-CP (báo cáo, kế hoạch …): what both
renderers print — masthead, number and date, title, body sections, recipients and signature —
cleaned and decided once from a plain dict. Pure Python; `cchc.reporting.documents` (the periodic
report) and `cchc.planning.documents` (a drafted plan) build on it.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
BLANK = "      "  # left to fill by hand in "Số:      /BC-UBND", "ngày      tháng ..."

# Characters XML 1.0 cannot carry (lxml refuses them), plus the BOM and zero-width marks.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\ufffe\uffff\u200b\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]+")
_UBND = re.compile(r"^(UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\b", re.IGNORECASE)
_UBND_OF = re.compile(
    r"^(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+"
    r"(TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU)\s+(.+)$"
)


def clean(value: Any) -> str:
    """One line of text: NFC, XML-safe, whitespace collapsed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", value if isinstance(value, str) else number_text(value))
    text = _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def lines(value: Any) -> list[str]:
    """Text that may hold line breaks: its non-empty lines, each cleaned."""
    if value is None:
        return []
    if not isinstance(value, str):
        return [t] if (t := clean(value)) else []
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    return [t for line in text.split("\n") if (t := clean(line))]


def number_text(value: Any) -> str:
    """238144 → "238.144"; Decimal("99.99") → "99,99"; other objects → str()."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return "" if value is None else str(value)
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    text = f"{number:,f}" if number != number.to_integral_value() else f"{int(number):,d}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def year_of(report: Mapping[str, Any]) -> int:
    if report.get("year"):
        return int(report["year"])
    for key in ("period_label", "title"):
        years = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", clean(report.get(key)))
        if years:
            return int(years[-1])
    return datetime.date.today().year  # the Django callers always pass the year (the business date's)


def date_of(report: Mapping[str, Any]) -> datetime.date | None:
    value = report.get("date")
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value.strip():
        return datetime.date.fromisoformat(value.strip()[:10])
    return None


# --- the content, laid out once for both renderers ---------------------------------------------


def section(raw: Any, depth: int) -> dict[str, Any] | None:
    """A body section (a heading, or {"heading", "paragraphs", "subsections"}) cleaned; None if empty."""
    if isinstance(raw, str):
        raw = {"heading": raw}
    if not isinstance(raw, Mapping):
        return None
    paragraphs = raw.get("paragraphs") or []
    if isinstance(paragraphs, str):
        paragraphs = [paragraphs]
    result = {
        "heading": clean(raw.get("heading")),
        "paragraphs": [line for p in paragraphs for line in lines(p)],
        "subsections": [s for s in (section(r, depth + 1) for r in raw.get("subsections") or []) if s],
        "depth": depth,
    }
    return result if result["heading"] or result["paragraphs"] or result["subsections"] else None


def signature_lines(report: Mapping[str, Any], is_ubnd: bool) -> list[str]:
    authority = report.get("signer_authority")
    heads = lines(authority) if authority is not None else (["TM. ỦY BAN NHÂN DÂN"] if is_ubnd else [])
    titles = [line.upper() for line in lines(report.get("signer_title"))]
    if len(titles) == 1 and titles[0].startswith("PHÓ "):
        titles.insert(0, "KT. " + titles[0][4:])  # a deputy signs on behalf of (ký thay) the head
    return [line.upper() for line in heads] + titles



def walk(sections: Iterable[dict[str, Any]]) -> Iterable[tuple[str, Any]]:
    """("heading", (text, depth)) and ("paragraph", text) in reading order."""
    for section in sections:
        if section["heading"]:
            yield "heading", (section["heading"], section["depth"])
        for paragraph in section["paragraphs"]:
            yield "paragraph", paragraph
        yield from walk(section["subsections"])



class OfficialDocument:
    """Everything both renderers print, already cleaned and decided. ``kind`` is the document's
    name as it heads the title ("BÁO CÁO") and is cited ("Kèm theo Báo cáo số …"); ``number_kind``
    the default kind part of its number ("BC" → "245/BC-UBND" for a UBND)."""

    kind = "Báo cáo"
    number_kind = "BC"

    def __init__(self, data: Mapping[str, Any]) -> None:
        data = data or {}
        issuer_lines = lines(data.get("issuer"))
        issuer_flat = " ".join(issuer_lines)
        is_ubnd = bool(_UBND.match(issuer_flat))
        self.parent_issuer = [line.upper() for line in lines(data.get("parent_issuer"))]
        self.issuer = [line.upper() for line in issuer_lines]

        suffix = clean(data.get("number_suffix")) or (f"{self.number_kind}-UBND" if is_ubnd else self.number_kind)
        number = re.sub(r"^số\s*:?\s*", "", clean(data.get("number")), flags=re.IGNORECASE)
        if number and "/" not in number:
            number = f"{number}/{suffix}"
        self.number_text = number or f"{BLANK}/{suffix}"
        self.number_line = f"Số: {self.number_text}"

        self.place = clean(data.get("place"))
        self.date = date_of(data)
        self.year = self.date.year if self.date else year_of(data)
        if self.date:
            day = f"{self.date.day:02d}" if self.date.day < 10 else str(self.date.day)
            month = f"{self.date.month:02d}" if self.date.month < 3 else str(self.date.month)  # NĐ 30
            when = f"ngày {day} tháng {month} năm {self.date.year}"
            self.short_date = f"{self.date.day:02d}/{self.date.month:02d}/{self.date.year}"
        else:
            when = f"ngày{BLANK}tháng{BLANK}năm {self.year}"
            self.short_date = f"{BLANK}/{BLANK}/{self.year}"
        self.date_line = f"{self.place}, {when}" if self.place else upper_first(when)

        self.period = clean(data.get("period_label"))
        self.title = upper_first(self.title_of(data))
        self.full_title = f"{self.kind} {self.title[:1].lower()}{self.title[1:]}"

        self.sections = [s for s in (section(raw, 1) for raw in data.get("sections") or []) if s]
        recipients = data.get("recipients") or []
        self.recipients = [
            line if line.startswith(("-", "–", "+")) else f"- {line}"
            for item in ([recipients] if isinstance(recipients, str) else recipients)
            for line in lines(item)
        ]
        self.signature = signature_lines(data, is_ubnd)
        self.signer_name = clean(data.get("signer_name"))

        of = _UBND_OF.match(issuer_flat.upper())
        issuer_name = f"UBND {of.group(1).lower()} {of.group(2).title()}" if of else ""
        self.appendix_caption = f"(Kèm theo {self.kind} số {self.number_text} ngày {self.short_date}" + (
            f" của {issuer_name})" if issuer_name else ")"
        )

    def title_of(self, data: Mapping[str, Any]) -> str:
        """The title without the document's kind ("Báo cáo …" → "…")."""
        kind = self.kind.replace(" ", r"\s+")
        title = re.sub(rf"^{kind}\b[\s:,-]*", "", clean(data.get("title")), flags=re.IGNORECASE)
        return title or f"{self.kind} {self.year}"
