"""Property tests for the readers without one yet (issue 13 point 5): the plan reader (.txt text, and
.txt/.docx/.pdf files of any bytes), the statistical form reader and the sheet reader. Any input gives
a result or the reader's own error, never another exception, and quickly (hypothesis deadline)."""

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.core.filetypes import UploadRejected, check_upload
from cchc.core.plan_reader import PlanReadError, read_plan, read_plan_text
from cchc.core.sheets import Column, SheetError, read_xlsx
from cchc.core.statforms.reader import FormReadError, read_form_document, read_form_text

FAST = settings(max_examples=40, deadline=3000, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Lines that look like a plan or a form: headings, numbered tasks, deadlines, units, with noise.
PLAN_WORDS = ["KẾ HOẠCH", "Cải cách hành chính năm 2026", "I.", "II.", "1.", "1.1", "a)", "-", "Thời gian:",
              "Quý I/2026", "trước 30/6/2026", "Sở Nội vụ", "UBND các xã", "Chủ trì", "Phối hợp", "\t",
              "Biểu mẫu 1", "STT", "Chỉ tiêu", "Đơn vị tính", "%", "517.417", "99,65"]
plan_like = st.lists(
    st.lists(st.one_of(st.sampled_from(PLAN_WORDS), st.text(max_size=12)), max_size=6).map(" ".join),
    max_size=40,
).map("\n".join)
any_text = st.one_of(st.text(max_size=2000), plan_like)


@FAST
@given(text=any_text, year=st.one_of(st.none(), st.integers(2000, 2100)))
def test_plan_text_gives_a_plan_or_a_plan_read_error(text, year):
    try:
        plan = read_plan_text(text, year=year)
    except PlanReadError as error:
        assert str(error)
    else:
        assert isinstance(plan, dict) and isinstance(plan.get("sections"), list)


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


raw_bytes = st.one_of(
    st.binary(max_size=4000),
    st.binary(max_size=2000).map(lambda b: b"%PDF-1.4\n" + b),
    st.binary(max_size=2000).map(lambda b: _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": b})),
    any_text.map(lambda t: t.encode("utf-8")),
)


@FAST
@given(data=raw_bytes, suffix=st.sampled_from([".txt", ".docx", ".pdf"]))
def test_a_plan_file_of_any_bytes_gives_a_plan_or_a_plan_read_error(tmp_path, data, suffix):
    path = tmp_path / f"ke-hoach{suffix}"
    path.write_bytes(data)
    try:
        plan = read_plan(path)
    except PlanReadError as error:
        assert str(error)
    else:
        assert isinstance(plan, dict)


@FAST
@given(text=any_text)
def test_form_text_gives_forms_or_a_form_read_error(text):
    try:
        document = read_form_text(text)
    except FormReadError as error:
        assert str(error)
    else:
        assert document is not None


@FAST
@given(data=raw_bytes, suffix=st.sampled_from([".xlsx", ".docx", ".pdf", ".txt"]))
def test_a_form_file_of_any_bytes_gives_forms_or_a_form_read_error(tmp_path, data, suffix):
    path = tmp_path / f"bieu-mau{suffix}"
    path.write_bytes(data)
    try:
        read_form_document(path)
    except FormReadError as error:
        assert str(error)


@FAST
@given(data=raw_bytes)
def test_a_sheet_of_any_bytes_gives_rows_or_a_sheet_error(data):
    try:
        read_xlsx(data, "danh-sach.xlsx", (Column("name", "Họ và tên"),))
    except SheetError as error:
        assert str(error)


@FAST
@given(data=raw_bytes, name=st.sampled_from(["a.pdf", "a.docx", "a.xlsx", "a.txt", "a.png", "a.doc"]))
def test_an_upload_of_any_bytes_is_a_kind_or_an_upload_rejected(data, name):
    try:
        kind = check_upload(io.BytesIO(data), name)
    except UploadRejected as error:
        assert error.message and error.code
    else:
        assert kind in ("pdf", "docx", "xlsx", "txt", "png", "doc")
