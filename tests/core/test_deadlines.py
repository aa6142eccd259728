"""The deadline grammar (cchc.core.deadlines), table-driven.

Every distinct "Thời gian hoàn thành" phrase of the four seed plans is written out below with what a
careful reader expects (the same reading as tests/fixtures/gold), then every form of DOMAIN.md §5,
then the edge cases. Each row: (text, plan year, [(label, kind, due, recurrence), ...]).
Property tests (any text never raises, …) are in test_deadlines_properties.py.
"""

from __future__ import annotations

import datetime
import json
import time
import unicodedata
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from cchc.core.deadlines import KINDS, PERIODS, Milestone, parse_deadline

Row = tuple[str, int, list[tuple[str, str, str | None, tuple[str, ...] | None]]]


def read(text: str, year: int = 2022) -> list[tuple[str, str, str | None, tuple[str, ...] | None]]:
    return [
        (m.label, m.kind, m.due.isoformat() if m.due else None, m.recurrence)
        for m in parse_deadline(text, year)
    ]


def ids(rows: list[Row]) -> list[str]:
    return [f"{text[:60]}@{year}" for text, year, _ in rows]


# --------------------------------------------------------------------------- the seed plans

# The time cells of seeds 000, 001, 002 and 004 as a reader joins them (one line, cleaned).
SEED_PHRASES: list[Row] = [
    # seed 000, plan year 2022
    ("Tháng 02/2022", 2022, [("", "month", "2022-02-28", None)]),
    ("Tháng 03/2022", 2022, [("", "month", "2022-03-31", None)]),
    ("Tháng 04/2022", 2022, [("", "month", "2022-04-30", None)]),
    ("Tháng 05/2022", 2022, [("", "month", "2022-05-31", None)]),
    ("Tháng 06/2022", 2022, [("", "month", "2022-06-30", None)]),
    ("Tháng 08/2022", 2022, [("", "month", "2022-08-31", None)]),
    ("Quý III/2022", 2022, [("", "quarter", "2022-09-30", None)]),
    ("Báo cáo định kỳ 6 tháng", 2022, [("", "recurring", None, ("semiannual",))]),
    (
        "- Tổ chức thực hiện: thường xuyên. - Báo cáo kết quả thực hiện: định kỳ hàng quý.",
        2022,
        [
            ("Tổ chức thực hiện", "ongoing", None, None),
            ("Báo cáo kết quả thực hiện", "recurring", None, ("quarterly",)),
        ],
    ),
    ("Định kỳ hàng quý.", 2022, [("", "recurring", None, ("quarterly",))]),
    ("Theo hướng dẫn của Văn phòng Chính phủ.", 2022, [("", "event", None, None)]),
    (
        "Báo cáo kết quả khảo sát: tháng 12/2022.",
        2022,
        [("Báo cáo kết quả khảo sát", "month", "2022-12-31", None)],
    ),
    ("Trong năm 2022.", 2022, [("", "year", "2022-12-31", None)]),
    ("Chậm nhất tháng 12/2022.", 2022, [("", "month", "2022-12-31", None)]),
    ("Tháng 12/2022.", 2022, [("", "month", "2022-12-31", None)]),
    ("Tháng 05/2022.", 2022, [("", "month", "2022-05-31", None)]),
    ("Tháng 03/2022.", 2022, [("", "month", "2022-03-31", None)]),
    ("Trước ngày 30/6/2022.", 2022, [("", "date", "2022-06-30", None)]),
    ("Trước ngày 30/12/2022.", 2022, [("", "date", "2022-12-30", None)]),
    ("Thường xuyên trong năm.", 2022, [("", "ongoing", None, None)]),
    ("Quý II/2022.", 2022, [("", "quarter", "2022-06-30", None)]),
    ("Tháng 08/2022.", 2022, [("", "month", "2022-08-31", None)]),
    ("Quý I/2022.", 2022, [("", "quarter", "2022-03-31", None)]),
    ("Quý I/2022", 2022, [("", "quarter", "2022-03-31", None)]),
    ("Tháng 01/2022", 2022, [("", "month", "2022-01-31", None)]),
    ("Khi có văn bản chỉ đạo của Trung ương", 2022, [("", "event", None, None)]),
    ("Tháng 11/2022.", 2022, [("", "month", "2022-11-30", None)]),
    ("Tháng 01/2022.", 2022, [("", "month", "2022-01-31", None)]),
    ("Quý IV/2022.", 2022, [("", "quarter", "2022-12-31", None)]),
    ("Thường xuyên.", 2022, [("", "ongoing", None, None)]),
    ("Trong năm.", 2022, [("", "year", "2022-12-31", None)]),
    ("Trình UBND tỉnh Đề án: Quý II/2022.", 2022, [("Trình UBND tỉnh Đề án", "quarter", "2022-06-30", None)]),
    (
        "- Kế hoạch CCHC 2022 của các cơ quan, đơn vị: Trước 31/12/2021; - Báo cáo kết quả thực hiện: định kỳ hàng quý hoặc đột xuất theo quy định.",
        2022,
        [
            ("Kế hoạch CCHC 2022 của các cơ quan, đơn vị", "date", "2021-12-31", None),
            ("Báo cáo kết quả thực hiện", "recurring", None, ("quarterly",)),
        ],
    ),
    (
        "- Báo cáo tự chấm điểm cùng tài liệu kiểm chứng của các cơ quan, đơn vị: Trước 25/12/2022; - Báo cáo tổng hợp chỉ số CCHC toàn tỉnh: Quý I/2023.",
        2022,
        [
            (
                "Báo cáo tự chấm điểm cùng tài liệu kiểm chứng của các cơ quan, đơn vị",
                "date",
                "2022-12-25",
                None,
            ),
            ("Báo cáo tổng hợp chỉ số CCHC toàn tỉnh", "quarter", "2023-03-31", None),
        ],
    ),
    (
        "- Hợp đồng tuyên truyền: trong năm 2022; - Báo cáo kết quả thực hiện: định kỳ hàng quý hoặc đột xuất theo quy định.",
        2022,
        [
            ("Hợp đồng tuyên truyền", "year", "2022-12-31", None),
            ("Báo cáo kết quả thực hiện", "recurring", None, ("quarterly",)),
        ],
    ),
    (
        "- Kế hoạch thanh tra, kiểm tra: Quý I/2022. - Báo cáo kết quả thực hiện: Quý IV/2022.",
        2022,
        [
            ("Kế hoạch thanh tra, kiểm tra", "quarter", "2022-03-31", None),
            ("Báo cáo kết quả thực hiện", "quarter", "2022-12-31", None),
        ],
    ),
    # seed 001, plan year 2022
    (
        "- Xây dựng kế hoạch: tháng 01/2022; - Báo cáo kết quả thực hiện: theo kế hoạch và theo định kỳ quý, 6 tháng, 9 tháng, năm.",
        2022,
        [
            ("Xây dựng kế hoạch", "month", "2022-01-31", None),
            (
                "Báo cáo kết quả thực hiện",
                "recurring",
                None,
                ("quarterly", "semiannual", "nine_months", "annual"),
            ),
        ],
    ),
    ("Báo cáo định kỳ 6 tháng, năm", 2022, [("", "recurring", None, ("semiannual", "annual"))]),
    (
        "- Tổ chức thực hiện: thường xuyên. - Báo cáo kết quả thực hiện: định kỳ hàng quý",
        2022,
        [
            ("Tổ chức thực hiện", "ongoing", None, None),
            ("Báo cáo kết quả thực hiện", "recurring", None, ("quarterly",)),
        ],
    ),
    ("Theo hướng dẫn của Văn phòng UBND huyện", 2022, [("", "event", None, None)]),
    (
        "Báo cáo kết quả khảo sát: tháng 12/2022",
        2022,
        [("Báo cáo kết quả khảo sát", "month", "2022-12-31", None)],
    ),
    ("Trong năm 2022", 2022, [("", "year", "2022-12-31", None)]),
    ("Chậm nhất tháng 12/2022", 2022, [("", "month", "2022-12-31", None)]),
    ("Tháng 12/2022", 2022, [("", "month", "2022-12-31", None)]),
    ("Thường xuyên trong năm", 2022, [("", "ongoing", None, None)]),
    ("Quý II/2022", 2022, [("", "quarter", "2022-06-30", None)]),
    (
        "Xây dựng kế hoạch: tháng 1/2022; - Báo cáo: tháng 12/2022.",
        2022,
        [("Xây dựng kế hoạch", "month", "2022-01-31", None), ("Báo cáo", "month", "2022-12-31", None)],
    ),
    ("Theo định kỳ", 2022, [("", "recurring", None, None)]),
    ("Tháng 11/2022", 2022, [("", "month", "2022-11-30", None)]),
    ("Quý IV/2022", 2022, [("", "quarter", "2022-12-31", None)]),
    ("Quý IV/ 2022", 2022, [("", "quarter", "2022-12-31", None)]),
    ("Thường xuyên", 2022, [("", "ongoing", None, None)]),
    ("Trong năm", 2022, [("", "year", "2022-12-31", None)]),
    (
        "- Kế hoạch CCHC 2022 của các cơ quan, đơn vị: Trước 05/01/2022; - Báo cáo kết quả thực hiện: định kỳ hằng quý hoặc đột xuất theo quy định.",
        2022,
        [
            ("Kế hoạch CCHC 2022 của các cơ quan, đơn vị", "date", "2022-01-05", None),
            ("Báo cáo kết quả thực hiện", "recurring", None, ("quarterly",)),
        ],
    ),
    (
        "- Báo cáo tự chấm điểm cùng tài liệu kiểm chứng của các cơ quan, đơn vị: Trước 10/12/2022; - Báo cáo tổng hợp chỉ số CCHC toàn huyện: trước 25/12/2022.",
        2022,
        [
            (
                "Báo cáo tự chấm điểm cùng tài liệu kiểm chứng của các cơ quan, đơn vị",
                "date",
                "2022-12-10",
                None,
            ),
            ("Báo cáo tổng hợp chỉ số CCHC toàn huyện", "date", "2022-12-25", None),
        ],
    ),
    (
        "- Báo cáo kết quả thực hiện: định kỳ hàng quý hoặc đột xuất theo quy định.",
        2022,
        [("Báo cáo kết quả thực hiện", "recurring", None, ("quarterly",))],
    ),
    # seed 002, plan year 2021
    ("Thường xuyên trong năm.", 2021, [("", "ongoing", None, None)]),
    ("Quý III/2021.", 2021, [("", "quarter", "2021-09-30", None)]),
    ("Quý II/2021.", 2021, [("", "quarter", "2021-06-30", None)]),
    ("Báo cáo kết quả thực hiện trong quý IV/2021.", 2021, [("", "quarter", "2021-12-31", None)]),
    (
        "- Báo cáo định kỳ: các sở, ban, ngành cấp tỉnh; UBND cấp huyện, UBND cấp xã. - Báo cáo tổng hợp toàn tỉnh hàng quý: Sở Thông tin và Truyền thông.",
        2021,
        [
            ("Báo cáo định kỳ", "recurring", None, None),
            ("Báo cáo tổng hợp toàn tỉnh hàng quý", "recurring", None, ("quarterly",)),
        ],
    ),
    ("Báo cáo kết quả định kỳ hàng quý hoặc đột xuất.", 2021, [("", "recurring", None, ("quarterly",))]),
    (
        "Thực hiện thường xuyên ngay sau khi giải quyết TTHC cho tổ chức, công dân.",
        2021,
        [("", "ongoing", None, None)],
    ),
    (
        "Báo cáo kết quả thực hiện Kế hoạch: định kỳ hàng quý.",
        2021,
        [("Báo cáo kết quả thực hiện Kế hoạch", "recurring", None, ("quarterly",))],
    ),
    ("Báo cáo kết quả thực hiện tháng 12/2021.", 2021, [("", "month", "2021-12-31", None)]),
    ("Ngay sau khi các bộ, ngành hướng dẫn thực hiện.", 2021, [("", "event", None, None)]),
    ("Báo cáo kết quả thực hiện quý III/2021.", 2021, [("", "quarter", "2021-09-30", None)]),
    (
        "- Kế hoạch khảo sát: quý I/2021. - Báo cáo kết quả khảo sát: tháng 11/2021.",
        2021,
        [
            ("Kế hoạch khảo sát", "quarter", "2021-03-31", None),
            ("Báo cáo kết quả khảo sát", "month", "2021-11-30", None),
        ],
    ),
    (
        "Dự thảo văn bản trình UBND tỉnh: chậm nhất quý II/2021.",
        2021,
        [("Dự thảo văn bản trình UBND tỉnh", "quarter", "2021-06-30", None)],
    ),
    (
        "Báo cáo kết quả thực hiện: Quý III/2021.",
        2021,
        [("Báo cáo kết quả thực hiện", "quarter", "2021-09-30", None)],
    ),
    (
        "Báo cáo kết quả thực hiện: tháng 12/2021.",
        2021,
        [("Báo cáo kết quả thực hiện", "month", "2021-12-31", None)],
    ),
    ("Quý IV/2021.", 2021, [("", "quarter", "2021-12-31", None)]),
    (
        "Báo cáo kết quả triển khai và duy trì kiến trúc chính quyền điện tử: định kỳ hàng quý hoặc đột xuất theo quy định.",
        2021,
        [
            (
                "Báo cáo kết quả triển khai và duy trì kiến trúc chính quyền điện tử",
                "recurring",
                None,
                ("quarterly",),
            )
        ],
    ),
    (
        "Báo cáo kết quả thực hiện: Định kỳ hàng quý theo quy định hoặc đột xuất.",
        2021,
        [("Báo cáo kết quả thực hiện", "recurring", None, ("quarterly",))],
    ),
    (
        "Báo cáo kết quả thực hiện: Quý II/2021.",
        2021,
        [("Báo cáo kết quả thực hiện", "quarter", "2021-06-30", None)],
    ),
    (
        "- Phương án triển khai: quý I/2021. - Báo cáo kết quả thực hiện: định kỳ hàng quý.",
        2021,
        [
            ("Phương án triển khai", "quarter", "2021-03-31", None),
            ("Báo cáo kết quả thực hiện", "recurring", None, ("quarterly",)),
        ],
    ),
    (
        "- Kế hoạch triển khai: Quý I/2021. - Báo cáo kết quả thực hiện: Quý IV/2021.",
        2021,
        [
            ("Kế hoạch triển khai", "quarter", "2021-03-31", None),
            ("Báo cáo kết quả thực hiện", "quarter", "2021-12-31", None),
        ],
    ),
    ("Báo cáo định kỳ hàng Quý và đột xuất theo quy định.", 2021, [("", "recurring", None, ("quarterly",))]),
    (
        "- Triển khai áp dụng: Thường xuyên trong năm. - Báo cáo kết quả thực hiện: Quý IV/2021.",
        2021,
        [
            ("Triển khai áp dụng", "ongoing", None, None),
            ("Báo cáo kết quả thực hiện", "quarter", "2021-12-31", None),
        ],
    ),
    (
        "- Kế hoạch CCHC 2021 của các cơ quan, đơn vị: Trước 31/12/2020. - Báo cáo kết quả thực hiện: định kỳ hàng quý hoặc đột xuất theo quy định.",
        2021,
        [
            ("Kế hoạch CCHC 2021 của các cơ quan, đơn vị", "date", "2020-12-31", None),
            ("Báo cáo kết quả thực hiện", "recurring", None, ("quarterly",)),
        ],
    ),
    (
        "- Báo cáo tự chấm điểm cùng tài liệu kiểm chứng của các cơ quan, đơn vị: Trước 05/12/2021. - Báo cáo tổng hợp chỉ số CCHC toàn tỉnh: Trước 31/12/2021.",
        2021,
        [
            (
                "Báo cáo tự chấm điểm cùng tài liệu kiểm chứng của các cơ quan, đơn vị",
                "date",
                "2021-12-05",
                None,
            ),
            ("Báo cáo tổng hợp chỉ số CCHC toàn tỉnh", "date", "2021-12-31", None),
        ],
    ),
    (
        "- Hợp đồng tuyên truyền: trong năm 2021. - Báo cáo kết quả thực hiện: định kỳ hàng quý hoặc đột xuất theo quy định.",
        2021,
        [
            ("Hợp đồng tuyên truyền", "year", "2021-12-31", None),
            ("Báo cáo kết quả thực hiện", "recurring", None, ("quarterly",)),
        ],
    ),
    (
        "- Kế hoạch thanh tra, kiểm tra: Quý I/2021. - Báo cáo kết quả thực hiện: Quý IV/2021.",
        2021,
        [
            ("Kế hoạch thanh tra, kiểm tra", "quarter", "2021-03-31", None),
            ("Báo cáo kết quả thực hiện", "quarter", "2021-12-31", None),
        ],
    ),
    # seed 004, plan year 2026
    ("Thường xuyên.", 2026, [("", "ongoing", None, None)]),
    ("Hằng năm.", 2026, [("", "recurring", None, ("annual",))]),
    ("- Sau khi có văn bản của Trung ương, tỉnh.", 2026, [("", "event", None, None)]),
    ("Theo quy định của các cơ quan có thẩm quyền", 2026, [("", "event", None, None)]),
    ("Thường xuyên", 2026, [("", "ongoing", None, None)]),
    ("- Theo hướng dẫn của Trung ương, UBND tỉnh.", 2026, [("", "event", None, None)]),
    ("- Theo hướng dẫn của Bộ Nội vụ, UBND tỉnh.", 2026, [("", "event", None, None)]),
    ("- Thực hiện theo hướng dẫn, yêu cầu của Bộ Nội vụ, UBDN tỉnh.", 2026, [("", "event", None, None)]),
    (
        "- Thường xuyên. - Báo cáo kết quả khảo sát: tháng 12 hằng năm.",
        2026,
        [("", "ongoing", None, None), ("Báo cáo kết quả khảo sát", "recurring", "2026-12-31", ("annual",))],
    ),
    (
        "- Triển khai: Quý I/2026. - Thực hiện: hằng năm.",
        2026,
        [("Triển khai", "quarter", "2026-03-31", None), ("Thực hiện", "recurring", None, ("annual",))],
    ),
    (
        "- Kế hoạch: hằng năm. - Báo cáo kết quả: ngay sau khi kết thúc kỳ thi.",
        2026,
        [("Kế hoạch", "recurring", None, ("annual",)), ("Báo cáo kết quả", "event", None, None)],
    ),
    (
        "- Kế hoạch: quý I hằng năm. - Thông báo kiểm tra: ngay sau cuộc kiểm tra. - Báo cáo kết quả: tháng 12 hằng năm.",
        2026,
        [
            ("Kế hoạch", "recurring", "2026-03-31", ("annual",)),
            ("Thông báo kiểm tra", "event", None, None),
            ("Báo cáo kết quả", "recurring", "2026-12-31", ("annual",)),
        ],
    ),
    ("Quý I/2026.", 2026, [("", "quarter", "2026-03-31", None)]),
    ("Năm 2026.", 2026, [("", "year", "2026-12-31", None)]),
    ("Theo kế hoạch của Tỉnh uỷ, UBND Tỉnh, Đảng ủy, UBND xã.", 2026, [("", "event", None, None)]),
    ("Qúy II/2026", 2026, [("", "quarter", "2026-06-30", None)]),
    ("Năm 2026", 2026, [("", "year", "2026-12-31", None)]),
    (
        "- Kế hoạch cải cách hành chính năm của các cơ quan, đơn vị, địa phương: Trước ngày 05/01 hằng năm. - Báo cáo kết quả thực hiện của các cơ quan, đơn vị: Định kỳ hằng Quý hoặc đột xuất theo quy định",
        2026,
        [
            (
                "Kế hoạch cải cách hành chính năm của các cơ quan, đơn vị, địa phương",
                "recurring",
                "2026-01-05",
                ("annual",),
            ),
            ("Báo cáo kết quả thực hiện của các cơ quan, đơn vị", "recurring", None, ("quarterly",)),
        ],
    ),
    (
        "- Văn bản triển khai: ngay sau khi có chỉ đạo của Chính phủ; Thủ tướng Chính phủ. - Báo cáo kết quả thực hiện cùng báo cáo CCHC định kỳ hằng quý.",
        2026,
        [
            ("Văn bản triển khai", "event", None, None),
            ("Báo cáo kết quả thực hiện", "recurring", None, ("quarterly",)),
        ],
    ),
    (
        "- Báo cáo tự chấm điểm của các sở, ban, ngành cấp tỉnh, UBND cấp xã: Trước ngày 15/12/2026; - Báo cáo tổng hợp chỉ số cải cách hành chính toàn tỉnh: Quý I/2027.",
        2026,
        [
            ("Báo cáo tự chấm điểm của các sở, ban, ngành cấp tỉnh, UBND cấp xã", "date", "2026-12-15", None),
            ("Báo cáo tổng hợp chỉ số cải cách hành chính toàn tỉnh", "quarter", "2027-03-31", None),
        ],
    ),
    (
        "- Hợp đồng tuyên truyền: Trong năm 2026. - Báo cáo kết quả thực hiện: Định kỳ hằng Quý hoặc đột xuất theo quy định.",
        2026,
        [
            ("Hợp đồng tuyên truyền", "year", "2026-12-31", None),
            ("Báo cáo kết quả thực hiện", "recurring", None, ("quarterly",)),
        ],
    ),
]


