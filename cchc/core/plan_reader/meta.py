"""Plan metadata (issuer, number, date, year, title, parent plan) and numeric targets."""

from __future__ import annotations

import re

from cchc.core.text import clean

from .lines import Line, fold

_LEVELS = r"(tỉnh|huyện|xã|phường|thị xã|thành phố|thị trấn|quận)"
_NAME = r"((?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ][\wÀ-ỹđĐ]*)(?:\s+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ][\wÀ-ỹđĐ]*){0,3})"
_ISSUER_MIXED = re.compile(r"(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s+" + _LEVELS + r"\s+" + _NAME)
_LEVEL_WORDS = {
    "tinh": "tỉnh",
    "huyen": "huyện",
    "xa": "xã",
    "phuong": "phường",
    "thi xa": "thị xã",
    "thanh pho": "thành phố",
    "thi tran": "thị trấn",
    "quan": "quận",
}


# Place names keep their capitals when an upper-case title is lowered: "TRÊN ĐỊA BÀN XÃ KIÊN THỌ
# NĂM 2026" -> "trên địa bàn xã Kiên Thọ năm 2026".
_PLACE = re.compile(
    r"\b(tỉnh|thành phố|huyện|thị xã|thị trấn|quận|xã|phường|đặc khu)\s+(.+?)(?=\s+(?:năm|giai đoạn|và|trên)\b|[,;.]|$)"
)


def _sentence_case(text: str) -> str:
    lowered = text.lower()
    lowered = _PLACE.sub(lambda m: f"{m.group(1)} {_titlecase(m.group(2))}", lowered)
    return lowered[:1].upper() + lowered[1:]


def _titlecase(words: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in words.split())


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _issuer(head: list[Line], joined: str) -> str | None:
    cut = r"\t|CỘNG HÒA|CỘNG HOÀ|Số\s*:|Độc lập"
    for i, ln in enumerate(head[:40]):
        if not (ln.fold.startswith("uy ban nhan dan") or ln.fold.startswith("ubnd")) or not _is_upper(
            ln.text[:15]
        ):
            continue
        rest = re.split(cut, re.sub(r"^(ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND)\s*", "", ln.raw.strip()))[
            0
        ].strip()
        if not rest and i + 1 < len(head):
            rest = re.split(cut, head[i + 1].raw.strip())[0].strip()
        rf = fold(rest)
        for key in sorted(_LEVEL_WORDS, key=len, reverse=True):
            if rf.startswith(key + " "):
                name = []
                for w in rest.split()[len(key.split()) :]:
                    if not w.isupper():
                        break
                    name.append(w)
                if name:
                    return f"Ủy ban nhân dân {_LEVEL_WORDS[key]} {_titlecase(' '.join(name))}"
    m = re.search(
        r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+" + _LEVELS + r"\s+" + _NAME + r"\s+ban hành", joined
    )
    if m:
        return f"Ủy ban nhân dân {m.group(1)} {m.group(2)}"
    m = re.search(r"ỦY BAN NHÂN DÂN\s+(TỈNH|HUYỆN|XÃ|PHƯỜNG|THỊ XÃ|THÀNH PHỐ)\s+(\S+(?:\s+\S+){0,3})", joined)
    if m:
        name = []
        for w in m.group(2).split():
            if not w.isupper():
                break
            name.append(w)
        if name:
            return f"Ủy ban nhân dân {m.group(1).lower()} {_titlecase(' '.join(name))}"
    m = _ISSUER_MIXED.search(joined)
    if m:
        return f"Ủy ban nhân dân {m.group(1)} {m.group(2)}"
    return None


def _date(d: str, mth: str, y: str) -> str | None:
    try:
        dd, mm, yy = int(d), int(mth), int(y)
    except ValueError:
        return None
    if 1 <= dd <= 31 and 1 <= mm <= 12 and 1900 < yy < 2200:
        return f"{yy:04d}-{mm:02d}-{dd:02d}"
    return None


