"""Assign the lines of one table row to its cells when the text flows (PDF extraction).

In the flowing dialect a row is the concatenation of its cells in column order, each cell's
wrapped lines one after another, and nothing marks where a cell ends. A row split by a page
break comes in several *parts*: after the repeated header the cells still unfinished go on, again
in column order.

We decide the cell boundaries by dynamic programming. Lines are first grouped into *chunks*
where the text certainly goes on (the next line starts in lower case, the line ends on "của",
"và", an open parenthesis …). Each chunk scores how much it looks like each kind of column
(body names for lead/coordinating, deadline phrases for the deadline, deliverable nouns, the wide
lines of the content column); each pair of neighbouring chunks scores how likely they belong to
the same cell (a ";" list goes on, "." then a new sentence, a block boundary in the layout).
The best monotone assignment of chunks to columns wins. Every weight is in one table below.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .cells import is_bullet, strip_bullet
from .lines import Line, fold
from .vocab import (
    BODY_HEAD,
    DANGLING_NAME_WORDS,
    DANGLING_WORDS,
    DEADLINE_RE,
    DELIVERABLE_HEAD,
    INCOMPLETE_NAME,
    ROLE_LABEL_RE,
    STRONG_DEADLINE_RE,
)

BODY_ROLES = frozenset(
    {"lead", "coordinating", "implementing", "monitoring", "drafting", "appraising", "reporting"}
)

# weights ---------------------------------------------------------------------------------------
W = {
    "wide_content": 1.5,  # per wide line (max 3) in the content column
    "wide_other": -2.0,  # per wide line anywhere else
    "bullet_content": -1.5,
    "head_match": 2.5,  # a chunk starting like the column's kind of text
    "head_mismatch": -2.5,
    "body_no_head": -1.5,  # an upper-case chunk that names no body in a body column
    "deadline_strong": 3.0,
    "deadline_weak": 1.5,
    "deadline_none": -1.5,
    "related_coord": 0.7,  # "… liên quan" is typical of coordinating bodies
    "dangling_same": 6.0,  # the text is unfinished: the next chunk continues it
    "dangling_same_split": 2.0,  # … less so where a page break may cut the cell
    "dangling_bullet": 1.0,  # … and a new "- " item after an unfinished phrase more likely starts a cell
    "dangling_end": -3.0,  # a cell ending in the middle of a phrase (per cell, split rows)
    "semicolon_same": 1.0,
    "colon_same": 1.5,
    "period_text": -0.8,  # "." then an upper-case sentence: more often a new cell
    "open_wide_same": 1.5,  # a wide line without final punctuation was wrapped
    "open_same": -0.2,
    "collocation_same": 2.0,  # "Nghi" / "Sơn": a word pair the document nearly always writes together
    "period_bullet": -0.3,  # "- A." then "- B": the list may go on or the cell may end
    "period_new_style": -1.0,  # "- A." then "- - B": a new list, a new cell
    "block_break": -1.5,  # the layout starts a new text block here
    "style_change": -0.4,  # bulleted vs not bulleted
    "continued_emission": 0.2,  # a chunk that continues an unfinished phrase says little on its own
    "open_bullet_same": 0.8,  # an unfinished "- …" item goes on on the next (unbulleted) line
    "join_dangling": 4.0,  # a cell cut mid-phrase by the page break goes on here
    "join_lower": 2.5,  # continuing a cell left open before a page break with lower case
    "join_open": 0.3,
    "join_closed_lower": -1.5,
    "join_empty": -0.5,
}
EMPTY_PENALTY = {
    "content": -8.0,
    "deliverables": -1.5,
    "lead": -3.0,
    "coordinating": -1.0,
    "implementing": -2.0,
    "deadline": -2.0,
}
NEG = -1e9

_LAST_WORD = re.compile(r"([\wĐđ&]+)\W*$")
_FIRST_WORD = re.compile(r"[\wĐđ&]+")
_FIRST_ALPHA = re.compile(r"[^\W\d_]")
_OPEN_END = re.compile(r"[\w)]-$|[(/&]$")
_LEADING_DASH = re.compile(r"^\s*-\s*(\S.*)$")
_NEW_ITEM_WORD = re.compile(r"^(cac|thang|quy|trong nam|thuong xuyen|hang)\b")
_NUMBER_START = re.compile(r"^(\d|[IVX]+/)")
_BULLETS = re.compile(r"^\s*((?:[-+•*]\s*)+)")
_SPACE = re.compile(r"\s")
_FUNDING = re.compile(r"kinh phi|ngan sach|trieu|dong\b")
_LOWER_WORD = re.compile(r"[^\W\d_A-ZĐ]+")


@dataclass
class Piece:
    no: int
    text: str
    line: Line | None = None
    split: bool = False  # half of a text line holding the ends of two cells


@dataclass
class Chunk:
    pieces: list[Piece]
    part: int
    text: str = ""
    fold: str = ""
    n_wide: int = 0
    feats: dict = field(default_factory=dict)


@dataclass
class FlowContext:
    wide: float  # a line at least this long can only be content (0: unknown)
    double_spaced: bool
    bigrams: Counter
    lefts: Counter = field(default_factory=Counter)  # how often each word starts a word pair


def _end(text: str) -> str:
    t = text.rstrip()
    if not t:
        return ""
    c = t[-1]
    if c in ".…!?":
        return "."
    if c == ")" and len(t) > 1 and t[-2] in ".":
        return "."
    if c in ";":
        return ";"
    if c in ",":
        return ","
    if c in ":":
        return ":"
    return ""


def _last_word(text: str) -> str:
    m = _LAST_WORD.search(text)
    return m.group(1) if m else ""


def _first_word(text: str) -> str:
    m = _FIRST_WORD.search(text)
    return m.group(0) if m else ""


def _first_alpha(text: str) -> str:
    m = _FIRST_ALPHA.search(text)
    return m.group(0) if m else ""


def _dangling(text: str, open_parens: int) -> bool:
    """The text stops in the middle of a phrase."""
    t = text.rstrip()
    if _end(t):
        return False
    if open_parens > 0 or _OPEN_END.search(t):
        return True
    w = _last_word(t)
    if fold(w) in DANGLING_WORDS:
        return True
    return w[:1].isupper() and fold(w) in DANGLING_NAME_WORDS


def _dash_continuation(prev_chunk_text: str, prev: Piece, cur: Piece) -> bool:
    """ "Công chức Tài chính" / "- Kế toán": a name's hyphen that landed at the line start."""
    m = _LEADING_DASH.match(cur.text)
    if not m or _end(prev.text):
        return False
    rest = m.group(1)
    if _first_alpha(rest).islower() and rest[:1].isalpha():
        return True
    if is_bullet(prev_chunk_text):
        return False
    return len(rest.split()) <= 3 and not _end(rest) and not BODY_HEAD.match(fold(rest))


