"""References to Vietnamese official documents, as people write them in reports and evidence lists.

    Quyết định số 1810/QĐ-UBND ngày 06/5/2024
    QĐ 1810 /QĐ-UBND ngày 06 tháng 5 năm 2024 của UBND tỉnh
    Thông tư 01/2023/TT-BNV                      (legal documents carry the year inside the number)
    Công văn số 7599/UBND-THKH 30/5/2024         (date written without "ngày")
    Quyết định số      /QĐ-UBND ngày      /12/2021   (a draft: number and day left blank)

A reference is "<kind> [số] <number>/[<year>/]<symbol> [ngày <date>] [của <issuer>]", or for Party
documents "<kind> số <number>-<type>/<body>" ("Nghị quyết số 57-NQ/TW"); any part may be missing.
Matching runs on a folded copy of the cleaned text that keeps its length (one folded character per
character), so every match maps back to the text as written.

When the kind is not written it is inferred from the symbol's first segment ("QĐ" -> "Quyết định");
a symbol that starts with the issuing body instead ("UBND-KSTTHC", "BNV-CCHC") is the form of an official
letter (Nghị định 30/2020/NĐ-CP, Phụ lục I), so its kind is "Công văn".

Pure Python: no Django import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from cchc.core.text import clean, fold

__all__ = ["DocumentRef", "KINDS", "find_document_refs", "format_date", "parse_document_ref"]

# canonical kind, its folded full spellings, its symbol prefixes (upper-cased, ASCII variants included)
_KIND_TABLE: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Quyết định", ("quyet dinh",), ("QĐ", "QD")),
    ("Kế hoạch", ("ke hoach",), ("KH",)),
    ("Báo cáo", ("bao cao",), ("BC",)),
    ("Công văn", ("cong van",), ("CV",)),
    ("Tờ trình", ("to trinh",), ("TTR",)),
    ("Thông báo", ("thong bao",), ("TB",)),
    ("Chỉ thị", ("chi thi",), ("CT",)),
    ("Nghị quyết", ("nghi quyet",), ("NQ",)),
    ("Hướng dẫn", ("huong dan",), ("HD",)),
    ("Thông tư liên tịch", ("thong tu lien tich",), ("TTLT",)),
    ("Thông tư", ("thong tu",), ("TT",)),
    ("Nghị định", ("nghi dinh",), ("NĐ", "ND")),
    ("Luật", ("luat",), ()),
    ("Pháp lệnh", ("phap lenh",), ()),
    ("Công điện", ("cong dien",), ("CĐ", "CD")),
    ("Chương trình", ("chuong trinh",), ("CTR",)),
    ("Phương án", ("phuong an",), ("PA",)),
    ("Đề án", ("de an",), ("ĐA", "DA")),
    ("Quy chế", ("quy che",), ("QC",)),
    ("Quy định", ("quy dinh",), ("QYĐ", "QYD")),
    ("Kết luận", ("ket luan",), ("KL",)),
    ("Biên bản", ("bien ban",), ("BB",)),
    ("Giấy mời", ("giay moi",), ("GM",)),
    ("Văn bản", ("van ban",), ()),
)

KINDS: tuple[str, ...] = tuple(kind for kind, _, _ in _KIND_TABLE)
_KIND_BY_WORD = {word: kind for kind, words, _ in _KIND_TABLE for word in words}
_KIND_BY_PREFIX = {prefix: kind for kind, _, prefixes in _KIND_TABLE for prefix in prefixes}

# How a symbol segment is spelled, keyed by its upper-case form. The ASCII aliases (QD, ND …) apply to
# the first segment only, where the document type lives; elsewhere only the letter case is fixed.
_SEGMENT_CASE = {
    s.upper(): s
    for s in (
        "QĐ KH BC TTr TB CT NQ HD TTLT TT NĐ CĐ CTr PA ĐA QC QyĐ KL BB GM UBND HĐND TTg CP BNV SNV VPCP QH"
    ).split()
}
_FIRST_SEGMENT_ALIAS = {"QD": "QĐ", "ND": "NĐ", "CD": "CĐ", "DA": "ĐA", "QYD": "QYĐ"}
_ISSUER_SEGMENT_ALIAS = {"HDND": "HĐND"}
_PREFIXES_LONGEST_FIRST = sorted(_KIND_BY_PREFIX, key=len, reverse=True)
_JOINED_ISSUERS = {"UBND", "HĐND", "HDND", "CP", "TTG", "BNV", "SNV"}

_BLANK_NUMBER = "..."

# ---------------------------------------------------------------------------------------------------------
# Patterns, all applied to the folded text (lower-case, no accents, "đ" -> "d", same length as the text)

_WORDS = sorted(_KIND_BY_WORD, key=len, reverse=True)
_ABBREVIATIONS = sorted({fold(p) for p in _KIND_BY_PREFIX}, key=len, reverse=True)
_KIND_ALT = "|".join(re.escape(w).replace(r"\ ", " ") for w in _WORDS + _ABBREVIATIONS)

_REF = re.compile(
    r"(?<![a-z0-9])"
    rf"(?:(?P<kind>{_KIND_ALT})(?![a-z0-9])\s*)?"
    r"(?:(?P<so>so)(?![a-z])\s*:?\s*)?"
    r"(?P<number>(?:(?<=so)|(?<![a-z0-9/]))[0-9]{1,6}[a-z]?(?![a-z0-9]))?"
    r"(?:\s*/\s*(?:(?P<year>(?:19|20)[0-9]{2})\s*/\s*)?"
    r"(?P<symbol>[a-z][a-z0-9]*(?:- ?[a-z0-9]+)*)(?![a-z0-9])"
    # Party documents: "57-NQ/TW", "06- NQ/TU", "2391-QĐ/BTCTW"
    r"|\s*-\s*(?P<party>[a-z]{1,5}/[a-z][a-z0-9]*(?:-[a-z0-9]+)*)(?![a-z0-9]))?"
)
_KIND_AT = re.compile(rf"(?P<kind>{_KIND_ALT})(?![a-z0-9])")

_LONG_DATE = r"(?P<ld>[0-9]{1,2})?\s*thang\s*(?P<lm>[0-9]{1,2})?(?:\s*nam\s*(?P<ly>[0-9]{4})?)?(?![0-9])"
_SHORT_DATE = r"(?P<sd>[0-9]{1,2})?\s*[/.-]\s*(?P<sm>[0-9]{1,2})?\s*[/.-]\s*(?P<sy>[0-9]{4})(?![0-9])"
# "ngày …" after a reference: long or short form, day and month may be left blank in drafts
_DATE_AFTER = re.compile(rf"\s*,?\s*ngay(?![a-z])\s*:?\s*(?:{_LONG_DATE}|{_SHORT_DATE})")
# a full short date right after the symbol, "ngày" forgotten: "7599/UBND-THKH 30/5/2024"
_BARE_DATE = re.compile(r"\s+(?P<sd>[0-9]{1,2})\s*/\s*(?P<sm>[0-9]{1,2})\s*/\s*(?P<sy>[0-9]{4})(?![0-9])")
_ANY_DATE = re.compile(
    rf"(?<![a-z0-9])ngay(?![a-z])\s*:?\s*(?:{_LONG_DATE}|{_SHORT_DATE})"
    r"|(?<![0-9/])(?P<bd>[0-9]{1,2})/(?P<bm>[0-9]{1,2})/(?P<by>[0-9]{4})(?![0-9/])"
)
_OF = re.compile(r"\s*,?\s*cua\s+")
_OF_ANYWHERE = re.compile(r"(?<![a-z0-9])cua\s+")
_WORD = re.compile(r"[^\s,;:.()\[\]{}…\"“”'‘’?!<>|*]+")

# Lower-case words that end an issuer's name ("… của Chính phủ ban hành …", "… của Bộ Nội vụ về …").
# Compared with accents: "về" ends a name, "vệ" ("Bảo vệ thực vật") does not.
_ISSUER_STOPS: dict[str, list[list[str]]] = {}  # first word -> the stop phrases it begins
for _phrase in (
    "về; ban hành; quy định; phê duyệt; hướng dẫn; cho; trong; theo; với; thực hiện; triển khai; "
    "tiếp tục; nhằm; ngày; năm; về việc; trên; được; là; các; này; sửa đổi; bổ sung; chỉ đạo; "
    "giao nhiệm; giao cho; yêu cầu; gửi; kèm theo; đối với; một; để; đã; đang; sẽ; tại; từ; làm; "
    "và các; hoặc; như; kỳ"
).split("; "):
    _ISSUER_STOPS.setdefault(_phrase.split()[0], []).append(_phrase.split())
del _phrase
_CONNECTORS = {"và", "-", "&"}
_MAX_ISSUER_WORDS = 12


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if ch.isspace():
        return " "
    folded = fold(ch)
    return folded if len(folded) == 1 else "\x00"


def _folded(text: str) -> str:
    """`fold` applied character by character: same length as `text`, so spans carry over."""
    return "".join(map(_fold_char, text))


def format_date(day: date) -> str:
    """Date as official documents write it: day and months 1-2 zero-padded ("06/5/2024", "19/01/2024")."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


