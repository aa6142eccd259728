"""Word (.docx) plans to the plain-text dialect the plan reader understands.

The output follows the Word-converted seed (002): one line per paragraph, one line per table row
with cells separated by TAB, and a cell made of several list items written as
``<ul><li>a</li><li>b</li></ul>``. Body elements are walked in document order so paragraphs and
tables interleave as they do on the page.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from pathlib import Path

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
W = "{" + W_NS + "}"

_P, _TBL, _TR, _TC = W + "p", W + "tbl", W + "tr", W + "tc"
_R, _RPR, _T = W + "r", W + "rPr", W + "t"
_BR, _CR, _SYM, _TXBX = W + "br", W + "cr", W + "sym", W + "txbxContent"
_TABS = (W + "tab", W + "ptab")
_NO_BREAK_HYPHEN = W + "noBreakHyphen"
_PPR, _NUMPR, _NUMID, _ILVL, _PSTYLE = W + "pPr", W + "numPr", W + "numId", W + "ilvl", W + "pStyle"
_TCPR, _TRPR, _HMERGE, _VMERGE, _DEL = W + "tcPr", W + "trPr", W + "hMerge", W + "vMerge", W + "del"
_VAL, _TYPE = W + "val", W + "type"
_BLOCKS, _ROWS, _CELLS = frozenset({_P, _TBL}), frozenset({_TR}), frozenset({_TC})
# Elements that only wrap content (content controls, custom XML, tracked insertions, smart tags).
_WRAPPERS = {
    W + "sdt",
    W + "sdtContent",
    W + "customXml",
    W + "ins",
    W + "moveTo",
    W + "smartTag",
    W + "hyperlink",
    W + "fldSimple",
    W + "r",
    W + "bdo",
    W + "dir",
    MC + "AlternateContent",
    MC + "Choice",
}
# Content that is not (or no longer) part of the visible text.
_SKIPPED = {
    W + "del",
    W + "moveFrom",
    W + "pPr",
    W + "rPr",
    W + "sdtPr",
    W + "sdtEndPr",
    W + "customXmlPr",
    W + "instrText",
    W + "delText",
    W + "footnoteReference",
    W + "endnoteReference",
    W + "commentReference",
    MC + "Fallback",
}
_BULLET_PREFIX = re.compile(r"^\s*([-+•●▪◦‒–—*])\s*")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_ODD_SPACES = re.compile(r"[\t\u00a0\u2000-\u200b\u3000]")


def docx_to_text(path) -> str:
    """Text of the Word document at ``path`` in reading order (see module docstring).

    Raises ``PlanReadError`` when the file is not a readable .docx document.
    """
    path = Path(path)
    package = _open(path)
    try:
        walker = _Walker(package)
        walker.blocks(package.body)
    except etree.XMLSyntaxError as exc:  # the styles part, parsed only now (see `_Package`)
        raise _invalid_docx(path) from exc
    return _join(walker.lines)


# --------------------------------------------------------------------------- opening


def _plan_read_error(message: str, path: Path):
    try:
        from cchc.core.plan_reader import PlanReadError
    except ImportError:  # the package's __init__ is not there yet
        from cchc.core.plan_reader.errors import PlanReadError
    return PlanReadError(message, source_name=path.name, line=None)


def _open(path: Path) -> _Package:
    with open(path, "rb") as handle:  # missing/unreadable files raise OSError as usual
        head = handle.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _plan_read_error(
            f"Tệp {path.name} là tài liệu Word định dạng cũ (.doc) hoặc được đặt mật khẩu, "
            "không phải tài liệu Word (.docx) hợp lệ. Hãy mở bằng Word và lưu lại dưới dạng .docx.",
            path,
        )
    if zipfile.is_zipfile(path):
        from cchc.core.filetypes import UploadRejected, check_zip_expansion

        with open(path, "rb") as handle:
            try:
                check_zip_expansion(handle, path.name)  # a zip bomb is refused before anything inflates
            except UploadRejected as refusal:
                raise _plan_read_error(str(refusal) + ".", path) from refusal
    try:
        if not zipfile.is_zipfile(path):
            raise ValueError("not a zip archive")
        package = _Package(path)
        if package.body is None:
            raise ValueError("no document body")
    except Exception as exc:
        raise _invalid_docx(path) from exc
    return package


def _invalid_docx(path: Path):
    return _plan_read_error(
        f"Tệp {path.name} không phải tài liệu Word (.docx) hợp lệ (tệp hỏng hoặc sai định dạng).", path
    )


_OPC_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_OPC_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_RT_OFFICE_DOCUMENT, _RT_IMAGE = _RT + "officeDocument", _RT + "image"
_RT_NUMBERING, _RT_STYLES = _RT + "numbering", _RT + "styles"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_CT_DOCUMENT, _CT_STYLES = _CT + "document.main+xml", _CT + "styles+xml"
# Content types whose parts python-docx parses as XML when it opens a package.
_XML_PARTS = frozenset(
    [
        "application/vnd.openxmlformats-package.core-properties+xml",
        _CT + "comments+xml",
        _CT_DOCUMENT,
        _CT + "footer+xml",
        _CT + "header+xml",
        _CT + "numbering+xml",
        _CT + "settings+xml",
        _CT_STYLES,
    ]
)
# python-docx's parser options (without its custom element classes, which only slow the walk).
_XML_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


class _Part:
    __slots__ = ("name", "content_type", "is_image", "root", "blob", "rels")

    def __init__(self, name: str, content_type: str, is_image: bool, root, rels, blob=None) -> None:
        self.name = name
        self.content_type = content_type
        self.is_image = is_image  # python-docx loads it as an image, whatever its content type
        self.root = root  # parsed XML, or None for a part python-docx keeps as bytes
        self.blob = blob  # the XML of a part parsed only when needed (styles)
        self.rels = rels  # rId -> (reltype, target _Part, or None for an external target)

    def element(self):
        """The part's parsed XML root, None for a part python-docx keeps as bytes."""
        if self.root is None and self.blob is not None:
            self.root = etree.fromstring(self.blob, _XML_PARSER)
        return self.root

    def related(self, reltype: str) -> _Part:
        """The part this one relates to by ``reltype``: KeyError if none, ValueError if several
        or external (python-docx's ``part_related_by``)."""
        matching = [target for rt, target in self.rels.values() if rt == reltype]
        if not matching:
            raise KeyError(f"no relationship of type '{reltype}' in collection")
        if len(matching) > 1:
            raise ValueError(f"multiple relationships of type '{reltype}' in collection")
        if matching[0] is None:
            raise ValueError(
                "target_part property on _Relationship is undefined when target mode is External"
            )
        return matching[0]