def _strong_cont(prev: Piece, cur: Piece, ctx: FlowContext, parens: int, soft: bool = False) -> bool:
    """`cur` certainly continues the text of `prev` (same cell)."""
    ct = cur.text
    if is_bullet(ct):
        return False
    if cur.line is not None and cur.line.indent and not _first_alpha(ct).islower():
        return False
    fa = _first_alpha(ct)
    pe = _end(prev.text)
    if fa and fa.islower() and ct.lstrip()[:1].isalpha():
        if pe == "." and _NEW_ITEM_WORD.match(fold(ct)):
            return False
        return True
    if not pe and _NUMBER_START.match(ct.lstrip()):
        return True
    if pe == ",":
        return True
    if not soft and (
        _dangling(prev.text, parens) or INCOMPLETE_NAME.match(fold(strip_bullet(prev.text)).strip(" .;,:"))
    ):
        return True
    return pe == ":"


def _features(ch: Chunk, ctx: FlowContext) -> None:
    first = ch.pieces[0].text
    full = fold(ch.text)
    f = fold(strip_bullet(ch.text))
    ch.fold = full
    ch.n_wide = sum(
        1 for p in ch.pieces if ctx.wide and len(p.line.text if p.line is not None else p.text) >= ctx.wide
    )
    ft = ch.feats
    ft["bullet"] = is_bullet(first)
    m = _BULLETS.match(first) if ft["bullet"] else None
    ft["style"] = _SPACE.sub("", m.group(1)) if m else ""
    ft["label"] = bool(ROLE_LABEL_RE.match(f))
    ft["body"] = bool(BODY_HEAD.match(f)) or ft["label"]
    ft["deliv"] = bool(DELIVERABLE_HEAD.match(f))
    ft["dl_strong"] = bool(STRONG_DEADLINE_RE.search(fold(strip_bullet(ch.text))))
    ft["dl_weak"] = bool(DEADLINE_RE.search(full))
    ft["related"] = "lien quan" in full or "phoi hop" in full
    ft["lower"] = _first_alpha(first).islower()


