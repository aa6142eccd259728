"""Power cuts in the reporting app, with the harness of test_faults.py: the server is SIGKILLed
(its whole process group) in the middle of importing a filled .xlsx of statistical forms into a
submission, and in the middle of generating a period's report; after a restart the database is
consistent — no half-imported submission, no change-log row without its change, no orphan file —
and the same import and the report (.docx, .pdf, .xlsx) then succeed. The kill happens at a fault
point the server announces (tests/ops/fault_wsgi.py), not after a guessed delay."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from .test_faults import ROOT, Site

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

REPORTING = r"""
import django
django.setup()
from django.contrib.auth import get_user_model
from cchc.accounts.models import Membership
from cchc.reporting import services
from cchc.reporting.formsets import current_version
from cchc.reporting.models import ReportingPeriod
from cchc.units.models import Unit
user = get_user_model().objects.get(username="kientho")
commune = Unit.objects.get(code="38.15112")
Membership.objects.create(user=user, unit=Unit.objects.get(code="tha-so-noi-vu"), role="coordinator")
period = ReportingPeriod.objects.create(province=commune.province(), kind="h1", year=2026,
                                        form_set=current_version(2026))
submission = services.open_submission(period, commune, user)
print(period.pk, submission.pk)
"""

# Cells typed into the exported workbook: (sheet, STT) -> value, and the stored code it becomes.
TYPED = {("Biểu mẫu 1", "1"): (36, "1:1"), ("Biểu mẫu 3", "3.1.1"): (238146, "3:3.1.1"),
         ("Biểu mẫu 3", "3.1.2"): (238144, "3:3.1.2")}


class ReportingSite(Site):
    def __init__(self, tmp_path):
        super().__init__(tmp_path)
        out = subprocess.run([sys.executable, "-c", REPORTING], cwd=ROOT, env=self.env, check=True, timeout=300,
                             capture_output=True, text=True).stdout
        self.period_pk, self.submission_pk = (int(n) for n in out.split()[-2:])

    def filled_workbook(self) -> bytes:
        blank = self.http.get(self.base + f"/bao-cao/so-lieu/{self.submission_pk}/bieu-mau.xlsx", timeout=120)
        assert blank.status_code == 200
        workbook = openpyxl.load_workbook(io.BytesIO(blank.content))
        for (sheet_name, stt), (value, _code) in TYPED.items():
            sheet = workbook[sheet_name]
            row = next(r for r in range(5, sheet.max_row + 1) if str(sheet.cell(r, 1).value).rstrip(".") == stt)
            sheet.cell(row, 4).value = value
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def import_forms(self, content: bytes):
        path = f"/bao-cao/so-lieu/{self.submission_pk}/"
        token = self.token(path)
        return self.http.post(self.base + path + "nhap-tep/", timeout=120, data={"csrfmiddlewaretoken": token},
                              files={"file": ("so-lieu-kien-tho.xlsx", content,
                                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")})

    def report(self, suffix: str):
        return self.http.get(self.base + f"/bao-cao/ky/{self.period_pk}/{suffix}", timeout=300)

    def stored_values(self) -> dict[str, float]:
        conn = self.db()
        try:
            return {code: float(value) for code, value in conn.execute(
                "SELECT code, value FROM reporting_submissionvalue WHERE submission_id = ?", (self.submission_pk,))}
        finally:
            conn.close()

    def status(self) -> str:
        conn = self.db()
        try:
            return conn.execute("SELECT status FROM reporting_submission WHERE id = ?",
                                (self.submission_pk,)).fetchone()[0]
        finally:
            conn.close()


@pytest.fixture
def site(tmp_path):
    s = ReportingSite(tmp_path)
    try:
        yield s
    finally:
        s.stop()
        s.drop()


def test_power_cut_mid_form_import_leaves_no_half_imported_submission(site):
    site.start(fault="values")
    content = site.filled_workbook()
    changes_before = site.count("SELECT count(*) FROM history_objectchange")
    status_before = site.status()

    # Killed after the import's values were inserted, before their history and the commit.
    site.in_background(lambda: site.import_forms(content))
    assert "values" in site.marker.read_text()
    site.power_cut()
    assert site.stored_values() == {}
    assert site.count("SELECT count(*) FROM reporting_submissionvalue") == 0
    assert site.count("SELECT count(*) FROM history_objectchange") == changes_before
    assert site.status() == status_before
    assert site.media() == set() == site.recorded_files()

    # Restart without the fault: the same file imports, every value exactly once, with its history.
    site.start()
    response = site.import_forms(content)
    assert response.status_code == 200 and "Đã nhập tệp so-lieu-kien-tho.xlsx" in response.text
    expected = {code: float(value) for value, code in TYPED.values()}
    stored = site.stored_values()
    assert {code: stored.get(code) for code in expected} == expected
    assert site.count("SELECT count(*) FROM (SELECT DISTINCT submission_id, code FROM reporting_submissionvalue) AS d") \
        == site.count("SELECT count(*) FROM reporting_submissionvalue")
    assert site.count("SELECT count(*) FROM history_objectchange") > changes_before
    assert site.status() == status_before
    assert site.media() == site.recorded_files()


def test_power_cut_mid_report_generation_changes_nothing_and_the_report_is_generated_again(site):
    site.start(fault="report")
    content = site.filled_workbook()
    assert site.import_forms(content).status_code == 200  # figures for the report
    values, changes = site.stored_values(), site.count("SELECT count(*) FROM history_objectchange")
    assert values

    site.in_background(lambda: site.report("bao-cao.docx"))
    assert "report" in site.marker.read_text()
    site.power_cut()
    assert site.stored_values() == values
    assert site.count("SELECT count(*) FROM history_objectchange") == changes
    assert site.media() == set() == site.recorded_files()

    site.start()
    docx = site.report("bao-cao.docx")
    assert docx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(docx.content)) as archive:
        document = archive.read("word/document.xml").decode()
    assert "cải cách hành chính" in document
    pdf = site.report("bao-cao.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = site.report("bieu-mau.xlsx")
    assert xlsx.status_code == 200
    assert "Biểu mẫu 1" in openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames
    assert site.stored_values() == values
    assert site.media() == site.recorded_files()