class _Package:
    """A .docx package opened as python-docx's ``Document()`` opens it, accepting and refusing
    the same files, but with plain lxml elements: every part reachable through relationships is
    read and must have a content type; the parts python-docx parses are parsed (with its parser
    options); the main document part must be a Word document with a ``w:document`` root.

    One exception: the styles part (350 KB in python-docx's own template) is parsed only when,
    and as far as, paragraph numbering needs it (`_Styles`); a malformed styles part is refused
    (with the same error) when it is parsed, and goes unnoticed when it is not."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            self._archive = archive
            types = self._xml(archive.read("[Content_Types].xml"), _OPC_TYPES + "Types")
            self._overrides = {
                o.get("PartName").lower(): o.get("ContentType")
                for o in types.findall(_OPC_TYPES + "Override")
            }
            self._defaults = {
                d.get("Extension").lower(): d.get("ContentType")
                for d in types.findall(_OPC_TYPES + "Default")
            }
            self._serialized: dict[str, tuple] = {}  # partname -> (reltype of first visit, blob, rels)
            package_rels = self._rels_for("/")
            self._walk(package_rels)
            parts = {name: self._part(name, *serialized) for name, serialized in self._serialized.items()}
        for part in parts.values():
            part.rels = _resolve(part.rels, parts)
        self.package = _Part("/", "", False, None, _resolve(package_rels, parts))
        main = self.package.related(_RT_OFFICE_DOCUMENT)
        if main.content_type != _CT_DOCUMENT:
            raise ValueError(f"not a Word file, content type is {main.content_type!r}")
        if main.is_image or main.root.tag != W + "document":
            raise AttributeError("the main part has no document body")
        self.main = main
        self.body = main.root.find(W + "body")

    @staticmethod
    def _xml(blob: bytes, root_tag: str | None = None):
        root = etree.fromstring(blob, _XML_PARSER)
        if root_tag is not None and root.tag != root_tag:
            raise AttributeError(f"unexpected root element {root.tag!r}")
        return root

    def _rels_for(self, partname: str) -> list[tuple]:
        """(rId, reltype, target partname or None when external) of a part's relationships."""
        base, filename = posixpath.split(partname)
        try:
            blob = self._archive.read(posixpath.join(base, "_rels", f"{filename}.rels")[1:])
        except KeyError:
            return []
        out = []
        for rel in self._xml(blob, _OPC_RELS + "Relationships").findall(_OPC_RELS + "Relationship"):
            target = rel.get("Target")
            external = rel.get("TargetMode", "Internal") == "External"
            name = None if external else _partname(posixpath.abspath(posixpath.join(base, target)))
            out.append((rel.get("Id"), rel.get("Type"), name))
        return out

    def _walk(self, rels: list[tuple]) -> None:
        for _rid, reltype, name in rels:
            if name is None or name in self._serialized:
                continue
            self._serialized[name] = ()  # visited
            part_rels = self._rels_for(name)
            self._serialized[name] = (reltype, self._archive.read(name[1:]), part_rels)
            self._walk(part_rels)

    def _part(self, name: str, reltype: str, blob: bytes, rels: list[tuple]) -> _Part:
        content_type = self._overrides.get(name.lower())
        if content_type is None and name.lower() not in self._overrides:
            ext = posixpath.splitext(name)[1]
            ext = ext[1:] if ext.startswith(".") else ext
            if ext.lower() not in self._defaults:
                raise KeyError(f"no content type for partname {name!r}")
            content_type = self._defaults[ext.lower()]
        is_image = reltype == _RT_IMAGE
        if is_image or content_type not in _XML_PARTS:
            return _Part(name, content_type, is_image, None, rels)  # type: ignore[arg-type]
        if content_type == _CT_STYLES:
            return _Part(name, content_type, False, None, rels, blob)
        return _Part(name, content_type, False, self._xml(blob), rels)

    def numbering_root(self):
        """The numbering part's root; KeyError/AttributeError when there is none to read."""
        root = self.main.related(_RT_NUMBERING).element()
        if root is None:
            raise AttributeError("the numbering part is not XML")
        return root

    def styles_part(self) -> _Part | None:
        """The styles part, None when python-docx would use its default styles (which give no
        paragraph style a numbering); raises when python-docx's ``styles`` would."""
        part, seen = self.main, set()
        while True:
            try:
                part = part.related(_RT_STYLES)
            except KeyError:
                return None
            if part.content_type == _CT_STYLES and not part.is_image:
                return part
            if part.content_type != _CT_DOCUMENT or part.is_image or part.name in seen:
                raise AttributeError("the styles part is not a styles part")
            seen.add(part.name)  # a document part's own styles, as python-docx looks them up


