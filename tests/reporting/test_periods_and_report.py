"""Opening a period, the coordinator's overview, the report text and its downloads."""

from __future__ import annotations

import datetime

from cchc.reporting.formsets import sync_form_sets
from cchc.reporting.models import FormSetVersion, ReportingPeriod
from cchc.reporting.report import build_report


def test_form_sets_are_loaded_once(db):
    assert FormSetVersion.objects.filter(key="bnv-2024").count() == 1
    assert sync_form_sets() == []  # idempotent
    version = FormSetVersion.objects.get(key="bnv-2024")
    assert version.valid_from == 2024 and version.form_set().version == version.version


def test_a_stored_form_set_is_parsed_once_per_save(db):
    version = FormSetVersion.objects.get(key="bnv-2024")
    first = version.form_set()
    assert FormSetVersion.objects.get(pk=version.pk).form_set() is first  # another request: no parsing
    edited = dict(version.definition)
    edited["messages"] = {**edited.get("messages", {}), "ratio": "Tỷ lệ {row} phải bằng {expected}."}
    version.definition = edited
    version.save()  # as sync_form_sets does when a rule's message changes
    again = FormSetVersion.objects.get(pk=version.pk).form_set()
    assert again is not first and again.messages["ratio"] == "Tỷ lệ {row} phải bằng {expected}."


def test_coordinator_opens_a_period_with_the_ministry_calendar(registry, people, client_for):
    client = client_for(people["coordinator"])
    version = FormSetVersion.objects.get(key="bnv-2024")
    assert "Mở kỳ báo cáo" in client.get("/bao-cao/mo-ky/").content.decode()
    response = client.post("/bao-cao/mo-ky/", {
        "province": registry["province"].pk, "kind": "q1", "year": 2024, "form_set": version.pk, "status": "open",
    })
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(kind="q1", year=2024)
    assert (period.start, period.end, period.due) == (
        datetime.date(2023, 12, 15), datetime.date(2024, 3, 14), datetime.date(2024, 3, 20)
    )
    duplicate = client.post("/bao-cao/mo-ky/", {
        "province": registry["province"].pk, "kind": "q1", "year": 2024, "form_set": version.pk, "status": "open",
    })
    assert duplicate.status_code == 400
    edited = client.post(f"/bao-cao/ky/{period.pk}/sua/", {
        "province": registry["province"].pk, "kind": "q1", "year": 2024, "form_set": version.pk, "status": "open",
        "start": "15/12/2023", "end": "14/03/2024", "due": "25/03/2024",
    })
    assert edited.status_code == 302
    assert client.get(f"/bao-cao/ky/{period.pk}/sua/").status_code == 200
    period.refresh_from_db()
    assert period.due == datetime.date(2024, 3, 25)
    assert client_for(people["commune"]).get("/bao-cao/mo-ky/").status_code == 403
    listing = client_for(people["commune"]).get("/bao-cao/").content.decode()
    assert "quý I năm 2024" in listing and "25/03/2024" in listing


def test_report_dict_text_edit_and_downloads(registry, period, people, client_for):
    report = build_report(period)
    assert report["issuer"] == "UBND TỈNH THANH HÓA" and report["place"] == "Thanh Hóa"
    assert report["title"] == "Báo cáo tình hình thực hiện công tác cải cách hành chính 6 tháng đầu năm 2024"
    assert report["period_label"] == "6 tháng đầu năm 2024"
    assert [s["heading"][:4] for s in report["sections"]] == ["I. C", "II. ", "III."]
    assert report["sections"][2]["heading"] == "III. NHIỆM VỤ TRỌNG TÂM 6 THÁNG CUỐI NĂM 2024"
    assert [s["heading"] for s in report["sections"][1]["subsections"]][0] == "1. Cải cách thể chế"
    assert [f["number"] for f in report["forms"]] == [1, 2, 3, 4, 5, 6, 7]
    assert report["forms"][0]["rows"][0]["code"] == "1."

    client = client_for(people["coordinator"])
    assert client.get(f"/bao-cao/ky/{period.pk}/bao-cao/").status_code == 200
    client.post(f"/bao-cao/ky/{period.pk}/bao-cao/", {
        "s-I": "Đoạn một.\n\nĐoạn hai.", "s-III": "Nhiệm vụ trọng tâm.", "number": "245/BC-UBND",
        "date": "20/06/2024", "signer_name": "Đỗ Minh Tuấn",
    })
    period.refresh_from_db()
    report = build_report(period)
    assert report["sections"][0]["paragraphs"] == ["Đoạn một.", "Đoạn hai."]
    assert report["number"] == "245/BC-UBND" and report["date"] == datetime.date(2024, 6, 20)
    assert client_for(people["commune"]).post(f"/bao-cao/ky/{period.pk}/bao-cao/", {"s-I": "x"}).status_code == 403

    docx = client.get(f"/bao-cao/ky/{period.pk}/bao-cao.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    pdf = client.get(f"/bao-cao/ky/{period.pk}/bao-cao.pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    assert client_for(people["commune"]).get(f"/bao-cao/ky/{period.pk}/bao-cao.docx").status_code == 404
