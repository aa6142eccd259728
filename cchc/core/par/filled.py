"""Reading a filled self-assessment: the criteria table with a "Điểm tự đánh giá" column.

Units send their self-assessment as the criteria table (STT | Lĩnh vực/Tiêu chí | Điểm tối đa |
Điểm tự đánh giá | …) in a .docx or .xlsx. Each row is matched to a node of the template by its code
("1.3.1" or "1.3.1."), else by its folded name (rapidfuzz), and every row that carries a score but
matches nothing is a finding with its row number. Scores are read the Vietnamese way ("1,5"); a
"1.5" is read as one and a half (points are never in the thousands).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from cchc.core.statforms.numbers import VNNumberError, is_dash, parse_vn_number
from cchc.core.text import clean, fold

from .model import Template

__all__ = ["FilledAssessment", "FilledReadError", "read_filled", "read_filled_rows"]

NAME_CUTOFF = 88  # rapidfuzz ratio over folded names
_CODE = re.compile(r"^(?:[A-Z]|\d+)(?:\.(?:\d+|[a-z]))*\.?$")
_HEADER_CODES = {"stt", "tt", "ma", "ma tieu chi"}
_SMALL_DECIMAL = re.compile(r"^\d{1,3}\.\d{1,2}$")


class FilledReadError(ValueError):
    """A file that holds no readable self-assessment table; the message names the file."""


@dataclass
class FilledAssessment:
    source: str
    scores: dict[str, Decimal] = field(default_factory=dict)
    findings: list[str] = field(default_factory=list)
    matched_by_name: dict[str, str] = field(default_factory=dict)  # code -> name as written
    rows: dict[str, int] = field(default_factory=dict)  # code -> the row number it was read from
    rows_read: int = 0


@dataclass(frozen=True)
class _Columns:
    code: int
    name: int
    self_score: int


def _header(cells: list[str]) -> _Columns | None:
    folded = [fold(c) for c in cells]
    self_col = next((i for i, f in enumerate(folded) if "diem" in f and ("tu danh gia" in f or "tu cham" in f)), None)
    if self_col is None:
        return None
    code_col = next((i for i, f in enumerate(folded) if f in _HEADER_CODES), 0)
    name_col = next(
        (
            i
            for i, f in enumerate(folded)
            if i != self_col and ("tieu chi" in f or "noi dung" in f or "linh vuc" in f)
        ),
        1,
    )
    return _Columns(code_col, name_col, self_col)


def _score(text: str) -> Decimal:
    s = clean(text).rstrip("đ").strip()
    if _SMALL_DECIMAL.match(s):
        return Decimal(s)
    return parse_vn_number(s)


def _norm_code(text: str) -> str | None:
    s = clean(text).replace(" ", "")
    if not s or not _CODE.match(s):
        return None
    return s.rstrip(".")


def read_filled_rows(
    rows: Iterable[tuple[int, list[str]]], template: Template, source: str
) -> FilledAssessment:
    """Match table rows (row number, cell texts) to the template; see the module docstring."""
    from rapidfuzz import fuzz, process

    result = FilledAssessment(source)
    choices = {n.code: fold(n.name) for n in template.walk()}
    columns: _Columns | None = None
    for number, cells in rows:
        cells = [clean(c or "") for c in cells]
        if columns is None:
            columns = _header(cells)
            continue
        width = max(columns.code, columns.name, columns.self_score) + 1
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        raw_code, name, raw_score = cells[columns.code], cells[columns.name], cells[columns.self_score]
        if fold(raw_code) in _HEADER_CODES or not (raw_code or name):
            continue  # a repeated header or an empty row
        if not raw_score or is_dash(raw_score):
            continue  # a text row (the guide under a criterion) or nothing scored
        where = f"{source}, dòng {number}"
        code = _norm_code(raw_code)
        if code is not None and template.has(code):
            matched = code
        else:
            best = (
                process.extractOne(fold(name), choices, scorer=fuzz.ratio, score_cutoff=NAME_CUTOFF)
                if name
                else None
            )
            if best is None:
                label = f"mã «{raw_code}», " if raw_code else ""
                result.findings.append(
                    f"{where}: {label}«{name[:80]}» không khớp tiêu chí nào của bộ {template.key}."
                )
                continue
            matched = best[2]
            result.matched_by_name[matched] = name
            told = f"mã «{raw_code}» không có trong bộ; " if raw_code else "không ghi mã; "
            result.findings.append(
                f"{where}: {told}khớp theo tên với tiêu chí {matched} «{template.node(matched).name[:60]}»."
            )
        try:
            value = _score(raw_score)
        except (VNNumberError, InvalidOperation):
            result.findings.append(
                f"{where} (tiêu chí {matched}): điểm tự đánh giá «{raw_score}» không phải là số."
            )
            continue
        if matched in result.scores:
            result.findings.append(
                f"{where}: tiêu chí {matched} đã có điểm ở dòng {result.rows[matched]}; bỏ qua dòng này."
            )
            continue
        result.scores[matched] = value
        result.rows[matched] = number
        result.rows_read += 1
    if columns is None:
        raise FilledReadError(f"{source}: không tìm thấy bảng tiêu chí có cột «Điểm tự đánh giá».")
    return result


def _docx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    import docx

    document = docx.Document(str(path))
    for table in document.tables:
        header_seen = False
        for number, tr in enumerate(table.rows, 1):
            cells = ["\n".join(p.text for p in c.paragraphs) for c in tr.cells]
            if not header_seen:
                header_seen = _header([clean(c) for c in cells]) is not None
                if not header_seen:
                    continue
            yield number, cells
        if header_seen:
            return


def _xlsx_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(Decimal(repr(value)))
    return str(value)


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    import openpyxl

    workbook = openpyxl.load_workbook(str(path), data_only=True)
    try:
        for sheet in workbook.worksheets:
            header_seen = False
            for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
                cells = [_xlsx_text(v) for v in row]
                if not header_seen:
                    header_seen = _header([clean(c) for c in cells]) is not None
                    if not header_seen:
                        continue
                yield number, cells
            if header_seen:
                return
    finally:
        workbook.close()


def read_filled(path: str | Path, template: Template) -> FilledAssessment:
    """The self-scores of a filled .docx or .xlsx; FilledReadError when there is no such table."""
    from cchc.core.filetypes import detect

    path = Path(path)
    with path.open("rb") as f:
        kind = detect(f)
    if kind == "docx":
        rows = _docx_rows(path)
    elif kind == "xlsx":
        rows = _xlsx_rows(path)
    else:
        raise FilledReadError(f"{path.name}: chỉ đọc được bản tự đánh giá dạng .docx hoặc .xlsx.")
    try:
        return read_filled_rows(list(rows), template, path.name)
    except FilledReadError:
        raise
    except Exception as exc:  # a damaged document
        raise FilledReadError(f"{path.name}: không đọc được tệp ({exc.__class__.__name__}).") from exc
