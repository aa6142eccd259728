"""A criteria set imported from a published .docx: the same tree, maxima and proposed rules as the
import of the same guide's .pdf, through the command line and the web upload; a broken .docx is
refused naming the file, and nothing is stored."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc.core.par.importer import propose_template, read_layout
from cchc.par import template_import
from cchc.par.models import ParTemplate
from cchc.par.template_import import document_text

pytestmark = pytest.mark.django_db

CRITERIA = Path(__file__).resolve().parent.parent / "fixtures" / "par" / "criteria"


def guide_docx(pdf: Path, out: Path) -> Path:
    """A .docx of the guide built from the real guide's own rows: one table row per numbered row
    (STT | Nội dung … | Điểm tối đa | Điểm tự đánh giá | Tài liệu kiểm chứng), each line of its text
    a paragraph, and the printed total as the last row."""
    rows, total = read_layout(document_text(pdf, pdf.name))
    document = docx.Document()
    document.add_paragraph("HƯỚNG DẪN chấm điểm Chỉ số CCHC")
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, ["STT", "Nội dung Tiêu chí và hướng dẫn cách chấm điểm",
                                                "Điểm tối đa", "Điểm tự đánh giá", "Tài liệu kiểm chứng"], strict=True):
        cell.text = text
    for i, row in enumerate(rows):
        inner = i + 1 < len(rows) and rows[i + 1].code.startswith(row.code + ".")
        cells = table.add_row().cells
        cells[0].text, cells[2].text = row.code, str(row.max).replace(".", ",")
        lines = [row.title] if inner else row.text or [row.title]  # a row whose text the PDF gave to its neighbour
        cells[1].text = lines[0] if lines else ""
        for line in lines[1:]:
            cells[1].add_paragraph(line)
        cells[4].text = row.evidence[0] if row.evidence else ""
        for line in row.evidence[1:]:
            cells[4].add_paragraph(line)
    cells = table.add_row().cells
    cells[1].text, cells[2].text = "TỔNG ĐIỂM", str(total).replace(".", ",")
    document.save(out)
    return out


def _without_textless(definition: dict, pdf: Path) -> dict:
    """The definition less the guide and rule of the leaves whose block the PDF's layout gave to a
    neighbour (their row's own line is all the .docx cell holds); their name and maximum stay."""
    rows, _ = read_layout(document_text(pdf, pdf.name))
    textless = {r.code for i, r in enumerate(rows) if not r.text
                and not (i + 1 < len(rows) and rows[i + 1].code.startswith(r.code + "."))}

    def walk(nodes):
        return [{k: (walk(v) if k == "children" else v) for k, v in n.items()
                 if n["code"] not in textless or k not in ("guide", "rule")} for n in nodes]
    return {**definition, "nodes": walk(definition["nodes"])}


def _pdf_proposal(pdf: Path, unit_type: str):
    return propose_template(document_text(pdf, pdf.name), key="k", name="n", year=2025, unit_type=unit_type,
                            appraiser="Sở Nội vụ")


@pytest.mark.parametrize(("guide", "unit_type"), [("province-guide-2025-communes.pdf", "commune"),
                                                  ("province-guide-2025-departments.txt", "department")])
def test_the_docx_gives_the_same_set_as_the_pdf(tmp_path, capsys, guide, unit_type):
    pdf = CRITERIA / guide  # the published .pdf, or the text pdftotext -layout made of it
    document = guide_docx(pdf, tmp_path / f"{pdf.stem}.docx")
    out = tmp_path / "set.json"
    call_command("par_import_template", str(document), "--key", "k", "--unit-type", unit_type, "--year", "2025",
                 "--name", "n", "--appraiser", "Sở Nội vụ", "--out", str(out))
    from_docx = json.loads(out.read_text(encoding="utf-8"))
    expected = _pdf_proposal(pdf, unit_type)
    assert _without_textless(from_docx, pdf) == _without_textless(expected.definition, pdf)
    assert f"{len(expected.reasons)} tiêu chí;" in capsys.readouterr().err


def test_a_broken_docx_is_refused_naming_the_file(tmp_path):
    broken = tmp_path / "bo-tieu-chi-2026.docx"
    broken.write_bytes(b"PK\x03\x04 not a word document")
    with pytest.raises(CommandError) as exc:
        call_command("par_import_template", str(broken), "--key", "k", "--unit-type", "commune", "--year", "2025")
    assert exc.value.returncode == 2 and "bo-tieu-chi-2026.docx: tệp .docx bị hỏng" in str(exc.value)
    no_table = tmp_path / "cong-van.docx"
    document = docx.Document()
    document.add_paragraph("Công văn không có bảng tiêu chí.")
    document.save(no_table)
    with pytest.raises(CommandError) as exc:
        call_command("par_import_template", str(no_table), "--key", "k", "--unit-type", "commune", "--year", "2025")
    assert "cong-van.docx: văn bản .docx không có bảng nào" in str(exc.value)


def test_the_coordinator_uploads_a_docx_and_a_broken_one_stores_nothing(client, par, tmp_path):
    client.force_login(par["users"]["coordinator"])
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 broken")
    with broken.open("rb") as f:
        page = client.post("/chi-so-cchc/bo-tieu-chi/nhap/", {"document": f, "key": "snv-2026-xa", "unit_type": "commune",
                                                              "year": "2026", "name": "Bộ tiêu chí cấp xã 2026", "appraiser": "Sở Nội vụ"},
                           follow=True)
    assert "hong.docx" in page.content.decode() and not ParTemplate.objects.filter(key="snv-2026-xa").exists()
    document = guide_docx(CRITERIA / "province-guide-2025-communes.pdf", tmp_path / "huong-dan-xa.docx")
    with document.open("rb") as f:
        page = client.post("/chi-so-cchc/bo-tieu-chi/nhap/", {"document": f, "key": "snv-2026-xa", "unit_type": "commune",
                                                              "year": "2026", "name": "Bộ tiêu chí cấp xã 2026", "appraiser": "Sở Nội vụ"},
                           follow=True)
    html = page.content.decode()
    assert page.status_code == 200 and "Nhập từ “huong-dan-xa.docx”" in html
    template = ParTemplate.objects.get(key="snv-2026-xa")
    assert template.status == ParTemplate.Status.DRAFT
    pdf = _pdf_proposal(CRITERIA / "province-guide-2025-communes.pdf", "commune")
    guide = CRITERIA / "province-guide-2025-communes.pdf"
    assert _without_textless(template.definition, guide)["nodes"] == _without_textless(pdf.definition, guide)["nodes"]
    assert template.definition["total_max"] == pdf.definition["total_max"] == "75.0" and len(template_import.review_rows(template)) == 77