def read_metadata(lines: list[Line], table_start: int) -> dict:
    """Metadata from the text before the task tables (and its first lines)."""
    head = [ln for ln in lines if ln.no < table_start] or lines[:80]
    joined = " ".join(ln.text for ln in head[:120])
    meta: dict = {
        "issuer": _issuer(head, joined),
        "number": None,
        "issued_on": None,
        "year": None,
        "title": None,
        "parent_reference": None,
    }
    # number: "Số: 5476 /QĐ-UBND" at the top, else "kèm theo Quyết định số 5476/QĐ-UBND"
    for ln in head[:40]:
        m = re.search(r"(?:^|\s)Số\s*:?\s*(\d+)\s*/\s*([A-ZĐ][\wĐ&\-]*)", ln.text)
        if m:
            meta["number"] = f"{m.group(1)}/{m.group(2)}"
            break
    if meta["number"] is None:
        m = re.search(r"kèm theo (?:Quyết định|Kế hoạch) số\s*(\d+)\s*/\s*([A-ZĐ][\wĐ&\-]*)", joined)
        if m:
            meta["number"] = f"{m.group(1)}/{m.group(2)}"
    # date: "…, ngày 24 tháng 12 năm 2020" at the top, else the "kèm theo … ngày 24/12/2020"
    for ln in head[:15]:
        m = re.search(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", ln.text)
        if m:
            meta["issued_on"] = _date(*m.groups())
            break
    if meta["issued_on"] is None:
        m = re.search(r"kèm theo [^()]{0,60}?ngày\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", joined)
        if m:
            meta["issued_on"] = _date(*m.groups())
    # title: the upper-case "KẾ HOẠCH …" line(s), else "ban hành Kế hoạch … năm YYYY"
    for i, ln in enumerate(head):
        if ln.fold.startswith("ke hoach") and _is_upper(ln.text):
            parts = [ln.text]
            for nxt in head[i + 1 : i + 3]:
                if _is_upper(nxt.text) and not re.match(r"^[IVX]+\.", nxt.text) and len(nxt.text) < 90:
                    parts.append(nxt.text)
                else:
                    break
            nxt = head[i + 1].text if i + 1 < len(head) else ""
            if ln.fold.strip() == "ke hoach" and len(parts) == 1 and re.search(r"\bnăm \d{4}\b", nxt) \
                    and not re.match(r"^([IVX]+|\d+)\.", nxt) and len(nxt) < 200:
                parts.append(nxt)  # "KẾ HOẠCH" over its subject in sentence case, as Decree 30/2020 lays it out
            meta["title"] = _sentence_case(clean(" ".join(parts)))
            break
    if meta["title"] is None:
        m = re.search(r"ban hành (Kế hoạch [^,;.()]{5,150}?năm \d{4})", joined)
        if m:
            meta["title"] = clean(m.group(1))
    if meta["title"]:
        m = re.search(r"năm (\d{4})", meta["title"])
        if m:
            meta["year"] = int(m.group(1))
    m = re.search(
        r"(?:Thực hiện|Căn cứ)\s+((?:Kế hoạch|Quyết định|Chương trình|Chỉ thị)\s+số\s+\d+[^;]*?)(?:;|\.\s|$)",
        joined,
    )
    if m:
        meta["parent_reference"] = clean(m.group(1)).rstrip(" ,.")
    return meta


# ---------------------------------------------------------------------------------- targets

_TARGET_AREAS = [
    ("procedures", r"thu tuc hanh chinh|tthc|hai long|thanh toan|dich vu cong|ho so giai quyet"),
    ("civil_service", r"can bo, cong chuc|vien chuc|ngach cong chuc|cong chuc"),
    ("public_finance", r"tu chu|tai chinh cong|ngan sach"),
    (
        "digital_government",
        r"co so du lieu|moi truong mang|he thong thong tin|du lieu|chuyen doi so|dien tu|truc tuyen",
    ),
    ("organization", r"to chuc bo may|co cau to chuc"),
    ("institutions", r"the che|van ban quy pham"),
    ("direction", r"chi so cai cach|tuyen truyen"),
]
_ITEM_START = re.compile(r"^(\d+\.\d+\.?|[a-zđ]\)|[-+•])\s*")
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")
_COUNT = re.compile(r"\b(\d{1,4})\s+(đơn vị|cơ quan|thủ tục|hồ sơ|xã|phường|dịch vụ)\b")


def _target(text: str) -> dict | None:
    text = clean(text).strip(" .;")
    f = fold(text)
    value: float | None = None
    unit = None
    m = _PERCENT.search(text)
    if m:
        value, unit = float(m.group(1).replace(",", ".")), "%"
    else:
        m = _COUNT.search(text)
        if m and re.search(r"tro len|toi thieu|co them|it nhat", f):
            value, unit = float(m.group(1)), m.group(2)
    if value is None:
        return None
    if re.search(r"toi thieu|tro len|it nhat|\btren \d|khong (duoi|it hon)|co them", f):
        op = ">="
    elif re.search(r"toi da|khong qua|\bduoi \d|khong vuot", f):
        op = "<="
    else:
        op = "="
    area = next((k for k, pat in _TARGET_AREAS if re.search(pat, f)), None)
    val: int | float = int(value) if value == int(value) else value
    return {"text": text, "area": area, "op": op, "value": val, "unit": unit}


def read_targets(lines: list[Line], table_start: int) -> list[dict]:
    """Numeric targets of the "mục tiêu, chỉ tiêu" part: one per clause that states a figure."""
    head = [ln for ln in lines if ln.no < table_start]
    start = None
    level = None
    for i, ln in enumerate(head):
        m = re.match(r"^(\d+)\.\s*(mot so )?muc tieu", ln.fold)
        if m and len(ln.text) < 80:
            start, level = i + 1, m.group(1)
            break
    if start is None:
        return []
    items: list[list[str]] = []
    for ln in head[start:]:
        if re.match(r"^(\d+)\.\s+\D", ln.text) and not re.match(r"^\d+\.\d", ln.text):
            if ln.text.split(".")[0] != level:
                break
        if re.match(r"^[IVX]+\.\s", ln.text):
            break
        if _ITEM_START.match(ln.text) or not items:
            items.append([ln.text])
        else:
            items[-1].append(ln.text)
    out: list[dict] = []
    for it in items:
        text = _ITEM_START.sub("", clean(" ".join(it)))
        for clause in re.split(r";\s+|\.\s+(?=[A-ZĐÀ-Ỹ0-9])", text):
            t = _target(clause)
            if t:
                out.append(t)
    return out
