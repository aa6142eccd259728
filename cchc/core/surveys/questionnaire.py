"""A questionnaire document (its text, one line per paragraph, table cells separated by TAB) to a
survey design draft, for a coordinator to review before it is used.

What is understood, in document order:
- an aspect heading: "PHẦN II. ĐÁNH GIÁ ...", "Khía cạnh 1: ..." (optional: without one, every
  factor goes into a single aspect);
- a factor heading: a Roman numeral ("I. Tiếp cận dịch vụ") or "Yếu tố 2: ...";
- a rated question: a numbered line or table row ("1. Nơi ngồi chờ ...", "1 | Nơi ngồi chờ | □ | □"),
  on the five-level satisfaction scale with "Không có ý kiến" (the SIPAS scale);
- the respondent section, a heading naming "thông tin" about the person ("THÔNG TIN VỀ NGƯỜI TRẢ
  LỜI"): its numbered questions take their options from the checkboxes that follow ("□ Nam □ Nữ",
  on the question's line after a colon or on the lines below); the question about the channel
  ("hình thức", "trực tuyến") filters results by channel, one about the "nhóm đối tượng" by group.
Everything else (titles, instructions, the scale's header row) is skipped and listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cchc.core.text import fold

SCALE_NAME = "sat5"
SCALE = [
    {"code": "1", "label": "Rất không hài lòng", "level": 1, "valid": True},
    {"code": "2", "label": "Không hài lòng", "level": 2, "valid": True},
    {"code": "3", "label": "Bình thường", "level": 3, "valid": True},
    {"code": "4", "label": "Hài lòng", "level": 4, "valid": True},
    {"code": "5", "label": "Rất hài lòng", "level": 5, "valid": True},
    {"code": "0", "label": "Không có ý kiến", "level": None, "valid": False},
]

BOXES = "□☐❑◻■☑☒"
_BOX_SPLIT = re.compile(f"[{BOXES}]")
_ROMAN = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"
_ASPECT = re.compile(r"^(?:PHẦN|Phần|phần|KHÍA CẠNH|Khía cạnh|khía cạnh)\s+([0-9A-Z]+)\s*[.:)\-–]\s*(.+)$")
_FACTOR = re.compile(rf"^(?:(?:YẾU TỐ|Yếu tố|yếu tố)\s+(\d+|{_ROMAN})|({_ROMAN}))\s*[.:)\-–]\s*(.+)$")
_QUESTION = re.compile(r"^(?:(?:Câu|câu|CÂU)\s*)?(\d{1,3})\s*[.):]\s*(.+)$")
_NUMBER_CELL = re.compile(r"^(?:Câu\s*)?(\d{1,3})[.)]?$")


class QuestionnaireError(ValueError):
    """Nothing in the document looks like a questionnaire; the message is Vietnamese."""


@dataclass
class Draft:
    design: dict
    skipped: list[str] = field(default_factory=list)  # "dòng 3: …" lines not understood
    warnings: list[str] = field(default_factory=list)


def _clean(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _code(name: str, taken: set[str]) -> str:
    """Initials of the first two words without diacritics ("Tiếp cận dịch vụ" → "TC"), made unique."""
    words = [w for w in re.split(r"[^0-9a-z]+", fold(name)) if w]
    base = "".join(w[0] for w in words[:2]).upper() or "F"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}{n}"
    taken.add(code)
    return code


def _options(text: str) -> list[str]:
    return [o for o in (_clean(part).strip(" ;,.") for part in _BOX_SPLIT.split(text)) if o]


def _is_respondent_heading(text: str) -> bool:
    folded = fold(text)
    return "thong tin" in folded and any(w in folded for w in ("nguoi tra loi", "ca nhan", "chung", "ve ban than",
                                                                "nguoi duoc"))


def _role(text: str, options: list[str]) -> str | None:
    folded = fold(" ".join([text, *options]))
    if "nhom doi tuong" in folded:
        return "group"
    if "hinh thuc" in folded or "kenh" in folded or "truc tuyen" in folded:
        return "channel"
    return None


def _split_row(line: str) -> tuple[str, str | None]:
    """A table row "1 | text | □ | □" as ("1. text", None); a paragraph as itself."""
    if "\t" not in line:
        return _clean(line), None
    cells = [_clean(c) for c in line.split("\t")]
    cells = [c for c in cells if c and not all(ch in BOXES + " x" for ch in c)]
    if len(cells) >= 2 and _NUMBER_CELL.match(cells[0]):
        return f"{_NUMBER_CELL.match(cells[0]).group(1)}. {cells[1]}", " ".join(cells[2:]) or None
    return " ".join(cells), None


def read_questionnaire(text: str, *, key: str, name: str, source: str = "") -> Draft:
    """A design draft (the JSON document of `cchc.core.surveys.design`) from a questionnaire's text."""
    aspects: list[dict] = []
    respondent: list[dict] = []
    skipped: list[str] = []
    warnings: list[str] = []
    factor_codes: set[str] = set()
    factor: dict | None = None
    in_respondent = False
    current_r: dict | None = None

    def aspect_for_factor() -> dict:
        if not aspects:
            aspects.append({"code": "A1", "name": "Nội dung đánh giá", "factors": []})
        return aspects[-1]

    for number, raw in enumerate(text.splitlines(), 1):
        line, rest = _split_row(raw)
        if not line:
            continue
        folded = fold(line)
        if _is_respondent_heading(line) and not _QUESTION.match(line):
            in_respondent, current_r, factor = True, None, None
            continue
        match = _ASPECT.match(line)
        if match:
            in_respondent, current_r = False, None
            aspects.append({"code": f"A{len(aspects) + 1}", "name": _clean(match.group(2)).capitalize()
                            if match.group(2).isupper() else _clean(match.group(2)), "factors": []})
            factor = None
            continue
        match = _FACTOR.match(line)
        if match and (match.group(1) or match.group(2)):
            title = _clean(match.group(3))
            title = title.capitalize() if title.isupper() else title
            in_respondent, current_r = False, None
            factor = {"code": _code(title, factor_codes), "name": title, "questions": []}
            aspect_for_factor()["factors"].append(factor)
            continue
        match = _QUESTION.match(line)
        if match and in_respondent:
            head, _, tail = match.group(2).partition(":") if any(b in match.group(2) for b in BOXES) else (
                match.group(2), "", "")
            current_r = {"code": f"R{len(respondent) + 1}", "text": _clean(head).rstrip(" :"), "answers": []}
            for option in _options(tail + " " + (rest or "")):
                current_r["answers"].append({"code": str(len(current_r["answers"]) + 1), "label": option})
            respondent.append(current_r)
            continue
        if match and factor is not None:
            factor["questions"].append({"code": f"{factor['code']}.{len(factor['questions']) + 1}",
                                        "text": _clean(match.group(2)).rstrip(" □☐"), "scale": SCALE_NAME})
            continue
        if in_respondent and current_r is not None and any(b in line for b in BOXES):
            for option in _options(line):
                current_r["answers"].append({"code": str(len(current_r["answers"]) + 1), "label": option})
            continue
        if "hai long" in folded and "rat" in folded:
            continue  # the scale's header row
        skipped.append(f"dòng {number}: {line[:80]}")

    for aspect in aspects:
        empty = [f for f in aspect["factors"] if not f["questions"]]
        for f in empty:
            warnings.append(f"Yếu tố «{f['name']}» không có câu hỏi nào: đã bỏ.")
        aspect["factors"] = [f for f in aspect["factors"] if f["questions"]]
    aspects = [a for a in aspects if a["factors"]]
    if not aspects:
        raise QuestionnaireError(
            "Không nhận ra bộ câu hỏi: cần các yếu tố đánh số La Mã (“I. Tiếp cận dịch vụ”) và dưới mỗi yếu tố "
            "các câu hỏi đánh số (“1. Nơi ngồi chờ …”).")
    for question in respondent:
        role = _role(question["text"], [a["label"] for a in question["answers"]])
        if role and question["answers"] and not any(q.get("role") == role for q in respondent):
            question["role"] = role
        if not question["answers"]:
            question["free_text"] = True
            warnings.append(f"Câu {question['code']} («{question['text'][:60]}») không có lựa chọn: để trả lời tự do.")
    design = {
        "key": key, "version": 1, "survey": "sipas", "name": name, "source": source,
        "scales": {SCALE_NAME: SCALE}, "computation": {"satisfied_levels": [4, 5]},
        "aspects": aspects, "respondent": respondent, "groups": [],
    }
    return Draft(design, skipped, warnings)
