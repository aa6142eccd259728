"""Reading statistical forms (blank or filled) from text, Word and Excel.

The official layout is one table per form, "Biểu mẫu N" above it, columns
``STT | Nội dung chỉ tiêu (Chỉ tiêu thống kê) | Đơn vị tính | Số liệu | Ghi chú``, a section row
("I. Công tác chỉ đạo điều hành CCHC") and then the indicator rows.

* .docx / .xlsx: cells are explicit; tables are found by their header row.
* .txt (text extracted from a PDF, like seed 003's appendix): a row's cells come one after
  another, names wrap over lines, a page break may split a name, page numbers and notes that
  start with a number sit between rows. A line starts a row only when its STT is a possible next
  number (the first child or the next sibling of the row before, or of one of its ancestors);
  the unit is found from a vocabulary of units (or a list of "label = code" lines), the value
  follows the unit, the rest is the note.

The result is a ``FormDocument``: a ``FormSet`` built from the rows found (formulas proposed, not
confirmed), the values and their printed text, and the notes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from cchc.core.text import clean, fold, nfc

from .api import recognise_form_set
from .formulas import (
    DEFAULT_MESSAGES,
    canonical_unit,
    default_aggregation,
    parse_choices,
    propose_formulas,
    propose_rules,
    value_type_for_unit,
)
from .model import Form, FormSet, Row, exchange_code, parent_stt, stt_key
from .numbers import VNNumberError, format_vn_number, is_dash, parse_vn_number
from .tables import _COLUMN_NUMBERS, _FORM_HEADING, _SECTION, RawForm, RawRow, _docx_forms, _xlsx_forms

__all__ = [
    "FormDocument",
    "FormReadError",
    "RawForm",
    "RawRow",
    "build_document",
    "read_form_document",
    "read_form_text",
]


class FormReadError(ValueError):
    """The document holds no statistical form that could be read (Vietnamese message)."""


@dataclass
class FormDocument:
    """What a document says: its rows as a form set, and the values when it is filled in.

    ``values`` holds every number printed (inputs and derived rows alike); ``printed`` the cell
    text as written, including "-" for "nothing reported"; ``recognised`` the key of the known form
    set whose codes contain this document's codes (None if none does).
    """

    form_set: FormSet
    values: dict[str, Decimal]
    printed: dict[str, str]
    notes: dict[str, str]
    source: str = ""
    recognised: str | None = None
    problems: list[str] = field(default_factory=list)
    #: Irregularities read through (a row code twice, a row without code, merged cells, a total row,
    #: extra or missing columns, numbers with spaces or footnote marks): each names the row, the
    #: value used and why. Never a reason to refuse the document.
    warnings: list[str] = field(default_factory=list)

    @property
    def filled(self) -> bool:
        return bool(self.values)

    def proposed_formulas(self) -> dict[str, str]:
        return {c: r.formula.describe() for c, r in self.form_set.rows.items() if r.formula is not None}

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "recognised": self.recognised,
            "form_set": self.form_set.to_dict(),
            "values": {c: str(v) for c, v in self.values.items()},
            "printed": dict(self.printed),
            "notes": dict(self.notes),
            "problems": list(self.problems),
            "warnings": list(self.warnings),
        }


# --- shared vocabulary ---------------------------------------------------------------------

AREA_KEYWORDS = (
    ("chi dao", "direction"),
    ("the che", "institutions"),
    ("thu tuc hanh chinh", "procedures"),
    ("to chuc bo may", "organization"),
    ("cong vu", "civil_service"),
    ("tai chinh cong", "public_finance"),
    ("chinh quyen dien tu", "digital_government"),
    ("chinh quyen so", "digital_government"),
    ("chuyen doi so", "digital_government"),
)

# Units seen on the Ministry's forms (case matters: names use the same words in lower case).
UNITS = (
    "Cơ quan, đơn vị",
    "Triệu đồng",
    "Tỷ đồng",
    "Nghìn đồng",
    "Nhiệm vụ",
    "Văn bản",
    "Thủ tục",
    "Hồ sơ",
    "Số lượng",
    "Vấn đề",
    "Tổ chức",
    "Đơn vị",
    "Cơ quan",
    "Người",
    "Biên chế",
    "Cuộc",
    "Lượt",
    "Phiếu",
    "PAKN",
    "DVC",
    "Ban",
    "%",
)
_VALUE = r"-|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_UNIT_RE = re.compile(
    r"(?:^|(?<=\s))(?P<unit>" + "|".join(re.escape(u) for u in UNITS) + r")"
    r"(?:\s+(?P<value>" + _VALUE + r")(?=\s|$)|\s*$)"
)
_BARE_VALUE = re.compile(r"^(?:" + _VALUE + r")$")
_LEADING_VALUE = re.compile(r"^(?P<value>" + _VALUE + r")(?=\s|$)\s*(?P<rest>.*)$")
_CHOICE_LINE = re.compile(r"^(?:[^=;,]{1,30}?\s*=\s*\d+\s*[;,]?\s*)+$")
_ROW_START = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?(?=\s|$)(.*)$")
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
_DANGLING = {
    "cua",
    "cac",
    "va",
    "voi",
    "cho",
    "tu",
    "tai",
    "tren",
    "theo",
    "ve",
    "duoc",
    "da",
    "co",
    "la",
    "nhung",
}
_HEADER_EXACT = ("bao cao cai cach hanh chinh", "so lieu ghi chu", "so lieu", "ghi chu", "don vi tinh")


def area_for_title(title: str) -> str | None:
    f = fold(title)
    for keyword, area in AREA_KEYWORDS:
        if keyword in f:
            return area
    return None


def _is_header(text: str) -> bool:
    f = fold(text)
    return f in _HEADER_EXACT or f.startswith(("stt chi tieu", "stt noi dung"))


# --- text (PDF-extracted) ------------------------------------------------------------------


def _successor(previous: tuple[int, ...] | None, candidate: tuple[int, ...]) -> bool:
    if previous is None:
        return candidate == (1,)
    if candidate == (*previous, 1):
        return True
    return any(candidate == (*previous[: k - 1], previous[k - 1] + 1) for k in range(1, len(previous) + 1))


def _starts_with_letter(text: str) -> bool:
    return bool(text) and (text[0].isalpha() or text[0] == "(")


def _name_continuation(fragment: str, name: str) -> bool:
    """A fragment after the value that belongs to the name (a page break split the name cell)."""
    if not fragment:
        return False
    if fragment[0].isalpha() and fragment[0].islower():
        return True
    first = fragment.split()[0]
    words = fold(name).split()
    return first.isupper() and len(first) >= 2 and bool(words) and words[-1] in _DANGLING


def _parse_text_row(stt: str, first: str, lines: Sequence[str]) -> RawRow:
    items = [(r, clean(r)) for r in (first, *lines)]
    items = [
        (r, t) for r, t in items if not (t and (_is_header(t) or (" " in t and _COLUMN_NUMBERS.match(t))))
    ]
    name_parts: list[str] = []
    note_parts: list[str] = []
    unit: str | None = None
    value = ""
    i = 0
    while i < len(items):
        raw, t = items[i]
        if not t:
            i += 1
            # Empty unit/value cells print as a run of blanks: a heading row's name ends there.
            if name_parts and re.fullmatch(r"[ \t]{3,}", raw):
                break
            continue
        if _CHOICE_LINE.match(t):
            codes = []
            while i < len(items) and (not items[i][1] or _CHOICE_LINE.match(items[i][1])):
                if items[i][1]:
                    codes.append(items[i][1].rstrip(" ;,"))
                i += 1
            unit = "; ".join(codes)
            while i < len(items) and not items[i][1]:
                i += 1
            m = _LEADING_VALUE.match(items[i][1]) if i < len(items) else None
            if m:
                value = m["value"]
                if m["rest"]:
                    note_parts.append(m["rest"])
                i += 1
            break
        m = _UNIT_RE.search(t)
        if m and not m["value"]:
            # A unit word closing a line is the unit only if the name does not go on below it.
            following = next((x for _r, x in items[i + 1 :] if x), "")
            if following[:1].isalpha() and following[:1].islower():
                m = None
        if m:
            if t[: m.start()].strip():
                name_parts.append(t[: m.start()])
            unit = m["unit"]
            i += 1
            if m["value"]:
                value = m["value"]
                rest = t[m.end() :].strip()
                if rest:
                    note_parts.append(rest)
            else:
                j = i
                while j < len(items) and not items[j][1]:
                    j += 1
                if j < len(items) and _BARE_VALUE.match(items[j][1]):
                    value, i = items[j][1], j + 1
            break
        name_parts.append(t)
        i += 1
        if re.search(r"\S[ \t]{3,}$", raw):
            break
    for _raw, t in items[i:]:
        if not t or _PAGE_NUMBER.match(t):
            continue
        if not note_parts and _name_continuation(t, " ".join(name_parts)):
            name_parts.append(t)
        else:
            note_parts.append(t)
    return RawRow(stt, clean(" ".join(name_parts)), unit, value, clean(" ".join(note_parts)))


def _text_forms(text: str) -> list[RawForm]:
    lines = nfc(text).split("\n")
    starts = [(i, int(m.group(1))) for i, line in enumerate(lines) if (m := _FORM_HEADING.match(line))]
    forms: list[RawForm] = []
    for index, (start, number) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(lines)
        forms.append(_text_form(number, lines[start + 1 : end]))
    return forms


def _text_form(number: int, lines: list[str]) -> RawForm:
    form = RawForm(number)
    # Find row starts.
    starts: list[tuple[int, str, str]] = []
    previous: tuple[int, ...] | None = None
    for i, line in enumerate(lines):
        m = _ROW_START.match(line)
        if not m:
            continue
        stt, rest = m.group(1), m.group(2)
        if "=" in rest or not _successor(previous, stt_key(stt)):
            continue
        if not clean(rest):
            following = next((clean(x) for x in lines[i + 1 :] if clean(x)), "")
            if not _starts_with_letter(following):
                continue
        elif not _starts_with_letter(clean(rest)):
            continue
        starts.append((i, stt, rest))
        previous = stt_key(stt)
    prelude = lines[: starts[0][0]] if starts else lines
    title_parts: list[str] = []
    section_parts: list[str] = []
    for line in prelude:
        t = clean(line)
        if not t or _is_header(t):
            continue
        m = _SECTION.match(t)
        if m:
            form.section = m.group(1)
            section_parts = [m.group(2)] if m.group(2) else []
        elif form.section is not None:
            section_parts.append(t)
        else:
            title_parts.append(t)
    form.title = clean(" ".join(title_parts))
    form.section_title = clean(" ".join(section_parts)) or None
    for k, (i, stt, rest) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        form.rows.append(_parse_text_row(stt, rest, lines[i + 1 : end]))
    return form


def read_form_text(text: str, source: str = "<text>") -> FormDocument:
    """Read the forms in PDF-extracted text (e.g. a report's appendix)."""
    forms = _text_forms(text)
    if not forms:
        raise FormReadError(f"{source}: không tìm thấy biểu mẫu nào (dòng «Biểu mẫu N»).")
    return build_document(forms, source)


# --- building the document -----------------------------------------------------------------


def build_document(forms: Iterable[RawForm], source: str = "") -> FormDocument:
    """Rows, value types, hierarchy, proposed formulas and values from raw forms."""
    rows: dict[str, Row] = {}
    form_defs: list[Form] = []
    values: dict[str, Decimal] = {}
    printed: dict[str, str] = {}
    notes: dict[str, str] = {}
    problems: list[str] = []
    warnings: list[str] = []
    for raw in forms:
        warnings.extend(raw.warnings)
        stts = [r.stt.rstrip(".") for r in raw.rows]
        codes = []
        for r in raw.rows:
            stt = r.stt.rstrip(".")
            code = exchange_code(raw.number, stt)
            if code in rows:
                kept = printed.get(code)
                used = f"giữ số «{kept}» của dòng đầu" if kept else "giữ dòng đầu"
                again = f", bỏ số «{clean(r.value)}» của dòng sau" if clean(r.value) else ""
                warnings.append(f"Dòng {code}: mã chỉ tiêu in hai lần; {used}{again}.")
                continue
            unit = canonical_unit(r.unit)
            value_type = value_type_for_unit(unit)
            parent = parent_stt(stt, stts)
            rows[code] = Row(
                code=code,
                form=raw.number,
                stt=stt,
                name=clean(r.name),
                unit=unit,
                value_type=value_type,
                parent=exchange_code(raw.number, parent) if parent else None,
                choices=parse_choices(unit),
                places=2 if value_type == "percent" else 0,
            )
            codes.append(code)
            text = clean(r.value)
            if r.note:
                notes[code] = clean(r.note)
            if not text:
                continue
            printed[code] = text
            if is_dash(text):
                continue
            try:
                values[code] = parse_vn_number(text)
            except VNNumberError as exc:
                lenient = _lenient_number(text)
                if lenient is None:
                    problems.append(f"Dòng {code}: {exc}")
                else:
                    values[code], why = lenient
                    shown = format_vn_number(values[code], max(0, -values[code].as_tuple().exponent))
                    warnings.append(f"Dòng {code}: số in «{text}» đọc là {shown} ({why}).")
        title = clean(raw.title)
        form_defs.append(
            Form(
                raw.number,
                title,
                area_for_title(title or raw.section_title or ""),
                raw.section,
                raw.section_title,
                tuple(codes),
            )
        )
    formulas = propose_formulas(list(rows.values()))
    for code, formula in formulas.items():
        rows[code] = replace(rows[code], formula=formula)
    for code, row in rows.items():
        rows[code] = replace(row, aggregation=default_aggregation(row.value_type, row.formula))
    form_set = FormSet(
        key=f"document:{Path(source).name}" if source else "document",
        title="Biểu mẫu đọc từ tài liệu",
        forms=tuple(form_defs),
        rows=rows,
        rules=tuple(propose_rules(rows.values())),
        messages=dict(DEFAULT_MESSAGES),
        source=source,
    )
    names = {code: row.name for code, row in rows.items()}
    recognised = recognise_form_set(rows, names=names)
    if recognised is None and rows:
        recognised = _nearest_form_set(rows, names, warnings)
    return FormDocument(form_set, values, printed, notes, source, recognised, problems, warnings)


# Footnote marks after a number: "120(*)", "98,5 (1)", "45*", "45¹", "12 [2]".
_FOOTNOTE = re.compile(r"\s*(?:\(\s*(?:\*+|\d{1,2}|[a-z])\s*\)|\[\s*\d{1,2}\s*\]|\*+|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*$")
_DIGIT_SPACE = re.compile(r"(?<=\d)[\s\u00a0\u202f\u2009]+(?=\d)")


def _lenient_number(text: str) -> tuple[Decimal, str] | None:
    """A number printed with footnote marks or stray spaces, and what was dropped; None if none."""
    s, reasons = clean(text), []
    stripped = s
    while (m := _FOOTNOTE.search(stripped)) and m.start() > 0:
        stripped = stripped[: m.start()]
    if stripped != s:
        reasons.append(f"bỏ dấu chú thích «{s[len(stripped):].strip()}»")
    joined = _DIGIT_SPACE.sub("", stripped)
    if joined != stripped:
        reasons.append("bỏ khoảng trắng giữa các chữ số")
    if not reasons:
        return None
    try:
        return parse_vn_number(joined), ", ".join(reasons)
    except VNNumberError:
        return None


def _nearest_form_set(rows: dict[str, Row], names: dict[str, str], warnings: list[str]) -> str | None:
    """The known form set holding nearly all of the document's codes (at least 90%) under the same
    names, with a warning naming the codes it lacks; None when no set is that close. A set with the
    codes but other rows under them (a reissued, renumbered form) is named in a warning too."""
    from .api import known_form_sets, load_form_set, name_conflicts, names_agree

    wanted = set(rows)
    best: tuple[int, int, str] | None = None
    for key in known_form_sets():
        form_set = load_form_set(key)
        have = set(form_set.rows)
        missing = len(wanted - have)
        if missing * 10 > len(wanted):
            continue
        if not names_agree(form_set, names):
            conflicts = name_conflicts(form_set, names)
            shown = "; ".join(
                f"{c} «{names[c][:60]}» (trong bộ: «{form_set.rows[c].name[:60]}»)" for c in conflicts[:3]
            )
            warnings.append(
                f"Mã dòng giống bộ biểu mẫu {key} nhưng {len(conflicts)} dòng là chỉ tiêu khác: {shown}"
                f"{'; …' if len(conflicts) > 3 else ''}; không dùng bộ {key}, số liệu đọc theo bảng của tài liệu."
            )
            continue
        candidate = (missing, len(have - wanted), key)
        if best is None or candidate < best:
            best = candidate
    if best is None:
        return None
    extra = sorted(wanted - set(load_form_set(best[2]).rows), key=lambda c: (c.split(".")[0], c))
    shown = ", ".join(extra[:8]) + ("…" if len(extra) > 8 else "")
    warnings.append(
        f"Bộ biểu mẫu nhận ra: {best[2]}; các dòng {shown} không có trong bộ này, số liệu của chúng không được kiểm tra."
    )
    return best[2]


def read_form_document(path: str | Path) -> FormDocument:
    """Read a blank or filled form set from a .docx, .xlsx or .txt file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".docx", ".xlsx", ".xlsm"):
        _check_package(path)
    if suffix == ".docx":
        forms = _opened(_docx_forms, path)
    elif suffix in (".doc", ".rtf"):  # legacy Word, RTF: converted by LibreOffice first
        from cchc.core.office import ConversionError, as_docx

        try:
            with as_docx(path) as converted:
                forms = _docx_forms(converted)
        except ConversionError as exc:
            raise FormReadError(exc.message) from exc
    elif suffix in (".xlsx", ".xlsm"):
        forms = _opened(_xlsx_forms, path)
    elif suffix in (".txt", ".text", ".md"):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise FormReadError(f"{path.name}: không phải văn bản mã UTF-8.") from exc
        return read_form_text(text, str(path))
    else:
        raise FormReadError(f"{path.name}: chỉ đọc được tệp .docx, .doc, .rtf, .xlsx hoặc .txt.")
    if not any(f.rows for f in forms):
        raise FormReadError(
            f"{path.name}: không tìm thấy bảng biểu mẫu (hàng tiêu đề STT | Nội dung chỉ tiêu | Đơn vị tính | Số liệu | Ghi chú)."
        )
    return build_document([f for f in forms if f.rows], str(path))


def _check_package(path: Path) -> None:
    """A zip bomb is refused from the directory before python-docx or openpyxl inflates anything."""
    import zipfile

    from cchc.core.filetypes import UploadRejected, check_zip_expansion

    if not zipfile.is_zipfile(path):
        raise FormReadError(f"{path.name}: tệp bị hỏng hoặc không phải tệp Word/Excel (.docx, .xlsx).")
    with open(path, "rb") as handle:
        try:
            check_zip_expansion(handle, path.name)
        except UploadRejected as refusal:
            raise FormReadError(f"{refusal.message}.") from refusal


def _opened(read, path: Path) -> list[RawForm]:
    """`read(path)`, a damaged package (missing parts, unknown compression, cut short) as FormReadError."""
    try:
        return read(path)
    except FormReadError:
        raise
    except Exception as exc:  # python-docx / openpyxl / zipfile raise a dozen kinds on a broken package
        raise FormReadError(f"{path.name}: tệp bị hỏng, không đọc được nội dung ({type(exc).__name__}).") from exc
