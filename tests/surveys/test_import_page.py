"""The import page: a good file is saved, a bad .csv/.xlsx is refused whole with Vietnamese
errors naming the file, the row and the column."""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.surveys.models import AnswerRow, Response


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def post(client, survey, name, content):
    client.force_login(survey["coordinator"])
    return client.post(reverse("surveys:import", args=[survey["round"].pk]),
                       {"file": SimpleUploadedFile(name, content)})


def test_good_csv_is_saved_per_unit(client, survey):
    content = (b"unit,form_no,TC.1,TC.2,R6\n"
               b"tha-so-tu-phap,T-1,5,4,1\n"
               b"tha-so-tu-phap,T-2,3,0,2\n"
               b"tha-so-noi-vu,N-1,4,,\n")
    page = post(client, survey, "phieu.csv", content)
    assert page.status_code == 302
    rows = sorted(Response.objects.values_list("round_unit__unit__code", "form_no", "source", "channel"))
    assert rows == [("tha-so-noi-vu", "N-1", "import", ""), ("tha-so-tu-phap", "T-1", "import", "1"),
                    ("tha-so-tu-phap", "T-2", "import", "2")]
    assert AnswerRow.objects.count() == 7  # 3 + 3 + 1 (empty cells are no answer)


def test_bad_xlsx_rows_are_listed_and_nothing_is_saved(client, survey):
    content = xlsx([
        ["unit", "Số phiếu", "TC.1", "TC.2"],
        ["tha-so-tu-phap", "A1", 5, 4],       # good
        ["tha-so-tu-phap", "A2", 7, 4],       # 7 is off the scale
        ["khong-co", "A3", 5, None],          # not a unit of the round
        ["tha-so-tu-phap", "A4", None, None],  # nothing rated
        ["tha-so-tu-phap", "A1", 4, 4],       # form number used twice
    ])
    page = post(client, survey, "phieu.xlsx", content)
    html = page.content.decode()
    assert page.status_code == 200
    assert "phieu.xlsx, dòng 3, cột TC.1: đáp án “7” không có trong thang đo" in html
    assert "phieu.xlsx, dòng 4: đơn vị “khong-co” không thuộc đợt khảo sát này." in html
    assert "phieu.xlsx, dòng 5: phiếu không trả lời câu hỏi đánh giá nào." in html
    assert not Response.objects.exists() and not AnswerRow.objects.exists()


def test_duplicate_form_number_in_a_file_refuses_the_whole_file(client, survey):
    content = (b"unit,form_no,TC.1\n"
               b"tha-so-noi-vu,N-1,5\n"
               b"tha-so-tu-phap,T-1,5\n"
               b"tha-so-tu-phap,T-1,4\n")
    html = post(client, survey, "phieu.csv", content).content.decode()
    assert "phieu.csv, dòng 4 (phiếu số T-1): số phiếu T-1 đã được nhập." in html
    assert not Response.objects.exists()  # not even the other unit's good row


def test_unknown_column_and_unreadable_files_are_refused_with_one_clear_message(client, survey):
    html = post(client, survey, "phieu.csv", b"unit,TC.1,XYZ\ntha-so-tu-phap,5,1\n").content.decode()
    assert "phieu.csv, dòng 1, cột 3: “XYZ” không phải mã câu hỏi" in html
    html = post(client, survey, "phieu.xlsx", b"PK\x03\x04 not a workbook").content.decode()
    assert "phieu.xlsx" in html and not Response.objects.exists()
    html = post(client, survey, "phieu.csv", "TC.1\n5\n".encode("utf-16")).content.decode()
    assert "phieu.csv" in html and not Response.objects.exists()


def test_import_without_a_file_says_so(client, survey):
    client.force_login(survey["coordinator"])
    page = client.post(reverse("surveys:import", args=[survey["round"].pk]))
    assert "Chưa chọn tệp .csv hoặc .xlsx." in page.content.decode()