@dataclass(frozen=True)
class DocumentRef:
    """One reference to an official document; unknown parts are None.

    `number` is kept as written ("01", "12a"); `year` is the year written inside the number of legal
    documents ("01/2023/TT-BNV" -> number "01", year 2023, symbol "TT-BNV"); `symbol` is normalised in
    letter case ("qd-ubnd" -> "QĐ-UBND", "ND-CP" -> "NĐ-CP").
    """

    text: str
    kind: str | None = None
    number: str | None = None
    symbol: str | None = None
    issued_on: date | None = None
    issuer: str | None = None
    year: int | None = None

    @property
    def code(self) -> str | None:
        """Number and symbol as one code: "1810/QĐ-UBND", "01/2023/TT-BNV", "57-NQ/TW", ".../QĐ-UBND"."""
        if not self.symbol:
            return self.number
        if "/" in self.symbol:  # Party document: "57-NQ/TW"
            return f"{self.number or _BLANK_NUMBER}-{self.symbol}"
        parts = [self.number or _BLANK_NUMBER]
        if self.year:
            parts.append(str(self.year))
        parts.append(self.symbol)
        return "/".join(parts)

    def display(self) -> str:
        """Normalised form: "Quyết định số 1810/QĐ-UBND ngày 06/5/2024 của UBND tỉnh"."""
        code = self.code
        if not (self.kind or code or self.issued_on or self.issuer):
            return self.text
        words = []
        if code:
            words += [self.kind or "Văn bản", "số", code]
        elif self.kind:
            words.append(self.kind)
        if self.issued_on:
            words += ["ngày", format_date(self.issued_on)]
        if self.issuer:
            words += ["của", self.issuer]
        return " ".join(words)


