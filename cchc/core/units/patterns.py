"""The vocabulary of the name resolver (`cchc.core.units.resolver`), as patterns over canonical
(folded, abbreviations expanded) forms: the roles a plan labels bodies with, vague and relative
phrases, the internal offices and posts of a commune or district, the words that head a body's name.
"""

from __future__ import annotations

import re

ROLE = (
    r"(?:chu tri|phoi hop|thuc hien|theo doi|kiem tra|giam sat|tong hop|bao cao|tham dinh|huong dan|don doc)"
)
LABEL_RX = re.compile(
    rf"(?:co quan )?(?:(?:{ROLE}|xay dung du thao(?: van ban(?: phap luat)?)?|tham dinh van ban)(?: va)? ?)+"
)
ROLE_ONLY_RX = re.compile(rf"(?:{ROLE} ?)+")
LABEL_PREFIX_RX = re.compile(rf"^co quan (?:{ROLE}|xay dung du thao)(?: (?:va )?{ROLE})* (?=\S)")
HEAD_TITLE_RX = re.compile(
    r"\b(?:giam doc|thu truong|chu tich|pho chu tich|chanh|truong)\s+"
    r"(?=(?:cac|so|ban|uy ban|nganh|co quan|don vi|phong|van phong|trung tam)\b)"
)
LEADING_NUMBER_RX = re.compile(r"^\d+ (?=\S)")
TAG_RX = re.compile(r"<[^>]*>")
NON_WORD_RX = re.compile(r"[\W_]+")
BULLET_RX = re.compile(r"(?:[-+•*]\s*)+(?=\S)")
INLINE_BULLET_RX = re.compile(
    r"(?<=[.;])\s*(?:[-+•*]\s+)+|^\s*(?:[-+•*]\s+)+|\s+-\s+(?=(?:Cơ quan|Xây dựng dự thảo|Thẩm định) )"
)
REPEAT_RX = re.compile(r"\b([a-z0-9]+(?: [a-z0-9]+){1,2}) \1\b")

LIEN_QUAN_RX = re.compile(r"(?:^| )(?:co )?lien quan(?: |$)")
VAGUE_RX = re.compile(
    "|".join(
        (
            r"(?:(?:cac|co quan|don vi|to chuc|ca nhan|phong|ban|nganh|dia phuong|cap|trung tam|bo phan) ?)+",
            r"cac (?:co quan|don vi|to chuc|ca nhan|truong|ban quan ly du an|dia phuong) .*",
            r".* tren dia ban.*",
            r".*thuoc dien.*",
            r".*theo quyet dinh.*",
            r"cac don vi su nghiep .*",
            r"dai truyen thanh .*",
        )
    )
)
CLASS_STARTS = ("cac ", "so ", "co quan ", "uy ban ", "don vi ")
REL_COMMUNE_RX = re.compile(r"uy ban nhan dan (?:xa|phuong|thi tran|dac khu)(?: nay)?")
REL_DISTRICT_RX = re.compile(r"uy ban nhan dan (?:huyen|thi xa|thanh pho)(?: nay)?")
REL_PROVINCE_RX = re.compile(r"uy ban nhan dan tinh(?: nay)?")

# Internal offices and posts of the issuer: (canonical name, regex, issuer kinds where it applies).
OFFICES: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("Công chức Văn phòng - Thống kê", r"(?:cac )?cong chuc van phong(?: thong ke)?", frozenset({"commune"})),
    ("Công chức Tư pháp - Hộ tịch", r"cong chuc tu phap(?: ho tich)?", frozenset({"commune"})),
    (
        "Công chức Tài chính - Kế toán",
        r"cong chuc (?:tai chinh(?: ke toan)?|ke toan)",
        frozenset({"commune"}),
    ),
    ("Công chức Văn hóa - Xã hội", r"cong chuc van hoa(?: xa hoi| thong tin)?", frozenset({"commune"})),
    ("Công chức Địa chính - Xây dựng", r"cong chuc dia chinh(?: [a-z ]+)?", frozenset({"commune"})),
    (
        "Chỉ huy trưởng Quân sự",
        r"(?:cong chuc )?chi huy truong(?: ban chi huy)? quan su(?: xa)?",
        frozenset({"commune"}),
    ),
    (
        "Công chức chuyên môn",
        r"(?:cac )?(?:cong chuc|bo phan) chuyen mon(?: (?:thuoc )?uy ban nhan dan xa)?",
        frozenset({"commune"}),
    ),
    (
        "Bộ phận tiếp nhận và trả kết quả",
        r"bo phan (?:tiep nhan va tra ket qua|mot cua)(?: (?:thuoc )?uy ban nhan dan xa| cap xa)?",
        frozenset({"commune", "district"}),
    ),
    ("Văn phòng UBND", r"van phong uy ban nhan dan(?: xa)?", frozenset({"commune"})),
    (
        "Văn phòng HĐND và UBND",
        r"van phong hoi dong nhan dan(?: va)? uy ban nhan dan(?: xa| phuong| huyen)?",
        frozenset({"commune", "district"}),
    ),
    ("Phòng Văn hóa - Xã hội", r"phong van hoa xa hoi(?: xa| phuong)?", frozenset({"commune"})),
    ("Phòng Kinh tế", r"phong kinh te(?: xa)?", frozenset({"commune"})),
    (
        "Phòng Kinh tế, Hạ tầng và Đô thị",
        r"phong kinh te ha tang(?: va)? do thi(?: xa| phuong)?",
        frozenset({"commune"}),
    ),
    (
        "Trung tâm Phục vụ hành chính công",
        r"trung tam phuc vu hanh chinh cong(?: xa| phuong)?",
        frozenset({"commune"}),
    ),
    (
        "Trung tâm Cung ứng dịch vụ công",
        r"trung tam cung ung dich vu cong(?: xa| phuong)?",
        frozenset({"commune"}),
    ),
)
OFFICE_RX = tuple((name, re.compile(rx), kinds) for name, rx, kinds in OFFICES)
DISTRICT_ROOM_RX = re.compile(r"phong [a-z ]+")

# Words that name a kind of body rather than a particular one (containment needs two others).
GENERIC = frozenset(
    "so ban uy nhan dan cuc chi trung tam van phong xa huyen tinh thi tran thanh pho phuong cong co quan don vi "
    "cac va cap nha nuoc bo phan chuc hoi dong".split()
)
STOP = frozenset({"va", "cac"})
# First words of a body's name; a list item without one is "bare" ("Tài chính" after "các Sở:").
HEADS = (
    "so ",
    "ban ",
    "van phong ",
    "uy ban ",
    "hoi dong ",
    "trung tam ",
    "cuc ",
    "chi cuc ",
    "cong an ",
    "kho bac ",
    "bao hiem ",
    "dai ",
    "bao ",
    "vien ",
    "thanh tra ",
    "cang vu ",
    "cac ",
    "phong ",
    "cong chuc ",
    "bo phan ",
    "co quan ",
    "don vi ",
    "to chuc ",
    "giam doc ",
    "chu tich ",
    "thu truong ",
    "truong ",
    "chi huy ",
    "hoi ",
    "lien doan ",
    "doan ",
    "bo ",
    "toa an ",
    "ngan hang ",
    "buu dien ",
    "tinh uy",
    "huyen uy",
    "dang uy",
    "mat tran ",
    "cong ty ",
    "chi nhanh ",
    "lanh dao ",
)
ROLE_BIGRAMS = frozenset(tuple(p.split()) for p in ROLE.strip("(?:)").split("|"))


def starts_with_head(key: str) -> bool:
    key += " "
    return key.startswith(HEADS)