# The same cells as the text extraction delivers them: cell lines one after another with blank lines
# between, bullets at line starts, a word split over lines, 002's HTML list fragments.
SEED_RAW: list[Row] = [
    ("Tháng \n\n02/2022 ", 2022, [("", "month", "2022-02-28", None)]),
    ("Quý \n\nIII/2022 ", 2022, [("", "quarter", "2022-09-30", None)]),
    ("Quý  \n\nIV/2022. ", 2022, [("", "quarter", "2022-12-31", None)]),
    ("Quý IV/ \n\n2022 ", 2022, [("", "quarter", "2022-12-31", None)]),
    ("Báo cáo \n\nđịnh kỳ 6 \n\ntháng ", 2022, [("", "recurring", None, ("semiannual",))]),
    ("Chậm nhất \n\ntháng \n\n12/2022. ", 2022, [("", "month", "2022-12-31", None)]),
    ("     định kỳ hàng \n\nquý ", 2022, [("", "recurring", None, ("quarterly",))]),
    (
        "Trình UBND tỉnh \n\nĐề án: Quý \n\nII/2022. ",
        2022,
        [("Trình UBND tỉnh Đề án", "quarter", "2022-06-30", None)],
    ),
    (
        "- Xây dựng \n\nkế hoạch: \n\ntháng \n\n01/2022; \n\n- Báo cáo \n\nkết quả thực \n\nhiện: theo \n\n"
        "kế hoạch và \n\ntheo định kỳ \n\nquý, 6 tháng, \n\n9 tháng, \n\nnăm. ",
        2022,
        [
            ("Xây dựng kế hoạch", "month", "2022-01-31", None),
            (
                "Báo cáo kết quả thực hiện",
                "recurring",
                None,
                ("quarterly", "semiannual", "nine_months", "annual"),
            ),
        ],
    ),
    (
        "- Kế hoạch CCHC 2022 \n\ncủa các cơ quan, đơn vị: \n\nTrước 31/12/2021; \n\n- Báo cáo kết quả thực \n\n"
        "hiện: định kỳ hàng quý \n\nhoặc đột xuất theo quy \n\nđịnh. ",
        2022,
        [
            ("Kế hoạch CCHC 2022 của các cơ quan, đơn vị", "date", "2021-12-31", None),
            ("Báo cáo kết quả thực hiện", "recurring", None, ("quarterly",)),
        ],
    ),
    (
        "- Thường xuyên. \n\n- Báo cáo kết quả \n\nkhảo sát: tháng 12 \n\nhằng năm. ",
        2026,
        [("", "ongoing", None, None), ("Báo cáo kết quả khảo sát", "recurring", "2026-12-31", ("annual",))],
    ),
    (
        "- Kế hoạch: quý I \n\nhằng năm. \n\n- Thông báo kiểm \n\ntra: ngay sau cuộc \n\nkiểm tra. \n\n"
        "- Báo cáo kết quả: \n\ntháng 12 hằng năm. ",
        2026,
        [
            ("Kế hoạch", "recurring", "2026-03-31", ("annual",)),
            ("Thông báo kiểm tra", "event", None, None),
            ("Báo cáo kết quả", "recurring", "2026-12-31", ("annual",)),
        ],
    ),
    (
        "- Kế hoạch cải cách \n\nhành chính năm của \n\ncác cơ quan, đơn vị, \n\nđịa phương: Trước \n\n"
        "ngày 05/01 hằng \n\nnăm. \n\n - Báo cáo kết quả \n\nthực hiện của các cơ \n\nquan, đơn vị: Định \n\n"
        "kỳ hằng Quý hoặc \n\nđột xuất theo quy \n\nđịnh ",
        2026,
        [
            (
                "Kế hoạch cải cách hành chính năm của các cơ quan, đơn vị, địa phương",
                "recurring",
                "2026-01-05",
                ("annual",),
            ),
            ("Báo cáo kết quả thực hiện của các cơ quan, đơn vị", "recurring", None, ("quarterly",)),
        ],
    ),
    (
        "- Văn bản triển khai: \n\nngay sau khi có chỉ \n\nđạo của Chính phủ; \n\nThủ tướng Chính \n\nphủ.  \n\n"
        "- Báo cáo kết quả \n\nthực hiện cùng báo \n\ncáo CCHC định kỳ \n\nhằng quý. ",
        2026,
        [
            ("Văn bản triển khai", "event", None, None),
            ("Báo cáo kết quả thực hiện", "recurring", None, ("quarterly",)),
        ],
    ),
    (
        '<ul style="list-style-type: none"> - Báo cáo định kỳ: các sở, ban, ngành cấp tỉnh; UBND cấp huyện, '
        "UBND cấp xã. - Báo cáo tổng hợp toàn tỉnh hàng quý: Sở Thông tin và Truyền thông. ",
        2021,
        [
            ("Báo cáo định kỳ", "recurring", None, None),
            ("Báo cáo tổng hợp toàn tỉnh hàng quý", "recurring", None, ("quarterly",)),
        ],
    ),
    (
        '<ul style="list-style-type: none"> - Kế hoạch khảo sát: quý I/2021. - Báo cáo kết quả khảo sát: tháng 11/2021. ',
        2021,
        [
            ("Kế hoạch khảo sát", "quarter", "2021-03-31", None),
            ("Báo cáo kết quả khảo sát", "month", "2021-11-30", None),
        ],
    ),
    (
        "<ul><li>- Triển khai áp dụng: Thường xuyên trong năm.</li><li>- Báo cáo kết quả thực hiện: Quý IV/2021.</li></ul>",
        2021,
        [
            ("Triển khai áp dụng", "ongoing", None, None),
            ("Báo cáo kết quả thực hiện", "quarter", "2021-12-31", None),
        ],
    ),
]