# ---------------------------------------------------------------------------------------------------------


def _normal_segment(segment: str, first: bool) -> str:
    upper = segment.upper()
    upper = (_FIRST_SEGMENT_ALIAS if first else _ISSUER_SEGMENT_ALIAS).get(upper, upper)
    if upper in _SEGMENT_CASE:
        return _SEGMENT_CASE[upper]
    if first:
        # a forgotten hyphen: "QĐUBND" -> "QĐ-UBND", "NQHĐND" -> "NQ-HĐND"
        for prefix in _PREFIXES_LONGEST_FIRST:
            rest = upper[len(prefix) :]
            if upper.startswith(prefix) and rest in _JOINED_ISSUERS:
                return f"{_normal_segment(prefix, True)}-{_SEGMENT_CASE.get(rest, rest)}"
    if any(ch.isupper() for ch in segment):
        return segment  # an unknown code, kept as written
    return upper  # typed in lower case


def _normal_symbol(symbol: str) -> str:
    """Letter case and known spellings fixed: "qd- ubnd" -> "QĐ-UBND", "ND-CP" -> "NĐ-CP"."""
    tokens = re.split(r"([-/])", symbol.replace(" ", ""))
    return "".join(
        token if token in "-/" else _normal_segment(token, i == 0) for i, token in enumerate(tokens)
    )


def _kind_from_symbol(symbol: str | None) -> str | None:
    if not symbol:
        return None
    first = re.split(r"[-/]", symbol)[0].upper()
    if first in _KIND_BY_PREFIX:
        return _KIND_BY_PREFIX[first]
    if "-" in symbol and "/" not in symbol:
        return "Công văn"  # "UBND-KSTTHC": agency-unit is the symbol of an official letter
    return None


