"""Importing a filled self-assessment .docx/.xlsx on the assessment page: uploaded, reviewed with
every unmatched row and refused score listed, then saved all or nothing on confirmation."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from cchc.par.models import LeafScore
from tests.core.test_par_filled import write_docx, write_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["STT", "Nội dung Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Điểm tự đánh giá của đơn vị", "Tài liệu kiểm chứng"]


def rows(**changes):
    """The commune set's table as a commune fills it: area rows, then criteria with their scores."""
    table = [
        HEADER,
        ["1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "8", "", ""],
        ["1.1", "Thực hiện kế hoạch CCHC", "3", "3", "Báo cáo số 12/BC-UBND"],
        ["1.2", "Ban hành kế hoạch CCHC năm đúng hạn", "2", "2", "Kế hoạch số 5/KH-UBND ngày 10/01/2025"],
        ["", "Sáng kiến, giải pháp mới trong CCHC", "3", "1,5", ""],
        ["2", "CẢI CÁCH THỂ CHẾ", "6", "", ""],
        ["2.1", "Kiểm tra, rà soát văn bản quy phạm pháp luật", "4", "2", ""],
        ["2.2", "Theo dõi thi hành pháp luật", "2", "1,25", ""],
        ["3.2", "Công khai thủ tục hành chính", "2", "0", ""],
        ["4.1", "Tuyên truyền trên báo chí", "1", "1", ""],
    ]
    for code, score in changes.items():
        code = code.replace("_", ".")
        next(r for r in table if r[0] == code)[3] = score
    return table


def upload(client, assessment, path):
    with path.open("rb") as f:
        return client.post(reverse("par:filled_upload", args=[assessment.pk]), {"filled": f})


def self_points(assessment):
    return {c: p for c, p in LeafScore.objects.filter(assessment=assessment, auto=False).values_list("code", "self_points") if p is not None}


@pytest.mark.parametrize("writer,name", [(write_docx, "tu-danh-gia.docx"), (write_xlsx, "tu-danh-gia.xlsx")])
def test_a_filled_file_is_reviewed_then_saved_on_confirmation(client, par, tmp_path, writer, name):
    commune = par["commune"]
    client.force_login(par["users"]["officer"])
    assert 'id="filled-form"' in client.get(reverse("par:assessment", args=[commune.pk])).content.decode()
    before = self_points(commune)
    review = upload(client, commune, writer(tmp_path / name, rows()))
    html = review.content.decode()
    assert review.status_code == 200 and f"Xem lại tệp tự đánh giá “{name}”" in html
    assert "«Tuyên truyền trên báo chí» không khớp tiêu chí nào" in html  # the unmatched row, with its row number
    assert re.search(rf"{re.escape(name)}, dòng \d+: mã «4.1», «Tuyên truyền", html)
    assert "không ghi mã; khớp theo tên với tiêu chí 1.3" in html
    assert "Điểm được tính tự động từ số liệu của hệ thống" in html  # 1.1 is computed: its typed 3 is skipped
    assert self_points(commune) == before  # nothing saved before confirmation
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    done = client.post(reverse("par:filled_confirm", args=[commune.pk]), {"token": token}, follow=True)
    assert f"Đã nhập 5 điểm tự đánh giá từ tệp “{name}”." in done.content.decode()
    points = self_points(commune)
    assert {k: points[k] for k in ("1.2", "1.3", "2.1", "2.2", "3.2")} == {
        "1.2": D("2"), "1.3": D("1.5"), "2.1": D("2"), "2.2": D("1.25"), "3.2": D("0")
    }
    assert "1.1" not in points  # computed, never typed


def test_a_score_the_rule_refuses_blocks_the_whole_import_naming_row_and_leaf(client, par, tmp_path):
    commune = par["commune"]
    client.force_login(par["users"]["officer"])
    before = self_points(commune)
    review = upload(client, commune, write_docx(tmp_path / "sai.docx", rows(**{"2_1": "3", "2_2": "2,5"})))
    html = review.content.decode()
    assert "Không nhập được: 2 dòng có điểm không hợp lệ." in html and 'id="filled-confirm"' not in html
    assert re.search(r"sai.docx, dòng 7: Tiêu chí 2.1 \(Kiểm tra, rà soát văn bản quy phạm pháp luật\): [^<]*4", html)
    assert "sai.docx, dòng 8: Tiêu chí 2.2 (Theo dõi thi hành pháp luật): điểm 2,5 vượt điểm tối đa 2,00." in html
    assert self_points(commune) == before


def test_a_forged_or_foreign_token_and_other_units_are_refused(client, par, tmp_path):
    commune, other = par["commune"], par["other_commune"]
    client.force_login(par["users"]["officer"])
    html = upload(client, commune, write_docx(tmp_path / "a.docx", rows())).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    client.force_login(par["users"]["other"])
    path = write_docx(tmp_path / "b.docx", rows())
    assert upload(client, commune, path).status_code == 404  # another unit's assessment is not visible
    before = self_points(other)
    refused = client.post(reverse("par:filled_confirm", args=[other.pk]), {"token": token}, follow=True)
    assert "Dữ liệu xác nhận thuộc bản tự đánh giá khác" in refused.content.decode()
    forged = client.post(reverse("par:filled_confirm", args=[other.pk]), {"token": token[:-3] + "abc"}, follow=True)
    assert "Dữ liệu xác nhận không hợp lệ" in forged.content.decode()
    assert self_points(other) == before


def test_a_file_that_is_not_a_self_assessment_is_refused_with_its_name(client, par, tmp_path):
    commune = par["commune"]
    client.force_login(par["users"]["officer"])
    path = write_docx(tmp_path / "cong-van.docx", [["STT", "Nội dung"], ["1", "Báo cáo"]])
    with path.open("rb") as f:
        page = client.post(reverse("par:filled_upload", args=[commune.pk]), {"filled": f}, follow=True).content.decode()
    assert "cong-van.docx: không tìm thấy bảng tiêu chí có cột «Điểm tự đánh giá»." in page
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF-1.4\n%%EOF\n")
    with bad.open("rb") as f:
        page = client.post(reverse("par:filled_upload", args=[commune.pk]), {"filled": f}, follow=True).content.decode()
    assert "Tệp “x.pdf”: chỉ đọc được bản tự đánh giá dạng .docx hoặc .xlsx." in page
