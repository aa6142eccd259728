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

import html
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cchc.core.documents.layout import MOTTO, NATIONAL_TITLE, OfficialDocument, clean, walk
from cchc.core.documents.word import TRPR_ORDER, WordWriter, el, put

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"

FORM_COLUMNS = ("STT", "Nội dung chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú")
DEFAULT_APPENDIX_TITLE = "THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH"

_FORM_TITLE = re.compile(r"^\s*(Biểu\s*mẫu\s*(?:số\s*)?(\d+))\s*[:.\-–—]?\s*(.*)$", re.IGNORECASE | re.DOTALL)
_ROMAN = re.compile(r"^[IVXL]+\.?$")


class _ReportDoc(OfficialDocument):
    """A report: its forms as the appendix."""

    def __init__(self, report: Mapping[str, Any]) -> None:
        super().__init__(report)
        report = report or {}
        forms = [raw for raw in report.get("forms") or [] if isinstance(raw, Mapping)]
        self.forms = [_form(raw, index) for index, raw in enumerate(forms, start=1)]
        appendix_title = clean(report.get("appendix_title"))
        if not appendix_title:
            appendix_title = DEFAULT_APPENDIX_TITLE + (f" {self.period.upper()}" if self.period else "")
        self.appendix_title = appendix_title

    def title_of(self, data: Mapping[str, Any]) -> str:
        title = re.sub(r"^báo\s+cáo\b[\s:,-]*", "", clean(data.get("title")), flags=re.IGNORECASE)
        return title or "Tình hình thực hiện công tác cải cách hành chính" + (f" {self.period}" if self.period else "")


def _form(raw: Mapping[str, Any], index: int) -> dict[str, Any]:
    number = raw.get("number")
    title = clean(raw.get("title"))
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
        code = clean(row.get("code"))
        try:
            level = max(0, min(int(row.get("level") or 0), 6))
        except (TypeError, ValueError):
            level = 0
        rows.append(
            {
                "code": code,
                "name": clean(row.get("name")),
                "unit": clean(row.get("unit")),
                "value": clean(row.get("value")),
                "note": clean(row.get("note")),
                "level": level,
                "derived": bool(row.get("derived")),
                "group": bool(_ROMAN.match(code)),  # "I." rows name a group of indicators
            }
        )
    return {"label": label, "subtitle": subtitle, "rows": rows}


class _ReportWriter(WordWriter):
    def appendix(self) -> None:
        if not self.doc.forms:
            return
        self.start_appendix(self.doc.appendix_title)
        for form in self.doc.forms:
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
        self.header_row(table, FORM_COLUMNS)
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
            put(row._tr.get_or_add_trPr(), el("cantSplit"), TRPR_ORDER)
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


def build_report_docx(report: Mapping[str, Any]) -> bytes:
    """The report as a Word (.docx) document, Nghị định 30/2020/NĐ-CP layout: A4, margins
    20/15/30/20 mm, Times New Roman 14 pt, page numbers top centre from page 2, the forms as a
    landscape appendix with header rows repeated on every page."""
    return _ReportWriter(_ReportDoc(report)).build()


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


def _html(doc: _ReportDoc) -> str:
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
    for kind, value in walk(doc.sections):
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

    doc = _ReportDoc(report)
    return HTML(string=_html(doc), base_url=FONT_DIR.as_uri() + "/").write_pdf()