def _written_kind(original: str, folded: str) -> str | None:
    """The kind a matched kind word stands for, or None when it is not really one."""
    if folded in _KIND_BY_WORD:
        return _KIND_BY_WORD[folded]
    # an abbreviation ("QĐ 1810/…"): must be written like one, "QĐ"/"TTr", not prose ("Đa", "tt")
    if not original[:1].isupper() or (len(original) > 1 and original[1:].islower()):
        return None
    return _KIND_BY_PREFIX.get(original.upper())


def _make_date(day: str | None, month: str | None, year: str | None) -> date | None:
    if not (day and month and year):
        return None
    y = int(year)
    if not 1900 <= y <= 2199:
        return None
    try:
        return date(y, int(month), int(day))
    except ValueError:
        return None


def _date_of(m: re.Match[str]) -> date | None:
    groups = m.groupdict()
    for d, mo, y in (("ld", "lm", "ly"), ("sd", "sm", "sy"), ("bd", "bm", "by")):
        if groups.get(y) is not None or groups.get(mo) is not None or groups.get(d) is not None:
            return _make_date(groups.get(d), groups.get(mo), groups.get(y))
    return None


def _starts_with_words(text: str, pos: int, words: list[str]) -> bool:
    tokens = text[pos : pos + 120].split(" ", len(words))  # a window: stop phrases are short
    if len(tokens) < len(words):
        return False
    for token, word in zip(tokens, words, strict=False):
        m = _WORD.match(token)
        if m is None or m.group(0).lower() != word:
            return False
    return True


def _reference_starts(text: str, folded: str, pos: int) -> bool:
    m = _REF.match(folded, pos)
    if not (m and m.group("kind") and (m.group("number") or m.group("symbol"))):
        return False
    return _written_kind(text[pos : m.end("kind")], m.group("kind")) is not None


def _issuer_at(text: str, folded: str, pos: int) -> tuple[str | None, int]:
    """An issuer's name starting at `pos` ("UBND tỉnh", "Sở Nội vụ"), and where it ends."""
    words: list[tuple[int, int]] = []
    i = pos
    while len(words) < _MAX_ISSUER_WORDS:
        m = _WORD.match(text, i)
        if m is None:
            break
        word = m.group(0)
        if not words:
            if not word[:1].isupper():
                return None, pos
        else:
            if any(ch.isdigit() for ch in word):
                break
            if word[:1].isupper() and _reference_starts(text, folded, i):
                break  # "… của UBND tỉnh Quyết định số 12/QĐ-UBND": the next reference begins
            stops = _ISSUER_STOPS.get(word.lower(), ()) if word[:1].islower() else ()
            if any(_starts_with_words(text, i, stop) for stop in stops):
                break
            if words and text[words[-1][0] : words[-1][1]].lower() in _CONNECTORS and not word[:1].isupper():
                break  # "Bộ Chính trị và kế hoạch …": "và" joins names only ("Sở Kế hoạch và Đầu tư")
        words.append((m.start(), m.end()))
        if m.end() < len(text) and text[m.end()] == " ":
            i = m.end() + 1
        else:
            break
    # never end on a connector
    while words and text[words[-1][0] : words[-1][1]].lower() in _CONNECTORS:
        words.pop()
    if not words:
        return None, pos
    end = words[-1][1]
    return text[pos:end], end


def _span_end(text: str, start: int, kept: str) -> int:
    """End of the shortest span from `start` that holds `kept` once spaces are ignored."""
    want = kept.replace(" ", "")
    got = 0
    i = start
    while got < len(want) and i < len(text):
        if text[i] != " ":
            got += 1
        i += 1
    return i


