"""Reports read back (cchc.core.report_reader): seed 003, the province's half-year report, as text
and as a Word document, gives its period, issuer, the results by reform area and the annex forms."""

from __future__ import annotations

import json
from decimal import Decimal

import docx

from cchc.core.report_reader import read_report, read_report_text
from cchc.core.statforms import FORMS_DIR
from cchc.demo import SEEDS_DIR

SEED_003 = SEEDS_DIR / "003_e2f9fff60d545586.txt"


def _inputs() -> dict[str, Decimal]:
    with (FORMS_DIR / "seed-003-values.json").open(encoding="utf-8") as fh:
        return {c: Decimal(str(v)) for c, v in json.load(fh, parse_float=Decimal)["inputs"].items()}


def test_seed_003_report_reads_back_period_issuer_areas_and_forms():
    report = read_report(SEED_003)
    assert report["period"] == "2024-H1" and report["year"] == 2024
    assert report["issuer"] == "UBND tỉnh Thanh Hóa"
    assert report["number"] is None  # the annex cites "Báo cáo số /BC-UBND": not signed yet
    assert "Báo cáo chưa ghi số (bản chưa ký số hoặc dự thảo)." in report["warnings"]
    areas = [s["area"] for s in report["sections"]]
    assert areas[-6:] == [
        "institutions", "procedures", "organization", "civil_service", "public_finance", "digital_government",
    ]
    assert "direction" in areas[:-6]
    procedures = next(s for s in report["sections"] if s["area"] == "procedures")
    assert procedures["title"] == "Cải cách TTHC" and len(procedures["text"]) > 1000
    forms = report["forms"]
    assert forms.recognised == "bnv-2024"
    inputs = _inputs()
    assert {c: forms.values[c] for c in inputs if c in forms.values} == {c: v for c, v in inputs.items() if c in forms.values}
    assert len(set(inputs) & set(forms.values)) >= 0.9 * len(inputs)


def test_the_report_as_a_word_document_reads_the_same(tmp_path):
    text = SEED_003.read_text(encoding="utf-8")
    body = text[: text.index("Phụ lục")]
    document = docx.Document()
    for line in body.split("\n"):
        if line.strip():
            document.add_paragraph(line.strip())
    path = tmp_path / "bao-cao-6-thang.docx"
    document.save(path)
    from_docx = read_report(path)
    from_text = read_report_text(body)
    assert from_docx["period"] == from_text["period"] == "2024-H1"
    assert [s["area"] for s in from_docx["sections"]] == [s["area"] for s in from_text["sections"]]
    assert from_docx["forms"] is None


def test_a_report_whose_period_cannot_be_told_says_so():
    report = read_report_text("BÁO CÁO\nCông tác cải cách hành chính\nI. KẾT QUẢ\n1. Cải cách thể chế\nĐã rà soát.")
    assert report["period"] is None
    assert any("kỳ báo cáo" in w for w in report["warnings"])
    assert [s["area"] for s in report["sections"]] == ["institutions"]