@pytest.mark.parametrize(("text", "year", "expected"), SEED_PHRASES, ids=ids(SEED_PHRASES))
def test_seed_phrases(text, year, expected):
    assert read(text, year) == expected


@pytest.mark.parametrize(("text", "year", "expected"), SEED_RAW, ids=ids(SEED_RAW))
def test_seed_cells_as_extracted(text, year, expected):
    assert read(text, year) == expected


GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "gold"


@pytest.mark.skipif(not GOLD.is_dir(), reason="gold annotations not present")
def test_agrees_with_the_gold_annotations():
    """Cross-check with tests/fixtures/gold: every time cell the annotators read, milestone by milestone."""
    checked = 0
    for path in sorted(GOLD.glob("*.json")):
        plan = json.loads(path.read_text(encoding="utf-8"))
        for section in plan["sections"]:
            for task in section["tasks"]:
                if not task.get("deadline_text") or "milestones" not in task:
                    continue
                got = [
                    {k: m.as_json()[k] for k in ("label", "kind", "due", "recurrence")}
                    for m in parse_deadline(task["deadline_text"], plan["year"])
                ]
                assert got == task["milestones"], (path.name, task["deadline_text"])
                checked += 1
    assert checked >= 150


# --------------------------------------------------------------------------- every form of DOMAIN.md §5