def _partname(name: str) -> str:
    if not name.startswith("/"):
        raise ValueError(f"PackURI must begin with slash, got {name!r}")
    return name


def _resolve(rels: list[tuple], parts: dict[str, _Part]) -> dict:
    out: dict = {}
    for rid, reltype, name in rels:
        out[rid] = (reltype, None if name is None else parts[name])
    return out


# --------------------------------------------------------------------------- walking


class _Para:
    """One paragraph: its text segments (split at line breaks) and list-ness."""

    __slots__ = ("segments", "is_list", "label")

    def __init__(self, segments: list[str], is_list: bool, label: str) -> None:
        self.segments = segments
        self.is_list = is_list
        self.label = label  # numbering label ("1.", "a)") or "" (none, or a bullet)


class _Walker:
    def __init__(self, package: _Package) -> None:
        self.lines: list[str] = []
        self.numbering = _Numbering(package)

    # ---- body

    def blocks(self, parent) -> None:
        for child in _content_children(parent, _BLOCKS):
            if child.tag == _P:
                self.body_paragraph(child)
            else:
                self.table(child)

    def body_paragraph(self, p) -> None:
        para, boxes = self.paragraph(p)
        for index, segment in enumerate(para.segments):
            text = _clean(segment)
            if index == 0 and (text or para.label):
                if para.label:
                    text = f"{para.label} {text}".strip()
                elif para.is_list and not _BULLET_PREFIX.match(text):
                    text = f"- {text}"  # a bullet drawn by Word, written as the seeds write it
            self.lines.append(text)
        for box in boxes:  # text boxes anchored in the paragraph follow it
            self.blocks(box)

    def table(self, tbl) -> None:
        self.lines.append("")
        for tr in _content_children(tbl, _ROWS):
            if _is_deleted_row(tr):
                continue
            cells = self.row_cells(tr)
            if not any(cells):
                continue
            self.lines.append("\t".join(cells))
        self.lines.append("")

    def row_cells(self, tr) -> list[str]:
        cells: list[str] = []
        for tc in _content_children(tr, _CELLS):
            tc_pr = _child(tc, _TCPR)
            if tc_pr is not None:
                h_merge = v_merge = None
                for prop in tc_pr:  # the first hMerge and the first vMerge
                    tag = prop.tag
                    if tag == _HMERGE:
                        if h_merge is None:
                            h_merge = prop
                    elif tag == _VMERGE and v_merge is None:
                        v_merge = prop
                if h_merge is not None and h_merge.get(_VAL) != "restart":
                    continue  # legacy horizontal merge: the first cell holds the text
                if v_merge is not None and v_merge.get(_VAL) in (None, "continue"):
                    cells.append("")
                    # The continued cell still has an (empty) paragraph; numbering must not count it.
                    continue
            cells.append(self.cell_text(tc))
        return cells

    # ---- cells

    def cell_text(self, tc) -> str:
        items: list[tuple[bool, str]] = []  # (is list item, text)
        self._cell_items(tc, items)
        return _cell_markup(items)

    def _cell_items(self, container, items: list[tuple[bool, str]]) -> None:
        """The cell's paragraphs as items, in order: a paragraph, then its text boxes; a nested
        table's rows as one paragraph each."""
        for child in _content_children(container, _BLOCKS):
            if child.tag == _P:
                segments = [""]
                boxes: list = []
                p_pr = _walk_text(child, segments, boxes)
                is_list, label = self.numbering.paragraph(p_pr)
                _add_items(items, segments, is_list, label)
                for box in boxes:
                    self._cell_items(box, items)
            else:  # nested table: each row becomes one paragraph of the cell
                for tr in _content_children(child, _ROWS):
                    texts = []
                    for tc in _content_children(tr, _CELLS):
                        text = self.cell_text(tc)
                        if text:
                            texts.append(text)
                    if texts:
                        _add_items(items, [" ".join(texts)], False, "")

    # ---- paragraphs

    def paragraph(self, p) -> tuple[_Para, list]:
        """The paragraph's text and list-ness, and the text boxes anchored in it."""
        segments = [""]
        boxes: list = []
        p_pr = _walk_text(p, segments, boxes)
        is_list, label = self.numbering.paragraph(p_pr)
        return _Para(segments, is_list, label), boxes


