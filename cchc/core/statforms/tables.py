"""Statistical forms laid out as tables (.docx, .xlsx): rows found by the header row, merged cells,
rows without a code, extra or missing columns (each irregularity a warning on the form).

Used by `cchc.core.statforms.reader`; the raw rows and forms it builds documents from live here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from cchc.core.text import clean, fold

from .model import exchange_code
from .numbers import format_vn_number

_FORM_HEADING = re.compile(r"^\s*Biểu\s*mẫu\s*(?:số\s*)?(\d+)\s*\.?\s*$", re.IGNORECASE)
_SECTION = re.compile(r"^\s*([IVXL]+)\.\s*(.*)$")
_COLUMN_NUMBERS = re.compile(r"^(?:\(?\d+\)?\s*)+$")


@dataclass
class RawRow:
    stt: str
    name: str
    unit: str | None = None
    value: str = ""  # as printed: "238.144", "99,99", "-", "" when blank
    note: str = ""


@dataclass
class RawForm:
    number: int
    title: str = ""
    section: str | None = None
    section_title: str | None = None
    rows: list[RawRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # irregularities met while reading the table


# --- tables (.docx, .xlsx) -----------------------------------------------------------------

_COLUMNS = (
    ("stt", ("stt", "tt", "so tt", "so thu tu")),
    ("name", ("noi dung chi tieu", "chi tieu thong ke", "chi tieu", "noi dung", "ten chi tieu")),
    ("unit", ("don vi tinh", "dvt")),
    ("value", ("so lieu", "gia tri", "ket qua")),
    ("note", ("ghi chu",)),
)


def _header_map(cells: Sequence[str]) -> dict[str, int] | None:
    mapping: dict[str, int] = {}
    for index, cell in enumerate(cells):
        f = fold(cell)
        for key, names in _COLUMNS:
            if key not in mapping and any(f == n or f.startswith(n) for n in names):
                mapping[key] = index
                break
    return mapping if {"stt", "name", "value"} <= mapping.keys() else None


_COLUMN_LABELS = {"stt": "STT", "name": "Nội dung chỉ tiêu", "unit": "Đơn vị tính", "value": "Số liệu", "note": "Ghi chú"}
_TOTAL_ROW = re.compile(r"^(?:tong cong|tong so|tong|cong|toan tinh|toan huyen)\b")


class _TableCollector:
    """Turns a stream of paragraphs and table rows into RawForms."""

    def __init__(self) -> None:
        self.forms: list[RawForm] = []
        self.current: RawForm | None = None
        self.columns: dict[str, int] | None = None
        self.pending_title: list[str] = []

    def heading(self, number: int) -> None:
        self.current = RawForm(number)
        self.forms.append(self.current)
        self.columns = None
        self.pending_title = []

    def paragraph(self, text: str) -> None:
        t = clean(text)
        if not t:
            return
        m = _FORM_HEADING.match(t)
        if m:
            self.heading(int(m.group(1)))
        elif self.current is not None and not self.current.rows and self.columns is None:
            self.pending_title.append(t)

    def row(self, cells: Sequence[str], merged: Sequence[tuple[str, int]] = ()) -> None:
        """One table row; ``merged`` lists (kind, position) of cells merged with the cell to their
        left ("h") or above ("v"), given as empty strings in ``cells``."""
        cells = [clean(c) for c in cells]
        nonempty = [c for c in cells if c]
        if not nonempty:
            return
        if len(nonempty) == 1 and _FORM_HEADING.match(nonempty[0]):
            self.heading(int(_FORM_HEADING.match(nonempty[0]).group(1)))
            return
        header = _header_map(cells)
        if header is not None:
            if self.current is None or self.current.rows:
                self.heading(len(self.forms) + 1 if self.current is None else self.current.number + 1)
            self.columns = header
            self.current.title = clean(" ".join(self.pending_title))
            used = set(header.values())
            for index, text in enumerate(cells):
                if text and index not in used and not _COLUMN_NUMBERS.fullmatch(text):
                    self.current.warnings.append(
                        f"Biểu mẫu {self.current.number}: cột «{text[:60]}» không thuộc mẫu; bỏ qua cột này."
                    )
            if "unit" not in header:
                self.current.warnings.append(
                    f"Biểu mẫu {self.current.number}: bảng thiếu cột «Đơn vị tính»; đơn vị lấy theo tên chỉ tiêu."
                )
            return
        if self.columns is None or self.current is None:
            if len(nonempty) == 1:
                self.paragraph(nonempty[0])
            return

        def cell(key: str) -> str:
            index = self.columns.get(key)
            return cells[index] if index is not None and index < len(cells) else ""

        stt = cell("stt").rstrip(".").strip()
        section = _SECTION.match(cell("stt") + " " + cell("name")) if stt and not stt[0].isdigit() else None
        if section is not None:
            self.current.section = section.group(1)
            self.current.section_title = clean(section.group(2)) or None
            return
        if _COLUMN_NUMBERS.fullmatch(" ".join(nonempty)):
            return
        if not re.fullmatch(r"\d+(?:\.\d+)*", stt):
            self._row_without_code(cell("stt"), cell("name") or " ".join(nonempty), cell("value"))
            return
        form = self.current.number
        for kind, index in merged:
            key = next((k for k, i in self.columns.items() if i == index), None)
            if key not in ("unit", "value"):
                continue
            label = _COLUMN_LABELS[key]
            if kind == "v":
                self.current.warnings.append(
                    f"Dòng {exchange_code(form, stt)}: ô «{label}» gộp với dòng trên; "
                    "không lấy lại giá trị của dòng trên, để trống."
                )
            else:
                left = next((_COLUMN_LABELS[k] for k, i in self.columns.items() if i == index - 1), "bên trái")
                self.current.warnings.append(
                    f"Dòng {exchange_code(form, stt)}: ô «{label}» gộp với ô «{left}»; để trống «{label}»."
                )
        self.current.rows.append(RawRow(stt, cell("name"), cell("unit") or None, cell("value"), cell("note")))

    def _row_without_code(self, stt: str, name: str, value: str) -> None:
        """A sub-heading, a note or a total row: not an indicator, said in a warning."""
        assert self.current is not None
        form = self.current.number
        after = self.current.rows[-1].stt if self.current.rows else None
        where = f"Biểu mẫu {form}, hàng " + (f"sau dòng {exchange_code(form, after)}" if after else "đầu bảng")
        shown = clean(f"{stt} {name}")[:80]
        if _TOTAL_ROW.match(fold(shown)):
            printed = f" (số in «{value}» không nhập)" if value else ""
            self.current.warnings.append(
                f"{where}: hàng tổng «{shown}» không có mã chỉ tiêu{printed}; bỏ qua, tổng do hệ thống tính."
            )
        elif value:
            self.current.warnings.append(
                f"{where}: hàng «{shown}» không có mã chỉ tiêu (STT) nên số «{value}» không được nhập; bỏ qua hàng."
            )
        else:
            self.current.warnings.append(
                f"{where}: hàng «{shown}» không có mã chỉ tiêu (tiêu đề phụ hoặc ghi chú); bỏ qua hàng."
            )


def _docx_forms(path: Path) -> list[RawForm]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    collector = _TableCollector()
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            collector.paragraph(Paragraph(child, document).text)
        elif tag == "tbl":
            table = Table(child, document)
            above: list[Any] = []
            for tr in table.rows:
                # One cell per grid column: a merged cell repeats, so its text is kept at its first
                # position and the positions it covers are empty (and said to be merged).
                tcs = [c._tc for c in tr.cells]
                cells: list[str] = []
                merged: list[tuple[str, int]] = []
                for index, c in enumerate(tr.cells):
                    if index and tcs[index - 1] is c._tc:
                        cells.append("")
                        merged.append(("h", index))
                    elif index < len(above) and above[index] is c._tc:
                        cells.append("")
                        merged.append(("v", index))
                    else:
                        cells.append("\n".join(p.text for p in c.paragraphs))
                collector.row(cells, merged)
                above = tcs
    return collector.forms


def _xlsx_forms(path: Path) -> list[RawForm]:
    import openpyxl

    workbook = openpyxl.load_workbook(str(path), data_only=True)
    collector = _TableCollector()
    for sheet in workbook.worksheets:
        sheet_number = re.search(r"(\d+)", sheet.title)
        first_form = len(collector.forms)
        collector.columns = None
        for cells in sheet.iter_rows():
            texts = [_xlsx_text(c.value) for c in cells]
            # A sheet per form, named "Biểu mẫu 3" or "BM3", without a heading line above the table.
            if sheet_number and len(collector.forms) == first_form and _header_map([clean(t) for t in texts]):
                collector.heading(int(sheet_number.group(1)))
            if collector.columns is not None:
                index = collector.columns["value"]
                if index < len(cells) and isinstance(cells[index].value, int | float | Decimal):
                    texts[index] = _number_text(cells[index].value, cells[index].number_format or "")
            collector.row(texts)
    return collector.forms


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number_text(value: int | float | Decimal, number_format: str) -> str:
    """A number typed into a cell, written the Vietnamese way; "0.00%" cells hold fractions."""
    if isinstance(value, bool):
        return "1" if value else "0"
    d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if "%" in number_format:
        d *= 100
    exponent = d.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_vn_number(d, places)
