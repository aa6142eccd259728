"""Responses from a .csv or .xlsx: one row per response, one column per question code, answer
codes as values; optional columns `form_no` (số phiếu) and `unit` (mã đơn vị).

`read_responses(data, name, design)` never raises anything but `SurveyReadError` (the file as a
whole cannot be read) and returns every row it could read with the per-row errors of the others
("dòng 5, cột TC.2: đáp án “7” không có trong thang đo").
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from cchc.core.text import clean, fold

from .design import Design

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
META_COLUMNS = {"form_no": "form_no", "so phieu": "form_no", "unit": "unit", "ma don vi": "unit"}


class SurveyReadError(ValueError):
    """The file cannot be read at all; the message names the file and what is wrong."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"dòng {self.line}" + (f", cột {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ParsedRow:
    line: int
    answers: dict[str, str]
    form_no: str = ""
    unit: str = ""


@dataclass
class ReadResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value))


def _csv_rows(data: bytes, name: str) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SurveyReadError(f"{name}: tệp CSV phải mã hóa UTF-8 (byte lỗi ở vị trí {exc.start}).") from None
    if "\x00" in text:
        raise SurveyReadError(f"{name}: tệp CSV chứa ký tự rỗng (NUL); đây không phải tệp văn bản.")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ("\t" if "\t" in first and "," not in first else ",")
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise SurveyReadError(f"{name}: không đọc được tệp CSV ({exc}).") from None


def _xlsx_rows(data: bytes, name: str) -> list[list[str]]:
    import openpyxl

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SurveyReadError(f"{name}: không đọc được tệp .xlsx (không phải tệp Excel hợp lệ).")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell(v) for v in row])
            if len(rows) > MAX_ROWS + 1:
                break
        book.close()
        return rows
    except Exception as exc:  # a corrupt or disguised workbook: any failure of the library
        raise SurveyReadError(f"{name}: không đọc được tệp .xlsx ({exc.__class__.__name__}).") from None


def read_responses(data: bytes, name: str, design: Design) -> ReadResult:
    if len(data) > MAX_BYTES:
        raise SurveyReadError(f"{name}: tệp quá lớn (tối đa 20 MB).")
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix == "csv":
        rows = _csv_rows(data, name)
    elif suffix == "xlsx":
        rows = _xlsx_rows(data, name)
    else:
        raise SurveyReadError(f"{name}: chỉ đọc được tệp .csv hoặc .xlsx.")
    rows = [[_cell(v) for v in row] for row in rows]
    while rows and not any(rows[0]):
        rows.pop(0)
    if not rows:
        raise SurveyReadError(f"{name}: tệp không có dòng tiêu đề (mã câu hỏi).")
    if len(rows) > MAX_ROWS + 1:
        raise SurveyReadError(f"{name}: quá nhiều dòng (tối đa {MAX_ROWS:,}).".replace(",", "."))
    by_code = {q.code.casefold(): q for q in design.questions.values()}
    columns: list[tuple[str, str | None]] = []  # (kind, question code) kind: "q" | meta | "" (blank)
    for index, title in enumerate(rows[0], 1):
        if not title:
            columns.append(("", None))
        elif title.casefold() in by_code:
            columns.append(("q", by_code[title.casefold()].code))
        elif fold(title).replace("_", " ") in META_COLUMNS or fold(title) in META_COLUMNS:
            columns.append((META_COLUMNS.get(fold(title), META_COLUMNS.get(fold(title).replace("_", " "))), None))
        else:
            raise SurveyReadError(
                f"{name}, dòng 1, cột {index}: “{title[:40]}” không phải mã câu hỏi của thiết kế {design.key}."
            )
    seen = [code for kind, code in columns if kind == "q"]
    if not seen:
        raise SurveyReadError(f"{name}, dòng 1: không có cột nào là mã câu hỏi của thiết kế {design.key}.")
    if len(seen) != len(set(seen)):
        duplicate = next(c for c in seen if seen.count(c) > 1)
        raise SurveyReadError(f"{name}, dòng 1: cột “{duplicate}” xuất hiện hai lần.")
    result = ReadResult()
    for line, row in enumerate(rows[1:], 2):
        if not any(row):
            continue
        if len(row) > len(columns) and any(row[len(columns):]):
            result.errors.append(RowError(line, "", "dòng có nhiều ô hơn số cột tiêu đề."))
            continue
        parsed = ParsedRow(line, {})
        problems = []
        for (kind, code), value in zip(columns, row, strict=False):
            if not value or not kind:
                continue
            if kind == "form_no":
                parsed.form_no = value[:40]
            elif kind == "unit":
                parsed.unit = value[:40]
            else:
                question = design.questions[code]
                if question.free_text:
                    parsed.answers[code] = value[:200]
                elif question.answer(value) is None:
                    codes = ", ".join(a.code for a in question.answers)
                    problems.append(RowError(line, code, f"đáp án “{value[:20]}” không có trong thang đo ({codes})."))
                else:
                    parsed.answers[code] = value
        if problems:
            result.errors.extend(problems)
        elif not any(design.questions[c].factor for c in parsed.answers):
            result.errors.append(RowError(line, "", "phiếu không trả lời câu hỏi đánh giá nào."))
        else:
            result.rows.append(parsed)
    return result