def _emission(ch: Chunk, role: str | None) -> float:
    ft = ch.feats
    wide = min(ch.n_wide, 3)
    if role == "content":
        s = W["wide_content"] * wide
        if ft["bullet"]:
            s += W["bullet_content"]
        if not wide and (ft["body"] or ft["dl_strong"]) and not ft["lower"]:
            s -= 1.5
        return s
    s = W["wide_other"] * ch.n_wide
    if role == "deliverables":
        if ft["deliv"]:
            s += 2.0
        elif ft["body"] and not ft["lower"]:
            s += W["head_mismatch"]
        elif ft["dl_strong"] and not ft["lower"]:
            s -= 1.5
        if ft["bullet"]:
            s += 0.5
        return s
    if role in BODY_ROLES:
        if ft["body"] and not ft["lower"]:
            s += W["head_match"]
        elif not ft["lower"] and not ft["deliv"] and not ft["dl_strong"]:
            s += W["body_no_head"]
        elif ft["deliv"] and not ft["lower"]:
            s += W["head_mismatch"]
        elif ft["dl_strong"]:
            s -= 2.0
        if ft["related"]:
            s += W["related_coord"] if role == "coordinating" else -W["related_coord"]
        return s
    if role == "deadline":
        if ft["dl_strong"]:
            s += W["deadline_strong"]
        elif ft["dl_weak"]:
            s += W["deadline_weak"]
        else:
            s += W["deadline_none"]
            if ft["body"] and not ft["lower"]:
                s -= 1.5
        return s
    if role == "funding":
        return s + (2.0 if _FUNDING.search(ch.fold) else -1.0)
    if role == "notes":
        return s - 0.5
    return s - 1.0


def _same_score(a: Chunk, b: Chunk, ctx: FlowContext, split_row: bool) -> float:
    """How likely chunk `b` continues the cell of chunk `a` (positive) or starts a new one."""
    last = a.pieces[-1]
    lt = last.text
    pe = _end(lt)
    parens = a.text.count("(") - a.text.count(")")
    s = 0.0
    if _dangling(lt, parens):
        if b.feats["bullet"]:
            s += W["dangling_bullet"]
        else:
            s += W["dangling_same_split"] if split_row else W["dangling_same"]
    elif pe in (";", ","):
        s += W["semicolon_same"] if (b.feats["bullet"] or pe == ",") else 0.5
    elif pe == ":":
        s += W["colon_same"]
    elif pe == ".":
        if not b.feats["bullet"]:
            s += W["period_text"]
        else:
            s += W["period_bullet"]
            if a.feats["style"] != b.feats["style"]:
                s += W["period_new_style"]
    else:
        if ctx.wide and len(lt) >= ctx.wide:
            s += W["open_wide_same"]
        else:
            s += W["open_same"]
        if a.feats["bullet"] and not b.feats["bullet"]:
            s += W["open_bullet_same"]
        if INCOMPLETE_NAME.match(fold(strip_bullet(a.text)).strip(" .;,:")):
            s += W["dangling_same"]
        lw, fw = fold(_last_word(lt)), fold(_first_word(b.pieces[0].text))
        pair = ctx.bigrams.get((lw, fw), 0)
        if pair >= 3 and pair >= 0.5 * ctx.lefts.get(lw, 0):
            s += W["collocation_same"]
    head = b.pieces[0].line
    if head is not None and ((ctx.double_spaced and not head.gap) or head.indent):
        s += W["block_break"]
    if a.feats["style"] != b.feats["style"]:
        s += W["style_change"]
    return s


