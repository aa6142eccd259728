"""A questionnaire's text to a design draft: factors, numbered questions, table rows, the
respondent section with its checkbox options, and what was skipped."""

from __future__ import annotations

import pytest

from cchc.core.surveys import QuestionnaireError, design_from_dict, read_questionnaire

TEXT = """PHIẾU KHẢO SÁT SỰ HÀI LÒNG CỦA NGƯỜI DÂN, TỔ CHỨC
Xin ông/bà vui lòng đánh dấu vào ô phù hợp.
PHẦN I. THÔNG TIN VỀ NGƯỜI TRẢ LỜI
1. Giới tính: □ Nam □ Nữ
2. Độ tuổi
□ Dưới 25 tuổi   □ Từ 25 đến 50 tuổi
□ Trên 50 tuổi
3. Ông/bà đã nộp hồ sơ theo hình thức nào?
☐ Trực tiếp ☐ Trực tuyến ☐ Bưu chính công ích
4. Tên thủ tục hành chính đã giải quyết
PHẦN II. ĐÁNH GIÁ VỀ CUNG ỨNG DỊCH VỤ HÀNH CHÍNH CÔNG
Nội dung\tRất không hài lòng\tKhông hài lòng\tBình thường\tHài lòng\tRất hài lòng\tKhông có ý kiến
I. TIẾP CẬN DỊCH VỤ
1\tNơi ngồi chờ có đủ chỗ ngồi\t□\t□\t□\t□\t□\t□
2\tTrang thiết bị phục vụ đầy đủ, dễ sử dụng\t□\t□\t□\t□\t□\t□
II. Thủ tục hành chính
1. Thủ tục hành chính được niêm yết công khai đầy đủ
2. Thông tin chung về thủ tục được niêm yết chính xác
III. Tiếp nhận góp ý
Xin cảm ơn!
"""


def test_factors_questions_and_respondent_section_are_read():
    draft = read_questionnaire(TEXT, key="nhap-thu", name="Phiếu nhập thử", source="phieu.docx")
    design = design_from_dict(draft.design)  # the draft is a valid design as it stands
    assert [(f.code, f.name) for f in design.factors.values()] == [("TC", "Tiếp cận dịch vụ"),
                                                                    ("TT", "Thủ tục hành chính")]
    assert [a.name for a in design.aspects.values()] == ["Đánh giá về cung ứng dịch vụ hành chính công"]
    assert [(q.code, q.text) for q in design.scored] == [
        ("TC.1", "Nơi ngồi chờ có đủ chỗ ngồi"), ("TC.2", "Trang thiết bị phục vụ đầy đủ, dễ sử dụng"),
        ("TT.1", "Thủ tục hành chính được niêm yết công khai đầy đủ"),
        ("TT.2", "Thông tin chung về thủ tục được niêm yết chính xác")]
    assert [a.label for a in design.scored[0].answers] == [
        "Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng", "Không có ý kiến"]
    sex, age, channel, procedure = design.respondent
    assert (sex.text, [a.label for a in sex.answers]) == ("Giới tính", ["Nam", "Nữ"])
    assert [a.label for a in age.answers] == ["Dưới 25 tuổi", "Từ 25 đến 50 tuổi", "Trên 50 tuổi"]
    assert channel.role == "channel" and [a.code for a in channel.answers] == ["1", "2", "3"]
    assert procedure.free_text and procedure.role is None
    assert draft.warnings == ["Yếu tố «Tiếp nhận góp ý» không có câu hỏi nào: đã bỏ.",
                              "Câu R4 («Tên thủ tục hành chính đã giải quyết») không có lựa chọn: để trả lời tự do."]
    assert draft.skipped == ["dòng 1: PHIẾU KHẢO SÁT SỰ HÀI LÒNG CỦA NGƯỜI DÂN, TỔ CHỨC",
                             "dòng 2: Xin ông/bà vui lòng đánh dấu vào ô phù hợp.", "dòng 20: Xin cảm ơn!"]


def test_without_aspect_headings_the_factors_share_one_aspect():
    draft = read_questionnaire("Yếu tố 1: Công chức\n1. Thái độ lịch sự\nYếu tố 2 - Kết quả\nCâu 1) Đúng hạn\n",
                               key="k", name="n")
    design = design_from_dict(draft.design)
    assert list(design.aspects) == ["A1"] and list(design.factors) == ["CC", "KQ"]
    assert design.questions["KQ.1"].text == "Đúng hạn"


@pytest.mark.parametrize("text", ["", "Xin chào\n1. Một câu không thuộc yếu tố nào\n", "I. Yếu tố trống\n"])
def test_a_document_without_factors_and_questions_is_refused(text):
    with pytest.raises(QuestionnaireError, match="Không nhận ra bộ câu hỏi"):
        read_questionnaire(text, key="k", name="n")
