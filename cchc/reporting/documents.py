"""The periodic PAR report (báo cáo CCHC) as a Word document and as a PDF.

Pure functions of one dict, no Django, no database, no global state::

    build_report_docx(report) -> bytes   # .docx, Nghị định 30/2020/NĐ-CP layout, Times New Roman
    build_report_pdf(report) -> bytes    # the same content through WeasyPrint, vendored DejaVu Sans

``report`` (every key optional; missing or ``None`` values fall back to the defaults in brackets)::

    issuer          "UBND TỈNH THANH HÓA"  (a "\\n" breaks the line)
    parent_issuer   line above the issuer, not bold                            [""]
    number          "245/BC-UBND" or "245" (a leading "Số:" is dropped); blank → "Số:      /BC-UBND"
    number_suffix   kind/issuer part of the number                  ["BC-UBND" for a UBND, else "BC"]
    place           "Thanh Hóa"
    date            datetime.date or ISO string (ValueError if malformed); None → "ngày     tháng
                    năm <year>" left to fill; days < 10 and months < 3 get a leading zero (NĐ 30)
    year            year printed when the date is blank                  [last year in period/title]
    title           "Báo cáo tình hình ..." (a leading "Báo cáo" is dropped: "BÁO CÁO" is its own line)
    period_label    "6 tháng đầu năm 2024"
    sections        [{"heading", "paragraphs": [str], "subsections": [same shape, nested]}]
    recipients      ["Bộ Nội vụ (để b/c);", "Lưu: VT, SNV."]
    signer_authority line above the signer's title       ["TM. ỦY BAN NHÂN DÂN" for a UBND, else ""]
    signer_title    "CHỦ TỊCH"; "PHÓ CHỦ TỊCH" gets "KT. CHỦ TỊCH" above it; "\\n" for explicit lines
    signer_name     ""  (space for signature and seal is left either way)
    appendix_title  ["THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH <PERIOD>"]
    forms           [{"number": 1, "title": "Biểu mẫu 1: ...", "rows": [{"code", "name", "unit",
                     "value", "note", "level": 0, "derived": False}]}]   (none → no appendix)
                    "Biểu mẫu 1: X" prints as the line "Biểu mẫu 1" over the line "X"; rows coded
                    "I.", "II." are group rows (bold); "level" indents the name; derived rows are
                    italic with a bold value.

Values may be strings (printed as given: "238.144", "99,99") or numbers (printed the Vietnamese
way: 238144 → "238.144", Decimal("99.99") → "99,99"). All text is NFC-normalised, stripped of
characters XML cannot carry, and escaped; paragraphs containing line breaks become several
paragraphs. The form tables use the column names the statistical-form reader recognises
(``cchc.core.statforms.read_form_document``), so a generated report can be read back.
"""

from __future__ import annotations

import datetime
import html
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

__all__ = ["FONT_DIR", "build_report_docx", "build_report_pdf"]

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
FORM_COLUMNS = ("STT", "Nội dung chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú")
DEFAULT_APPENDIX_TITLE = "THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH"
BLANK = "      "  # left to fill by hand in "Số:      /BC-UBND", "ngày      tháng ..."

# --- text -------------------------------------------------------------------------------------

# Characters XML 1.0 cannot carry (lxml refuses them), plus the BOM and zero-width marks.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\ufffe\uffff\u200b\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]+")
_FORM_TITLE = re.compile(r"^\s*(Biểu\s*mẫu\s*(?:số\s*)?(\d+))\s*[:.\-–—]?\s*(.*)$", re.IGNORECASE | re.DOTALL)
_ROMAN = re.compile(r"^[IVXL]+\.?$")
_UBND = re.compile(r"^(UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\b", re.IGNORECASE)
_UBND_OF = re.compile(
    r"^(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+"
    r"(TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU)\s+(.+)$"
)


