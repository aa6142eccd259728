"""Vocabulary the reader recognises, all matched on `fold`ed text (accent-free, lower case).

Everything layout-independent lives here: reform-area names, column header words, the heads of
body names, deliverable nouns and deadline phrases. The parsers combine these signals; they never
look for a particular seed's wording.
"""

from __future__ import annotations

import re

# --- reform areas (DOMAIN.md §2), checked in this order: the more specific names first -----------
AREA_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("direction", re.compile(r"chi dao,? dieu hanh|cong tac chi dao|tuyen truyen")),
    ("digital_government", re.compile(r"chinh quyen (dien tu|so)|chuyen doi so|chinh phu (dien tu|so)")),
    ("procedures", re.compile(r"thu tuc hanh chinh|\btthc\b")),
    ("organization", re.compile(r"to chuc bo may|bo may hanh chinh")),
    ("civil_service", re.compile(r"(che do )?cong vu\b")),
    ("public_finance", re.compile(r"tai chinh cong")),
    ("institutions", re.compile(r"the che")),
]


def find_area(folded: str) -> str | None:
    for key, pat in AREA_PATTERNS:
        if pat.search(folded):
            return key
    return None


# --- column headers ---------------------------------------------------------------------------
# (role, pattern) in priority order; positions of matches in the header text give column order.
HEADER_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("number", re.compile(r"\b(s\s?tt|tt|so thu tu)\b")),
    ("drafting", re.compile(r"(xay dung|soan thao) du thao")),
    ("appraising", re.compile(r"tham dinh")),
    ("monitoring", re.compile(r"theo doi|don doc|giam sat|kiem tra")),
    ("reporting", re.compile(r"tong hop")),
    ("lead", re.compile(r"chu tri")),
    ("coordinating", re.compile(r"phoi\s*hop")),
    ("implementing", re.compile(r"(co quan|don vi|bo phan)( \w+)? thuc hien")),
    ("deadline", re.compile(r"thoi (gian|han)|tien do|moc thoi gian")),
    ("deliverables", re.compile(r"san pham|ket qua")),
    ("content", re.compile(r"noi dung|nhiem vu|ten (nhiem vu|cong viec)|cong viec")),
    ("notes", re.compile(r"ghi chu")),
    ("funding", re.compile(r"kinh phi|nguon von")),
]
HEADER_WORDS = frozenset(
    "tt stt so thu tu noi dung thuc hien san pham ket qua co quan chu tri phoi hop thoi gian hoan "
    "thanh ghi chu nhiem vu cu the don vi kinh phi theo doi kiem tra don doc tien do han bo phan "
    "giam sat tong hop xay dung du thao tham dinh trong tam ten cong viec du kien nguon von moc / &".split()
)

