"""Turn a cell's text lines into field values: joined text, deliverable items, bodies by role."""

from __future__ import annotations

import html
import re

from cchc.core.text import clean

from .lines import fold
from .vocab import (
    BODY_HEAD,
    COMMA_BODY_HEAD,
    ROLE_LABEL_NOCOLON_RE,
    ROLE_LABEL_RE,
    ROLE_WORDS,
)

BULLET_RE = re.compile(r"^\s*(?:[-+•*▪●○◦·]\s*)+")
_TAG_RE = re.compile(r"<[^>]*>")
_LI_RE = re.compile(r"<li\b[^>]*>", re.I)
_BR_RE = re.compile(r"<br\s*/?>|</p>|</li>|<p\b[^>]*>", re.I)
# An inline bullet after the end of a previous item: "… (nếu có). - Hợp đồng …".
_INLINE_BULLET = re.compile(r"(?<=[.;:!?…])\s+[-+•]\s+")
_TRAIL = " \t.;,:-+•"
# "… có thẩm quyền - Báo cáo kết quả": an inline list dash before a deliverable noun
_DASH_BEFORE_DELIVERABLE = re.compile(
    r"\s+-\s+(?=(?:Các |Những )?(?:Báo cáo|Quyết định|Kế hoạch|Đề án|Văn bản|Nghị quyết|Phương án|"
    r"Hợp đồng|Dự thảo|Chương trình|Thông báo|Hướng dẫn)\b)"
)
# "… Sở Tư pháp - Cơ quan phối hợp …": an inline list dash before a role label
_DASH_BEFORE_LABEL = re.compile(
    r"\s+-\s+(?=(?:Cơ quan|Đơn vị|Xây dựng dự thảo|Thẩm định|Theo dõi|Tổng hợp)\b)"
)
_DASH_NUMBER = re.compile(r"^-\s*\d")
_HYPHEN_END = re.compile(r"\w-$")
_ELLIPSIS_END = re.compile(r"\s+(…|\.\.\.)$")
_ITEM_BREAK = re.compile(r"\n|" + _INLINE_BULLET.pattern)
_NESTED_LABEL = re.compile(r"^([^:]{1,40}):")
_BODY_BREAK = re.compile(r";|(?<=[.])\s+(?=[A-ZĐ])")
_CLASS_HEAD = re.compile(r"^(cac|nhung) ")
_CLASS_OF_UNITS = re.compile(r"^cac (so|ban|nganh)\b")
_TWO_UBND = re.compile(r"^ubnd (cap|cac) \w+ ubnd\b")
_LABEL_SENTENCE = re.compile(r"(?<=[.;])\s+(?=(?:Cơ quan|Đơn vị)\b)")
_CLOSING_PHRASE = re.compile(r"\s+phối hợp (thẩm định|thực hiện)\s*\.?\s*$")


def html_cell_lines(cell: str) -> list[str]:
    """Lines of a tab-dialect cell: `<li>` items become "- " lines, `<br>`/paragraphs new lines."""
    if "<" in cell:
        cell = _LI_RE.sub("\n- ", cell)
        cell = _BR_RE.sub("\n", cell)
        cell = _TAG_RE.sub(" ", cell)
    cell = html.unescape(cell)
    return [ln for ln in (clean(x) for x in cell.split("\n")) if ln]


def is_bullet(text: str) -> bool:
    return bool(BULLET_RE.match(text)) and not _DASH_NUMBER.match(text)


