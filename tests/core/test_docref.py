"""Document references as written in the seeds (cchc/demo/seeds), drafts and typos included."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.core.docref import KINDS, DocumentRef, find_document_refs, format_date, parse_document_ref

D = date

# (as written in a seed, expected "kind | number | symbol | year in the number | issued on | issuer", - for None)
SEED_REFS = [
    # 000: province plan 2022
    ("Tờ trình số 1182/TTr-SNV", "Tờ trình | 1182 | TTr-SNV | - | - | -"),
    (
        "Quyết định số 2725/QĐ-UBND ngày 21/7/2021 của UBND tỉnh",
        "Quyết định | 2725 | QĐ-UBND | - | 2021-07-21 | UBND tỉnh",
    ),
    (
        "Quyết định số 3465/QĐ-UBND ngày 09/9/2016 của Chủ tịch UBND tỉnh quy định",
        "Quyết định | 3465 | QĐ-UBND | - | 2016-09-09 | Chủ tịch UBND tỉnh",
    ),
    (
        "Quyết định số 221/2016/QĐ-UBND ngày 18/01/2016 của",
        "Quyết định | 221 | QĐ-UBND | 2016 | 2016-01-18 | -",
    ),
    (
        "Nghị định số 120/2020/NĐ-CP ngày 07/10/2010 của Chính phủ.",
        "Nghị định | 120 | NĐ-CP | 2020 | 2010-10-07 | Chính phủ",
    ),
    (
        "Nghị quyết số 182/2019/NQHĐND ngày 10/7/2019 của HĐND tỉnh",
        "Nghị quyết | 182 | NQ-HĐND | 2019 | 2019-07-10 | HĐND tỉnh",
    ),
    ("số: 2235/2017/QĐUBND ngày 28/6/2017", "Quyết định | 2235 | QĐ-UBND | 2017 | 2017-06-28 | -"),
    (
        "Nghị quyết số 06- NQ/TU ngày 10/11/2021 của Ban Thường vụ Tỉnh ủy",
        "Nghị quyết | 06 | NQ/TU | - | 2021-11-10 | Ban Thường vụ Tỉnh ủy",
    ),
    (
        "(Ban hành kèm theo Quyết định số            /QĐ-UBND ngày      /12/2021  ",
        "Quyết định | - | QĐ-UBND | - | - | -",
    ),
    # 001: commune plan 2022
    (
        "Quyết định số 16/2020/QĐ-\nUBND của UBND tỉnh, gắn kết",
        "Quyết định | 16 | QĐ-UBND | 2020 | - | UBND tỉnh",
    ),
    (
        "theo quy định tại Nghị định số 59/2019/NĐ-CP ngày 01/7/2019 của Chính phủ",
        "Nghị định | 59 | NĐ-CP | 2019 | 2019-07-01 | Chính phủ",
    ),
    (
        "(Ban hành kèm theo Quyết định số /QĐ-UBND ngày tháng      năm 2021 của Chủ tịch Ủy ban nhân dân xã Hoằng Tiến)",
        "Quyết định | - | QĐ-UBND | - | - | Chủ tịch Ủy ban nhân dân xã Hoằng Tiến",
    ),
    # 002: Quyết định 5476/QĐ-UBND
    ("Số: 5476 /QĐ-UBND", "Quyết định | 5476 | QĐ-UBND | - | - | -"),
    (
        "*(Ban hành kèm theo Quyết định số 5476 /QĐ-UBND ngày 24 / 12 /2020",
        "Quyết định | 5476 | QĐ-UBND | - | 2020-12-24 | -",
    ),
    (
        "(Kèm theo Quyết định số 5476 /QĐ-UBND ngày 24 tháng 12 năm 2020 của Chủ tịch Ủy ban nhân dân tỉnh Thanh Hóa)",
        "Quyết định | 5476 | QĐ-UBND | - | 2020-12-24 | Chủ tịch Ủy ban nhân dân tỉnh Thanh Hóa",
    ),
    (
        "Căn cứ Công văn số 6459/BNV-CCHC ngày 07/12/2020 của Bộ Nội vụ về hướng dẫn xây dựng",
        "Công văn | 6459 | BNV-CCHC | - | 2020-12-07 | Bộ Nội vụ",
    ),
    (
        "Căn cứ Thông tư số 26/2019/TT-BTC ngày 10/5/2019 của Bộ Tài chính hướng dẫn",
        "Thông tư | 26 | TT-BTC | 2019 | 2019-05-10 | Bộ Tài chính",
    ),
    (
        "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 896/TTr-SNV ngày 15/12/2020.",
        "Tờ trình | 896 | TTr-SNV | - | 2020-12-15 | -",
    ),
    (
        "Nghị định 108/2020/NĐ-CP ngày 14/9/2020 của Chính phủ",
        "Nghị định | 108 | NĐ-CP | 2020 | 2020-09-14 | Chính phủ",
    ),
    # 003: 6-month report 2024 (evidence footnotes)
    ("1 Quyết định số 5050/QĐ-UBND ngày 28/12/2023. ", "Quyết định | 5050 | QĐ-UBND | - | 2023-12-28 | -"),
    ("3 Quyết định số 4884 /QĐ-UBND ngày 21/12/2023. ", "Quyết định | 4884 | QĐ-UBND | - | 2023-12-21 | -"),
    ("6 Kế hoạch số 34/KH-UBND ngày 31/1/2024. ", "Kế hoạch | 34 | KH-UBND | - | 2024-01-31 | -"),
    (
        "- Triển khai Chỉ thị số 16/CT-TTg ngày 20/5/2024 của Thủ tướng Chính phủ",
        "Chỉ thị | 16 | CT-TTg | - | 2024-05-20 | Thủ tướng Chính phủ",
    ),
    ("10 Chỉ thị số 01/CT-UBND  ngày 26/01/2024", "Chỉ thị | 01 | CT-UBND | - | 2024-01-26 | -"),
    ("Công điện số 09/CĐ-UBND ngày 17/5/2024.", "Công điện | 09 | CĐ-UBND | - | 2024-05-17 | -"),
    ("11 Công văn số 7599/UBND-THKH 30/5/2024. ", "Công văn | 7599 | UBND-THKH | - | 2024-05-30 | -"),
    (
        "14 Công văn số 7280/UBND-KSTTHCNC ngày 24/5/2024. ",
        "Công văn | 7280 | UBND-KSTTHCNC | - | 2024-05-24 | -",
    ),
    ("17 Công văn sô 896/UBND-THKH ngày 17/01/2024. ", "Công văn | 896 | UBND-THKH | - | 2024-01-17 | -"),
    ("Phương án số 25/PA-UBND ngày 22/01/2024", "Phương án | 25 | PA-UBND | - | 2024-01-22 | -"),
    (
        "Kế hoạch số 84/KH-SNV ngày 25/01/2024 của Sở Nội vụ. ",
        "Kế hoạch | 84 | KH-SNV | - | 2024-01-25 | Sở Nội vụ",
    ),
    ("23 Quyết định 1810/QĐ-UBND ngày 06/5/2024. ", "Quyết định | 1810 | QĐ-UBND | - | 2024-05-06 | -"),
    (
        "Quyết định số 977/QĐ-TTg ngày 11/8/2022 của Thủ tướng Chính Phủ… tạo sự",
        "Quyết định | 977 | QĐ-TTg | - | 2022-08-11 | Thủ tướng Chính Phủ",
    ),
    (
        "Kết luận số 50-KL/TW ngày 28/02/2023 của Bộ Chính trị về tiếp tục",
        "Kết luận | 50 | KL/TW | - | 2023-02-28 | Bộ Chính trị",
    ),
    ("Quyết định 2391-QĐ/BTCTW ngày 06/12/2023.", "Quyết định | 2391 | QĐ/BTCTW | - | 2023-12-06 | -"),
    (
        "Nghị quyết số 37/2021/QH15 ngày 13/11/2022 của Quốc hội",
        "Nghị quyết | 37 | QH15 | 2021 | 2022-11-13 | Quốc hội",
    ),
    (
        "Nghị quyết số 07/2022/NQ-HĐND ngày 11/12/2022 của HĐND tỉnh",
        "Nghị quyết | 07 | NQ-HĐND | 2022 | 2022-12-11 | HĐND tỉnh",
    ),
    (
        "(Kèm theo Báo cáo số           /BC-UBND ngày         /         /2024 của UBND tỉnh Thanh Hóa)",
        "Báo cáo | - | BC-UBND | - | - | UBND tỉnh Thanh Hóa",
    ),
    (
        "Kế hoạch 656/KH-SNV ngày 12/9/2023 của Sở Nội vụ",
        "Kế hoạch | 656 | KH-SNV | - | 2023-09-12 | Sở Nội vụ",
    ),
    # 004: commune plan 2026
    (
        "Thực hiện Kế hoạch số 257/KH-UBND ngày 22/12/2025 của UBND tỉnh \nvề",
        "Kế hoạch | 257 | KH-UBND | - | 2025-12-22 | UBND tỉnh",
    ),
    (
        "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị và các kế hoạch",
        "Nghị quyết | 57 | NQ/TW | - | 2024-12-22 | Bộ Chính trị",
    ),
    (
        "Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ",
        "Nghị quyết | 71 | NQ-CP | - | 2025-04-01 | Chính phủ",
    ),
]


def _parts(ref: DocumentRef) -> str:
    values = (ref.kind, ref.number, ref.symbol, ref.year, ref.issued_on, ref.issuer)
    return " | ".join("-" if v is None else v.isoformat() if isinstance(v, date) else str(v) for v in values)


@pytest.mark.parametrize(("text", "expected"), SEED_REFS)
def test_seed_references(text, expected):
    ref = parse_document_ref(text)
    assert _parts(ref) == expected
    assert ref.text == " ".join(text.split())
    # the same reference is found inside the sentence, and nothing else
    (found,) = find_document_refs(text)
    assert _parts(found) == expected
    assert found.text in ref.text


@pytest.mark.parametrize(
    ("text", "display"),
    [
        ("Quyết định số 1810/QĐ-UBND ngày 06/5/2024", "Quyết định số 1810/QĐ-UBND ngày 06/5/2024"),
        ("QĐ 1810/QĐ-UBND ngày 06/05/2024", "Quyết định số 1810/QĐ-UBND ngày 06/5/2024"),
        ("Quyết định số 1810 /QĐ-UBND ngày 6 tháng 5 năm 2024", "Quyết định số 1810/QĐ-UBND ngày 06/5/2024"),
        (
            "Kế hoạch số 257/KH-UBND ngày 22/12/2025 của UBND tỉnh",
            "Kế hoạch số 257/KH-UBND ngày 22/12/2025 của UBND tỉnh",
        ),
        ("Công văn số 1234/UBND-KSTTHC ngày 3/2/2024", "Công văn số 1234/UBND-KSTTHC ngày 03/02/2024"),
        ("số 5476/QĐ-UBND ngày 24/12/2020", "Quyết định số 5476/QĐ-UBND ngày 24/12/2020"),
        ("Báo cáo 12/BC-SNV", "Báo cáo số 12/BC-SNV"),
        ("Nghị quyết số 76/NQ-CP", "Nghị quyết số 76/NQ-CP"),
        ("Thông tư 01/2023/TT-BNV", "Thông tư số 01/2023/TT-BNV"),
        ("Nghị định số 107/2021/NĐ-CP", "Nghị định số 107/2021/NĐ-CP"),
        ("Nghị định số 107/2021/ND-CP", "Nghị định số 107/2021/NĐ-CP"),
        ("Luật số 80/2015/QH13", "Luật số 80/2015/QH13"),
        ("quyết định số 12a/qđ-ubnd", "Quyết định số 12a/QĐ-UBND"),
        ("Quyết định số      /QĐ-UBND ngày      /12/2021", "Quyết định số .../QĐ-UBND"),
        ("Nghị quyết số 57-NQ/TW ngày 22/12/2024", "Nghị quyết số 57-NQ/TW ngày 22/12/2024"),
        ("TTr 15/TTr-SNV ngày 1/3/2024", "Tờ trình số 15/TTr-SNV ngày 01/3/2024"),
    ],
)
def test_display_is_normalised(text, display):
    assert parse_document_ref(text).display() == display


def test_brief_examples_parts():
    ref = parse_document_ref("Quyết định số 1810/QĐ-UBND ngày 06/5/2024")
    assert ref == DocumentRef(
        text="Quyết định số 1810/QĐ-UBND ngày 06/5/2024",
        kind="Quyết định",
        number="1810",
        symbol="QĐ-UBND",
        issued_on=D(2024, 5, 6),
        issuer=None,
    )
    assert ref.code == "1810/QĐ-UBND"
    thong_tu = parse_document_ref("Thông tư 01/2023/TT-BNV")
    assert (thong_tu.number, thong_tu.year, thong_tu.symbol, thong_tu.code) == (
        "01",
        2023,
        "TT-BNV",
        "01/2023/TT-BNV",
    )


def test_missing_so_and_spacing_typos():
    for text in (
        "Quyết định 1810/QĐ-UBND",
        "Quyết định số 1810 /QĐ-UBND",
        "Quyết định số 1810 / QĐ-UBND",
        "Quyết định số1810/QĐ-UBND",
        "Quyết  định   số  1810/QĐ-UBND",
    ):
        ref = parse_document_ref(text)
        assert (ref.kind, ref.number, ref.symbol) == ("Quyết định", "1810", "QĐ-UBND"), text


def test_nfd_text_is_parsed_like_nfc():
    text = "Kế hoạch số 257/KH-UBND ngày 22 tháng 12 năm 2025 của Ủy ban nhân dân tỉnh Thanh Hóa"
    nfd = unicodedata.normalize("NFD", text)
    ref = parse_document_ref(nfd)
    assert ref == parse_document_ref(text)
    assert ref.text == text  # stored NFC
    assert ref.issuer == "Ủy ban nhân dân tỉnh Thanh Hóa"
    assert ref.issued_on == D(2025, 12, 22)
    assert [r.display() for r in find_document_refs(nfd)] == [ref.display()]


def test_long_date_alone():
    ref = parse_document_ref("ngày 06 tháng 5 năm 2024")
    assert ref.issued_on == D(2024, 5, 6)
    assert (ref.kind, ref.number, ref.symbol, ref.issuer) == (None, None, None, None)
    assert ref.display() == "ngày 06/5/2024"


def test_kind_without_number():
    ref = parse_document_ref("Luật Tổ chức chính quyền địa phương ngày 19/6/2015")
    assert (ref.kind, ref.number, ref.issued_on) == ("Luật", None, D(2015, 6, 19))
    ref = parse_document_ref("Quyết định của UBND tỉnh Thanh Hóa")
    assert (ref.kind, ref.issuer) == ("Quyết định", "UBND tỉnh Thanh Hóa")


@pytest.mark.parametrize(
    "text",
    [
        "Quyết định số 1/QĐ-UBND ngày 31/02/2024",
        "Quyết định số 1/QĐ-UBND ngày 30/13/2024",
        "Quyết định số 1/QĐ-UBND ngày 00/5/2024",
        "Quyết định số 1/QĐ-UBND ngày 29 tháng 2 năm 2023",
        "Quyết định số 1/QĐ-UBND ngày / /2024",
        "Quyết định số 1/QĐ-UBND ngày tháng năm 2021",
        "Quyết định số 1/QĐ-UBND ngày 12/5/0001",
    ],
)
def test_invalid_or_blank_dates_are_none(text):
    ref = parse_document_ref(text)
    assert ref.number == "1" and ref.symbol == "QĐ-UBND"
    assert ref.issued_on is None


def test_leap_day_is_valid():
    assert parse_document_ref("Quyết định số 1/QĐ-UBND ngày 29/02/2024").issued_on == D(2024, 2, 29)


def test_kind_inferred_from_symbol():
    cases = {
        "số 12/KH-UBND": "Kế hoạch",
        "số 12/BC-SNV": "Báo cáo",
        "số 12/TB-UBND": "Thông báo",
        "số 12/HD-SNV": "Hướng dẫn",
        "số 12/2023/TT-BNV": "Thông tư",
        "số 12/2021/NĐ-CP": "Nghị định",
        "số 12/UBND-VP": "Công văn",
        "số 12/SNV-CCHC": "Công văn",
        "số 12/CTr-UBND": "Chương trình",
        "số 12-NQ/TW": "Nghị quyết",
    }
    for text, kind in cases.items():
        assert parse_document_ref(text).kind == kind, text
    assert parse_document_ref("số 80/2015/QH13").kind is None  # a law or a resolution of the Assembly


def test_written_kind_wins_over_symbol():
    assert parse_document_ref("Văn bản số 123/UBND-VP").kind == "Văn bản"
    assert parse_document_ref("Hướng dẫn số 5/HD-SNV").kind == "Hướng dẫn"


def test_abbreviation_must_look_like_one():
    # "Đa" is not "ĐA" (Đề án): the number is kept, the kind comes from the symbol
    ref = parse_document_ref("Đa 12/KH-UBND")
    assert (ref.kind, ref.number) == ("Kế hoạch", "12")


def test_unknown_text_has_no_parts():
    for text in ("", "   ", "Hoàn thành trong Quý II/2026", "abc 12 /3", "1/2 số lượng"):
        ref = parse_document_ref(text)
        assert ref.text == " ".join(text.split())
        assert (ref.kind, ref.number, ref.symbol, ref.issued_on, ref.issuer) == (None,) * 5
        assert ref.display() == ref.text
        assert find_document_refs(text) == []


def test_find_in_a_paragraph_from_the_report():
    paragraph = (
        "8 Công văn số 839/UBND-THKH ngày 17/01/2024; Phương án số 25/PA-UBND ngày 22/01/2024; Công văn số \n"
        "1926/UBND-THKH ngày 06/02/2024; Công văn số 2866/UBND-THKH ngày 05/3/2024; Công văn số \n"
        "3377/UBND-THKH ngày 13/3/2024; Công văn số 5174/UBND-THKH ngày 15/4/2024;… \n"
        "20 Kế hoạch số 1075/KH-SNV ngày 25/12/2023, Kế hoạch số 84/KH-SNV ngày 25/01/2024 của Sở Nội vụ. \n"
    )
    refs = find_document_refs(paragraph)
    assert [r.display() for r in refs] == [
        "Công văn số 839/UBND-THKH ngày 17/01/2024",
        "Phương án số 25/PA-UBND ngày 22/01/2024",
        "Công văn số 1926/UBND-THKH ngày 06/02/2024",
        "Công văn số 2866/UBND-THKH ngày 05/3/2024",
        "Công văn số 3377/UBND-THKH ngày 13/3/2024",
        "Công văn số 5174/UBND-THKH ngày 15/4/2024",
        "Kế hoạch số 1075/KH-SNV ngày 25/12/2023",
        "Kế hoạch số 84/KH-SNV ngày 25/01/2024 của Sở Nội vụ",
    ]
    assert refs[1].text == "Phương án số 25/PA-UBND ngày 22/01/2024"
    assert refs[2].text == "Công văn số 1926/UBND-THKH ngày 06/02/2024"


def test_find_in_a_paragraph_from_the_plans():
    paragraph = (
        "Sắp xếp tổ chức bộ máy các cơ quan chuyên môn cấp tỉnh, cấp huyện theo Nghị định số 107/2020/NĐ-CP "
        "và Nghị định 108/2020/NĐ-CP ngày 14/9/2020 của Chính phủ. Sửa đổi, bổ sung Quyết định số "
        "3185/QĐ-UBND ngày 23/8/2016 và Quyết định số 3465/QĐ-UBND ngày 09/9/2016 của Chủ tịch UBND tỉnh "
        "quy định chức năng; theo Quyết định số 2725/QĐ-UBND. Nghị quyết số 37-NQ/TW ngày 24/12/2018 của "
        "Bộ Chính trị về việc sắp xếp; Nghị quyết số 1 Quyết định số 5050/QĐ-UBND ngày 28/12/2023."
    )
    assert [(r.kind, r.code, r.issued_on, r.issuer) for r in find_document_refs(paragraph)] == [
        ("Nghị định", "107/2020/NĐ-CP", None, None),
        ("Nghị định", "108/2020/NĐ-CP", D(2020, 9, 14), "Chính phủ"),
        ("Quyết định", "3185/QĐ-UBND", D(2016, 8, 23), None),
        ("Quyết định", "3465/QĐ-UBND", D(2016, 9, 9), "Chủ tịch UBND tỉnh"),
        ("Quyết định", "2725/QĐ-UBND", None, None),
        ("Nghị quyết", "37-NQ/TW", D(2018, 12, 24), "Bộ Chính trị"),
        ("Quyết định", "5050/QĐ-UBND", D(2023, 12, 28), None),
    ]


def test_find_bare_codes_and_numbers_without_symbol():
    refs = find_document_refs("các Quyết định số 12/QĐ-UBND, 13/QĐ-UBND và Kế hoạch số 7 ngày 02/01/2024.")
    assert [(r.kind, r.code, r.issued_on) for r in refs] == [
        ("Quyết định", "12/QĐ-UBND", None),
        ("Quyết định", "13/QĐ-UBND", None),
        ("Kế hoạch", "7", D(2024, 1, 2)),
    ]
    # not references: fractions, dates, periods, lower-case paths, a lone footnote number
    noise = (
        "đạt 1/2 chỉ tiêu ngày 06/5/2024 trong Quý II/2026, xem https://x.vn/2024/05/kh-abc; Kế hoạch số 3."
    )
    assert find_document_refs(noise) == []


def test_issuer_names():
    cases = {
        "Kế hoạch số 12/KH-SKHĐT ngày 3/3/2024 của Sở Kế hoạch và Đầu tư về việc": "Sở Kế hoạch và Đầu tư",
        "Công văn số 9/SGTVT-VP của Sở Giao thông vận tải tại": "Sở Giao thông vận tải",
        "Kế hoạch số 5/KH-CCTTBVTV của Chi cục Trồng trọt và Bảo vệ thực vật; ": (
            "Chi cục Trồng trọt và Bảo vệ thực vật"
        ),
        "Quyết định số 893/QĐ-TTg ngày 25/6/2020 của Thủ tướng chính phủ phê duyệt": "Thủ tướng chính phủ",
        "Nghị định số 73/2009/NĐ-CP ngày 07/9/2009 của Chính phủ cho 33 người": "Chính phủ",
        "Quyết định số 1/QĐ-UBND của các cơ quan": None,
    }
    for text, issuer in cases.items():
        assert parse_document_ref(text).issuer == issuer, text


def test_next_reference_ends_the_issuer():
    refs = find_document_refs("Kế hoạch số 1/KH-UBND của UBND tỉnh Quyết định số 2/QĐ-UBND của Sở Nội vụ")
    assert [(r.code, r.issuer) for r in refs] == [("1/KH-UBND", "UBND tỉnh"), ("2/QĐ-UBND", "Sở Nội vụ")]


def test_format_date_follows_the_official_padding():
    assert format_date(D(2024, 5, 6)) == "06/5/2024"
    assert format_date(D(2024, 1, 19)) == "19/01/2024"
    assert format_date(D(2024, 2, 3)) == "03/02/2024"
    assert format_date(D(2024, 12, 24)) == "24/12/2024"


def test_display_of_partial_refs():
    assert DocumentRef(text="x", kind="Quyết định").display() == "Quyết định"
    assert DocumentRef(text="x", number="12").display() == "Văn bản số 12"
    assert DocumentRef(text="x", symbol="QĐ-UBND").code == ".../QĐ-UBND"
    assert DocumentRef(text="x", symbol="NQ/TW").code == "...-NQ/TW"
    assert DocumentRef(text="x").code is None


def test_non_string_input_never_raises():
    assert parse_document_ref(None).text == ""  # type: ignore[arg-type]
    assert find_document_refs(None) == []  # type: ignore[arg-type]


# --- properties -------------------------------------------------------------------------------------------

VIET = st.text(
    alphabet=st.sampled_from(
        list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯQTNHKBUD0123456789 /-:;.,()\n\t…“”")
        + list("áàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
        + ["\u0301", "\u0323", "\u00a0", "\u2013"]
    ),
    max_size=120,
)
REFISH = st.lists(
    st.sampled_from(
        "Quyết định Kế hoạch Công văn QĐ TTr Nghị quyết số sô Số: 1810 01 12a / /QĐ-UBND QĐ-UBND -NQ/TW "
        "2023/ TT-BNV UBND-KSTTHC ngày tháng năm 06/5/2024 31/02/2024 / /2024 của UBND tỉnh Sở Nội vụ và "
        "về , ; . - 2024 5 6".split()
        + ["\n", " "]
    ),
    max_size=20,
).map(" ".join)


def _check(ref: DocumentRef) -> None:
    assert isinstance(ref, DocumentRef)
    assert ref.kind is None or ref.kind in KINDS
    assert ref.issued_on is None or isinstance(ref.issued_on, date)
    assert isinstance(ref.display(), str)


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.text(max_size=200), VIET, REFISH))
def test_never_raises(text):
    ref = parse_document_ref(text)
    _check(ref)
    for found in find_document_refs(text):
        _check(found)
        assert found.number or found.symbol
        assert found.text and found.text in ref.text  # a span of the cleaned text


KIND_PREFIX = {
    "Quyết định": "QĐ",
    "Kế hoạch": "KH",
    "Báo cáo": "BC",
    "Tờ trình": "TTr",
    "Nghị quyết": "NQ",
    "Thông báo": "TB",
    "Chỉ thị": "CT",
    "Hướng dẫn": "HD",
}


@settings(max_examples=100, deadline=None)
@given(
    kind=st.sampled_from(sorted(KIND_PREFIX)),
    number=st.integers(min_value=1, max_value=99999).map(str),
    issuer=st.sampled_from(["UBND", "SNV", "HĐND", "CP", "TTg"]),
    day=st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)),
    long_form=st.booleans(),
)
def test_display_round_trips(kind, number, issuer, day, long_form):
    written_date = (
        f"{day.day} tháng {day.month} năm {day.year}" if long_form else f"{day.day}/{day.month}/{day.year}"
    )
    text = f"{kind} số {number}/{KIND_PREFIX[kind]}-{issuer} ngày {written_date}"
    ref = parse_document_ref(text)
    assert (ref.kind, ref.number, ref.symbol, ref.issued_on) == (
        kind,
        number,
        f"{KIND_PREFIX[kind]}-{issuer}",
        day,
    )
    again = parse_document_ref(ref.display())
    assert again.display() == ref.display()
    assert find_document_refs(f"Căn cứ {text}; tiếp tục")[0].display() == ref.display()
