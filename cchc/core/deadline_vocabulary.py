"""The vocabulary of the deadline grammar (`cchc.core.deadlines`): patterns over folded text (no
accents, lower case) for dates, months, quarters, years, recurrences, events, cues and the labels
and bullets that split a deadline cell into parts. Kept apart so the grammar reads as rules.
"""

from __future__ import annotations

import re

# A deadline cue right before an anchor: it states a due date even next to an event phrase.
CUE_BEFORE = re.compile(
    r"\b(?:truoc|cham nhat|han|hoan thanh|trong|vao|cuoi|den|toi|het)\s*(?:ngay|thang|qu[yi]|nam)?\s*$"
)
# A start marker: the anchor is when something begins, not when it is due.
START_BEFORE = re.compile(r"\b(?:sau|tu|ke tu|bat dau|ke ca)\s*(?:ngay|thang|qu[yi]|nam)?\s*$")
# "đầu tháng 12", "giữa năm 2022": the due date inside the period is not stated.
VAGUE_BEFORE = re.compile(r"\b(?:dau|giua|nam hoc|nien khoa)\s*(?:ngay|thang|qu[yi]|nam)?\s*$")

DOC_NOUN = (
    r"(?:quyet dinh|ke hoach|cong van|nghi quyet|nghi dinh|thong tu|chi thi|van ban|to trinh|thong bao|"
    r"huong dan|chuong trinh|de an|luat)"
)
DATE_TAIL = r"ngay\s*\d{0,2}\s*(?:[/.-]|thang)\s*\d{0,2}\s*(?:[/.-]|nam)\s*\d{4}"
DMY = r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}"
# "Quyết định số 2725/QĐ-UBND ngày 21/7/2021", "24/2018/QĐ-UBND", "số /QĐ-UBND ngày tháng năm 2021",
# "Công văn số 7599/UBND-THKH 30/5/2024", "Nghị quyết số 57-NQ/TW ngày 22/12/2024".
CITATION = re.compile(
    r"(?:(?:\bso\s*(?:hieu\s*)?\d*|\b\d+)\s*(?:/\s*\d{4}\s*)?/\s*[a-z][a-z0-9&]*(?:\s*-\s*[a-z0-9&]+)*"
    r"|\b\d+\s*-\s*[a-z][a-z0-9&]*\s*/\s*[a-z][a-z0-9&]*(?:\s*-\s*[a-z0-9&]+)*)"
    rf"(?:\s*,?\s*(?:{DATE_TAIL}|{DMY}))?"
)
# "…ngày 10/7/2023 của Chính phủ": the date a body issued something (unless a deadline cue precedes).
ISSUED_DATE = re.compile(
    rf"(?P<date>(?:\bngay\s*)?(?<![/\w.]){DMY})\s*,?\s*cua\s+(?:chinh phu|thu tuong|bo|ubnd|uy ban|hdnd|"
    r"hoi dong|tinh uy|huyen uy|dang uy|ban|van phong|so|quoc hoi|trung uong|tong cuc|cuc)\b"
)
# "Kế hoạch của UBND tỉnh ngày 22/12/2025": a document's own date, unless a deadline cue intervenes.
CITATION_DATE = re.compile(
    rf"\b{DOC_NOUN}\b(?:(?!truoc|cham nhat|\bhan\b|hoan thanh|\bvao\b|\bden\b|\btrong\b)[^;]){{0,80}}?"
    rf"(?P<date>\b{DATE_TAIL})"
)
# "Năm 2022 và các năm tiếp theo": a yearly task from that year on.
FOLLOWING_YEARS = re.compile(r"\b(?:cac|nhung)\s+nam\s+(?:tiep\s+theo|sau|ke\s+tiep|tiep)\b")
# Time relative to something else: the due date depends on another date, so we do not compute it.
RELATIVE = re.compile(
    r"\b(?:nam|qu[yi]|thang|tuan)\s+(?:sau\b(?!\s*(?:khi|cuoc|do))|toi\b|tiep\s+theo|ke\s+tiep|"
    r"truoc\b(?!\s*(?:ngay|\d|thang|qu[yi]|khi|ky)))"
    r"|\bke\s+tu\b|\b(?:sau|trong(?:\s+vong)?|chua\s+qua|khong\s+qua)\s+\d+\s*(?:ngay|thang|nam|tuan)"
    r"|\b\d+\s*(?:ngay|thang|nam|tuan)\s+(?:sau|ke\s+tu|lam\s+viec)\b"
)
EVENT = re.compile(
    r"\b(?:khi|ngay sau|sau (?:khi|cuoc|dot|ky|do|moi)|ket thuc|dot xuat|tuy (?:theo|thuoc)|phu thuoc|"
    r"theo (?:huong dan|quy dinh|ke hoach|lo trinh|yeu cau|chi dao|tien do|thoi gian|thoi han|van ban|"
    r"thong bao|de nghi|chuong trinh|quyet dinh|cong van|nghi quyet|nghi dinh|thong tu|chi thi|muc tieu|"
    r"phan cong|de an|lich|su chi dao))\b"
)
ONGOING = re.compile(r"\b(?:thuong xuyen|lien tuc|hang ngay|moi ngay|hang tuan|moi tuan)\b")
DINH_KY = re.compile(r"\b(?:theo\s+)?dinh\s+k[yi]\b")

