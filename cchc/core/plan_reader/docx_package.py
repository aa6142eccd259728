"""Opening a Word (.docx) package for the plan reader: refusing what is not one (an old .doc, a
zip bomb, a broken archive) with a clear `PlanReadError`, and the parts the text walk needs
(document body, styles, numbering) parsed safely (no entities) and only when asked for.
"""

from __future__ import annotations

import posixpath
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


def _child(el, tag: str):
    """``el.find(tag)`` for a plain tag name (its first such child), without lxml's path lookup."""
    for child in el:
        if child.tag == tag:
            return child
    return None