def _join_score(prev_text: str | None, b: Chunk, ctx: FlowContext) -> float:
    """Chunk `b` (first of a column in a later part) continuing the cell text left before."""
    if not prev_text:
        return W["join_empty"]
    lw, fw = fold(_last_word(prev_text)), fold(_first_word(b.pieces[0].text))
    pair = ctx.bigrams.get((lw, fw), 0)
    bonus = W["collocation_same"] if pair >= 3 and pair >= 0.5 * ctx.lefts.get(lw, 0) else 0.0
    return bonus + _join_base(prev_text, b)


def _join_base(prev_text: str, b: Chunk) -> float:
    pe = _end(prev_text)
    parens = prev_text.count("(") - prev_text.count(")")
    lower = b.feats["lower"] and not b.feats["bullet"]
    if _dangling(prev_text, parens):
        return W["join_dangling"]
    if not pe:
        return W["join_lower"] if lower else W["join_open"]
    if pe == "." and lower:
        return W["join_closed_lower"]
    if pe in (";", ",") and b.feats["bullet"]:
        return 1.0
    return -0.3


def make_chunks(part: list[Piece], part_no: int, ctx: FlowContext, soft: bool = False) -> list[Chunk]:
    chunks: list[Chunk] = []
    for p in part:
        if chunks and not p.split:
            prev = chunks[-1]
            parens = prev.text.count("(") - prev.text.count(")")
            if _dash_continuation(prev.text, prev.pieces[-1], p):
                last = prev.pieces[-1]
                prev.pieces[-1] = Piece(last.no, f"{last.text} {p.text.strip()}", last.line)
                prev.text = prev.text + " " + p.text
                continue
            if _strong_cont(prev.pieces[-1], p, ctx, parens, soft):
                prev.pieces.append(p)
                prev.text = prev.text + " " + p.text
                continue
        chunks.append(Chunk([p], part_no, p.text))
    for i, ch in enumerate(chunks):
        _features(ch, ctx)
        # an unbulleted chunk continuing an unfinished bulleted one belongs to its list item
        if i and not ch.feats["bullet"] and not _end(chunks[i - 1].text):
            ch.feats["style"] = chunks[i - 1].feats["style"]
    return chunks


def _decode(
    chunks: list[Chunk],
    roles: list[str | None],
    ctx: FlowContext,
    *,
    first_part: bool,
    split_row: bool,
    prev_texts: list[str | None],
) -> tuple[list[int], float]:
    """Best monotone column index for each chunk, and its score."""
    n, m = len(chunks), len(roles)
    if n == 0:
        return [], 0.0
    empty = [EMPTY_PENALTY.get(r or "", 0.0) if first_part else 0.0 for r in roles]
    # prefix sums of empty penalties for skipped columns
    pre = [0.0]
    for e in empty:
        pre.append(pre[-1] + e)

    def skip(a: int, b: int) -> float:  # columns a..b-1 skipped
        return pre[b] - pre[a] if b > a else 0.0

    em = [[_emission(ch, r) for r in roles] for ch in chunks]
    if not first_part:  # text continuing a cell cut mid-phrase says little about that cell
        for c, t in enumerate(prev_texts):
            if t and _dangling(t, t.count("(") - t.count(")")):
                for i in range(n):
                    if not chunks[i].feats["bullet"]:
                        em[i][c] *= W["continued_emission"]
    for i in range(1, n if not split_row else 1):
        prev = chunks[i - 1]
        if _dangling(
            prev.pieces[-1].text, prev.text.count("(") - prev.text.count(")")
        ) or INCOMPLETE_NAME.match(fold(strip_bullet(prev.text)).strip(" .;,:")):
            em[i] = [e * W["continued_emission"] for e in em[i]]
    score = [[NEG] * m for _ in range(n)]
    back = [[-1] * m for _ in range(n)]
    for c in range(m):
        s = em[0][c] + skip(0, c)
        if not first_part:
            s += _join_score(prev_texts[c], chunks[0], ctx)
        elif c > 0:
            s += NEG / 2  # a row starts with its first column
        score[0][c] = s
    for i in range(1, n):
        same = _same_score(chunks[i - 1], chunks[i], ctx, split_row)
        for c in range(m):
            best, arg = score[i - 1][c] + same, c
            for c0 in range(c):
                v = score[i - 1][c0] + skip(c0 + 1, c)
                if not first_part:
                    v += _join_score(prev_texts[c], chunks[i], ctx)
                if v > best:
                    best, arg = v, c0
            score[i][c] = best + em[i][c]
            back[i][c] = arg
    last = max(range(m), key=lambda c: score[n - 1][c] + skip(c + 1, m))
    total = score[n - 1][last] + skip(last + 1, m)
    path = [last]
    for i in range(n - 1, 0, -1):
        path.append(back[i][path[-1]])
    path.reverse()
    return path, total