# One period word of a recurrence list: "quý", "6 tháng", "9 tháng", "năm", "cả năm", "hằng năm"…
PERIOD = (
    r"(?:(?:hang|moi)\s+)?(?:"
    r"(?:0?6|sau)\s*thang(?:\s+(?:dau|cuoi)\s+nam(?!\s*[/.-]?\s*\d))?"
    r"|(?:0?9|chin)\s*thang(?:\s+dau\s+nam(?!\s*[/.-]?\s*\d))?"
    r"|(?:0?3|ba)\s*thang"
    r"|(?:ca\s+|cuoi\s+)?nam(?!\s*[/.-]?\s*\d)"
    # "quý" the period, not "quy định", "quy chế"… (nor a numbered quarter, an anchor)
    r"|qu[yi]\b(?!\s*(?:[ivxl]+\b|\d|dinh|che\b|trinh|hoach|mo\b|luat|tac\b|doi\b|chuan|uoc|pham|cach|tu\b))"
    r"|thang(?!\s*[/.-]?\s*\d))"
)
RECURRENCE = re.compile(
    r"(?:\b(?:theo\s+)?dinh\s+k[yi]\s*(?:(?:theo|vao|hang|moi)\s+)?|(?<!ngan )(?<!khach )(?<!mat )\bhang\s+"
    rf"|\bmoi\s+)(?P<list>{PERIOD}(?:\s*(?:,|va|hoac)\s*{PERIOD})*)"
)
PERIOD_ITEM = re.compile(PERIOD)

# Anchors. The year suffix "/2022", "- 2022", " năm 2022", " của năm 2022".
YEAR_SUFFIX = r"(?:\s*[/.-]\s*|\s+(?:cua\s+)?nam\s+)(?P<y>\d{4})\b"
NO_TAIL = r"(?!\s*/|\w|\.\d)"  # not followed by more of a number ("6/22", "02/2o22")
Q_ITEM = r"(?:[ivxl]+|\d{1,2})\b(?!\s*thang)"
M_ITEM = r"\d{1,2}\b(?!\s*thang)"
LIST_SEP = r"\s*(?:,|va|hoac|-|den|toi)\s*"
QUARTERS = re.compile(
    rf"\bqu[yi]\s*(?P<items>{Q_ITEM}(?:{LIST_SEP}(?:qu[yi]\s*)?{Q_ITEM})*)(?:{YEAR_SUFFIX})?{NO_TAIL}"
)
Q_SHORT = re.compile(rf"\bq\.?\s*(?P<items>iv|iii|ii|i|[1-4])\s*[/.-]\s*(?P<y>\d{{4}})\b{NO_TAIL}")
MONTHS = re.compile(
    rf"\bthang\s*(?P<items>{M_ITEM}(?:{LIST_SEP}(?:thang\s*)?{M_ITEM})*)(?:{YEAR_SUFFIX})?{NO_TAIL}"
)
ITEM_SPLIT = re.compile(r"\s*(,|va|hoac|-|den|toi)\s*(?:qu[yi]|thang)?\s*")
DATE_DMY = re.compile(
    r"(?<![/\w.])(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})\b" + NO_TAIL
)
DATE_ISO = re.compile(r"(?<![/\w.])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b" + NO_TAIL)
DATE_WORDS = re.compile(
    r"\b(?:ngay\s*(?P<d>\d{1,2})\s+thang\s*(?P<m>\d{1,2})(?:\s*,?\s*nam\s*(?P<y>\d{4}))?"
    r"|(?P<d2>\d{1,2})\s+thang\s*(?P<m2>\d{1,2})\s*,?\s*nam\s*(?P<y2>\d{4}))\b" + NO_TAIL
)
DATE_DM = re.compile(r"(?<![/\w.])(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})" + NO_TAIL)
MONTH_MY = re.compile(r"(?<![/\w.])(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})\b" + NO_TAIL)
MY_CUE = re.compile(r"(?:\b(?:truoc|cham nhat|han|trong|vao|cuoi|den|hoan thanh)|:)\s*$")
YEAR_RANGE = re.compile(
    r"\b(?:giai\s+doan\s*|tu\s+)?(?:nam\s*)?(?P<a>\d{4})\s*(?:-|den|toi)\s*(?:nam\s*)?(?P<y>\d{4})\b"
)
YEAR = re.compile(r"\bnam\s*(?P<y>\d{4})\b" + NO_TAIL)
YEAR_PLAN = re.compile(r"\b(?:trong\s+(?:suot\s+)?nam|ca\s+nam|nam\s+ke\s+hoach)\b(?!\s*\d)")
YEAR_BARE = re.compile(r"^\W*(?P<y>\d{4})\W*$")
# Periods next to the plan's ("năm liền kề", "năm trước liền kề", "năm sau"), after an anchor that
# needs a year: resolved against the plan's year before anything else reads the phrase. A bare
# "năm trước" / "năm tới" stays relative (unknown): only these words say which year they mean.
ADJ_YEAR = re.compile(
    r"(?P<pre>(?<![/\w.])\d{1,2}\s*/\s*\d{1,2}(?!\s*/)|\bngay\s*\d{1,2}\s+thang\s*\d{1,2}|\bthang\s*\d{1,2}"
    r"|\bqu[yi]\s*(?:[ivx]+|\d)\b|\b(?:trong|cuoi|dau|giua|het|den|truoc|cham nhat|vao)(?:\s+ca)?)"
    r"\s*,?\s+(?:cua\s+)?nam\s+(?P<rel>truoc\s+lien\s+ke|lien\s+ke\s+truoc|(?:sau\s+)?lien\s+ke(?:\s+sau)?"
    r"|sau(?!\s*(?:khi|cuoc|do|ngay|\d))|tiep\s+theo|ke\s+tiep)\b"
)
# "Trước ngày 05 của tháng liền kề", "ngày 10 tháng đầu của quý liền kề", "ngày 15 của kỳ báo cáo liền
# kề": a report due that day of the month after each period. Read as recurring, the day pinned in
# the year after the plan's (the status engine reads such a pin as a lag after every period's end).
NEXT_PERIOD_DAY = re.compile(
    r"\bngay\s*(?P<d>\d{1,2})\s+(?:cua\s+)?(?P<what>thang\s+(?:dau\s+(?:tien\s+)?(?:cua\s+)?)?"
    r"(?:qu[yi]\s+|ky\s+(?:bao\s+cao\s+)?)?|qu[yi]\s+|ky\s+bao\s+cao\s+|ky\s+)"
    r"(?P<rel>lien\s+ke|tiep\s+theo|ke\s+tiep|sau(?!\s*(?:khi|cuoc|do)))\b"
)
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
CONTEXT = 40  # characters looked at before an anchor

