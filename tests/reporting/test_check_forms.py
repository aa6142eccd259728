"""cchc check-forms: JSON and filled forms in, values and findings out; bad input exits 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from cchc.core.statforms import load_form_set
from cchc.reporting.workbook import forms_workbook

ROOT = Path(__file__).resolve().parents[2]


def run(*args) -> dict:
    out = io.StringIO()
    call_command("check_forms", *args, stdout=out)
    return json.loads(out.getvalue())


def test_json_payload_gives_inputs_derived_values_and_findings(tmp_path, seed003):
    path = tmp_path / "bao-cao.json"
    path.write_text(json.dumps({"period": "2024-H1", "values": {k: float(v) if not float(v).is_integer() else int(v)
                                                                for k, v in seed003["inputs"].items()}}))
    result = run(str(path), "--json")
    assert result["form_set"] == "bnv-2024"  # recognised from the codes
    assert result["values"]["3:3.1.2"] == 238144 and 99.99 < result["values"]["3:3.1"] < 100
    assert set(seed003["printed_derived"]) <= set(result["values"])
    assert [f["rule"] for f in result["findings"]] == ["sum:6:2.1"]
    assert set(result["findings"][0]) == {"rule", "codes", "severity", "message"}


def test_filled_xlsx(tmp_path):
    workbook = openpyxl.load_workbook(io.BytesIO(forms_workbook(load_form_set("bnv-2024"))))
    sheet = workbook["Biểu mẫu 3"]
    rows = {str(sheet.cell(r, 1).value).rstrip("."): r for r in range(5, sheet.max_row + 1) if sheet.cell(r, 1).value}
    sheet.cell(rows["3.1.1"], 4).value = 10
    sheet.cell(rows["3.1.2"], 4).value = 12
    path = tmp_path / "bieu.xlsx"
    workbook.save(path)
    result = run(str(path), "--json")
    assert result["values"]["3:3.1"] == 120
    assert any(f["severity"] == "error" and "3:3.1.2" in f["codes"] for f in result["findings"])


@pytest.mark.parametrize(
    "name, content, says",
    [
        ("hong.json", "{\"values\": {\"3:3.1.1\": ", "JSON không hợp lệ ở dòng 1"),
        ("ma-sai.json", json.dumps({"form_set": "bnv-2024", "values": {"3:9.9": 1}}), "3:9.9"),
        ("so-sai.json", json.dumps({"values": {"3:3.1.1": "1.5"}}), "3:3.1.1"),
        ("hong.xlsx", "không phải tệp Excel", "hong.xlsx"),
        ("ghi-chu.txt", "x", "chỉ đọc được tệp .json, .xlsx, .docx, .doc hoặc .rtf"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(CommandError) as raised:
        call_command("check_forms", str(path), "--json")
    assert raised.value.returncode == 2
    assert says in str(raised.value) and name in str(raised.value) and "\n" not in str(raised.value)


def test_command_line_exit_status(tmp_path):
    path = tmp_path / "hong.json"
    path.write_text("[1, 2")
    done = subprocess.run(
        [sys.executable, "-m", "cchc", "check-forms", str(path), "--json"],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "hong.json" in done.stderr


def test_import_form_set_proposes_a_new_version_from_a_form_document(tmp_path):
    import json

    from django.core.management import call_command

    from cchc.core.statforms import FORMS_DIR, load_form_set
    from cchc.reporting.workbook import forms_workbook

    source = tmp_path / "bieu-mau-2026.xlsx"
    source.write_bytes(forms_workbook(load_form_set("bnv-2024")))
    output = tmp_path / "bnv-2026.json"
    from io import StringIO

    out = StringIO()
    call_command("import_form_set", str(source), "--key", "bnv-2026", "--year", "2026", "--output", str(output),
                 stdout=out)
    text = out.getvalue()
    assert "Biểu mẫu 3:" in text and "Công thức đề xuất" in text and "3:3.1" in text
    definition = json.loads(output.read_text(encoding="utf-8"))
    assert definition["key"] == "bnv-2026" and definition["year"] == 2026
    original = json.loads((FORMS_DIR / "bnv-2024.json").read_text(encoding="utf-8"))
    codes = lambda d: [r["code"] for f in d["forms"] for r in f["rows"]]  # noqa: E731
    assert codes(definition) == codes(original)


def test_import_form_set_refuses_a_missing_or_unreadable_file(tmp_path):
    import pytest
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as missing:
        call_command("import_form_set", str(tmp_path / "none.xlsx"), "--key", "x")
    assert missing.value.returncode == 2 and "không tìm thấy" in str(missing.value)
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(CommandError) as unreadable:
        call_command("import_form_set", str(broken), "--key", "x")
    assert unreadable.value.returncode == 2 and "hong.xlsx" in str(unreadable.value)