def _split_merged(
    part: list[Piece], open_cols: list[int], prev_texts: list[str | None], ctx: FlowContext
) -> list[Piece]:
    """After a page break one text line may hold the ends of two cells side by side
    ("trường và Hỗ trợ đầu tư quan có thẩm"). Split such a line where the document's own word
    pairs say the two halves continue two different unfinished cells."""
    if len(open_cols) < 2:
        return part
    big = ctx.bigrams
    out: list[Piece] = []
    for p in part:
        words = p.text.split()
        best = None
        if 2 <= len(words) <= 12 and not is_bullet(p.text):
            fw = [fold(w).strip(".,;:()") for w in words]
            for a_i, a in enumerate(open_cols):
                for b in open_cols[a_i + 1 :]:
                    la = fold(_last_word(prev_texts[a] or ""))
                    lb = fold(_last_word(prev_texts[b] or ""))
                    for k in range(1, len(words)):
                        if _end(words[k - 1]) and _end(words[k - 1]) != ".":
                            continue
                        own = sum(1 for x, y in zip(fw, fw[1:], strict=False) if (x, y) == (fw[k - 1], fw[k]))
                        glue = big.get((fw[k - 1], fw[k]), 0) - own
                        sa = big.get((la, fw[0]), 0)
                        sb = big.get((lb, fw[k]), 0)
                        if sb < 2 or glue > 0:
                            continue
                        gain = min(sb, 10) + min(sa, 10) + (3 if words[k - 1].endswith(".") else 0)
                        if best is None or gain > best[0]:
                            best = (gain, k)
        if best and best[0] >= 4:
            k = best[1]
            out.append(Piece(p.no, " ".join(words[:k]), p.line, split=True))
            out.append(Piece(p.no, " ".join(words[k:]), None, split=True))
        else:
            out.append(p)
    return out


def _assign(parts: list[list[Line]], roles: list[str | None], ctx: FlowContext, soft: bool):
    cells: list[list[Piece]] = [[] for _ in roles]
    split_row = len(parts) > 1
    total = 0.0
    for k, part in enumerate(parts):
        pieces = [Piece(ln.no, ln.text, ln) for ln in part]
        prev_texts = [" ".join(p.text for p in c) if c else None for c in cells]
        if k > 0:
            open_cols = [c for c, t in enumerate(prev_texts) if t and not _end(t) and roles[c] is not None]
            pieces = _split_merged(pieces, open_cols, prev_texts, ctx)
        chunks = make_chunks(pieces, k, ctx, soft=soft)
        path, sc = _decode(
            chunks, roles, ctx, first_part=(k == 0), split_row=split_row, prev_texts=prev_texts
        )
        total += sc
        for ch, c in zip(chunks, path, strict=True):
            cells[c].extend(ch.pieces)
    for c in cells:
        if c:
            text = " ".join(p.text for p in c)
            if _dangling(c[-1].text, text.count("(") - text.count(")")) or INCOMPLETE_NAME.match(
                fold(strip_bullet(c[-1].text)).strip(" .;,:")
            ):
                total += W["dangling_end"]
    return cells, total