FORMS: list[Row] = [
    # date: a date as written; a year missing is the plan's year; a year written stays
    ("Trước ngày 30/6/2022", 2022, [("", "date", "2022-06-30", None)]),
    ("Trước 25/12/2022", 2022, [("", "date", "2022-12-25", None)]),
    ("Trước ngày 15/12/2026", 2026, [("", "date", "2026-12-15", None)]),
    ("Trước 31/12/2021", 2022, [("", "date", "2021-12-31", None)]),
    ("Trước ngày 30/6", 2022, [("", "date", "2022-06-30", None)]),
    ("trước 05/01", 2026, [("", "date", "2026-01-05", None)]),
    ("Chậm nhất ngày 15/12", 2023, [("", "date", "2023-12-15", None)]),
    ("Trước ngày 15 tháng 12 năm 2022", 2022, [("", "date", "2022-12-15", None)]),
    ("Trước ngày 15 tháng 12", 2024, [("", "date", "2024-12-15", None)]),
    ("30 tháng 6 năm 2022", 2022, [("", "date", "2022-06-30", None)]),
    ("ngày 30-6-2022", 2022, [("", "date", "2022-06-30", None)]),
    ("Trước 30.6.2022", 2022, [("", "date", "2022-06-30", None)]),
    ("2022-06-30", 2022, [("", "date", "2022-06-30", None)]),
    ("Trước ngày 29/02/2024", 2024, [("", "date", "2024-02-29", None)]),
    ("Trước ngày 29/02", 2024, [("", "date", "2024-02-29", None)]),
    # month: due on its last day
    ("Tháng 02/2022", 2022, [("", "month", "2022-02-28", None)]),
    ("Tháng 02/2024", 2022, [("", "month", "2024-02-29", None)]),
    ("tháng 1/2022", 2022, [("", "month", "2022-01-31", None)]),
    ("Chậm nhất tháng 12/2022", 2022, [("", "month", "2022-12-31", None)]),
    ("Tháng 02 năm 2022", 2022, [("", "month", "2022-02-28", None)]),
    ("tháng 12 của năm 2023", 2022, [("", "month", "2023-12-31", None)]),
    ("Tháng 9", 2022, [("", "month", "2022-09-30", None)]),
    ("cuối tháng 6", 2022, [("", "month", "2022-06-30", None)]),
    ("Trong tháng 4/2022", 2022, [("", "month", "2022-04-30", None)]),
    ("Trước 6/2022", 2022, [("", "month", "2022-06-30", None)]),
    ("Tháng 6-2022", 2022, [("", "month", "2022-06-30", None)]),
    (
        "Báo cáo kết quả khảo sát: tháng 12/2022",
        2022,
        [("Báo cáo kết quả khảo sát", "month", "2022-12-31", None)],
    ),
    # quarter: due on its last day; roman I-IV, arabic 1-4, typos
    ("Quý I/2022", 2022, [("", "quarter", "2022-03-31", None)]),
    ("Quý II/2022", 2022, [("", "quarter", "2022-06-30", None)]),
    ("Quý III/2022", 2022, [("", "quarter", "2022-09-30", None)]),
    ("Quý IV/2022", 2022, [("", "quarter", "2022-12-31", None)]),
    ("Quý  IV/2022", 2022, [("", "quarter", "2022-12-31", None)]),
    ("Qúy II/2026", 2026, [("", "quarter", "2026-06-30", None)]),
    ("Quí III/2022", 2022, [("", "quarter", "2022-09-30", None)]),
    ("QUÝ IV/2022", 2022, [("", "quarter", "2022-12-31", None)]),
    ("Quý IV/ 2022", 2022, [("", "quarter", "2022-12-31", None)]),
    ("Quý 1/2022", 2022, [("", "quarter", "2022-03-31", None)]),
    ("Quý 2/2022", 2022, [("", "quarter", "2022-06-30", None)]),
    ("Quý 3 năm 2022", 2022, [("", "quarter", "2022-09-30", None)]),
    ("Quý 4 năm 2022", 2022, [("", "quarter", "2022-12-31", None)]),
    ("Quý IV - 2022", 2022, [("", "quarter", "2022-12-31", None)]),
    ("Q2/2022", 2022, [("", "quarter", "2022-06-30", None)]),
    ("Quý II", 2021, [("", "quarter", "2021-06-30", None)]),
    ("Quý I/2023", 2022, [("", "quarter", "2023-03-31", None)]),
    ("Quý I năm 2023", 2022, [("", "quarter", "2023-03-31", None)]),
    ("chậm nhất quý II/2021", 2021, [("", "quarter", "2021-06-30", None)]),
    ("Hoàn thành trong quý III", 2025, [("", "quarter", "2025-09-30", None)]),
    # year: 31/12 of the year written, or of the plan
    ("Trong năm 2022", 2022, [("", "year", "2022-12-31", None)]),
    ("Năm 2026", 2026, [("", "year", "2026-12-31", None)]),
    ("Năm 2026", 2022, [("", "year", "2026-12-31", None)]),
    ("Trong năm.", 2022, [("", "year", "2022-12-31", None)]),
    ("Trong năm", 2026, [("", "year", "2026-12-31", None)]),
    ("Cả năm", 2024, [("", "year", "2024-12-31", None)]),
    ("Cuối năm 2022", 2022, [("", "year", "2022-12-31", None)]),
    ("Đến năm 2025", 2022, [("", "year", "2025-12-31", None)]),
    ("2023", 2022, [("", "year", "2023-12-31", None)]),
    ("Giai đoạn 2022 - 2025", 2022, [("", "year", "2025-12-31", None)]),
    ("Từ năm 2022 đến năm 2025", 2022, [("", "year", "2025-12-31", None)]),
    # ongoing: no due date
    ("Thường xuyên", 2022, [("", "ongoing", None, None)]),
    ("Thường xuyên.", 2026, [("", "ongoing", None, None)]),
    ("Thường xuyên trong năm", 2022, [("", "ongoing", None, None)]),
    ("Thường xuyên trong năm 2022", 2022, [("", "ongoing", None, None)]),
    ("Thực hiện thường xuyên ngay sau khi giải quyết TTHC", 2021, [("", "ongoing", None, None)]),
    ("Thường xuyên, liên tục", 2022, [("", "ongoing", None, None)]),
    ("Hằng ngày", 2022, [("", "ongoing", None, None)]),
    ("Thực hiện thường xuyên hằng năm", 2022, [("", "ongoing", None, ("annual",))]),
    # recurring: periods; due = the first occurrence in the plan year when the phrase anchors it
    ("Định kỳ hàng quý", 2022, [("", "recurring", None, ("quarterly",))]),
    ("Báo cáo định kỳ 6 tháng", 2022, [("", "recurring", None, ("semiannual",))]),
    ("Báo cáo định kỳ 06 tháng", 2022, [("", "recurring", None, ("semiannual",))]),
    ("Báo cáo định kỳ 6 tháng, năm", 2022, [("", "recurring", None, ("semiannual", "annual"))]),
    (
        "theo định kỳ quý, 6 tháng, 9 tháng, năm",
        2022,
        [("", "recurring", None, ("quarterly", "semiannual", "nine_months", "annual"))],
    ),
    (
        "định kỳ hàng quý, 6 tháng, 9 tháng, cả năm hoặc đột xuất",
        2022,
        [("", "recurring", None, ("quarterly", "semiannual", "nine_months", "annual"))],
    ),
    ("hằng quý, năm.", 2026, [("", "recurring", None, ("quarterly", "annual"))]),
    ("Báo cáo định kỳ 6 tháng đầu năm, cả năm", 2022, [("", "recurring", None, ("semiannual", "annual"))]),
    ("Hằng năm", 2022, [("", "recurring", None, ("annual",))]),
    ("Hàng năm", 2022, [("", "recurring", None, ("annual",))]),
    ("Mỗi năm", 2022, [("", "recurring", None, ("annual",))]),
    ("Hàng tháng", 2022, [("", "recurring", None, ("monthly",))]),
    ("Định kỳ hằng tháng, quý", 2022, [("", "recurring", None, ("monthly", "quarterly"))]),
    ("Định kỳ hằng Quý hoặc đột xuất theo quy định", 2026, [("", "recurring", None, ("quarterly",))]),
    ("Theo định kỳ", 2022, [("", "recurring", None, None)]),
    ("Báo cáo định kỳ theo quy định", 2022, [("", "recurring", None, None)]),
    ("tháng 12 hằng năm", 2022, [("", "recurring", "2022-12-31", ("annual",))]),
    ("quý I hằng năm", 2026, [("", "recurring", "2026-03-31", ("annual",))]),
    ("Trước ngày 05/01 hằng năm", 2022, [("", "recurring", "2022-01-05", ("annual",))]),
    ("Hằng năm, trước ngày 15/12", 2022, [("", "recurring", "2022-12-15", ("annual",))]),
    ("Năm 2022 và các năm tiếp theo", 2022, [("", "recurring", "2022-12-31", ("annual",))]),
    ("Định kỳ hằng quý trong năm 2022", 2022, [("", "recurring", None, ("quarterly",))]),
    ("Thường xuyên, báo cáo định kỳ hàng quý", 2022, [("", "recurring", None, ("quarterly",))]),
    # event: no date until someone records the event
    ("Khi có văn bản chỉ đạo của Trung ương", 2022, [("", "event", None, None)]),
    ("Ngay sau khi các bộ, ngành hướng dẫn thực hiện", 2021, [("", "event", None, None)]),
    ("Theo hướng dẫn của Văn phòng Chính phủ", 2022, [("", "event", None, None)]),
    ("ngay sau khi kết thúc kỳ thi", 2026, [("", "event", None, None)]),
    ("Theo lộ trình của Trung ương", 2022, [("", "event", None, None)]),
    ("Theo kế hoạch của UBND tỉnh", 2022, [("", "event", None, None)]),
    ("Theo yêu cầu", 2022, [("", "event", None, None)]),
    ("Đột xuất", 2022, [("", "event", None, None)]),
    ("Sau khi Đề án được phê duyệt", 2022, [("", "event", None, None)]),
    ("Sau khi có hướng dẫn của Bộ, dự kiến quý III/2022", 2022, [("", "event", None, None)]),
    ("Khi có văn bản chỉ đạo của Trung ương năm 2022", 2022, [("", "event", None, None)]),
    # an event phrase with a stated deadline keeps the deadline
    ("Hoàn thành trong quý III/2022 theo hướng dẫn của Bộ", 2022, [("", "quarter", "2022-09-30", None)]),
    ("Quý III/2022 (sau khi có ý kiến của Bộ)", 2022, [("", "quarter", "2022-09-30", None)]),
    ("Theo hướng dẫn của Bộ, chậm nhất tháng 10/2022", 2022, [("", "month", "2022-10-31", None)]),
    # several milestones
    (
        "- Xây dựng kế hoạch: tháng 01/2022; - Báo cáo kết quả thực hiện: theo kế hoạch và theo định kỳ quý, 6 tháng, "
        "9 tháng, năm",
        2022,
        [
            ("Xây dựng kế hoạch", "month", "2022-01-31", None),
            (
                "Báo cáo kết quả thực hiện",
                "recurring",
                None,
                ("quarterly", "semiannual", "nine_months", "annual"),
            ),
        ],
    ),
    (
        "Quý II và Quý IV/2022",
        2022,
        [("", "quarter", "2022-06-30", None), ("", "quarter", "2022-12-31", None)],
    ),
    ("Quý II và IV/2022", 2022, [("", "quarter", "2022-06-30", None), ("", "quarter", "2022-12-31", None)]),
    ("Quý II, III/2023", 2022, [("", "quarter", "2023-06-30", None), ("", "quarter", "2023-09-30", None)]),
    (
        "Quý I, II, III, IV/2022",
        2022,
        [
            ("", "quarter", "2022-03-31", None),
            ("", "quarter", "2022-06-30", None),
            ("", "quarter", "2022-09-30", None),
            ("", "quarter", "2022-12-31", None),
        ],
    ),
    (
        "Quý IV/2022 và Quý I/2023",
        2022,
        [("", "quarter", "2022-12-31", None), ("", "quarter", "2023-03-31", None)],
    ),
    (
        "Tháng 6 và tháng 12/2022",
        2022,
        [("", "month", "2022-06-30", None), ("", "month", "2022-12-31", None)],
    ),
    ("Tháng 6, 12/2022", 2022, [("", "month", "2022-06-30", None), ("", "month", "2022-12-31", None)]),
    (
        "Trước ngày 30/6/2022 và 31/12/2022",
        2022,
        [("", "date", "2022-06-30", None), ("", "date", "2022-12-31", None)],
    ),
    (
        "Quý I/2022; Quý III/2022",
        2022,
        [("", "quarter", "2022-03-31", None), ("", "quarter", "2022-09-30", None)],
    ),
    (
        "Quý I/2022\nQuý III/2022",
        2022,
        [("", "quarter", "2022-03-31", None), ("", "quarter", "2022-09-30", None)],
    ),
    (
        "Thường xuyên. Báo cáo: Quý IV/2022",
        2022,
        [("", "ongoing", None, None), ("Báo cáo", "quarter", "2022-12-31", None)],
    ),
    (
        "+ Kế hoạch: Quý I/2022\n+ Báo cáo: Quý IV/2022",
        2022,
        [("Kế hoạch", "quarter", "2022-03-31", None), ("Báo cáo", "quarter", "2022-12-31", None)],
    ),
    (
        "• Kế hoạch: Quý I/2022\n• Báo cáo: Quý IV/2022",
        2022,
        [("Kế hoạch", "quarter", "2022-03-31", None), ("Báo cáo", "quarter", "2022-12-31", None)],
    ),
    (
        "Thẩm định: Quý I/2022 - Ban hành: Quý II/2022",
        2022,
        [("Thẩm định", "quarter", "2022-03-31", None), ("Ban hành", "quarter", "2022-06-30", None)],
    ),
    (
        "Quý I/2022: Xây dựng kế hoạch; Quý IV/2022: Báo cáo kết quả",
        2022,
        [
            ("Xây dựng kế hoạch", "quarter", "2022-03-31", None),
            ("Báo cáo kết quả", "quarter", "2022-12-31", None),
        ],
    ),
    # ranges keep their end
    ("Quý II - Quý IV/2022", 2022, [("", "quarter", "2022-12-31", None)]),
    ("Quý II/2022 - Quý IV/2022", 2022, [("", "quarter", "2022-12-31", None)]),
    ("Từ tháng 3 đến tháng 6/2022", 2022, [("", "month", "2022-06-30", None)]),
    ("Từ ngày 01/3/2022 đến ngày 30/6/2022", 2022, [("", "date", "2022-06-30", None)]),
]


