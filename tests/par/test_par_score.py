"""`cchc par-score` and `cchc par-templates`: a filled self-assessment (.docx) or JSON in, the
scorecard JSON out; bad input exits 2 with one line."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.core.test_par_filled import table_rows, write_docx


@pytest.fixture
def filled_docx(tmp_path):
    return write_docx(tmp_path / "tu-danh-gia.docx", table_rows())


def test_par_score_command_prints_area_totals(filled_docx, capsys):
    call_command("par_score", str(filled_docx), "--template", "bnv-1187-2025-province", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["template"] == "bnv-1187-2025-province"
    assert out["areas"]["1"] == {"max": "9.50", "self": "7.30"}
    assert out["areas"]["2"] == {"max": "9.00", "self": "3.05"}
    assert out["total"] == {"max": "100.00", "self": "10.35"}
    row = next(r for r in out["rows"] if r["code"] == "1.1")
    assert row["auto"] is True and set(row) >= {"code", "name", "max", "self", "auto", "inputs"}


def test_par_score_json_input_with_forms(tmp_path, capsys):
    scores = tmp_path / "s.json"
    scores.write_text(
        json.dumps({"scores": {"1.2": 0.5}, "inputs": {"tracking.tasks_total": 10, "tracking.tasks_done": 9}})
    )
    forms = tmp_path / "f.json"
    forms.write_text(json.dumps({"form_set": "bnv-2024", "values": {"3:3.1.1": 1000, "3:3.1.2": 980}}))
    call_command(
        "par_score", str(scores), "--template", "bnv-1187-2025-province", "--forms", str(forms), "--json"
    )
    out = json.loads(capsys.readouterr().out)
    rows = {r["code"]: r for r in out["rows"]}
    assert rows["1.1"]["self"] == "1.35" and rows["3.4.1"]["self"] == "1.47"
    assert rows["3.4.1"]["inputs"] == {"a": "1000", "b": "980"}


def test_par_score_bad_input_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"scores": {"9.9": 1}}')
    with pytest.raises(CommandError) as exc:
        call_command("par_score", str(bad), "--template", "bnv-1187-2025-province")
    assert exc.value.returncode == 2 and "9.9" in str(exc.value) and "\n" not in str(exc.value)
    broken = tmp_path / "x.docx"
    broken.write_bytes(b"not a document")
    with pytest.raises(CommandError) as exc:
        call_command("par_score", str(broken), "--template", "bnv-1187-2025-province")
    assert exc.value.returncode == 2 and "x.docx" in str(exc.value)


def test_par_templates_lists_the_builtin_keys(capsys):
    call_command("par_templates")
    out = capsys.readouterr().out
    assert "bnv-1187-2025-province\t" in out


def test_par_import_template_proposes_the_commune_set_from_its_pdf(tmp_path, capsys):
    """The real published guide (.pdf with a text layer) in, a criteria set for review out."""
    from pathlib import Path

    from cchc.core.par import load_template, template_from_dict

    pdf = Path(__file__).resolve().parent.parent / "fixtures" / "par" / "criteria" / "province-guide-2025-communes.pdf"
    out = tmp_path / "set.json"
    call_command("par_import_template", str(pdf), "--key", "import-2025-commune", "--unit-type", "commune",
                 "--year", "2025", "--appraiser", "Sở Nội vụ", "--out", str(out))
    err = capsys.readouterr().err
    proposed = template_from_dict(json.loads(out.read_text(encoding="utf-8")))
    builtin = load_template("snv-2775-2025-commune")
    assert proposed.total_max == 75 and [a.max for a in proposed.areas()] == [a.max for a in builtin.areas()]
    assert len(proposed.leaves()) == 77 and "77 tiêu chí;" in err and "cần người xem lại quy tắc" in err
    assert "[!] Tiêu chí 3.4.3: văn bản ghi đơn vị không tự đánh giá nội dung này." in err


def test_par_import_template_refuses_what_it_cannot_read(tmp_path):
    doc = tmp_path / "bo-tieu-chi.docx"
    doc.write_bytes(b"PK")
    with pytest.raises(CommandError) as exc:
        call_command("par_import_template", str(doc), "--key", "k", "--unit-type", "commune", "--year", "2025")
    assert exc.value.returncode == 2 and "bo-tieu-chi.docx" in str(exc.value)
    empty = tmp_path / "trang.txt"
    empty.write_text("Không có bảng nào.", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("par_import_template", str(empty), "--key", "k", "--unit-type", "commune", "--year", "2025")
    assert exc.value.returncode == 2 and "không tìm thấy bảng tiêu chí" in str(exc.value).lower()
