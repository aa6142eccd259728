"""The Word (.docx) renderer of an `OfficialDocument`: A4, margins 20/15/30/20 mm, Times New
Roman 14 pt, page numbers top centre from page 2 (Nghị định 30/2020/NĐ-CP), masthead, title, body,
recipients and signature; a subclass adds its appendix. python-docx is imported only when a
document is built, so importing this module costs nothing.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from typing import Any

from .layout import MOTTO, NATIONAL_TITLE, OfficialDocument, walk

FONT = "Times New Roman"
BODY_PT = 14
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Child order the OOXML schema requires (Word refuses a file that breaks it; LibreOffice does not).
PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
    "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()
TBLPR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription"
).split()
TRPR_ORDER = (
    "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden"
).split()
RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
    "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
).split()


def el(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement

    element = OxmlElement(f"w:{tag}")
    for name, value in attrs.items():
        element.set(f"{{{W_NS}}}{name}", value)
    return element


def put(parent: Any, child: Any, order: Sequence[str]) -> Any:
    """Replace or insert ``child`` in ``parent`` at the place ``order`` gives its tag."""
    tag = child.tag.rsplit("}", 1)[1]
    for old in parent.findall(f"{{{W_NS}}}{tag}"):
        parent.remove(old)
    later = set(order[order.index(tag) + 1 :])
    for index, sibling in enumerate(parent):
        if sibling.tag.rsplit("}", 1)[-1] in later:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def set_fonts(rpr: Any) -> None:
    fonts = el("rFonts", ascii=FONT, hAnsi=FONT, cs=FONT, eastAsia=FONT)
    put(rpr, fonts, RPR_ORDER)



class WordWriter:
    def __init__(self, doc: OfficialDocument) -> None:
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
        normal.font.name = FONT
        normal.font.size = Pt(BODY_PT)
        rpr = normal.element.get_or_add_rPr()
        set_fonts(rpr)
        put(rpr, el("lang", val="vi-VN", eastAsia="vi-VN", bidi="ar-SA"), RPR_ORDER)
        fmt = normal.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
        fmt.widow_control = True
        props = word.core_properties
        props.title = self.doc.full_title
        props.subject = self.doc.period
        props.author = " ".join(self.doc.issuer)
        props.language = "vi-VN"
        props.keywords = f"cải cách hành chính; CCHC; {self.doc.kind.lower()}"
        props.comments = ""
        props.last_modified_by = "cchc"
        props.created = props.modified = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        # Page numbers: top centre, not on the first page (Nghị định 30/2020/NĐ-CP, Phụ lục I).
        section.different_first_page_header_footer = True
        section.header_distance = Mm(10)
        header = section.header.paragraphs[0]
        header.alignment = self.ALIGN.CENTER
        field = el("fldSimple", instr=" PAGE ")
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
            put(p._p.get_or_add_pPr(), el("outlineLvl", val=str(outline)), PPR_ORDER)
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
        borders = el("pBdr")
        borders.append(el("bottom", val="single", sz="6", space="1", color="000000"))
        put(p._p.get_or_add_pPr(), borders, PPR_ORDER)
        mark = p._p.get_or_add_pPr()
        rpr = put(mark, el("rPr"), PPR_ORDER)
        rpr.append(el("sz", val="4"))
        rpr.append(el("szCs", val="4"))
        return p

    def table(self, rows: int, widths_cm: Sequence[float], *, borders: bool, margin_cm: float = 0.1) -> Any:
        Cm = self.Cm
        table = self.word.add_table(rows=rows, cols=len(widths_cm))
        table.autofit = False
        table.alignment = self.TABLE_ALIGN.CENTER
        tbl_pr = table._tbl.tblPr
        total = sum(widths_cm)
        put(tbl_pr, el("tblW", w=str(round(total * 567)), type="dxa"), TBLPR_ORDER)
        edges = el("tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            if borders:
                edges.append(el(edge, val="single", sz="4", space="0", color="000000"))
            else:
                edges.append(el(edge, val="nil"))
        put(tbl_pr, edges, TBLPR_ORDER)
        put(tbl_pr, el("tblLayout", type="fixed"), TBLPR_ORDER)
        margins = el("tblCellMar")
        for edge, size in (("top", 0.03), ("left", margin_cm), ("bottom", 0.03), ("right", margin_cm)):
            margins.append(el(edge, w=str(round(size * 567)), type="dxa"))
        put(tbl_pr, margins, TBLPR_ORDER)
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
            self.word, self.doc.kind.upper(), size=14, bold=True, align=ALIGN.CENTER, before=24, keep_next=True
        )
        self.paragraph(self.word, self.doc.title, size=14, bold=True, align=ALIGN.CENTER, keep_next=True)
        self.rule(self.word, 4.0, 16.0, before=3, after=10)

    def body(self) -> None:
        ALIGN = self.ALIGN
        for kind, value in walk(self.doc.sections):
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
        put(row_pr, el("cantSplit"), TRPR_ORDER)
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

    def start_appendix(self, title: str) -> None:
        """A new landscape section headed "PHỤ LỤC", ``title`` and the attachment caption."""
        from docx.enum.section import WD_SECTION

        Mm, ALIGN = self.Mm, self.ALIGN
        section = self.word.add_section(WD_SECTION.NEW_PAGE)  # also the page break
        section.orientation = self.ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        self._margins(section)
        section.different_first_page_header_footer = False
        self.paragraph(
            self.word, "PHỤ LỤC", size=14, bold=True, align=ALIGN.CENTER, keep_next=True, outline=0
        )
        self.paragraph(self.word, title, size=13, bold=True, align=ALIGN.CENTER, keep_next=True)
        self.paragraph(self.word, self.doc.appendix_caption, size=13, italic=True, align=ALIGN.CENTER, after=6)

    def header_row(self, table: Any, columns: Sequence[str]) -> None:
        """The table's first row as its header: bold, centred, repeated at the top of every page."""
        header = table.rows[0]
        header_pr = header._tr.get_or_add_trPr()
        put(header_pr, el("cantSplit"), TRPR_ORDER)
        put(header_pr, el("tblHeader"), TRPR_ORDER)
        for cell, text in zip(header.cells, columns, strict=True):
            cell.vertical_alignment = self.VALIGN.CENTER
            self.paragraph(
                cell, text, size=12, bold=True, align=self.ALIGN.CENTER, before=2, after=2, keep_next=True, reuse=True
            )

    def appendix(self) -> None:
        """Nothing by default; a report adds its forms, a plan its task table."""

    def build(self) -> bytes:
        self.setup()
        self.masthead()
        self.title()
        self.body()
        self.closing()
        self.appendix()
        out = io.BytesIO()
        self.word.save(out)
        return out.getvalue()
