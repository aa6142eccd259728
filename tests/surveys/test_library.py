"""The province's questionnaire design library: a design made from a built-in or from a Word
questionnaire through the review step, edited into version 2, refused when broken, a round opened
from version 2 carries it; another province sees 404, an officer is refused writes."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.core.surveys import load_design
from cchc.history.models import ObjectChange
from cchc.surveys.models import DesignVersion, QuestionnaireDesign, Round, VersionInUse
from cchc.units.models import Unit

from .test_design_review import questionnaire_docx

CREATE = reverse("surveys:library_create")


def textarea(html: str) -> dict:
    raw = re.search(r'<textarea[^>]*name="design"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    for a, b in (("&quot;", '"'), ("&#x27;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")):
        raw = raw.replace(a, b)
    return json.loads(raw)


@pytest.fixture
def lib(registry, make_user):
    return {**registry,
            "coordinator": make_user("dieuphoi", registry["home_affairs"], "coordinator"),
            "officer": make_user("tuphap", registry["justice"], "officer")}


def _from_builtin(client, lib, name="Phiếu SIPAS riêng của tỉnh"):
    client.force_login(lib["coordinator"])
    response = client.post(CREATE, {"builtin": "sipas-2023", "province": lib["province"].pk, "name": name})
    assert response.status_code == 302
    return QuestionnaireDesign.objects.get(name=name)


def test_create_from_builtin_lists_it_and_shows_the_tree(client, lib):
    design = _from_builtin(client, lib)
    version = design.versions.get()
    assert version.number == 1 and version.content == load_design("sipas-2023").raw
    assert version.fingerprint == load_design("sipas-2023").fingerprint and version.created_by == lib["coordinator"]
    assert ObjectChange.objects.filter(origin="surveys.library_create").exists()
    listing = client.get(reverse("surveys:library_list")).content.decode()
    assert "Phiếu SIPAS riêng của tỉnh" in listing.split('id="library-designs"')[1].split("</table>")[0]
    assert "sipas-2023" in listing.split('id="library-builtins"')[1]
    page = client.get(design.get_absolute_url()).content.decode()
    tree = page.split('id="design-tree"')[1]
    assert "Tiếp cận dịch vụ" in tree and "TC.1" in tree and "Rất hài lòng (mức 5)" in tree and "trọng số 1" in tree
    # the same key twice in one province is refused with a message
    again = client.post(CREATE, {"builtin": "sipas-2023", "province": lib["province"].pk}).content.decode()
    assert "đã có thiết kế mã “sipas-2023”" in again and QuestionnaireDesign.objects.count() == 1


def test_create_from_docx_questionnaire_through_review(client, lib):
    client.force_login(lib["coordinator"])
    page = client.post(CREATE, {"file": SimpleUploadedFile("phieu-tinh.docx", questionnaire_docx())})
    html = page.content.decode()
    assert page.status_code == 200 and "Nơi ngồi chờ có đủ chỗ ngồi" in html.split('id="design-preview"')[1]
    assert not QuestionnaireDesign.objects.exists()  # reading is not saving
    draft = textarea(html)
    draft["aspects"][0]["factors"][0]["questions"][1]["text"] = "Có ứng dụng tra cứu hồ sơ"
    saved = client.post(CREATE, {"design": json.dumps(draft, ensure_ascii=False), "province": lib["province"].pk,
                                 "name": "Phiếu nhập từ Word"})
    assert saved.status_code == 302
    design = QuestionnaireDesign.objects.get()
    assert design.key == "docx-phieu-tinh"
    parsed = design.latest().parsed()
    assert [q.code for q in parsed.scored] == ["TC.1", "TC.2", "CC.1"]
    assert parsed.questions["TC.2"].text == "Có ứng dụng tra cứu hồ sơ"


def test_edit_makes_version_2_bad_json_refused_and_round_opens_from_it(client, lib):
    design = _from_builtin(client, lib)
    edit = reverse("surveys:library_edit", args=[design.pk])
    content = textarea(client.get(edit).content.decode())
    # broken JSON and a broken design are refused, naming the place, and nothing is stored
    html = client.post(edit, {"design": '{"key": "x",'}).content.decode()
    assert "Thiết kế không phải JSON hợp lệ (dòng 1" in html
    broken = json.loads(json.dumps(content))
    broken["aspects"][0]["factors"][0]["questions"][0]["scale"] = "none"
    html = client.post(edit, {"design": json.dumps(broken, ensure_ascii=False)}).content.decode()
    assert "câu hỏi 1: không có thang đo “none”." in html
    html = client.post(edit, {"design": json.dumps(content, ensure_ascii=False)}).content.decode()
    assert "không khác phiên bản 1" in html
    assert design.versions.count() == 1
    # one extra question → version 2
    factor = content["aspects"][0]["factors"][0]
    factor["questions"].append({**factor["questions"][0], "code": "TC.9", "text": "Có chỗ gửi xe miễn phí"})
    saved = client.post(edit, {"design": json.dumps(content, ensure_ascii=False), "note": "Thêm câu chỗ gửi xe"})
    assert saved.status_code == 302
    v2 = design.versions.get(number=2)
    assert v2.note == "Thêm câu chỗ gửi xe" and "TC.9" in v2.parsed().questions
    assert design.versions.get(number=1).content == load_design("sipas-2023").raw  # version 1 is kept
    # the round-opening form offers it beside the built-ins; the round gets a copy of version 2
    form = client.get(reverse("surveys:round_create")).content.decode()
    assert f'value="library:{v2.pk}"' in form and "phiên bản 2" in form
    opened = client.post(reverse("surveys:round_create"), {
        "province": lib["province"].pk, "title": "Khảo sát 2026 theo phiếu riêng", "year": "2026",
        "design_key": f"library:{v2.pk}", "start": "01/09/2026", "end": "30/11/2026", "quota": "20",
        "kinds": ["department"]})
    assert opened.status_code == 302
    round_ = Round.objects.get(title="Khảo sát 2026 theo phiếu riêng")
    assert round_.library_version == v2 and round_.design == v2.content and round_.fingerprint == v2.fingerprint
    assert "TC.9" in round_.parsed_design().questions
    # a version a round uses never changes
    v2.note = "đổi"
    with pytest.raises(VersionInUse):
        v2.save()
    assert "Có (không sửa được)" in client.get(design.get_absolute_url()).content.decode()


def test_other_province_is_404_and_officer_is_refused(client, lib, make_user):
    design = _from_builtin(client, lib)
    other = Unit.objects.create(code="40", name="UBND tỉnh Nghệ An", kind="province")
    outsider = make_user("nghean", Unit.objects.create(code="nan-snv", name="Sở Nội vụ Nghệ An", kind="department",
                                                      parent=other), "coordinator")
    client.force_login(outsider)
    assert client.get(design.get_absolute_url()).status_code == 404
    assert client.post(reverse("surveys:library_edit", args=[design.pk]), {"design": "{}"}).status_code == 404
    assert f"library:{design.latest().pk}" not in client.get(reverse("surveys:round_create")).content.decode()
    client.force_login(lib["officer"])
    assert client.get(design.get_absolute_url()).status_code == 200  # the province's staff read it
    edit = client.post(reverse("surveys:library_edit", args=[design.pk]),
                       {"design": json.dumps(load_design("xhh-2025").raw)})
    assert edit.status_code == 403
    assert client.post(CREATE, {"builtin": "sipas-2023"}).status_code == 403
    assert DesignVersion.objects.count() == 1