def _add_items(items: list[tuple[bool, str]], segments: list[str], is_list: bool, label: str) -> None:
    for index, segment in enumerate(segments):
        text = _clean(segment)
        if index == 0 and label:  # an automatically numbered TT cell has only the label
            text = f"{label} {text}".strip()
        if not text:
            continue
        is_item = (is_list and index == 0) or bool(_BULLET_PREFIX.match(text))
        items.append((is_item, text))


def _walk_text(el, segments: list[str], boxes: list):
    """Append the text under ``el`` to ``segments`` (a new one at each line break); text boxes
    and wrongly nested paragraphs or tables go to ``boxes``. Returns the first ``w:pPr`` child."""
    p_pr = None
    for child in el:
        tag = child.tag
        if tag == _R:  # a run (most children): its text without a call per element
            for part in child:
                part_tag = part.tag
                if part_tag == _T:
                    segments[-1] += part.text or ""
                elif part_tag != _RPR:
                    _walk_element(part, part_tag, segments, boxes)
        elif tag == _PPR:
            if p_pr is None:
                p_pr = child
        else:
            _walk_element(child, tag, segments, boxes)
    return p_pr


def _walk_element(child, tag, segments: list[str], boxes: list) -> None:
    if not isinstance(tag, str) or tag in _SKIPPED:
        return
    if tag == _T:
        segments[-1] += child.text or ""
    elif tag in _TABS:
        segments[-1] += " "
    elif tag == _BR:
        if child.get(_TYPE) in (None, "textWrapping"):
            segments.append("")
    elif tag == _CR:
        segments.append("")
    elif tag == _NO_BREAK_HYPHEN:
        segments[-1] += "-"
    elif tag == _SYM:
        char = _sym_char(child)
        segments[-1] += char
    elif tag == _TXBX:
        boxes.append(child)
    elif tag == _P or tag == _TBL:  # malformed nesting: keep the text
        boxes.append(child)
    else:
        _walk_text(child, segments, boxes)


