"""Reading a list that people keep in a spreadsheet: the first sheet of an .xlsx, a header row of
known column titles, then one record per row. Shared by the imports of a province's bodies and of
its accounts. Pure Python (openpyxl), no Django.

Every error names the file, the row and the column, in Vietnamese.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass, field

from .text import fold

MAX_ROWS = 20_000
MAX_BYTES = 20 * 1024 * 1024


class SheetError(ValueError):
    """The file as a whole cannot be read (not an .xlsx, no header, a missing column)."""


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # as written in the template
    required: bool = False
    aliases: tuple[str, ...] = ()  # other titles accepted, compared folded

    def matches(self, title: str) -> bool:
        folded = fold(title).rstrip(" *")
        return folded in {fold(self.title).rstrip(" *"), fold(self.key), *(fold(a) for a in self.aliases)}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # the column's title, "" for the row as a whole
    message: str

    def text(self, name: str) -> str:
        where = f"{name}, dòng {self.line}" + (f", cột “{self.column}”" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class Sheet:
    name: str
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)  # (line number, key → cell)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def read_xlsx(data: bytes, name: str, columns: tuple[Column, ...]) -> Sheet:
    """The rows of the first sheet, keyed by column. Raises SheetError for the file as a whole."""
    import openpyxl

    if len(data) > MAX_BYTES:
        raise SheetError(f"{name}: tệp quá lớn (tối đa 20 MB).")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SheetError(f"{name}: không đọc được tệp .xlsx (không phải tệp Excel hợp lệ).")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        raw = []
        for row in book.worksheets[0].iter_rows(values_only=True):
            raw.append(list(row))
            if len(raw) > MAX_ROWS + 1:
                break
        book.close()
    except Exception as exc:  # a corrupt or disguised workbook: any failure of the library
        raise SheetError(f"{name}: không đọc được tệp .xlsx ({exc.__class__.__name__}).") from None
    while raw and not any(cell_text(v) for v in raw[0]):
        raw.pop(0)
    if not raw:
        raise SheetError(f"{name}: tệp không có dòng tiêu đề.")
    if len(raw) > MAX_ROWS + 1:
        raise SheetError(f"{name}: quá nhiều dòng (tối đa {MAX_ROWS:,}).".replace(",", "."))
    header_line = 1
    positions: dict[str, int] = {}
    for index, title in enumerate(raw[0]):
        text = cell_text(title)
        if not text:
            continue
        column = next((c for c in columns if c.matches(text)), None)
        if column is None:
            raise SheetError(f"{name}, dòng {header_line}, cột {index + 1}: “{text[:40]}” không phải cột của mẫu.")
        if column.key in positions:
            raise SheetError(f"{name}, dòng {header_line}: cột “{column.title}” xuất hiện hai lần.")
        positions[column.key] = index
    missing = [c.title for c in columns if c.required and c.key not in positions]
    if missing:
        raise SheetError(f"{name}, dòng {header_line}: thiếu cột " + ", ".join(f"“{t}”" for t in missing) + ".")
    sheet = Sheet(name)
    for line, row in enumerate(raw[1:], header_line + 1):
        values = {key: (row[i] if i < len(row) else None) for key, i in positions.items()}
        if any(cell_text(v) for v in values.values()):
            sheet.rows.append((line, values))
    return sheet


def parse_date(value) -> datetime.date | None:
    """An Excel date cell, or text 30/06/2025 or 2025-06-30; None for an empty cell.
    Raises ValueError with a Vietnamese message otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"“{text[:30]}” không phải ngày (viết như 30/06/2025).")


def split_list(value) -> tuple[str, ...]:
    """A cell holding several items separated by ";" or new lines."""
    text = "" if value is None else str(value)
    items = [" ".join(part.split()) for chunk in text.split("\n") for part in chunk.split(";")]
    return tuple(dict.fromkeys(item for item in items if item))


def choice(value, choices: dict[str, str]) -> str:
    """The key of a choice written as its key or its label (accents and case ignored).
    Raises ValueError naming the accepted values."""
    text = cell_text(value)
    folded = fold(text)
    for key, label in choices.items():
        if folded in (fold(key), fold(label)):
            return key
    accepted = "; ".join(f"{label} ({key})" for key, label in choices.items())
    raise ValueError(f"“{text[:40]}” không hợp lệ; dùng một trong: {accepted}.")


def write_xlsx(columns: tuple[Column, ...], rows: list[list], notes: list[str], title: str) -> bytes:
    """A template: a header row (required columns marked *), the given rows, and a sheet of notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([c.title + (" *" if c.required else "") for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, column in enumerate(columns, 1):
        width = max([len(column.title) + 2, *(len(cell_text(r[index - 1])) for r in rows[:500])])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(12, width + 2))
        for row_cells in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            for cell in row_cells:
                if isinstance(cell.value, datetime.date):
                    cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("Hướng dẫn")
    for note in notes:
        guide.append([note])
    guide.column_dimensions["A"].width = 120
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