def _clean(value: Any) -> str:
    """One line of text: NFC, XML-safe, whitespace collapsed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", value if isinstance(value, str) else _number_text(value))
    text = _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def _lines(value: Any) -> list[str]:
    """Text that may hold line breaks: its non-empty lines, each cleaned."""
    if value is None:
        return []
    if not isinstance(value, str):
        return [t] if (t := _clean(value)) else []
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    return [t for line in text.split("\n") if (t := _clean(line))]


def _number_text(value: Any) -> str:
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


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _year_of(report: Mapping[str, Any]) -> int:
    if report.get("year"):
        return int(report["year"])
    for key in ("period_label", "title"):
        years = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", _clean(report.get(key)))
        if years:
            return int(years[-1])
    from cchc.today import today as business_today  # only here: rendering itself needs no Django

    return business_today().year


def _date_of(report: Mapping[str, Any]) -> datetime.date | None:
    value = report.get("date")
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value.strip():
        return datetime.date.fromisoformat(value.strip()[:10])
    return None


# --- the content, laid out once for both renderers ---------------------------------------------


class _Doc:
    """Everything both renderers print, already cleaned and decided."""

    def __init__(self, report: Mapping[str, Any]) -> None:
        report = report or {}
        issuer_lines = _lines(report.get("issuer"))
        issuer_flat = " ".join(issuer_lines)
        is_ubnd = bool(_UBND.match(issuer_flat))
        self.parent_issuer = [line.upper() for line in _lines(report.get("parent_issuer"))]
        self.issuer = [line.upper() for line in issuer_lines]

        suffix = _clean(report.get("number_suffix")) or ("BC-UBND" if is_ubnd else "BC")
        number = re.sub(r"^số\s*:?\s*", "", _clean(report.get("number")), flags=re.IGNORECASE)
        if number and "/" not in number:
            number = f"{number}/{suffix}"
        self.number_text = number or f"{BLANK}/{suffix}"
        self.number_line = f"Số: {self.number_text}"

        self.place = _clean(report.get("place"))
        self.date = _date_of(report)
        self.year = self.date.year if self.date else _year_of(report)
        if self.date:
            day = f"{self.date.day:02d}" if self.date.day < 10 else str(self.date.day)
            month = f"{self.date.month:02d}" if self.date.month < 3 else str(self.date.month)  # NĐ 30
            when = f"ngày {day} tháng {month} năm {self.date.year}"
            self.short_date = f"{self.date.day:02d}/{self.date.month:02d}/{self.date.year}"
        else:
            when = f"ngày{BLANK}tháng{BLANK}năm {self.year}"
            self.short_date = f"{BLANK}/{BLANK}/{self.year}"
        self.date_line = f"{self.place}, {when}" if self.place else _upper_first(when)

        self.period = _clean(report.get("period_label"))
        title = _clean(report.get("title"))
        title = re.sub(r"^báo\s+cáo\b[\s:,-]*", "", title, flags=re.IGNORECASE)
        if not title:
            title = "Tình hình thực hiện công tác cải cách hành chính" + (
                f" {self.period}" if self.period else ""
            )
        self.title = _upper_first(title)
        self.full_title = f"Báo cáo {self.title[:1].lower()}{self.title[1:]}"

        self.sections = [s for s in (_section(raw, 1) for raw in report.get("sections") or []) if s]
        recipients = report.get("recipients") or []
        self.recipients = [
            line if line.startswith(("-", "–", "+")) else f"- {line}"
            for item in ([recipients] if isinstance(recipients, str) else recipients)
            for line in _lines(item)
        ]
        self.signature = _signature_lines(report, is_ubnd)
        self.signer_name = _clean(report.get("signer_name"))

        forms = [raw for raw in report.get("forms") or [] if isinstance(raw, Mapping)]
        self.forms = [_form(raw, index) for index, raw in enumerate(forms, start=1)]
        appendix_title = _clean(report.get("appendix_title"))
        if not appendix_title:
            appendix_title = DEFAULT_APPENDIX_TITLE + (f" {self.period.upper()}" if self.period else "")
        self.appendix_title = appendix_title
        of = _UBND_OF.match(issuer_flat.upper())
        issuer_name = f"UBND {of.group(1).lower()} {of.group(2).title()}" if of else ""
        self.appendix_caption = f"(Kèm theo Báo cáo số {self.number_text} ngày {self.short_date}" + (
            f" của {issuer_name})" if issuer_name else ")"
        )


def _section(raw: Any, depth: int) -> dict[str, Any] | None:
    if isinstance(raw, str):
        raw = {"heading": raw}
    if not isinstance(raw, Mapping):
        return None
    paragraphs = raw.get("paragraphs") or []
    if isinstance(paragraphs, str):
        paragraphs = [paragraphs]
    section = {
        "heading": _clean(raw.get("heading")),
        "paragraphs": [line for p in paragraphs for line in _lines(p)],
        "subsections": [s for s in (_section(r, depth + 1) for r in raw.get("subsections") or []) if s],
        "depth": depth,
    }
    return section if section["heading"] or section["paragraphs"] or section["subsections"] else None


def _signature_lines(report: Mapping[str, Any], is_ubnd: bool) -> list[str]:
    authority = report.get("signer_authority")
    lines = _lines(authority) if authority is not None else (["TM. ỦY BAN NHÂN DÂN"] if is_ubnd else [])
    titles = [line.upper() for line in _lines(report.get("signer_title"))]
    if len(titles) == 1 and titles[0].startswith("PHÓ "):
        titles.insert(0, "KT. " + titles[0][4:])  # a deputy signs on behalf of (ký thay) the head
    return [line.upper() for line in lines] + titles


def _form(raw: Mapping[str, Any], index: int) -> dict[str, Any]:
    number = raw.get("number")
    title = _clean(raw.get("title"))
    match = _FORM_TITLE.match(title)
    if match:
        label, subtitle = f"Biểu mẫu {match.group(2)}", match.group(3).strip()
    else:
        label = f"Biểu mẫu {number if number not in (None, '') else index}"
        subtitle = title
    rows = []
    for row in raw.get("rows") or []:
        if not isinstance(row, Mapping):
            continue
        code = _clean(row.get("code"))
        try:
            level = max(0, min(int(row.get("level") or 0), 6))
        except (TypeError, ValueError):
            level = 0
        rows.append(
            {
                "code": code,
                "name": _clean(row.get("name")),
                "unit": _clean(row.get("unit")),
                "value": _clean(row.get("value")),
                "note": _clean(row.get("note")),
                "level": level,
                "derived": bool(row.get("derived")),
                "group": bool(_ROMAN.match(code)),  # "I." rows name a group of indicators
            }
        )
    return {"label": label, "subtitle": subtitle, "rows": rows}


def _walk(sections: Iterable[dict[str, Any]]) -> Iterable[tuple[str, Any]]:
    """("heading", (text, depth)) and ("paragraph", text) in reading order."""
    for section in sections:
        if section["heading"]:
            yield "heading", (section["heading"], section["depth"])
        for paragraph in section["paragraphs"]:
            yield "paragraph", paragraph
        yield from _walk(section["subsections"])


# --- Word ---------------------------------------------------------------------------------------

_FONT = "Times New Roman"
_BODY_PT = 14
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Child order the OOXML schema requires (Word refuses a file that breaks it; LibreOffice does not).
_PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
    "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()
_TBLPR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription"
).split()
_TRPR_ORDER = (
    "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden"
).split()
_RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
    "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
).split()


def _el(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement

    element = OxmlElement(f"w:{tag}")
    for name, value in attrs.items():
        element.set(f"{{{_W}}}{name}", value)
    return element


def _put(parent: Any, child: Any, order: Sequence[str]) -> Any:
    """Replace or insert ``child`` in ``parent`` at the place ``order`` gives its tag."""
    tag = child.tag.rsplit("}", 1)[1]
    for old in parent.findall(f"{{{_W}}}{tag}"):
        parent.remove(old)
    later = set(order[order.index(tag) + 1 :])
    for index, sibling in enumerate(parent):
        if sibling.tag.rsplit("}", 1)[-1] in later:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def _set_fonts(rpr: Any) -> None:
    fonts = _el("rFonts", ascii=_FONT, hAnsi=_FONT, cs=_FONT, eastAsia=_FONT)
    _put(rpr, fonts, _RPR_ORDER)


class _WordWriter:
    def __init__(self, doc: _Doc) -> None:
        import docx
        from docx.enum.section import WD_ORIENT
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Mm, Pt

        self.Cm, self.Mm, self.Pt = Cm, Mm, Pt
        self.ALIGN = WD_ALIGN_PARAGRAPH
        self.ORIENT = WD_ORIENT
        self.VALIGN = WD_CELL_VERTICAL_ALIGNMENT
        self.TABLE_ALIGN = WD_TABLE_ALIGNMENT
        self.doc = doc
        self.word = docx.Document()

    # page set-up and styles

    def setup(self) -> None:
        word, Mm, Pt = self.word, self.Mm, self.Pt
        section = word.sections[0]
        section.orientation = self.ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        self._margins(section)
        normal = word.styles["Normal"]
        normal.font.name = _FONT
        normal.font.size = Pt(_BODY_PT)
        rpr = normal.element.get_or_add_rPr()
        _set_fonts(rpr)
        _put(rpr, _el("lang", val="vi-VN", eastAsia="vi-VN", bidi="ar-SA"), _RPR_ORDER)
        fmt = normal.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
        fmt.widow_control = True
        props = word.core_properties
        props.title = self.doc.full_title
        props.subject = self.doc.period
        props.author = " ".join(self.doc.issuer)
        props.language = "vi-VN"
        props.keywords = "cải cách hành chính; CCHC; báo cáo"
        props.comments = ""
        props.last_modified_by = "cchc"
        props.created = props.modified = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        # Page numbers: top centre, not on the first page (Nghị định 30/2020/NĐ-CP, Phụ lục I).
        section.different_first_page_header_footer = True
        section.header_distance = Mm(10)
        header = section.header.paragraphs[0]
        header.alignment = self.ALIGN.CENTER
        field = _el("fldSimple", instr=" PAGE ")
        run = header.add_run("1")
        run.font.size = Pt(13)
        header._p.append(field)
        field.append(run._r)

    def _margins(self, section: Any) -> None:
        Mm = self.Mm
        section.top_margin, section.bottom_margin = Mm(20), Mm(15)
        section.left_margin, section.right_margin = Mm(30), Mm(20)

    # building blocks

    def paragraph(
        self,
        container: Any,
        text: str = "",
        *,
        size: float | None = None,
        bold: bool = False,
        italic: bool = False,
        align: Any = None,
        first_line: float | None = None,
        left: float | None = None,
        before: float = 0,
        after: float = 0,
        line: float | None = None,
        keep_next: bool = False,
        outline: int | None = None,
        reuse: bool = False,
    ) -> Any:
        """A paragraph with one run of ``text`` (sizes in pt, indents in cm)."""
        Pt, Cm = self.Pt, self.Cm
        if reuse and len(container.paragraphs) == 1 and not container.paragraphs[0].text:
            p = container.paragraphs[0]
        else:
            p = container.add_paragraph()
        fmt = p.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        if line is not None:
            fmt.line_spacing = line
        if first_line is not None:
            fmt.first_line_indent = Cm(first_line)
        if left is not None:
            fmt.left_indent = Cm(left)
        if keep_next:
            fmt.keep_with_next = True
        p.alignment = align if align is not None else self.ALIGN.LEFT
        if outline is not None:
            _put(p._p.get_or_add_pPr(), _el("outlineLvl", val=str(outline)), _PPR_ORDER)
        if text:
            run = p.add_run(text)
            run.bold, run.italic = bold or None, italic or None
            if size is not None:
                run.font.size = Pt(size)
        return p

    def rule(
        self, container: Any, width_cm: float, box_cm: float, before: float = 2, after: float = 0
    ) -> Any:
        """A short centred horizontal line (an empty paragraph's bottom border) ``width_cm`` long,
        inside a text box ``box_cm`` wide."""
        Cm, Pt = self.Cm, self.Pt
        p = container.add_paragraph()
        indent = max(0.0, (box_cm - width_cm) / 2)
        fmt = p.paragraph_format
        fmt.left_indent, fmt.right_indent = Cm(indent), Cm(indent)
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(before), Pt(after), 1.0
        borders = _el("pBdr")
        borders.append(_el("bottom", val="single", sz="6", space="1", color="000000"))
        _put(p._p.get_or_add_pPr(), borders, _PPR_ORDER)
        mark = p._p.get_or_add_pPr()
        rpr = _put(mark, _el("rPr"), _PPR_ORDER)
        rpr.append(_el("sz", val="4"))
        rpr.append(_el("szCs", val="4"))
        return p

    def table(self, rows: int, widths_cm: Sequence[float], *, borders: bool, margin_cm: float = 0.1) -> Any:
        Cm = self.Cm
        table = self.word.add_table(rows=rows, cols=len(widths_cm))
        table.autofit = False
        table.alignment = self.TABLE_ALIGN.CENTER
        tbl_pr = table._tbl.tblPr
        total = sum(widths_cm)
        _put(tbl_pr, _el("tblW", w=str(round(total * 567)), type="dxa"), _TBLPR_ORDER)
        edges = _el("tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            if borders:
                edges.append(_el(edge, val="single", sz="4", space="0", color="000000"))
            else:
                edges.append(_el(edge, val="nil"))
        _put(tbl_pr, edges, _TBLPR_ORDER)
        _put(tbl_pr, _el("tblLayout", type="fixed"), _TBLPR_ORDER)
        margins = _el("tblCellMar")
        for edge, size in (("top", 0.03), ("left", margin_cm), ("bottom", 0.03), ("right", margin_cm)):
            margins.append(_el(edge, w=str(round(size * 567)), type="dxa"))
        _put(tbl_pr, margins, _TBLPR_ORDER)
        for index, width in enumerate(widths_cm):
            table.columns[index].width = Cm(width)
        for row in table.rows:
            for index, cell in enumerate(row.cells):
                cell.width = Cm(widths_cm[index])
        return table

    # the document

    def masthead(self) -> None:
        """Issuer and number on the left, national title and place/date on the right."""
        ALIGN, doc = self.ALIGN, self.doc
        left_w, right_w, pad = 6.4, 9.6, 0.1
        table = self.table(1, (left_w, right_w), borders=False, margin_cm=pad)
        left, right = table.rows[0].cells
        first = True
        for line in doc.parent_issuer:
            self.paragraph(left, line, size=13, align=ALIGN.CENTER, reuse=first)
            first = False
        for line in doc.issuer or [""]:
            self.paragraph(left, line, size=13, bold=True, align=ALIGN.CENTER, reuse=first)
            first = False
        self.rule(left, 2.2, left_w - 2 * pad)
        self.paragraph(left, doc.number_line, size=13, align=ALIGN.CENTER, before=4)

        self.paragraph(right, NATIONAL_TITLE, size=12, bold=True, align=ALIGN.CENTER, reuse=True)
        self.paragraph(right, MOTTO, size=13, bold=True, align=ALIGN.CENTER)
        self.rule(right, 5.7, right_w - 2 * pad)
        self.paragraph(right, doc.date_line, size=14, italic=True, align=ALIGN.CENTER, before=4)

    def title(self) -> None:
        ALIGN = self.ALIGN
        self.paragraph(
            self.word, "BÁO CÁO", size=14, bold=True, align=ALIGN.CENTER, before=24, keep_next=True
        )
        self.paragraph(self.word, self.doc.title, size=14, bold=True, align=ALIGN.CENTER, keep_next=True)
        self.rule(self.word, 4.0, 16.0, before=3, after=10)

    def body(self) -> None:
        ALIGN = self.ALIGN
        for kind, value in _walk(self.doc.sections):
            if kind == "heading":
                text, depth = value
                self.paragraph(
                    self.word,
                    text,
                    bold=True,
                    italic=depth >= 3,
                    align=ALIGN.JUSTIFY,
                    first_line=1.0,
                    before=6,
                    after=6,
                    line=1.15,
                    keep_next=True,
                    outline=min(depth - 1, 8),
                )
            else:
                self.paragraph(self.word, value, align=ALIGN.JUSTIFY, first_line=1.0, after=6, line=1.15)

    def closing(self) -> None:
        """Recipients bottom-left, the signature block bottom-right, never alone on a page: the
        last paragraph of the body goes with them."""
        ALIGN, doc = self.ALIGN, self.doc
        if self.word.paragraphs:
            self.word.paragraphs[-1].paragraph_format.keep_with_next = True
        self.paragraph(self.word, "", after=6, keep_next=True)
        table = self.table(1, (8.0, 8.0), borders=False, margin_cm=0.1)
        row = table.rows[0]
        row_pr = row._tr.get_or_add_trPr()
        _put(row_pr, _el("cantSplit"), _TRPR_ORDER)
        left, right = row.cells
        self.paragraph(left, "Nơi nhận:", size=12, bold=True, italic=True, reuse=True)
        for line in doc.recipients:
            self.paragraph(left, line, size=11)
        first = True
        for line in doc.signature:
            self.paragraph(right, line, size=14, bold=True, align=ALIGN.CENTER, reuse=first)
            first = False
        # Room for the signature and the seal, then the name.
        self.paragraph(right, doc.signer_name, size=14, bold=True, align=ALIGN.CENTER, before=80, reuse=first)

    def appendix(self) -> None:
        from docx.enum.section import WD_SECTION

        Mm, ALIGN, doc = self.Mm, self.ALIGN, self.doc
        section = self.word.add_section(WD_SECTION.NEW_PAGE)  # also the page break
        section.orientation = self.ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        self._margins(section)
        section.different_first_page_header_footer = False
        self.paragraph(
            self.word, "PHỤ LỤC", size=14, bold=True, align=ALIGN.CENTER, keep_next=True, outline=0
        )
        self.paragraph(self.word, doc.appendix_title, size=13, bold=True, align=ALIGN.CENTER, keep_next=True)
        self.paragraph(self.word, doc.appendix_caption, size=13, italic=True, align=ALIGN.CENTER, after=6)
        for form in doc.forms:
            self.form(form)

    def form(self, form: dict[str, Any]) -> None:
        ALIGN, Cm, Pt = self.ALIGN, self.Cm, self.Pt
        self.paragraph(
            self.word,
            form["label"],
            size=14,
            bold=True,
            align=ALIGN.CENTER,
            before=12,
            keep_next=True,
            outline=1,
        )
        if form["subtitle"]:
            self.paragraph(
                self.word, form["subtitle"], size=14, bold=True, align=ALIGN.CENTER, keep_next=True
            )
        self.paragraph(self.word, "", size=6, keep_next=True)
        widths = (1.6, 10.6, 3.6, 2.8, 6.1)  # 24.7 cm: the landscape text width
        rows = form["rows"]
        table = self.table(1 + max(1, len(rows)), widths, borders=True, margin_cm=0.15)
        header = table.rows[0]
        header_pr = header._tr.get_or_add_trPr()
        _put(header_pr, _el("cantSplit"), _TRPR_ORDER)
        _put(header_pr, _el("tblHeader"), _TRPR_ORDER)  # repeated at the top of every page
        for cell, text in zip(header.cells, FORM_COLUMNS, strict=True):
            cell.vertical_alignment = self.VALIGN.CENTER
            self.paragraph(
                cell,
                text,
                size=12,
                bold=True,
                align=ALIGN.CENTER,
                before=2,
                after=2,
                keep_next=True,
                reuse=True,
            )
        if not rows:
            merged = table.rows[1].cells[0].merge(table.rows[1].cells[-1])
            self.paragraph(
                merged,
                "(Chưa có số liệu)",
                size=12,
                italic=True,
                align=ALIGN.CENTER,
                before=2,
                after=2,
                reuse=True,
            )
            return
        for index, (row, data) in enumerate(zip(table.rows[1:], rows, strict=True)):
            _put(row._tr.get_or_add_trPr(), _el("cantSplit"), _TRPR_ORDER)
            keep = index < 2 < len(rows)  # no heading and header row alone at the foot of a page
            bold = data["group"]
            italic = data["derived"]
            cells = row.cells
            for cell in cells:
                cell.vertical_alignment = self.VALIGN.CENTER
            spec = (
                (data["code"], ALIGN.CENTER, bold, False, None),
                (data["name"], ALIGN.LEFT, bold, italic, 0.4 * data["level"]),
                (data["unit"], ALIGN.CENTER, False, False, None),
                (data["value"], ALIGN.RIGHT, bold or italic, italic, None),
                (data["note"], ALIGN.LEFT, False, False, None),
            )
            for cell, (text, align, b, i, left) in zip(cells, spec, strict=True):
                p = self.paragraph(
                    cell,
                    text,
                    size=12,
                    bold=b,
                    italic=i,
                    align=align,
                    before=1,
                    after=1,
                    keep_next=keep,
                    reuse=True,
                )
                if left:
                    p.paragraph_format.left_indent = Cm(left)
                if text and cell is cells[4]:
                    for run in p.runs:
                        run.font.size = Pt(11)

    def build(self) -> bytes:
        self.setup()
        self.masthead()
        self.title()
        self.body()
        self.closing()
        if self.doc.forms:
            self.appendix()
        out = io.BytesIO()
        self.word.save(out)
        return out.getvalue()


def build_report_docx(report: Mapping[str, Any]) -> bytes:
    """The report as a Word (.docx) document, Nghị định 30/2020/NĐ-CP layout: A4, margins
    20/15/30/20 mm, Times New Roman 14 pt, page numbers top centre from page 2, the forms as a
    landscape appendix with header rows repeated on every page."""
    return _WordWriter(_Doc(report)).build()


# --- PDF ----------------------------------------------------------------------------------------

_CSS = """
@font-face { font-family: "CCHC Sans"; font-weight: normal; font-style: normal; src: url("{regular}"); }
@font-face { font-family: "CCHC Sans"; font-weight: bold; font-style: normal; src: url("{bold}"); }
@page {
  size: A4; margin: 20mm 20mm 15mm 30mm;
  @bottom-center { content: counter(page); font-family: "CCHC Sans"; font-size: 9pt; vertical-align: middle; }
}
@page :first { @bottom-center { content: none; } }
@page appendix { size: A4 landscape; }
html { font-family: "CCHC Sans"; font-size: 11.5pt; line-height: 1.35; color: #000; }
body { margin: 0; }
p { margin: 0; }
.masthead, .closing { width: 100%; border-collapse: collapse; table-layout: fixed; }
.masthead td, .closing td { vertical-align: top; padding: 0 1mm; }
.masthead td { text-align: center; }
.masthead .issuer { font-size: 10.5pt; }
.masthead .issuer strong { font-weight: bold; }
.masthead .nation { font-size: 9.8pt; font-weight: bold; white-space: nowrap; }
.masthead .motto { font-size: 10.5pt; font-weight: bold; }
.masthead .number { font-size: 10.5pt; margin-top: 1.5mm; white-space: pre-wrap; }
.masthead .date { margin-top: 1.5mm; white-space: pre-wrap; }
.rule { border-top: 0.7pt solid #000; margin: 0.8mm auto 0; height: 0; }
h1 { font-size: 12pt; font-weight: bold; text-align: center; margin: 8mm 0 0; }
h1 span { display: block; }
.title-rule { width: 35mm; margin: 1.5mm auto 5mm; }
h2, h3, h4 { font-size: 11.5pt; font-weight: bold; text-align: justify; text-indent: 10mm;
  margin: 2mm 0 2mm; break-after: avoid; }
.body p { text-align: justify; text-indent: 10mm; margin: 0 0 2mm; hyphens: manual; }
.body, .closing, .form td { overflow-wrap: anywhere; }
.closing { margin-top: 5mm; break-inside: avoid; }
.body > :last-child { break-after: avoid; }  /* the signature never alone on its page */
.recipients { font-size: 9.5pt; line-height: 1.3; }
.recipients .label { font-size: 10.5pt; font-weight: bold; }
.signature { text-align: center; font-weight: bold; }
.signature .name { margin-top: 27mm; }
.appendix { page: appendix; break-before: page; }
.appendix .heading { text-align: center; font-weight: bold; }
.appendix .caption { text-align: center; margin-bottom: 3mm; white-space: pre-wrap; }
.form-title { text-align: center; font-weight: bold; margin-top: 5mm; break-after: avoid; }
.form-subtitle { text-align: center; font-weight: bold; margin-bottom: 2mm; break-after: avoid; }
table.form { width: 100%; border-collapse: collapse; table-layout: fixed; font-size: 10pt; line-height: 1.3; }
table.form thead { display: table-header-group; }
table.form th, table.form td { border: 0.6pt solid #000; padding: 0.8mm 1.5mm; vertical-align: middle; }
table.form th { font-weight: bold; text-align: center; }
table.form tr { break-inside: avoid; }
table.form tbody tr:nth-child(-n+2) { break-after: avoid; }
table.form .c { text-align: center; } table.form .r { text-align: right; }
table.form .note { font-size: 9pt; }
table.form .group td { font-weight: bold; }
table.form .derived .value { font-weight: bold; }
table.form .empty { text-align: center; }
/* Only the upright and bold faces are vendored and WeasyPrint does not synthesise italics:
   slant the boxes instead, so that no system font is ever picked for an italic. */
.oblique { transform: skewX(-9deg); }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _html(doc: _Doc) -> str:
    regular = (FONT_DIR / "DejaVuSans.ttf").as_uri()
    bold = (FONT_DIR / "DejaVuSans-Bold.ttf").as_uri()
    css = _CSS.replace("{regular}", regular).replace("{bold}", bold)
    out: list[str] = [
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">',
        f"<title>{_e(doc.full_title)}</title>",
        f'<meta name="author" content="{_e(" ".join(doc.issuer))}">',
        f'<meta name="description" content="{_e(doc.period)}">',
        f"<style>{css}</style></head><body>",
        '<table class="masthead"><colgroup><col style="width:40%"><col style="width:60%"></colgroup><tr><td>',
    ]
    out += [f'<p class="issuer">{_e(line)}</p>' for line in doc.parent_issuer]
    out += [f'<p class="issuer"><strong>{_e(line)}</strong></p>' for line in doc.issuer]
    out.append('<div class="rule" style="width:22mm"></div>')
    out.append(f'<p class="number">{_e(doc.number_line)}</p></td><td>')
    out.append(f'<p class="nation">{_e(NATIONAL_TITLE)}</p><p class="motto">{_e(MOTTO)}</p>')
    out.append('<div class="rule" style="width:57mm"></div>')
    out.append(f'<p class="date oblique">{_e(doc.date_line)}</p></td></tr></table>')
    out.append(f"<h1><span>BÁO CÁO</span><span>{_e(doc.title)}</span></h1>")
    out.append('<div class="rule title-rule"></div><div class="body">')
    for kind, value in _walk(doc.sections):
        if kind == "heading":
            text, depth = value
            tag = f"h{min(depth + 1, 4)}"
            oblique = ' class="oblique"' if depth >= 3 else ""
            out.append(f"<{tag}{oblique}>{_e(text)}</{tag}>")
        else:
            out.append(f"<p>{_e(value)}</p>")
    out.append(
        '</div><table class="closing"><tr><td class="recipients"><p class="label oblique">Nơi nhận:</p>'
    )
    out += [f"<p>{_e(line)}</p>" for line in doc.recipients]
    out.append('</td><td class="signature">')
    out += [f"<p>{_e(line)}</p>" for line in doc.signature]
    out.append(f'<p class="name">{_e(doc.signer_name) or "&nbsp;"}</p></td></tr></table>')
    if doc.forms:
        out.append('<div class="appendix"><p class="heading">PHỤ LỤC</p>')
        out.append(f'<p class="heading">{_e(doc.appendix_title)}</p>')
        out.append(f'<p class="caption oblique">{_e(doc.appendix_caption)}</p>')
        for form in doc.forms:
            out.append(f'<p class="form-title">{_e(form["label"])}</p>')
            if form["subtitle"]:
                out.append(f'<p class="form-subtitle">{_e(form["subtitle"])}</p>')
            out.append(
                '<table class="form"><colgroup><col style="width:6.5%"><col style="width:43%">'
                '<col style="width:14.5%"><col style="width:11.5%"><col style="width:24.5%"></colgroup><thead><tr>'
            )
            out += [f"<th>{_e(name)}</th>" for name in FORM_COLUMNS]
            out.append("</tr></thead><tbody>")
            if not form["rows"]:
                out.append(
                    '<tr><td class="empty" colspan="5"><div class="oblique">(Chưa có số liệu)</div></td></tr>'
                )
            for row in form["rows"]:
                classes = " ".join(
                    c for c, on in (("group", row["group"]), ("derived", row["derived"])) if on
                )
                indent = f' style="padding-left:{1.5 + 4 * row["level"]}mm"' if row["level"] else ""
                name, value = _e(row["name"]), _e(row["value"])
                if row["derived"]:
                    name, value = f'<div class="oblique">{name}</div>', f'<div class="oblique">{value}</div>'
                out.append(
                    f'<tr class="{classes}"><td class="c">{_e(row["code"])}</td>'
                    f'<td class="name"{indent}>{name}</td><td class="c">{_e(row["unit"])}</td>'
                    f'<td class="r value">{value}</td><td class="note">{_e(row["note"])}</td></tr>'
                )
            out.append("</tbody></table>")
        out.append("</div>")
    out.append("</body></html>")
    return "".join(out)


def build_report_pdf(report: Mapping[str, Any]) -> bytes:
    """The report as a PDF rendered by WeasyPrint with the vendored DejaVu Sans (Vietnamese
    glyphs, embedded), page numbers in the footer from page 2, the appendix in landscape."""
    from weasyprint import HTML

    doc = _Doc(report)
    return HTML(string=_html(doc), base_url=FONT_DIR.as_uri() + "/").write_pdf()
