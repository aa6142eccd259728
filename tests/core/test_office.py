"""Documents written by real office software: the fixture plans converted by LibreOffice headless
(its own .docx XML, numbering and styles; a Word 97-2003 .doc; an .rtf; a PDF printed by LibreOffice)
go through the plan reader with the same gold; and the conversion itself (cchc.core.office): missing
LibreOffice, timeout, damaged file, one conversion at a time.

LibreOffice is a Debian package CI installs (.ci/run); the conversions are cached in pytest's cache
directory, so only the first run pays for them (a few seconds each).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
import threading
import time
from pathlib import Path

import docx
import pytest

from cchc.core import office
from cchc.core.plan_reader import PlanReadError, document_text, read_plan
from tests.fixtures.plan_docs import GOLD_DIR, build_cached

SEEDS = ("000", "002")
FORMATS = ("lo.docx", "doc", "rtf", "lo.pdf")
TARGETS = {"lo.docx": "docx:MS Word 2007 XML", "doc": "doc:MS Word 97", "rtf": "rtf", "lo.pdf": "pdf:writer_pdf_Export"}

need_soffice = pytest.mark.skipif(
    office.soffice_path() is None and not __import__("os").environ.get("CI"),
    reason="LibreOffice (soffice) is not installed; CI installs it",
)


def _gold(seed: str) -> dict:
    return json.loads((GOLD_DIR / f"{seed}.json").read_text(encoding="utf-8"))


def _tasks(plan: dict) -> list[tuple]:
    """Each task's number, content and deadlines (the raw time cell may differ in list punctuation)."""
    return [
        (t["number"], t["content"], [(m["kind"], m["due"], m["recurrence"]) for m in t["milestones"]])
        for s in plan["sections"]
        for t in s["tasks"]
    ]


@pytest.fixture(scope="module")
def office_docs(request, tmp_path_factory):
    """{(seed, format): path}: each seed's fixture .docx, closed by a "Nơi nhận" paragraph as every
    real document is, converted by LibreOffice to each of FORMATS."""
    cache = getattr(request.config, "cache", None)
    root = cache.mkdir("office_docs") if cache is not None else tmp_path_factory.mktemp("office_docs")
    built = tmp_path_factory.mktemp("built")
    out: dict[tuple[str, str], Path] = {}
    for seed in SEEDS:
        fixture = build_cached(_gold(seed), root, seed, fmt="docx")
        digest = hashlib.sha256(fixture.read_bytes()).hexdigest()[:12]
        source = built / f"{seed}.docx"
        document = docx.Document(str(fixture))
        document.add_paragraph("Nơi nhận:")
        document.save(str(source))
        for fmt in FORMATS:
            target = root / f"{seed}-{digest}.{fmt}"
            if not target.exists():
                work = tmp_path_factory.mktemp("convert")
                produced = office.convert_with_soffice(source, work, TARGETS[fmt])
                shutil.copyfile(produced, target)
            out[(seed, fmt)] = target
    return out


# Seed 002 printed to PDF by LibreOffice repeats its table header on every page: the repeated rows
# are read as headers, not as tasks.
CASES = [(seed, fmt) for seed in SEEDS for fmt in FORMATS]


@need_soffice
@pytest.mark.parametrize(("seed", "fmt"), CASES)
def test_office_software_documents_give_the_gold_tasks(office_docs, seed, fmt):
    gold = _gold(seed)
    plan = read_plan(office_docs[(seed, fmt)], year=gold["year"])
    assert _tasks(plan) == _tasks(gold)
    assert plan["year"] == gold["year"]


@need_soffice
@pytest.mark.parametrize("fmt", ["doc", "rtf"])
def test_legacy_word_reads_like_the_docx_libreoffice_writes(office_docs, fmt):
    lo_docx = read_plan(office_docs[("000", "lo.docx")], year=2022)
    legacy = read_plan(office_docs[("000", fmt)], year=2022)
    assert legacy["sections"] == lo_docx["sections"]
    assert (legacy["issuer"], legacy["number"], legacy["issued_on"]) == (
        lo_docx["issuer"], lo_docx["number"], lo_docx["issued_on"],
    )


def test_without_libreoffice_the_message_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_SOFFICE", "")
    path = tmp_path / "ke-hoach-cu.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with pytest.raises(PlanReadError) as caught:
        document_text(path)
    message = caught.value.message
    assert "ke-hoach-cu.doc" in message and "Word 97-2003 (.doc)" in message
    assert "chưa cài LibreOffice" in message and "libreoffice-writer-nogui" in message


def _fake_soffice(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-soffice"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_a_conversion_that_hangs_is_stopped_at_the_timeout(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_SOFFICE", str(_fake_soffice(tmp_path, "sleep 30")))
    path = tmp_path / "bao-cao.rtf"
    path.write_text("{\\rtf1 x}", encoding="ascii")
    start = time.monotonic()
    with pytest.raises(office.ConversionError) as caught:
        with office.as_docx(path, timeout=1):
            pass
    assert time.monotonic() - start < 10
    assert caught.value.code == "timeout"
    assert "bao-cao.rtf" in caught.value.message and "quá 1 giây" in caught.value.message


def test_a_file_libreoffice_cannot_convert_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_SOFFICE", str(_fake_soffice(tmp_path, "exit 1")))
    path = tmp_path / "phu-luc.doc"
    path.write_bytes(b"not a word file")
    with pytest.raises(PlanReadError) as caught:
        document_text(path)
    assert "phu-luc.doc" in caught.value.message
    assert "không chuyển được" in caught.value.message


def test_conversions_run_one_at_a_time(tmp_path, monkeypatch):
    log = tmp_path / "log"
    # Records its start and end, then writes the .docx LibreOffice would (the last argument's stem).
    body = (
        f'echo start >> "{log}"; sleep 0.3; '
        'for last; do :; done; out=""; prev=""; for a; do [ "$prev" = "--outdir" ] && out="$a"; prev="$a"; done; '
        'stem=$(basename "$last"); stem="${stem%.*}"; echo x > "$out/$stem.docx"; '
        f'echo end >> "{log}"'
    )
    monkeypatch.setenv("CCHC_SOFFICE", str(_fake_soffice(tmp_path, body)))
    errors: list[Exception] = []

    def convert(i: int) -> None:
        path = tmp_path / f"tai-lieu-{i}.doc"
        path.write_bytes(b"doc")
        try:
            with office.as_docx(path) as converted:
                assert converted.suffix == ".docx" and converted.read_text().strip() == "x"
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=convert, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert log.read_text().split() == ["start", "end"] * 3


def test_a_docx_is_read_as_it_is(tmp_path):
    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(b"PK")
    with office.as_docx(path) as same:
        assert same == path