def strip_bullet(text: str) -> str:
    return BULLET_RE.sub("", text)


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines; a word hyphenated at a line end ("QĐ-" + "UBND") is glued back."""
    out = ""
    for ln in lines:
        ln = ln.strip()
        if not ln:
            continue
        if not out:
            out = ln
        elif _HYPHEN_END.search(out):
            out += ln
        else:
            out += " " + ln
    return clean(out)


def tidy(item: str) -> str:
    """An item without list dashes, surrounding spaces and trailing punctuation."""
    item = strip_bullet(clean(item))
    item = _ELLIPSIS_END.sub("", item)
    item = item.rstrip(_TRAIL).strip()
    if item.endswith(")") and item.count("(") < item.count(")"):
        item = item[:-1].rstrip(_TRAIL)
    return item


def split_items(lines: list[str]) -> list[str]:
    """List items of a cell: a bulleted line starts an item, and so do inline bullets after the
    end of a sentence and semicolons. Continuation lines join the item they continue."""
    groups: list[list[str]] = []
    for ln in lines:
        if not groups or is_bullet(ln):
            groups.append([ln])
        else:
            groups[-1].append(ln)
    items: list[str] = []
    for g in groups:
        text = join_lines(g)
        text = _DASH_BEFORE_DELIVERABLE.sub("\n", text)
        for part in _ITEM_BREAK.split(text):
            for sub in part.split(";"):
                sub = tidy(sub)
                if sub:
                    items.append(sub)
    return items


# --------------------------------------------------------------------------------- bodies


def _role_of(label_fold: str) -> str | None:
    """The role named first in a label ("cơ quan phối hợp, tổng hợp" -> coordinating)."""
    best: tuple[int, str] | None = None
    for role, pat in ROLE_WORDS:
        m = pat.search(label_fold)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), role)
    return best[1] if best else None


_ROLE_PHRASE = re.compile(
    r"^(?:(?:phoi hop|theo doi|kiem tra|giam sat|tong hop|bao cao|don doc|huong dan|tham dinh|"
    r"chu tri|thuc hien)[ ,]*(?:va )?)+$"
)


def _split_label(seg: str) -> tuple[str | None, str]:
    """("- Cơ quan phối hợp: Sở Nội vụ") -> ("coordinating", "Sở Nội vụ"); no label -> (None, seg)."""
    text = strip_bullet(seg).strip()
    f = fold(text)
    m = ROLE_LABEL_RE.match(f)
    role = None
    if m:
        role = _role_of(f[: m.end()])
        cut = m.end()
        rest_f = f[cut:].lstrip()
        text = text[cut:].lstrip()
        # nested role words before the bodies: "Cơ quan tổng hợp: kiểm tra: Sở Nội vụ"
        m2 = _NESTED_LABEL.match(rest_f)
        if m2 and _ROLE_PHRASE.match(m2.group(1).strip()):
            text = text[m2.end() :].lstrip()
        if role is None:
            role = "implementing"
        return role, text
    m = ROLE_LABEL_NOCOLON_RE.match(f)
    if m:
        return _role_of(m.group(0)), text[m.end() :].lstrip(" ,:")
    return None, text


def _strip_repeated_label(text: str) -> str:
    """ "Cơ quan phối hợp: Cơ quan phối hợp các sở, …" -> "các sở, …"."""
    m = ROLE_LABEL_NOCOLON_RE.match(fold(text))
    return text[m.end() :].lstrip(" ,:") if m else text


def _suffix_role(body: str) -> tuple[str, str | None]:
    """ "Sở Nội vụ: theo dõi, kiểm tra" / "Sở Nội vụ tổng hợp, báo cáo" -> (body, role)."""
    if ":" in body:
        head, _, tail = body.partition(":")
        tf = fold(tail).strip(" .;,")
        if tf and _ROLE_PHRASE.match(tf):
            return head.strip(), _role_of(tf)
    words = body.split()
    folded = [fold(w) for w in words]
    # A run of words folds word by word (spaces separate them for every step of `fold`), unless a
    # word folds to nothing or to several words: then fold the runs themselves.
    by_word = all(f and " " not in f for f in folded)
    for k in range(1, len(words)):
        tf = (" ".join(folded[k:]) if by_word else fold(" ".join(words[k:]))).strip(" .;,")
        if tf and _ROLE_PHRASE.match(tf):
            head = " ".join(folded[:k]) if by_word else fold(" ".join(words[:k]))
            if BODY_HEAD.match(head):
                return " ".join(words[:k]), _role_of(tf)
    return body, None


# "Các phòng, ban" / "Các cơ quan": a bare list of unit kinds, completed by what follows the comma
_BARE_CLASS = re.compile(
    r"^(cac |nhung )?(so|phong|ban|nganh|co quan|don vi|cap|to chuc|ca nhan)(, ?(so|phong|ban|nganh|co quan|don vi|to chuc))*$"
)


def _split_bodies(text: str) -> list[str]:
    """Split one role's text into bodies: on ";", and on commas only before a new body head.
    A class followed by its members ("các Sở: Y tế, Tài chính; Xây dựng") stays one body until a
    part starting a new class ("các Ban …")."""
    out: list[str] = []
    enum_open = False
    for part in _BODY_BREAK.split(text):
        pf = fold(part).strip(" -")
        if not pf:
            continue
        if enum_open and out and not pf.startswith(("cac ", "nhung ")):
            out[-1] += ";" + part
            continue
        enum_open = False
        head = fold(part.split(":")[0]).strip(" -")
        if ":" in part and _CLASS_HEAD.match(head) and len(head) < 40:
            out.append(part)
            enum_open = True
            continue
        cur = ""
        for p in part.split(","):
            pf = fold(p).strip()
            if (
                cur
                and COMMA_BODY_HEAD.match(pf)
                and not _CLASS_OF_UNITS.match(pf)
                and not _BARE_CLASS.match(fold(cur).strip(" -"))
            ):
                out.append(cur)
                cur = p
            else:
                cur = f"{cur},{p}" if cur else p
        if cur:
            out.append(cur)
    bodies: list[str] = []
    for b in out:
        # "UBND cấp huyện UBND cấp xã": two classes written without a separator
        bf = fold(b).strip(" -")
        if _TWO_UBND.match(bf):
            i = b.upper().find("UBND", b.upper().find("UBND") + 4)
            if i > 0:
                bodies.extend([b[:i], b[i:]])
                continue
        bodies.append(b)
    return [t for t in (tidy(b) for b in bodies) if t]


def parse_bodies(lines: list[str], default_role: str) -> dict[str, list[str]]:
    """Bodies of a body cell by role. Labels inside the cell ("Cơ quan phối hợp: …") override the
    column's role; a body followed by a role phrase ("Sở Nội vụ: theo dõi, …") takes that role."""
    # segments: a bulleted line starts one, and so does a sentence starting with a role label
    segs: list[list[str]] = []
    for ln in lines:
        if not segs or is_bullet(ln) or ROLE_LABEL_RE.match(fold(ln)):
            segs.append([ln])
        else:
            segs[-1].append(ln)
    texts: list[str] = []
    for s in segs:
        joined = _DASH_BEFORE_LABEL.sub("\n", join_lines(s))
        # inline bullets and labelled sentences inside one line (Word cells)
        parts = _ITEM_BREAK.split(joined)
        for p in parts:
            sub: list[str] = []
            for piece in _LABEL_SENTENCE.split(p):
                pf = fold(piece)
                if sub and not (ROLE_LABEL_RE.match(pf) or ROLE_LABEL_NOCOLON_RE.match(pf)):
                    sub[-1] += " " + piece  # "…; Cơ quan liên quan." is a body, not a label
                else:
                    sub.append(piece)
            texts.extend(sub)
    result: dict[str, list[str]] = {}
    for t in texts:
        role, rest = _split_label(t)
        rest = _strip_repeated_label(rest)
        role = role or default_role
        # phrases such as "... phối hợp thẩm định" closing an appraisal list
        rest = _CLOSING_PHRASE.sub("", rest)
        for body in _split_bodies(rest):
            body, srole = _suffix_role(body)
            body = tidy(body)
            if body:
                result.setdefault(srole or role, []).append(body)
    return result