@pytest.mark.parametrize(("text", "year", "expected"), FORMS, ids=ids(FORMS))
def test_forms(text, year, expected):
    assert read(text, year) == expected


# --------------------------------------------------------------------------- never a wrong date

NO_DATE: list[Row] = [
    # relative to another date: kept as event (waits for something) or unknown (for review)
    # ("Quý I năm sau", "Tháng 12 năm tiếp theo" name the plan's next year: see ADJACENT below)
    ("Trong năm tới", 2022, [("", "unknown", None, None)]),
    ("Quý IV năm trước", 2022, [("", "unknown", None, None)]),
    ("Trong vòng 30 ngày", 2022, [("", "unknown", None, None)]),
    ("05 ngày làm việc", 2022, [("", "unknown", None, None)]),
    ("Sau 03 tháng kể từ ngày Quyết định có hiệu lực", 2022, [("", "event", None, None)]),
    ("Sau 03 tháng kể từ ngày 01/7/2022", 2022, [("", "event", None, None)]),
    ("6 tháng sau khi ban hành", 2022, [("", "event", None, None)]),
    # a date inside a cited document is not a deadline
    ("Theo Quyết định số 2725/QĐ-UBND ngày 21/7/2021", 2022, [("", "event", None, None)]),
    ("Kế hoạch số 257/KH-UBND ngày 22/12/2025", 2026, [("", "event", None, None)]),
    ("Thực hiện Kế hoạch số 257/KH-UBND ngày 22/12/2025 của UBND tỉnh", 2026, [("", "event", None, None)]),
    ("Theo tiến độ tại Quyết định số 24/2018/QĐ-UBND", 2022, [("", "event", None, None)]),
    ("Quyết định số 5476 /QĐ-UBND ngày 24 tháng 12 năm 2020", 2021, [("", "event", None, None)]),
    ("Theo Kế hoạch của UBND tỉnh ngày 15/3/2022", 2022, [("", "event", None, None)]),
    ("Công văn số 7599/UBND-THKH 30/5/2024", 2024, [("", "event", None, None)]),
    ("Nghị quyết số 57-NQ/TW ngày 22/12/2024", 2026, [("", "event", None, None)]),
    ("ngày 10/7/2023 của Chính phủ về thực hiện Kết luận", 2024, [("", "event", None, None)]),
    (
        "Theo Quyết định số 2725/QĐ-UBND ngày 21/7/2021, trước ngày 30/6/2022",
        2022,
        [("", "date", "2022-06-30", None)],
    ),
    # invalid dates: unknown, not an exception
    ("Trước ngày 31/02/2022", 2022, [("", "unknown", None, None)]),
    ("Trước ngày 30/02", 2022, [("", "unknown", None, None)]),
    ("Trước ngày 29/02/2023", 2023, [("", "unknown", None, None)]),
    ("Trước ngày 32/12/2022", 2022, [("", "unknown", None, None)]),
    ("Tháng 13/2022", 2022, [("", "unknown", None, None)]),
    ("Tháng 0/2022", 2022, [("", "unknown", None, None)]),
    ("Quý V/2022", 2022, [("", "unknown", None, None)]),
    ("Quý 5/2022", 2022, [("", "unknown", None, None)]),
    ("Quý 0/2022", 2022, [("", "unknown", None, None)]),
    ("Năm 0022", 2022, [("", "unknown", None, None)]),
    ("Trước ngày 30/6/9999", 2022, [("", "unknown", None, None)]),
    ("Giai đoạn 2025 - 2022", 2022, [("", "unknown", None, None)]),
    # garbled years are not read as the plan's year
    ("Tháng 6/22", 2022, [("", "unknown", None, None)]),
    ("Tháng 02/2O22", 2022, [("", "unknown", None, None)]),
    ("Quý II/22", 2022, [("", "unknown", None, None)]),
    # a start, or a vague part of a period, is not a due date
    ("Sau ngày 30/6/2022", 2022, [("", "unknown", None, None)]),
    ("Từ tháng 3/2022", 2022, [("", "unknown", None, None)]),
    ("Từ năm 2023 trở đi", 2022, [("", "unknown", None, None)]),
    ("Đầu năm 2023", 2022, [("", "unknown", None, None)]),
    ("Đầu tháng 12/2022", 2022, [("", "unknown", None, None)]),
    ("Giữa quý III/2022", 2022, [("", "unknown", None, None)]),
    ("6 tháng đầu năm 2022", 2022, [("", "unknown", None, None)]),
    ("Năm học 2022-2023", 2022, [("", "unknown", None, None)]),
    # numbers that are not dates
    ("Nghị định 12/2022", 2022, [("", "unknown", None, None)]),
    ("Tháng", 2022, [("", "unknown", None, None)]),
    ("Quý", 2022, [("", "unknown", None, None)]),
    ("Trước ngày 20 của tháng cuối quý", 2022, [("", "unknown", None, None)]),
    ("Báo cáo 6 tháng", 2022, [("", "unknown", None, None)]),
    ("hàng hóa năm", 2022, [("", "unknown", None, None)]),
    ("Ngân hàng năm nay", 2022, [("", "unknown", None, None)]),
    ("hôm nay", 2022, [("", "unknown", None, None)]),
    ("Sở Nội vụ", 2022, [("", "unknown", None, None)]),
    ("-", 2022, [("", "unknown", None, None)]),
    ("", 2022, [("", "unknown", None, None)]),
    ("   \n\n ", 2022, [("", "unknown", None, None)]),
]


