"""Canonical form of a body name: folded (cchc.core.text.fold), abbreviations expanded, punctuation dropped.

"Sở TT&TT" -> "so thong tin va truyen thong"; "UBND cấp xã" -> "uy ban nhan dan cap xa";
"Ban QLKKT Nghi Sơn và các KCN" -> "ban quan ly khu kinh te nghi son va cac khu cong nghiep".
"""

from __future__ import annotations

import re

from cchc.core.text import fold

# Multi-letter abbreviations written with "&", "-" or "," inside, matched on folded text before punctuation
# is dropped. Order matters: longer forms first. Only texts that may hold one go through them (see
# _MAY_HOLD_PHRASE); compact forms ("TTTT", "LĐTBXH", "vàUBND") are single tokens in ABBREVIATIONS.
_PHRASES: tuple[tuple[str, str], ...] = (
    (r"\b(?:ld|lao dong)\s*-?\s*tb\s*(?:&|va)\s*xh\b", "lao dong thuong binh va xa hoi"),
    (r"\btb\s*(?:&|va)\s*xh\b", "thuong binh va xa hoi"),
    (r"\bnn\s*(?:&|va)\s*ptnt\b", "nong nghiep va phat trien nong thon"),
    (r"\bnn\s*(?:&|va)\s*mt\b", "nong nghiep va moi truong"),
    (r"\btn\s*(?:&|va)\s*mt\b", "tai nguyen va moi truong"),
    (r"\bkh\s*(?:&|va)\s*dt\b", "ke hoach va dau tu"),
    (r"\bkh\s*(?:&|va)\s*cn\b", "khoa hoc va cong nghe"),
    (r"\bgd\s*(?:&|va)\s*dt\b", "giao duc va dao tao"),
    (r"\btt\s*(?:&|va)\s*tt\b", "thong tin va truyen thong"),
    (r"\bvh\s*[,-]?\s*tt\s*(?:&|va|-)\s*dl\b", "van hoa the thao va du lich"),
    (r"\bdt\s*(?:&|va)\s*tg\b", "dan toc va ton giao"),
    (r"\bkt\s*-\s*xh\b", "kinh te xa hoi"),
    (r"\bvan hoa\s*-\s*tt\b", "van hoa thong tin"),
    (r"\bpt\s*(?:-|&|va)\s*th\b", "phat thanh va truyen hinh"),
    (r"\bhdnd\s*-\s*ubnd\b", "hdnd va ubnd"),
)
_PHRASE_RX = re.compile("|".join(f"(?P<p{i}>{p})" for i, (p, _) in enumerate(_PHRASES)))
_MAY_HOLD_PHRASE = re.compile(r"[&-]|\b[a-z]{2} va [a-z]{2}")
_PHRASE_REPL = {f"p{i}": r for i, (_, r) in enumerate(_PHRASES)}

# Single-token abbreviations, applied after punctuation is dropped.
ABBREVIATIONS: dict[str, str] = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "ubmttq": "uy ban mat tran to quoc",
    "mttq": "mat tran to quoc",
    "vp": "van phong",
    "kkt": "khu kinh te",
    "kcn": "khu cong nghiep",
    "bql": "ban quan ly",
    "ql": "quan ly",
    "ptnt": "phat trien nong thon",
    "gtvt": "giao thong van tai",
    "btv": "ban thuong vu",
    "bhxh": "bao hiem xa hoi",
    "kbnn": "kho bac nha nuoc",
    "cntt": "cong nghe thong tin",
    "tw": "trung uong",
    "tp": "thanh pho",
    "tx": "thi xa",
    "vh": "van hoa",
    "xh": "xa hoi",
    "nn": "nong nghiep",
    "mt": "moi truong",
    "tdkt": "thi dua khen thuong",
    "qltt": "quan ly thi truong",
    "dvsncl": "don vi su nghiep cong lap",
    "cchc": "cai cach hanh chinh",
    "tthc": "thu tuc hanh chinh",
    "hcc": "hanh chinh cong",
    "ttpvhcc": "trung tam phuc vu hanh chinh cong",
    "cq": "co quan",
    # compact forms of the "&" abbreviations
    "ldtbxh": "lao dong thuong binh va xa hoi",
    "tbxh": "thuong binh va xa hoi",
    "nnptnt": "nong nghiep va phat trien nong thon",
    "nnmt": "nong nghiep va moi truong",
    "tnmt": "tai nguyen va moi truong",
    "tn": "tai nguyen",
    "khdt": "ke hoach va dau tu",
    "khcn": "khoa hoc va cong nghe",
    "gddt": "giao duc va dao tao",
    "gd": "giao duc",
    "tttt": "thong tin va truyen thong",
    "vhttdl": "van hoa the thao va du lich",
    "ptth": "phat thanh va truyen hinh",
    "bqlkkt": "ban quan ly khu kinh te",
    "qlkkt": "quan ly khu kinh te",
    "vaubnd": "va uy ban nhan dan",
    "vahdnd": "va hoi dong nhan dan",
}

_TAGS = re.compile(r"<[^>]*>")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _phrase(m: re.Match) -> str:
    return " " + _PHRASE_REPL[m.lastgroup] + " "


def canonical_folded(folded: str) -> str:
    """`canonical` of text that is already folded."""
    text = _TAGS.sub(" ", folded) if "<" in folded else folded
    if _MAY_HOLD_PHRASE.search(text):
        text = _PHRASE_RX.sub(_phrase, text)
    tokens = _NON_ALNUM.sub(" ", text).split()
    return " ".join(ABBREVIATIONS.get(t, t) for t in tokens)


def canonical(text: str) -> str:
    """Folded, abbreviation-expanded, punctuation-free form used as index key."""
    return canonical_folded(fold(text))
