"""A newer form set taken into use by a province: `cchc import-form-set` proposes it from its
document, `cchc install-form-set` checks it, stores it in DATA_DIR/forms and as a version; then its
documents are recognised and its year's new periods open with it."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from cchc.core.statforms import FORMS_DIR, api, read_form_document
from tests.core.test_statforms_two_level import two_level_annex


@pytest.fixture
def installed_dir(settings, tmp_path, monkeypatch):
    """A DATA_DIR of the test's own, searched after the built-in sets, as the app sets it up."""
    settings.DATA_DIR = tmp_path / "data"
    monkeypatch.setattr(api, "FORM_SET_DIRS", [FORMS_DIR, settings.DATA_DIR / "forms"])
    return settings.DATA_DIR / "forms"


def _install(*args) -> str:
    out = io.StringIO()
    call_command("install_form_set", *args, stdout=out)
    return out.getvalue()


def test_a_new_set_is_proposed_installed_then_recognised_and_used(db, installed_dir, tmp_path):
    from cchc.reporting.formsets import current_version
    from cchc.reporting.models import FormSetVersion

    annex = two_level_annex(tmp_path / "phu-luc-2-cap.docx", values={"1:1": "12"})
    assert read_form_document(annex).recognised is None  # not known yet, and not taken for bnv-2024
    proposal = tmp_path / "bnv-2025-2cap.json"
    out = io.StringIO()
    call_command("import_form_set", str(annex), "--key", "bnv-2025-2cap", "--year", "2025", "--output", str(proposal), stdout=out)
    assert f"cchc install-form-set {proposal}" in out.getvalue()

    with pytest.raises(CommandError) as caught:  # its formulas were proposed by the reader
        _install(str(proposal))
    assert caught.value.returncode == 2 and "công thức chưa được xác nhận (1:2" in str(caught.value)
    assert not installed_dir.exists() or not any(installed_dir.iterdir())  # nothing written

    message = _install(str(proposal), "--accept-proposed")
    assert "Bộ biểu mẫu bnv-2025-2cap" in message and "đã nạp phiên bản" in message and "áp dụng từ năm 2025" in message
    stored = json.loads((installed_dir / "bnv-2025-2cap.json").read_text(encoding="utf-8"))
    assert all("status" not in row.get("formula", {}) for form in stored["forms"] for row in form["rows"])

    assert read_form_document(annex).recognised == "bnv-2025-2cap"
    assert current_version(2025).key == "bnv-2025-2cap" and current_version(2024).key == "bnv-2024"
    assert FormSetVersion.objects.filter(key="bnv-2025-2cap", valid_from=2025).count() == 1
    assert "không đổi" in _install(str(proposal), "--accept-proposed")  # twice: one version
    assert FormSetVersion.objects.filter(key="bnv-2025-2cap").count() == 1


def test_install_refuses_a_built_in_key_a_broken_file_and_a_set_without_year(db, installed_dir, tmp_path):
    built_in = tmp_path / "bnv-2024.json"
    built_in.write_text((FORMS_DIR / "bnv-2024.json").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(CommandError, match="là bộ biểu mẫu có sẵn của cchc"):
        _install(str(built_in))
    broken = tmp_path / "hong.json"
    broken.write_text('{"key": "x", "forms": [', encoding="utf-8")
    with pytest.raises(CommandError, match="hong.json: không phải tệp JSON hợp lệ") as caught:
        _install(str(broken))
    assert caught.value.returncode == 2
    definition = json.loads(built_in.read_text(encoding="utf-8"))
    definition.pop("year")
    definition["key"] = "bnv-2024-tinh"
    no_year = tmp_path / "bnv-2024-tinh.json"
    no_year.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="thiếu «year»"):
        _install(str(no_year))
    assert not installed_dir.exists()


def test_a_failed_install_leaves_no_file_behind(db, installed_dir, tmp_path, monkeypatch):
    from cchc.reporting.management.commands import install_form_set

    definition = json.loads((FORMS_DIR / "bnv-2024.json").read_text(encoding="utf-8"))
    definition["key"], definition["year"] = "bnv-2024-tinh", 2025
    path = tmp_path / "bnv-2024-tinh.json"
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")

    def broken_sync(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(install_form_set, "sync_form_sets", broken_sync)
    with pytest.raises(RuntimeError):
        _install(str(path))
    assert not (installed_dir / "bnv-2024-tinh.json").exists()
    assert "bnv-2024-tinh" not in api.known_form_sets()