@pytest.mark.parametrize(("text", "year", "expected"), NO_DATE, ids=ids(NO_DATE))
def test_never_a_wrong_date(text, year, expected):
    assert read(text, year) == expected


def test_a_deadline_cue_beats_an_issuer():
    assert read("Trước ngày 30/6/2022 của UBND tỉnh") == [("", "date", "2022-06-30", None)]


def test_a_part_not_understood_does_not_spoil_the_next():
    assert read("Tháng 13/2022; Quý II/2022") == [
        ("", "unknown", None, None),
        ("", "quarter", "2022-06-30", None),
    ]


# --------------------------------------------------------------------------- periods next to the plan's

# Issue 14: phrases that point at an adjacent period resolve against the plan's year, in the right
# direction; a monthly or quarterly report due "trước ngày 05 của tháng liền kề" is recurring, its day
# pinned in the year after the plan (the status engine reads that pin as a lag after each period).
ADJACENT: list[Row] = [
    # "năm liền kề" is the year after the plan's, "năm trước liền kề" the year before
    ("Trước ngày 15/01 năm liền kề", 2026, [("", "date", "2027-01-15", None)]),
    ("Trước ngày 15/01 của năm liền kề", 2026, [("", "date", "2027-01-15", None)]),
    ("Chậm nhất ngày 31/01 năm liền kề.", 2022, [("", "date", "2023-01-31", None)]),
    ("Ngày 05 tháng 01 năm liền kề", 2026, [("", "date", "2027-01-05", None)]),
    ("Quý I năm liền kề", 2026, [("", "quarter", "2027-03-31", None)]),
    ("Tháng 01 năm liền kề", 2026, [("", "month", "2027-01-31", None)]),
    ("Trong năm liền kề", 2026, [("", "year", "2027-12-31", None)]),
    ("Trước ngày 15/12 năm trước liền kề", 2026, [("", "date", "2025-12-15", None)]),
    ("Tháng 12 năm trước liền kề", 2026, [("", "month", "2025-12-31", None)]),
    ("Quý IV của năm trước liền kề", 2026, [("", "quarter", "2025-12-31", None)]),
    # "năm sau" (and its synonyms "năm tiếp theo", "năm kế tiếp") after an anchor: the next year
    ("Quý I năm sau", 2022, [("", "quarter", "2023-03-31", None)]),
    ("Tháng 12 năm tiếp theo", 2022, [("", "month", "2023-12-31", None)]),
    ("Trước ngày 20/01 năm sau", 2026, [("", "date", "2027-01-20", None)]),
    ("Tháng 02 năm kế tiếp", 2026, [("", "month", "2027-02-28", None)]),
    ("Trong năm sau", 2026, [("", "year", "2027-12-31", None)]),
    (
        "- Báo cáo năm: trước ngày 15/01 năm sau; - Báo cáo quý: Quý I/2026.",
        2026,
        [("Báo cáo năm", "date", "2027-01-15", None), ("Báo cáo quý", "quarter", "2026-03-31", None)],
    ),
    # a full date in the year before the plan's is a real date (the task that prepares the plan)
    ("Chậm nhất ngày 31/12/2025", 2026, [("", "date", "2025-12-31", None)]),
    ("Trước 31/12/2025", 2026, [("", "date", "2025-12-31", None)]),
    ("Xây dựng kế hoạch: chậm nhất ngày 25/12/2025", 2026, [("Xây dựng kế hoạch", "date", "2025-12-25", None)]),
    # a day of the month after each period: recurring, pinned in the next year
    ("Trước ngày 05 của tháng liền kề", 2026, [("", "recurring", "2027-01-05", ("monthly",))]),
    ("Trước ngày 05 tháng liền kề", 2026, [("", "recurring", "2027-01-05", ("monthly",))]),
    ("Trước ngày 05 của tháng tiếp theo", 2026, [("", "recurring", "2027-01-05", ("monthly",))]),
    (
        "Báo cáo hằng tháng: trước ngày 05 của tháng liền kề",
        2026,
        [("Báo cáo hằng tháng", "recurring", "2027-01-05", ("monthly",))],
    ),
    (
        "Báo cáo hằng quý: trước ngày 05 của tháng liền kề",
        2026,
        [("Báo cáo hằng quý", "recurring", "2027-01-05", ("quarterly",))],
    ),
    (
        "Định kỳ hằng quý, trước ngày 05 của tháng liền kề",
        2026,
        [("", "recurring", "2027-01-05", ("quarterly",))],
    ),
    (
        "Báo cáo quý: trước ngày 10 tháng đầu của quý liền kề",
        2026,
        [("Báo cáo quý", "recurring", "2027-01-10", ("quarterly",))],
    ),
    ("Trước ngày 10 của quý liền kề", 2026, [("", "recurring", "2027-01-10", ("quarterly",))]),
    (
        "Định kỳ 6 tháng, năm: trước ngày 10 của kỳ báo cáo liền kề",
        2026,
        [("Định kỳ 6 tháng, năm", "recurring", "2027-01-10", ("semiannual", "annual"))],
    ),
    (
        "Báo cáo định kỳ 6 tháng, năm trước ngày 10 của kỳ báo cáo liền kề",
        2026,
        [("", "recurring", "2027-01-10", ("semiannual", "annual"))],
    ),
    # a reporting period with no period named: recurring, neither period nor day invented
    ("Trước ngày 10 của kỳ báo cáo liền kề", 2026, [("", "recurring", None, None)]),
    # unsure: unknown, phrase kept
    ("Trong quý liền kề", 2026, [("", "unknown", None, None)]),
    ("Tháng liền kề", 2026, [("", "unknown", None, None)]),
    ("Năm liền kề", 2026, [("", "unknown", None, None)]),
    ("Quý IV năm trước", 2026, [("", "unknown", None, None)]),
    ("Trong năm tới", 2026, [("", "unknown", None, None)]),
    ("Trước ngày 32 của tháng liền kề", 2026, [("", "unknown", None, None)]),
    ("Đầu năm liền kề", 2026, [("", "unknown", None, None)]),
    ("Sau ngày 15/01 năm liền kề", 2026, [("", "unknown", None, None)]),
]