def _child(el, tag: str):
    """``el.find(tag)`` for a plain tag name (its first such child), without lxml's path lookup."""
    for child in el:
        if child.tag == tag:
            return child
    return None


def _content_children(parent, wanted: set[str]):
    """Children of ``parent`` with a tag in ``wanted``, looking through wrapper elements."""
    for child in parent:
        tag = child.tag
        if tag in wanted:
            yield child
        elif tag in _WRAPPERS:
            yield from _content_children(child, wanted)


def _is_deleted_row(tr) -> bool:
    tr_pr = _child(tr, _TRPR)
    return tr_pr is not None and _child(tr_pr, _DEL) is not None


def _sym_char(sym) -> str:
    code = sym.get(W + "char") or ""
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    if 0xF000 <= value <= 0xF0FF:  # symbol-font private-use range: usually a bullet or a dash
        value -= 0xF000
        return {0xB7: "•", 0x2D: "-", 0xA7: "▪", 0x76: "❖", 0xD8: "➢"}.get(value, "")
    return chr(value)


def _clean(text: str) -> str:
    if "  " in text or _ODD_SPACES.search(text):  # else every _SPACES match is one " ": nothing to do
        text = _SPACES.sub(" ", text)
    return text.strip()


def _cell_markup(items: list[tuple[bool, str]]) -> str:
    """One line for a cell: a ``<ul>`` when it holds several list items, else texts joined by spaces.

    Paragraphs before the first list item stay as leading text; a paragraph that is not a list
    item after one continues that item (a wrapped line typed as its own paragraph).
    """
    if sum(1 for is_item, _ in items if is_item) < 2:
        return " ".join(text for _, text in items)
    lead: list[str] = []
    entries: list[str] = []
    for is_item, text in items:
        if is_item:
            entries.append(_BULLET_PREFIX.sub("", text, count=1))
        elif entries:
            entries[-1] = f"{entries[-1]} {text}"
        else:
            lead.append(text)
    body = "<ul>" + "".join(f"<li>{html.escape(entry, quote=False)}</li>" for entry in entries) + "</ul>"
    return " ".join([*lead, body])


