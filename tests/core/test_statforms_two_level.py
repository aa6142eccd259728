"""A form set reissued for two-level local government (no district level since 1/7/2025): the
district rows dropped and the numbering closed up, so a code of the old set now holds another row
("1:3.2" was "Số UBND cấp huyện đã kiểm tra", is "Tỷ lệ xử lý các vấn đề phát hiện qua kiểm tra").

No such set has been published in a form cchc could ship, so the tests derive one from bnv-2024
the way a reissue does it. Recognition must not take it for bnv-2024 by its codes alone; once the
new set is known (`cchc import-form-set`), it is recognised by codes and names."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal

import docx
import pytest

from cchc.core.statforms import (
    FORMS_DIR,
    load_form_set,
    name_conflicts,
    read_form_document,
    recognise_form_set,
)
from cchc.core.statforms.model import FormSet
from tests.core.test_statforms_documents import FORM_SET, HEADER

_DISTRICT = re.compile(r"\bhuyện\b")


def two_level_rows(form) -> list[tuple[str, str, str]]:
    """(new STT, name, old code) of ``form``'s rows without the district ones (and their children),
    numbered again from 1 under each parent."""
    new_stt: dict[str, str] = {}
    counters: dict[str | None, int] = {}
    out = []
    for code in form.codes:
        row = FORM_SET.rows[code]
        if _DISTRICT.search(row.name.lower()) or (row.parent and row.parent not in new_stt):
            continue
        counters[row.parent] = counters.get(row.parent, 0) + 1
        prefix = new_stt[row.parent] + "." if row.parent else ""
        new_stt[code] = f"{prefix}{counters[row.parent]}"
        out.append((new_stt[code], row.name, code))
    return out


def two_level_annex(path, numbers=(1, 3), values: dict[str, str] | None = None):
    """Forms ``numbers`` of the reissued set as a .docx annex; ``values`` by new code."""
    document = docx.Document()
    document.add_paragraph("Phụ lục")
    for number in numbers:
        form = FORM_SET.forms[number - 1]
        document.add_paragraph(f"Biểu mẫu {number}")
        document.add_paragraph(form.title)
        rows = two_level_rows(form)
        table = document.add_table(rows=len(rows) + 1, cols=len(HEADER))
        for i, text in enumerate(HEADER):
            table.rows[0].cells[i].text = text
        for r, (stt, name, old) in enumerate(rows, start=1):
            unit = FORM_SET.rows[old].unit or ""
            cells = [stt, name, unit, (values or {}).get(f"{number}:{stt}", ""), ""]
            for i, text in enumerate(cells):
                table.rows[r].cells[i].text = text
    document.save(path)
    return path


@pytest.fixture
def annex(tmp_path):
    return two_level_annex(tmp_path / "phu-luc-2-cap.docx", values={"1:1": "12", "1:3.2": "100", "3:3.2": "97,5"})


def test_the_derived_set_really_reuses_codes_for_other_rows():
    rows = {f"1:{stt}": name for stt, name, _ in two_level_rows(FORM_SET.forms[0])}
    assert FORM_SET.rows["1:3.2"].name == "Số UBND cấp huyện đã kiểm tra"
    assert rows["1:3.2"] == FORM_SET.rows["1:3.3"].name  # the row below moved up into its number
    # Nearly every code exists in bnv-2024 (all but the children of moved rows): codes alone would
    # take the annex for that set (`recognise` wants 90%).
    assert len(set(rows) - set(FORM_SET.rows)) * 10 <= len(rows)


def test_a_renumbered_annex_is_not_taken_for_bnv_2024(annex):
    read = read_form_document(annex)
    assert read.recognised is None
    warning = next(w for w in read.warnings if "bnv-2024" in w)
    assert "là chỉ tiêu khác" in warning and "1:3.2" in warning and "cấp huyện" in warning
    # The values are read under the document's own rows, with the document's names.
    assert read.values["1:3.2"] == Decimal("100") and read.values["3:3.2"] == Decimal("97.5")
    assert read.form_set.rows["1:3.2"].name == FORM_SET.rows["1:3.3"].name
    assert not any("cấp huyện" in row.name for row in read.form_set.rows.values())
    assert "1:3.2" in name_conflicts(FORM_SET, {c: r.name for c, r in read.form_set.rows.items()})


def test_the_new_set_once_known_is_recognised_by_codes_and_names(annex, tmp_path):
    read = read_form_document(annex)
    forms = tmp_path / "forms"
    forms.mkdir()
    shutil.copy(FORMS_DIR / "bnv-2024.json", forms / "bnv-2024.json")
    # What `cchc import-form-set` proposes for the new document, stored as a known set.
    definition = read.form_set.to_dict() | {"key": "bnv-2025-2cap", "year": 2025}
    FormSet.from_dict(definition)
    (forms / "bnv-2025-2cap.json").write_text(json.dumps(definition, ensure_ascii=False, default=str), encoding="utf-8")

    names = {c: r.name for c, r in read.form_set.rows.items()}
    assert recognise_form_set(names, forms, names=names) == "bnv-2025-2cap"
    assert recognise_form_set(names, names=names) is None  # among the shipped sets: none
    old = {c: r.name for c, r in load_form_set("bnv-2024").rows.items()}
    assert recognise_form_set(old, forms, names=old) == "bnv-2024"


def test_a_reworded_row_of_the_same_set_is_not_a_conflict():
    reworded = {
        "1:1": "Số văn bản chỉ đạo CCHC đã ban hành",  # the bracketed examples left out
        "3:3.1.1": "Tổng số hồ sơ TTHC giải quyết xong",
        "5:1": "Vị trí việc làm của công chức, viên chức (kể cả đơn vị sự nghiệp xã hội)",  # "xã hội" is no level
        "1:2.1": "",  # blank: nothing to compare
    }
    assert name_conflicts(FORM_SET, reworded) == []
    assert name_conflicts(FORM_SET, {"1:3.2": "Số UBND cấp xã đã kiểm tra"}) == ["1:3.2"]  # one word apart
    assert name_conflicts(FORM_SET, {"5:1": "Số cuộc kiểm tra công vụ"}) == ["5:1"]


def test_check_forms_checks_such_an_annex_against_its_own_rows(annex):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("check_forms", str(annex), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["form_set"] == "document:phu-luc-2-cap.docx"
    assert result["values"]["1:1"] == 12 and result["values"]["3:3.2"] == 97.5
    assert any("không dùng bộ bnv-2024" in f["message"] for f in result["findings"] if f["rule"] == "read")
    call_command("check_forms", str(annex), stdout=out)  # the text output names the document's rows
    assert "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận" in out.getvalue()


def test_an_explicit_form_set_is_used_for_such_an_annex(annex):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("check_forms", str(annex), "--form-set", "bnv-2024", stdout=out)
    assert out.getvalue().startswith("Bộ biểu mẫu bnv-2024")
    assert "Số UBND cấp huyện đã kiểm tra" in out.getvalue()  # the set's name of 1:3.2, as asked