@pytest.mark.parametrize(("text", "year", "expected"), ADJACENT, ids=ids(ADJACENT))
def test_adjacent_periods_resolve_against_the_plan_year(text, year, expected):
    assert read(text, year) == expected


@pytest.mark.parametrize("text", ["Trong quý liền kề", "Năm liền kề", "Trong năm tới"])
def test_unsure_adjacent_period_keeps_its_phrase(text):
    (m,) = parse_deadline(text, 2026)
    assert (m.kind, m.due, m.text) == ("unknown", None, text)


# --------------------------------------------------------------------------- labels, deliverables, text


def test_labelled_part_names_its_deliverable():
    (m,) = parse_deadline("Báo cáo kết quả khảo sát: tháng 12/2022.", 2022)
    assert (m.label, m.deliverable, m.text) == (
        "Báo cáo kết quả khảo sát",
        "Báo cáo kết quả khảo sát",
        "Báo cáo kết quả khảo sát: tháng 12/2022",
    )


@pytest.mark.parametrize(
    ("label", "deliverable"),
    [
        ("Xây dựng kế hoạch", "Kế hoạch"),
        ("Trình UBND tỉnh Đề án", "Đề án"),
        ("Hợp đồng tuyên truyền", "Hợp đồng tuyên truyền"),
        ("Dự thảo văn bản trình UBND tỉnh", "Dự thảo văn bản trình UBND tỉnh"),
        ("Kế hoạch CCHC 2022 của các cơ quan, đơn vị", "Kế hoạch CCHC 2022 của các cơ quan, đơn vị"),
        ("Tổ chức thực hiện", ""),
        ("Triển khai", ""),
    ],
)
def test_deliverable_of_a_label(label, deliverable):
    (m,) = parse_deadline(f"{label}: Quý I/2022", 2022)
    assert (m.label, m.deliverable) == (label, deliverable)


