"""Paragraph numbering of a Word (.docx) document, as Word prints it: list levels and their
formats ("1.", "a)", "I.", "1.2.3"), counters that restart and continue, and the styles that carry
numbering, located in the styles part without parsing more of it than the plan reader asks for.
"""

from __future__ import annotations

import re

from lxml import etree

from .docx_package import _ILVL, _NUMID, _NUMPR, _PSTYLE, _VAL, _XML_PARSER, W_NS, W, _child, _Package, _Part


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

