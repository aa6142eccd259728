"""Periodic CCHC reports read back: a province's or unit's report (text, .docx, .doc, .rtf, .pdf)
into its period, issuing body, number and date, its narrative sections by reform area, and the
annex forms (read by `cchc.core.statforms`), so that the reports of units that do not use cchc, or
of past years, can be taken in for review.

    read_report(path) -> dict          read_report_text(text, source="<text>") -> dict

The dict: ``{"title", "period" ("2024-H1"…, None if unsure), "year", "issuer", "number",
"issued_on", "sections": [{"number", "area", "title", "text"}], "forms": FormDocument | None,
"warnings": [...]}``. What it cannot tell is left empty with a warning, never guessed.
No Django import.
"""

from __future__ import annotations

import re
from pathlib import Path

from cchc.core.plan_reader.vocab import find_area
from cchc.core.text import clean, fold

__all__ = ["read_report", "read_report_text"]

_YEAR = re.compile(r"\b(20\d{2})\b")
_PERIODS = (  # folded title words -> period suffix
    (re.compile(r"\b(?:0?6|sau) thang dau nam\b"), "H1"),
    (re.compile(r"\b(?:0?9|chin) thang\b"), "Q3"),
    (re.compile(r"\bquy (?:i|1)\b"), "Q1"),
    (re.compile(r"\b(?:ca )?nam\b"), "Y"),
)
_ROMAN = re.compile(r"^\s*([IVX]{1,4})\.\s+(.*\S)\s*$")
_NUMBERED = re.compile(r"^\s*(\d{1,2})\.\s+(.*\S)\s*$")
_NUMBER = re.compile(r"\bS[ốô]\s*:?\s*(\d+\s*/\s*[A-ZĐ]{1,4}(?:-[A-ZĐ0-9&]+)+)", re.IGNORECASE)
_CITED = re.compile(r"Báo cáo số\s*(\d*)\s*/\s*([A-ZĐ]+-[A-ZĐ0-9&-]+)\s*ngày\s*([\d\s/]*?)\s*của\s+([^)\n]+)")
_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_RESULTS = re.compile(r"^(?:ket qua|tinh hinh|cong tac trien khai|cong tac chi dao)")
_END = re.compile(r"^(?:noi nhan|tm\.|kt\.|phu luc\b)")


def read_report(path: str | Path) -> dict:
    """A report file: its text as the plan reader sees it (.docx, .doc, .rtf, .pdf, .txt)."""
    from cchc.core.plan_reader import document_text

    return read_report_text(document_text(path), source=str(path))


def _period(title: str, year: int | None) -> str | None:
    f = fold(title)
    if year is None:
        return None
    for pattern, suffix in _PERIODS:
        if pattern.search(f):
            return f"{year}-{suffix}"
    return None


def read_report_text(text: str, source: str = "<text>") -> dict:
    lines = [clean(line) for line in text.split("\n")]
    lines = [line for line in lines if line]
    warnings: list[str] = []
    # The title: "BÁO CÁO" and the lines up to the first Roman heading.
    start = next((i for i, line in enumerate(lines) if fold(line) == "bao cao"), None)
    first_heading = next((i for i, line in enumerate(lines) if _ROMAN.match(line)), len(lines))
    title_lines = lines[start + 1 : first_heading] if start is not None else lines[:first_heading][:4]
    title = clean(" ".join(title_lines))
    years = [int(y) for y in _YEAR.findall(title)]
    year = years[-1] if years else None
    period = _period(title, year)
    if period is None:
        warnings.append(f"Không nhận ra kỳ báo cáo từ tiêu đề «{title[:100]}»; hãy chọn kỳ báo cáo.")

    number = issuer = issued_on = None
    head = "\n".join(lines[: start or 0])
    if m := _NUMBER.search(head):
        number = re.sub(r"\s+", "", m.group(1))
    if m := _DATE.search(head):
        issued_on = f"{int(m.group(3)):04d}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    if m := _CITED.search(text):  # "(Kèm theo Báo cáo số …/BC-UBND ngày …/…/2024 của UBND tỉnh Thanh Hóa)"
        issuer = clean(m.group(4)).rstrip(" .")
        if number is None and m.group(1):
            number = f"{m.group(1)}/{m.group(2)}"
    if issuer is None and start:
        issuer = clean(" ".join(lines[: min(start, 2)])) or None
    if number is None:
        warnings.append("Báo cáo chưa ghi số (bản chưa ký số hoặc dự thảo).")
    if issuer is None:
        warnings.append("Không nhận ra cơ quan ban hành; hãy chọn đơn vị.")

    sections: list[dict] = []
    in_results = False
    current: dict | None = None
    for line in lines[first_heading:]:
        folded = fold(line)
        if _END.match(folded):
            break
        roman = _ROMAN.match(line)
        if roman:
            in_results = bool(_RESULTS.match(fold(roman.group(2))))
            current = None
            continue
        numbered = _NUMBERED.match(line)
        area = find_area(fold(numbered.group(2))) if numbered and in_results else None
        if numbered and area:
            current = {"number": numbered.group(1), "area": area, "title": numbered.group(2).rstrip(" ."), "text": ""}
            sections.append(current)
        elif current is not None and not re.fullmatch(r"\d{1,3}", line):
            current["text"] = f"{current['text']} {line}".strip()
    if not sections:
        warnings.append("Không tìm thấy phần kết quả theo từng lĩnh vực cải cách hành chính.")

    forms = None
    if "Biểu mẫu" in text:
        from cchc.core.statforms import FormReadError, read_form_text

        try:
            forms = read_form_text(text, source)
        except FormReadError as exc:
            warnings.append(str(exc))
    return {
        "source": source,
        "title": title,
        "period": period,
        "year": year,
        "issuer": issuer,
        "number": number,
        "issued_on": issued_on,
        "sections": sections,
        "forms": forms,
        "warnings": warnings,
    }