# --- bodies (DOMAIN.md §4) --------------------------------------------------------------------
# A body name starts with one of these heads (after list dashes).
BODY_HEAD = re.compile(
    r"^(cac |nhung )?(so|ubnd|uy ban|hdnd|hoi dong|van phong|ban|phong|trung tam|cong chuc|bo phan|"
    r"co quan|don vi|chi cuc|cuc|vien|thanh tra|cong an|bo chi huy|doan|hoi|dai|bao(?! cao)|kho bac|"
    r"bao hiem|ngan hang|mat tran|ubmttq|tinh uy|huyen uy|dang uy|thuong truc|chu tich|giam doc|"
    r"lanh dao|to chuc(?! thuc hien| trien khai)|truong|benh vien|nganh|dia phuong|cap uy|bo|tong cuc|cang vu|ca nhan|"
    r"doanh nghiep|thu truong|chanh|pho chu tich|bch|btv|ttpvhcc|bql|ban quan ly)\b"
)
# Heads that may start a new body after a comma inside one cell (", Sở Tư pháp, Sở Tài chính");
# "ban", "ngành", "cấp", "thị xã" never do: "các sở, ban, ngành", "UBND cấp huyện, cấp xã".
COMMA_BODY_HEAD = re.compile(
    r"^(cac |nhung )?(so|ubnd|uy ban nhan dan|hdnd|van phong|phong|trung tam|cong chuc|bo phan|"
    r"chi cuc|cuc|vien|thanh tra|cong an|dai|bao(?! cao)|kho bac|bao hiem|ngan hang|mat tran|don vi|"
    r"co quan|ban quan ly|ban thi dua|ban dan toc|ban qlda|ban chi huy|doan|hoi|tinh uy|dang uy)\b"
)
# --- deliverables -----------------------------------------------------------------------------
DELIVERABLE_HEAD = re.compile(
    r"^(cac |nhung )?(bao cao|quyet dinh|ke hoach|de an|van ban|nghi quyet|phuong an|hop dong|"
    r"du thao|chuong trinh|thong bao|tin,? bai|huong dan|he thong|ket qua|quy che|quy dinh|to trinh|"
    r"cong van|bien ban|danh muc|tai lieu|so tay|phan mem|co so du lieu|ho so|bo thu tuc|chi thi|"
    r"ke hoach|san pham|giay|phieu|dan|tap huan|hoi nghi|chuyen muc|video|clip|anh)\b"
)
# --- deadlines (DOMAIN.md §5) ----------------------------------------------------------------
DEADLINE_RE = re.compile(
    r"\b(thang|quy|nam)\s+(\d{1,2}|[ivx]+)\s*/\s*\d{4}|\b(quy|thang)\s+([ivx]+|\d{1,2})\b|"
    r"\b\d{1,2}/\d{1,2}(/\d{2,4})?\b|\b\d{1,2}/\d{4}\b|\b[ivx]+/\s?\d{4}\b|\bnam \d{4}\b|"
    r"thuong xuyen|dinh ky|hang (nam|quy|thang)|hang (nam|quy|thang)|trong nam|truoc ngay|truoc \d|"
    r"cham nhat|khi co|sau khi|ngay sau|theo huong dan|theo ke hoach|theo quy dinh|dot xuat|"
    r"^(quy|thang|nam|trong|truoc|tu|den)\b|6 thang|9 thang|ca nam"
)
STRONG_DEADLINE_RE = re.compile(
    r"\b(thang|quy)\s+(\d{1,2}|[ivx]+)\s*/\s*\d{4}|\b\d{1,2}/\d{1,2}/\d{4}\b|\b[ivx]+/\s?\d{4}\b|"
    r"^-?\s*(thuong xuyen|dinh ky|hang nam|hang quy|trong nam|truoc ngay|truoc \d|cham nhat|"
    r"khi co|sau khi|ngay sau|nam \d{4}|quy [ivx]+|thang \d)|"
    r":\s*(thuong xuyen|dinh ky|hang (nam|quy|thang)|trong nam|truoc|cham nhat|quy [ivx]|thang \d|nam \d|"
    r"theo (ke hoach|huong dan|quy dinh)|ngay sau|sau khi|khi co)"
)

# Words a text line cannot end on when its sentence goes on: the next line continues the cell.
DANGLING_WORDS = frozenset(
    "cua va cac co cho voi theo ve tai tren tu den duoc de trong thuoc bang la nhung mot so ngay "
    "trinh hoac nhu do vao tung moi giua khi neu thi ma sau truoc nham gom bao dam dam bao nhat".split()
)
# A body name cut after its head noun ("Văn phòng" / "HĐND và UBND xã"): the name goes on.
INCOMPLETE_NAME = re.compile(
    r"^(cac )?(van phong|trung tam|so|ban|phong|uy ban|cong chuc|bo phan|chi cuc|co quan|"
    r"ban quan ly|ban chi dao|hoi dong|dai|cuc|vien)$"
)
# Capitalised words that only start a name ("… trình Ban" + "Thường vụ Tỉnh ủy").
DANGLING_NAME_WORDS = frozenset("ban so van phong trung khu chi cuc bo hoi uy btv".split())

# Role labels inside a body cell: "- Cơ quan phối hợp: …". The first role word in the label wins.
ROLE_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("lead", re.compile(r"chu tri")),
    ("coordinating", re.compile(r"phoi hop")),
    ("drafting", re.compile(r"du thao|soan thao")),
    ("appraising", re.compile(r"tham dinh")),
    ("implementing", re.compile(r"thuc hien|trien khai")),
    ("monitoring", re.compile(r"huong dan|theo doi|don doc|kiem tra|giam sat")),
    ("reporting", re.compile(r"tong hop|bao cao")),
]
# A role label: "Cơ quan …:" / "Xây dựng dự thảo văn bản pháp luật:" / "Thẩm định văn bản:".
ROLE_LABEL_RE = re.compile(
    r"^(co quan|don vi|bo phan|cq)\b[^:]{0,60}?:|^(xay dung du thao|tham dinh|theo doi|tong hop)[^:]{0,40}:"
)
# The same without a colon, only with an explicit role word ("Cơ quan phối hợp các sở, …").
ROLE_LABEL_NOCOLON_RE = re.compile(
    r"^(co quan|don vi) (chu tri|phoi hop|thuc hien|tong hop|tham dinh|xay dung du thao)\b"
)

ROMAN = re.compile(r"^(i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)$")
