"""cchc import-report: a report written outside cchc (seed 003) into a draft submission for review."""

from __future__ import annotations

from tests.core.test_report_reader import SEED_003, _inputs


def test_import_report_puts_the_annex_numbers_into_a_draft_submission(period, registry, capsys):
    from django.core.management import call_command

    from cchc.reporting.models import Submission
    from cchc.reporting.services import form_set_of, stored_values

    call_command("import_report", str(SEED_003))  # the issuer "UBND tỉnh Thanh Hóa" is the province
    out = capsys.readouterr().out
    assert "vào báo cáo của UBND tỉnh Thanh Hóa kỳ" in out and "chờ soát xét" in out
    submission = Submission.objects.get(period=period, unit=registry["province"])
    assert submission.status == Submission.Status.DRAFT
    inputs = set(form_set_of(submission).input_codes())
    expected = {c: v for c, v in _inputs().items() if c in inputs}
    assert stored_values(submission) == expected
    assert set(submission.values.values_list("source", flat=True)) == {"import"}
    assert "8 phần thuyết minh" in out  # direction (2) and the six reform areas of part I
    assert [s["area"] for s in submission.narrative["sections"]][-2:] == ["public_finance", "digital_government"]


def test_an_unreadable_report_is_one_clear_line_with_exit_status_2(db, tmp_path):
    import pytest
    from django.core.management import CommandError, call_command

    broken = tmp_path / "bao-cao-hong.docx"
    broken.write_bytes(b"PK\x03\x04 not a Word document")
    with pytest.raises(CommandError) as caught:
        call_command("import_report", str(broken))
    message = str(caught.value)
    assert caught.value.returncode == 2 and "\n" not in message
    assert message.count("bao-cao-hong.docx") == 1 and "không phải tài liệu Word (.docx) hợp lệ" in message
    with pytest.raises(CommandError) as caught:
        call_command("import_report", str(tmp_path / "khong-co.docx"))
    assert caught.value.returncode == 2 and str(caught.value).startswith("khong-co.docx: Không mở được tệp")


def test_a_report_whose_annex_follows_a_renumbered_form_set_stores_nothing(period, registry, tmp_path):
    """Seed 003's report with its annex replaced by a reissued one (district rows dropped, numbers
    closed up): the annex's codes mean other rows than the period's bnv-2024, so the import is
    refused naming them, and neither figures nor narrative are stored."""
    import pytest

    from cchc.core.report_reader import read_report
    from cchc.core.statforms import read_form_document
    from cchc.reporting.models import Submission
    from cchc.reporting.report_import import take_in_report
    from cchc.reporting.services import ReportingError
    from tests.core.test_statforms_two_level import two_level_annex

    report = read_report(SEED_003)
    report["forms"] = read_form_document(two_level_annex(tmp_path / "phu-luc.docx", values={"1:3.2": "100"}))
    submission = Submission.objects.create(period=period, unit=registry["province"])
    with pytest.raises(ReportingError) as caught:
        take_in_report(submission, report, "bao-cao-2024.docx")
    assert "phụ lục theo bộ biểu mẫu khác bộ bnv-2024" in str(caught.value)
    assert any(d.startswith("Chỉ tiêu 1:3.2 trong tệp là «Tỷ lệ xử lý") for d in caught.value.details)
    submission.refresh_from_db()
    assert not submission.values.exists() and not submission.narrative