def _join(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        line = line.rstrip(" ")  # trailing TABs are empty cells: keep them
        if not line and (not out or not out[-1]):
            continue  # one blank line at most, none at the start
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n" if out else ""


# --------------------------------------------------------------------------- numbering


class _Styles:
    """The ``w:style`` children of the styles part by styleId (the last one wins), as the parsed
    part would give them, parsing no more of the part than the styles asked for.

    A UTF-8 styles part without any ``numPr`` numbers no paragraph: nothing is parsed. When it is
    written plainly (UTF-8; no comments, CDATA, DOCTYPE or processing instructions;
    the main namespace bound once, to ``w`` on the root; only whitespace between the styles),
    each style is located in the bytes and only the asked-for ones are parsed, inside the
    root's start tag. Anything else is parsed whole.
    """

    def __init__(self, part: _Part) -> None:
        self._elements: dict[str, object] = {}
        self._spans: dict[str, tuple[int, int]] = {}
        self._blob = part.blob if part.root is None else None
        start = _utf8_start(self._blob) if self._blob is not None else None
        if start is not None and b"numPr" not in self._blob:
            return
        located = _locate_styles(self._blob, start) if start is not None else None
        if located is None:
            root = part.element()
            for style in root.iterchildren(W + "style"):
                self._elements[style.get(W + "styleId") or ""] = style
        else:
            self._root_tag, self._root_end, self._spans, early = located
            for style in early:  # (only in unusual files) styles before the first located one
                style_id = style.get(W + "styleId") or ""
                if style_id not in self._spans:
                    self._elements[style_id] = style

    def __contains__(self, style_id: str) -> bool:
        return style_id in self._elements or style_id in self._spans

    def get(self, style_id: str):
        element = self._elements.get(style_id)
        if element is None and style_id in self._spans:
            start, end = self._spans[style_id]
            wrapped = self._root_tag + self._blob[start:end] + self._root_end
            element = self._elements[style_id] = etree.fromstring(wrapped, _XML_PARSER)[0]
        return element


_XML_DECL = re.compile(rb"<\?xml[^>]*?\?>")
_DECL_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")
_ATTRIBUTES = rb"""((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)"""
_ROOT_START = re.compile(rb"\s*<([^\s/>]+)" + _ATTRIBUTES + rb"\s*>")
# In one pass: a style's start tag (read whole: group 1 its attributes, group 2 "/" when it is
# empty), a style's end tag (group 3), or anything else (a style tag not read, a comment, CDATA,
# a DOCTYPE or a processing instruction).
_STYLE_MARKUP = re.compile(rb"<(?:w:style" + _ATTRIBUTES + rb"\s*(/?)>|(/w:style\s*>)|w:style[\s/>]|[!?])")
# The value of the w:styleId attribute (attributes read one by one, so never inside a value).
_STYLE_ID = re.compile(
    rb"""(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*?\s+w:styleId\s*=\s*(?:"([^"]*)"|'([^']*)')"""
)
_W_NS_BYTES = W_NS.encode()
_ROOT_TAIL = re.compile(rb"\s*>\s*")  # the rest of the root end tag
_NS_W = re.compile(
    rb"""(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*?\s+xmlns:w\s*=\s*(?:"([^"]*)"|'([^']*)')"""
)


def _utf8_start(blob: bytes) -> int | None:
    """Where the markup after the XML declaration starts, if the part is UTF-8 (so ASCII names
    are ASCII bytes); else None."""
    pos = 3 if blob.startswith(b"\xef\xbb\xbf") else 0
    if blob[pos : pos + 1] != b"<" or blob[pos + 1 : pos + 2] in (b"", b"\x00"):
        return None  # UTF-16/32 (with or without a byte order mark), or not XML at all
    declaration = _XML_DECL.match(blob, pos)
    if declaration:
        encoding = _DECL_ENCODING.search(declaration.group(0))
        if encoding and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
            return None
        pos = declaration.end()
    return pos


def _locate_styles(blob: bytes, pos: int):
    """(root start tag, root end tag, {styleId: (start, end)}, styles before the first located
    one) of a plainly written UTF-8 styles part (markup from ``pos``), or None (see `_Styles`)."""
    root = _ROOT_START.match(blob, pos)
    if root is None:
        return None
    w = _NS_W.match(root.group(2))
    if w is None or (w.group(1) if w.group(1) is not None else w.group(2)) != _W_NS_BYTES:
        return None  # the root binds "w" to the main namespace
    spans: dict[str, tuple[int, int]] = {}
    first = previous = None  # start of the first style, end of the previous one
    open_start = open_attributes = None
    for m in _STYLE_MARKUP.finditer(blob, root.end()):
        attributes = m.group(1)
        if attributes is not None:  # a style's start tag
            start = m.start()
            if open_start is not None or (previous is not None and blob[previous:start].strip()):
                return None  # a style inside a style, or something else between two styles
            if first is None:
                first = start
            if m.group(2):  # empty
                previous = m.end()
                if not _add_span(spans, attributes, start, previous):
                    return None
            else:
                open_start, open_attributes = start, attributes
        elif m.group(3) and open_start is not None:  # the open style's end tag
            previous = m.end()
            if not _add_span(spans, open_attributes, open_start, previous):
                return None
            open_start = None
        else:
            return None
    if first is None or open_start is not None:
        return None
    name = root.group(1)
    tail = blob[previous:].strip()
    if not (tail.startswith(b"</" + name) and _ROOT_TAIL.fullmatch(tail[len(name) + 2 :])):
        return None
    root_tag, root_end = root.group(0).lstrip(), b"</" + name + b">"
    # What precedes the first style (document defaults, latent styles) must be whole elements, so
    # that the styles are children of the root; a style written there otherwise is kept too.
    try:
        head = etree.fromstring(root_tag + blob[root.end() : first] + root_end, _XML_PARSER)
    except etree.XMLSyntaxError:
        return None
    return root_tag, root_end, spans, list(head.iterchildren(W + "style"))


def _add_span(spans: dict[str, tuple[int, int]], attributes: bytes, start: int, end: int) -> bool:
    if b"xmlns:w" in attributes:
        return False  # "w" bound again, maybe to another namespace
    m = _STYLE_ID.match(attributes)
    style_id = b"" if m is None else m.group(1) if m.group(1) is not None else m.group(2)
    if b"&" in style_id or b"\t" in style_id or b"\n" in style_id or b"\r" in style_id:
        return False  # a value XML would rewrite
    try:
        spans[style_id.decode("utf-8")] = (start, end)
    except UnicodeDecodeError:
        return False
    return True


_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]  # fmt: skip
_LEVEL_REF = re.compile(r"%([1-9])")