# Labels and deliverables.
VERB_WORDS = 6  # a product named after at most this many words ("Trình UBND tỉnh Đề án")
DELIVERABLE = re.compile(
    r"(?:cac |nhung )?(?:bao cao|ke hoach|de an|quyet dinh|van ban|nghi quyet|phuong an|hop dong|du thao|"
    r"chuong trinh|thong bao|huong dan|quy che|quy dinh|to trinh|cong van|bien ban|danh muc|tai lieu|"
    r"san pham|ho so|chi thi|ket qua|phieu|bo cau hoi)\b"
)
TIME_FIRST = re.compile(
    r"^(?:truoc|cham nhat|trong|vao|cuoi|den)?\s*(?:ngay\s*)?(?:qu[yi]\b|thang\b|nam\b|\d)"
)
# Words that end an implicit label ("Báo cáo kết quả thực hiện | cùng báo cáo CCHC định kỳ hằng quý").
LABEL_STOP = frozenset(
    "cung trong theo vao truoc cham dinh hang thuong ngay khi sau qu quy qui thang dot han den".split()
)

# Private-use characters mark part boundaries before whitespace is collapsed: a hard one always
# splits; a soft one (" - " or a line break before a label) splits only when the left side reads on
# its own, since PDF text wraps lines anywhere ("Trình UBND tỉnh \n Đề án: Quý II/2022").
SENTINEL = "\ue000"
SOFT = "\ue001"
TAG = re.compile(r"</?[A-Za-z][^<>]{0,500}>")
LINE_BULLET = re.compile(r"(^|\n)[ \t]*[-+•*·▪●◦]+(?=\s)")
SENTENCE_BULLET = re.compile(r"([.;])\s*[-+•*·▪●◦]+\s+")
SENTENCE = re.compile(r"\.\s+(?=(\S))")
DASH_LABEL = re.compile(r"\s-\s+(?=[^:;.\-\n]{1,100}:)")
LINE_LABEL = re.compile(r"\n(?=[ \t]*[^:;\n]{1,100}:)")  # a line that opens with a label
LEAD = re.compile(r"^(?:[\s\-+•*·▪●◦]+|(?:\d{1,2}|[a-zđ])[.)]\s+)+")
TRAIL = " \t\n;,.-"  # stripped with str.rstrip: a regex here is quadratic on long runs