def test_unlabelled_phrase_has_no_label_nor_deliverable():
    (m,) = parse_deadline("Báo cáo kết quả thực hiện trong quý IV/2021.", 2021)
    assert (m.label, m.deliverable, m.kind) == ("", "", "quarter")


def test_each_milestone_keeps_its_own_phrase():
    ms = parse_deadline(
        "- Kế hoạch thanh tra, kiểm tra: Quý I/2022. - Báo cáo kết quả thực hiện: Quý IV/2022.", 2022
    )
    assert [m.text for m in ms] == [
        "Kế hoạch thanh tra, kiểm tra: Quý I/2022",
        "Báo cáo kết quả thực hiện: Quý IV/2022",
    ]


def test_milestones_of_one_list_share_label_and_phrase():
    ms = parse_deadline("Báo cáo: Quý II và Quý IV/2022", 2022)
    assert [(m.label, m.text) for m in ms] == [("Báo cáo", "Báo cáo: Quý II và Quý IV/2022")] * 2


def test_continuation_joins_the_part_before():
    (m,) = parse_deadline("Ngay sau khi có chỉ đạo của Chính phủ; Thủ tướng Chính phủ.", 2026)
    assert (m.kind, m.text) == ("event", "Ngay sau khi có chỉ đạo của Chính phủ; Thủ tướng Chính phủ")


def test_leading_fragment_prefixes_the_next_part():
    (m,) = parse_deadline("UBND TP. Thanh Hóa: Quý I/2022", 2022)
    assert (m.label, m.kind, m.due) == ("UBND TP. Thanh Hóa", "quarter", datetime.date(2022, 3, 31))


def test_dash_inside_a_name_is_not_a_list():
    ms = parse_deadline("- Kế hoạch: Quý I/2022. - Báo cáo của Phòng Văn hóa - Xã hội: Quý IV/2022", 2022)
    assert [m.label for m in ms] == ["Kế hoạch", "Báo cáo của Phòng Văn hóa - Xã hội"]


def test_labelled_part_not_understood_stays_flagged_with_its_label():
    ms = parse_deadline("- Kế hoạch: Quý I/2022. - Báo cáo: khi cần thiết thì làm", 2022)
    assert [(m.label, m.kind) for m in ms] == [("Kế hoạch", "quarter"), ("Báo cáo", "event")]
    ms = parse_deadline("- Kế hoạch: Quý I/2022. - Báo cáo: chưa xác định", 2022)
    assert [(m.label, m.kind) for m in ms] == [("Kế hoạch", "quarter"), ("Báo cáo", "unknown")]


def test_labelled_lines_without_bullets():
    assert read("Kế hoạch: Quý I/2022\nBáo cáo: Quý IV/2022") == [
        ("Kế hoạch", "quarter", "2022-03-31", None),
        ("Báo cáo", "quarter", "2022-12-31", None),
    ]


def test_a_wrapped_line_ending_in_a_label_is_not_a_new_part():
    assert read("Trình UBND tỉnh\nĐề án: Quý II/2022") == [
        ("Trình UBND tỉnh Đề án", "quarter", "2022-06-30", None)
    ]


def test_clock_time_is_not_a_label():
    (m,) = parse_deadline("Trước 17:00 ngày 30/6/2022", 2022)
    assert (m.label, m.kind, m.due) == ("", "date", datetime.date(2022, 6, 30))


def test_unknown_keeps_the_whole_phrase_for_review():
    (m,) = parse_deadline("  - Chưa   xác định;\n", 2022)
    assert m == Milestone("", "unknown", None, None, "", "Chưa xác định")


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize("form", ["NFC", "NFD", "NFKC", "NFKD"])
def test_normal_forms_read_alike(form):
    for text, year, expected in SEED_PHRASES:
        assert read(unicodedata.normalize(form, text), year) == expected, text


def test_case_and_stray_whitespace_do_not_matter():
    assert read("  QUÝ\tIII / 2022 \r\n") == [("", "quarter", "2022-09-30", None)]
    assert read("thường   xuyên\n trong năm") == [("", "ongoing", None, None)]


def test_dashes_and_nbsp_are_unified():
    assert read("Quý\u00a0II\u2013Quý IV/2022") == [("", "quarter", "2022-12-31", None)]
    assert read("\u2013 Kế hoạch: Quý I/2022\n\u2014 Báo cáo: Quý IV/2022") == [
        ("Kế hoạch", "quarter", "2022-03-31", None),
        ("Báo cáo", "quarter", "2022-12-31", None),
    ]


def test_html_entities_and_tags():
    assert read("<p>Qu&yacute; II/2022&nbsp;</p>") == [("", "quarter", "2022-06-30", None)]
    assert read("Sở TT&amp;TT: Quý I/2022") == [("Sở TT&TT", "quarter", "2022-03-31", None)]


def test_private_use_characters_in_input_are_harmless():
    assert read("Quý\ue000 II/2022\ue001") == [("", "quarter", "2022-06-30", None)]


# --------------------------------------------------------------------------- interface


def test_as_json():
    ms = parse_deadline("- Kế hoạch: quý I hằng năm. - Báo cáo: Quý IV/2026", 2026)
    assert [m.as_json() for m in ms] == [
        {
            "label": "Kế hoạch",
            "kind": "recurring",
            "due": "2026-03-31",
            "recurrence": ["annual"],
            "deliverable": "Kế hoạch",
            "text": "Kế hoạch: quý I hằng năm",
        },
        {
            "label": "Báo cáo",
            "kind": "quarter",
            "due": "2026-12-31",
            "recurrence": None,
            "deliverable": "Báo cáo",
            "text": "Báo cáo: Quý IV/2026",
        },
    ]
    json.dumps([m.as_json() for m in ms])  # JSON-serialisable as is


def test_milestone_is_frozen_and_hashable():
    (m,) = parse_deadline("Quý I/2022", 2022)
    with pytest.raises(FrozenInstanceError):
        m.kind = "date"  # type: ignore[misc]
    assert {m, parse_deadline("Quý I/2022", 2022)[0]} == {m}
    assert Milestone("", "ongoing", None, None) == Milestone("", "ongoing", None, None, "", "")


def test_vocabularies():
    assert KINDS == ("date", "month", "quarter", "year", "ongoing", "recurring", "event", "unknown")
    assert PERIODS == ("monthly", "quarterly", "semiannual", "nine_months", "annual")


@pytest.mark.parametrize("year", [None, "2022", 0, -5, 10_000, 10**30, 2022.0])
def test_odd_plan_years_do_not_raise(year):
    ms = parse_deadline("Quý I; Quý II/2023; Thường xuyên", year)  # type: ignore[arg-type]
    assert ms and all(m.kind in KINDS for m in ms)
    assert ms[1].due == datetime.date(2023, 6, 30)


def test_plan_year_as_string_is_accepted():
    assert read("Quý I", "2022") == [("", "quarter", "2022-03-31", None)]  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [None, 2022, b"Qu\xc3\xbd I/2022"])
def test_non_text_input_does_not_raise(text):
    ms = parse_deadline(text, 2022)  # type: ignore[arg-type]
    assert len(ms) >= 1 and all(isinstance(m, Milestone) for m in ms)


@pytest.mark.parametrize(
    "text",
    [
        "-" * 20_000 + "x",
        ". A" * 5_000,
        "a - b - c - " * 2_000 + "d: Quý I",
        "Xây dựng " * 5_000 + "kế hoạch: Quý I",
        "trong năm " * 1_000,
        "1/1/2022 " * 1_000,
        "quý i, " * 3_000,
        "\n a:" * 3_000,
    ],
    ids=["dashes", "sentences", "dashes-in-names", "long-label", "years", "dates", "quarters", "label-lines"],
)
def test_long_input_stays_fast(text):
    start = time.perf_counter()
    assert parse_deadline(text, 2022)
    assert time.perf_counter() - start < 1.5