def _roman(value: int) -> str:
    out = ""
    for amount, letters in _ROMAN:
        while value >= amount:
            out += letters
            value -= amount
    return out


def _letters(value: int) -> str:
    if value <= 0:
        return str(value)
    letter = "abcdefghijklmnopqrstuvwxyz"[(value - 1) % 26]
    return letter * ((value - 1) // 26 + 1)


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter",):
        return _letters(value)
    if fmt in ("upperLetter",):
        return _letters(value).upper()
    if fmt == "lowerRoman":
        return _roman(value)
    if fmt == "upperRoman":
        return _roman(value).upper()
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


class _Numbering:
    """Enough of Word's list numbering to tell list items apart and label numbered paragraphs
    (an automatically numbered TT column has no digits in its text)."""

    def __init__(self, package: _Package) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstractNumId -> ilvl -> level
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.counters: dict[object, dict[int, int]] = {}
        self.style_numpr: dict[str, tuple[str | None, str | None]] = {}  # resolved on demand
        self._styles: _Styles | dict = {}  # styleId -> w:style element (the last one wins)
        self._load_numbering(package)
        self._load_styles(package)

    def _load_numbering(self, package: _Package) -> None:
        try:
            root = package.numbering_root()
        except (KeyError, AttributeError):
            return
        for abstract in root.findall(W + "abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in abstract.findall(W + "lvl"):
                levels[_int(lvl.get(W + "ilvl"))] = _level(lvl)
            self.levels[abstract.get(W + "abstractNumId") or ""] = levels
        for num in root.findall(W + "num"):
            abstract_id = _val(num.find(W + "abstractNumId")) or ""
            overrides: dict[int, int] = {}
            for override in num.findall(W + "lvlOverride"):
                ilvl = _int(override.get(W + "ilvl"))
                start = override.find(W + "startOverride")
                if start is not None:
                    overrides[ilvl] = _int(_val(start), 1)
                lvl = override.find(W + "lvl")
                if lvl is not None:  # a level redefined for this instance only
                    levels = dict(self.levels.get(abstract_id, {}))
                    levels[ilvl] = _level(lvl)
                    abstract_id = f"{abstract_id}#{num.get(W + 'numId')}"
                    self.levels[abstract_id] = levels
            self.nums[num.get(W + "numId") or ""] = (abstract_id, overrides)

    def _load_styles(self, package: _Package) -> None:
        try:
            part = package.styles_part()
        except Exception:  # pragma: no cover - a styles relationship python-docx cannot follow
            return
        if part is None:  # python-docx's default styles: no style is numbered
            return
        self._styles = _Styles(part)

    def _style_numpr(self, style_id: str) -> tuple[str | None, str | None]:
        """(numId, ilvl) a paragraph style gives, looking through the styles it is based on."""
        if style_id in self.style_numpr:
            return self.style_numpr[style_id]
        if style_id not in self._styles:
            return None, None
        seen: set[str] = set()
        current: str | None = style_id
        num_id = ilvl = None
        while current and current in self._styles and current not in seen:
            seen.add(current)
            s_num, s_ilvl, based_on = self._style_entry(self._styles.get(current))
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_ilvl
            current = based_on
        self.style_numpr[style_id] = (num_id, ilvl)
        return num_id, ilvl

    @staticmethod
    def _style_entry(style) -> tuple[str | None, str | None, str | None]:
        num_id = ilvl = None
        num_pr = style.find(f"{W}pPr/{W}numPr")
        if num_pr is not None:
            num_id = _val(num_pr.find(W + "numId"))
            ilvl = _val(num_pr.find(W + "ilvl"))
        return num_id, ilvl, _val(style.find(W + "basedOn"))

    def paragraph(self, p_pr) -> tuple[bool, str]:
        """(is a list item, numbering label) for the paragraph with properties ``p_pr`` (its first
        ``w:pPr``, or None), advancing the counters."""
        if not self.nums:  # no list numbering in the document: nothing is a list item
            return False, ""
        num_id = ilvl = None
        if p_pr is not None:
            num_pr = style_el = None
            for prop in p_pr:  # the first numPr and the first pStyle
                tag = prop.tag
                if tag == _NUMPR:
                    if num_pr is None:
                        num_pr = prop
                elif tag == _PSTYLE and style_el is None:
                    style_el = prop
            if num_pr is not None:
                num_id = _val(_child(num_pr, _NUMID))
                ilvl = _val(_child(num_pr, _ILVL))
            style = _val(style_el)
            if style and (num_id is None or ilvl is None):
                s_num, s_ilvl = self._style_numpr(style)
                num_id = num_id if num_id is not None else s_num
                ilvl = ilvl if ilvl is not None else s_ilvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return False, ""
        level = _int(ilvl)
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        fmt, text, start = levels.get(level, ("decimal", f"%{level + 1}.", 1))
        key: object = num_id if overrides else abstract_id
        counters = self.counters.setdefault(key, {})
        if level in counters:
            counters[level] += 1
        else:
            counters[level] = overrides.get(level, start)
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if fmt in ("bullet", "none"):
            return True, ""

        def substitute(match: re.Match) -> str:
            ref = int(match.group(1)) - 1
            ref_fmt, _, ref_start = levels.get(ref, ("decimal", "", 1))
            return _format_number(counters.get(ref, overrides.get(ref, ref_start)), ref_fmt)

        return True, _LEVEL_REF.sub(substitute, text).strip()


def _val(el) -> str | None:
    return None if el is None else el.get(_VAL)


def _int(value, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _level(lvl) -> tuple[str, str, int]:
    return (
        _val(lvl.find(W + "numFmt")) or "decimal",
        _val(lvl.find(W + "lvlText")) or "",
        _int(_val(lvl.find(W + "start")), 1),
    )