def _scan(text: str, folded: str, *, strict: bool) -> list[DocumentRef]:
    refs = []
    for m in _REF.finditer(folded):
        number = m.group("number")
        group = "symbol" if m.group("symbol") else "party" if m.group("party") else None
        symbol_start, end = (m.start(group), m.end(group)) if group else (None, m.end())
        written_symbol = text[symbol_start:end] if group else None
        if written_symbol and "- " in written_symbol:
            # "QĐ- UBND" cut by a line break; "KH- ngày" is a symbol that stops at the hyphen
            kept = written_symbol.split("- ")[0]
            for part in written_symbol.split("- ")[1:]:
                if not part[:1].isupper():
                    break
                kept += "-" + part
            written_symbol = kept
            end = _span_end(text, symbol_start, kept)
        symbol = written_symbol
        if not (number or symbol):
            continue
        kind = None
        if m.group("kind"):
            kind = _written_kind(text[m.start("kind") : m.end("kind")], m.group("kind"))
        if symbol is None and not (kind or m.group("so")):
            continue  # a lone number
        if strict:
            if symbol is None:
                # "Kế hoạch số 12" with no symbol: only with a written kind word and "số"
                if not (kind and m.group("so") and m.group("kind") in _KIND_BY_WORD):
                    continue
            elif not (kind or m.group("so")):
                # bare "2725/QĐ-UBND": the symbol must look like one
                if not ("-" in symbol or "/" in symbol) or not symbol[:1].isupper():
                    continue
        if m.group("kind") and kind is None:
            start = m.start("so") if m.group("so") else m.start("number") if number else symbol_start
        else:
            start = m.start()
        issued_on = None
        dm = _DATE_AFTER.match(folded, end) or (_BARE_DATE.match(folded, end) if symbol else None)
        if dm:
            issued_on = _date_of(dm)
            end = dm.end()
        issuer = None
        of = _OF.match(folded, end)
        if of:
            issuer, issuer_end = _issuer_at(text, folded, of.end())
            if issuer:
                end = issuer_end
        if strict and symbol is None and not (dm or issuer):
            continue  # "Nghị quyết số 1 Quyết định …": a footnote mark, not a reference
        norm_symbol = _normal_symbol(symbol) if symbol else None
        refs.append(
            DocumentRef(
                text=text[start:end].strip(),
                kind=kind or _kind_from_symbol(norm_symbol),
                number=text[m.start("number") : m.end("number")] if number else None,
                symbol=norm_symbol,
                issued_on=issued_on,
                issuer=issuer,
                year=int(m.group("year")) if m.group("year") else None,
            )
        )
    return refs


def _as_text(text: object) -> str:
    return "" if text is None else text if isinstance(text, str) else str(text)


def find_document_refs(text: str) -> list[DocumentRef]:
    """Every reference inside a paragraph, in order; each `text` is its own span, cleaned.

    A reference needs a number and a symbol ("1810/QĐ-UBND", also "số /QĐ-UBND" in a draft), or a
    kind word with "số", a number and a date or issuer ("Kế hoạch số 12 ngày 3/3/2024"). A bare
    "number/symbol" without kind or "số" counts only when the symbol looks like one ("2725/QĐ-UBND":
    upper-case, with a hyphen).
    """
    try:
        cleaned = clean(_as_text(text))
        return _scan(cleaned, _folded(cleaned), strict=True)
    except Exception:  # pragma: no cover - parsing must never break a report
        return []


def parse_document_ref(text: str) -> DocumentRef:
    """Parse one reference as written; never raises, unknown parts are None.

    The first reference in the text gives the parts; without any number or symbol, the text still
    yields what it has: a kind word at its start, a date ("ngày 06 tháng 5 năm 2024"), "của <issuer>".
    """
    try:
        cleaned = clean(_as_text(text))
        folded = _folded(cleaned)
        refs = _scan(cleaned, folded, strict=False)
        if refs:
            ref = refs[0]
            return DocumentRef(cleaned, ref.kind, ref.number, ref.symbol, ref.issued_on, ref.issuer, ref.year)
        return _parse_loose(cleaned, folded)
    except Exception:  # pragma: no cover - parsing must never break a report
        return DocumentRef(text=clean(_as_text(text)))


def _parse_loose(text: str, folded: str) -> DocumentRef:
    kind = None
    km = _KIND_AT.match(folded)
    if km:
        kind = _written_kind(text[: km.end()], km.group(0))
    issued_on = None
    dm = _ANY_DATE.search(folded)
    if dm:
        issued_on = _date_of(dm)
    issuer = None
    for tries, of in enumerate(_OF_ANYWHERE.finditer(folded)):
        issuer, _ = _issuer_at(text, folded, of.end())
        if issuer or tries >= 20:
            break
    return DocumentRef(text=text, kind=kind, issued_on=issued_on, issuer=issuer)