def assign(parts: list[list[Line]], roles: list[str | None], ctx: FlowContext) -> list[list[Piece]]:
    """Pieces of text per column (same order as `roles`) for one row.

    A row split by a page break is read twice: once trusting that an unfinished phrase goes on
    on the next line, once allowing the page break to have cut it (the cell goes on after the
    repeated header). The reading that leaves fewer cells unfinished, and scores better, wins."""
    parts = [p for p in parts if p]
    if not parts:
        return [[] for _ in roles]
    strong, s_strong = _assign(parts, roles, ctx, soft=False)
    if len(parts) == 1:
        return strong
    soft, s_soft = _assign(parts, roles, ctx, soft=True)
    return soft if s_soft > s_strong else strong


def reinsert_strays(pieces: list[Piece], bigrams: Counter) -> list[Piece]:
    """Put back words the extraction moved out of their sentence: "Báo cáo" / "thực hiện." /
    "kết" / "quả" -> "Báo cáo kết quả thực hiện." The place is where the document's own word
    pairs fit best; if none fits, the words stay where they are."""
    if len(pieces) < 2:
        return pieces
    out = list(pieces)
    i = 1
    while i < len(out):
        j = i
        while j < len(out) and _LOWER_WORD.fullmatch(out[j].text.strip()) and len(out[j].text) <= 8:
            j += 1
        if j > i and _end(out[i - 1].text) == ".":
            stray = [fold(p.text.strip()) for p in out[i:j]]
            # candidate gaps: inside the text of the item the strays follow
            k0 = i - 1
            while k0 > 0 and not is_bullet(out[k0].text) and not _end(out[k0 - 1].text):
                k0 -= 1
            words: list[tuple[int, int]] = []  # (piece index, word index)
            for pi in range(k0, i):
                for wi in range(len(out[pi].text.split())):
                    words.append((pi, wi))
            best = None
            flat = [fold(out[pi].text.split()[wi]).strip(".,;:()") for pi, wi in words]
            for g in range(1, len(flat)):
                left, right = flat[g - 1], flat[g]
                sc = min(bigrams.get((left, stray[0]), 0), bigrams.get((stray[-1], right), 0))
                if sc > 0 and (best is None or sc > best[0]):
                    best = (sc, g)
            if best:
                pi, wi = words[best[1]]
                ws = out[pi].text.split()
                ins = " ".join(p.text.strip() for p in out[i:j])
                out[pi] = Piece(out[pi].no, " ".join(ws[:wi] + [ins] + ws[wi:]), out[pi].line)
                del out[i:j]
                continue
        i = max(j, i + 1)
    return out


def debug_row(parts: list[list[Line]], roles: list[str | None], ctx: FlowContext) -> None:  # pragma: no cover
    """Print chunks, their emissions and the chosen columns (development aid)."""
    cells_prev: list[str | None] = [None] * len(roles)
    for k, part in enumerate(p for p in parts if p):
        chunks = make_chunks([Piece(ln.no, ln.text, ln) for ln in part], k, ctx)
        path, _ = _decode(
            chunks, roles, ctx, first_part=(k == 0), split_row=len(parts) > 1, prev_texts=cells_prev
        )
        for i, (ch, c) in enumerate(zip(chunks, path, strict=True)):
            same = _same_score(chunks[i - 1], ch, ctx, len(parts) > 1) if i else 0.0
            ems = " ".join(f"{(r or '-')[:4]}={_emission(ch, r):+.1f}" for r in roles)
            print(f"  p{k} same={same:+.1f} -> {roles[c]!s:13} | {ch.text[:60]!r:64} {ems}")
