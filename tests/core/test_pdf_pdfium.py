"""PDF plans read at text speed: PDFium's characters and ruled lines (cchc.core.plan_reader.pdfium_pages)
give the same reader text as pdfplumber alone, on the seed plans' PDFs and the small plan's variants."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.core.plan_reader import read_plan
from cchc.core.plan_reader.pdf import pdf_to_text, pdf_to_text_pdfplumber
from cchc.core.plan_reader.pdfium_pages import read_pages
from tests.fixtures.plan_docs import GOLD_DIR, SEEDS, build_cached


@pytest.fixture(scope="module")
def docs_dir(request, tmp_path_factory):
    cache = getattr(request.config, "cache", None)
    if cache is not None:
        return cache.mkdir("plan_docs")
    return tmp_path_factory.mktemp("plan_docs")


def _gold(seed: str) -> dict:
    return json.loads((GOLD_DIR / f"{seed}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("seed", SEEDS)
def test_pdfium_text_is_pdfplumbers_text(docs_dir, seed):
    path = build_cached(_gold(seed), docs_dir, seed, fmt="pdf")
    assert pdf_to_text(path) == pdf_to_text_pdfplumber(path)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_gold_task_is_found_from_the_pdf(docs_dir, seed):
    gold = _gold(seed)
    plan = read_plan(build_cached(gold, docs_dir, seed, fmt="pdf"), year=gold["year"])
    found = [(t["number"], t["content"]) for s in plan["sections"] for t in s["tasks"]]
    expected = [(t["number"], t["content"]) for s in gold["sections"] for t in s["tasks"]]
    assert found == expected


def test_pages_give_characters_from_the_top_and_table_rules(docs_dir):
    pages = list(read_pages(build_cached(_gold("000"), docs_dir, "000", fmt="pdf")))
    assert [p.number for p in pages] == list(range(len(pages)))
    first = pages[0]
    assert first.width > 500 and first.height > 0
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in "".join(c["text"] for c in first.chars)
    assert all(0 <= c["top"] < c["bottom"] <= p.height for p in pages for c in p.chars)
    ruled = [p for p in pages if p.edges]
    assert ruled and {e["orientation"] for p in ruled for e in p.edges} == {"h", "v"}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("variant", ["default", "single_table"])
def test_lattice_finds_pdfplumbers_cells(docs_dir, seed, variant):
    from pdfplumber.table import TableFinder

    from cchc.core.plan_reader.lattice import find_tables

    pages = list(read_pages(build_cached(_gold(seed), docs_dir, seed, fmt="pdf", variant=variant)))
    found = [[(t.cells, t.bbox) for t in find_tables(p.rules)] for p in pages]
    assert found == [[(t.cells, t.bbox) for t in TableFinder(p).tables] for p in pages]
    assert sum(len(tables) for tables in found) >= len(pages) - 1  # the plan's tables are found


def _stream(content: bytes, head: bytes = b"") -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (head, len(content)) + content + b"\nendstream"


def _one_page_pdf(content: bytes, resources: bytes = b"/Font << /F1 5 0 R >>", extra: tuple = ()) -> bytes:
    """A PDF of one 300×200 page drawing ``content`` (a content stream); object 5 is Helvetica
    unless ``extra`` gives objects 5, 6, … itself."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << %s >> >>" % resources,
        _stream(content),
        *(extra or (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",)),
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def test_ruled_lines_inside_forms_take_the_forms_transforms(tmp_path):
    # A rectangle in a form (X2) drawn by a form (X1, with its own matrix) drawn scaled by the page,
    # between paths of the page itself.
    path = tmp_path / "forms.pdf"
    form = b"<< /Type /XObject /Subtype /Form /BBox [0 0 300 200]"
    path.write_bytes(_one_page_pdf(
        b"10 10 100 50 re S q 2 0 0 2 3 4 cm /X1 Do Q 50 60 m 50 90 l S",
        resources=b"/XObject << /X1 5 0 R >>",
        extra=(
            _stream(b"q 1 0 0 1 10 10 cm /X2 Do Q", form + b" /Matrix [1 0 0 1 5 7] /Resources << /XObject << /X2 6 0 R >> >>"),
            _stream(b"1 1 40 30 re S", form),
        ),
    ))
    (page,) = read_pages(path)
    assert page.rules.tolist() == [
        [10.0, 190.0, 110.0, 190.0, 0.0], [110.0, 140.0, 110.0, 190.0, 1.0],  # the page's rectangle
        [10.0, 140.0, 110.0, 140.0, 0.0], [10.0, 140.0, 10.0, 190.0, 1.0],
        # x: 2 * (1 + 10 + 5) + 3 = 35 to 2 * (41 + 10 + 5) + 3 = 115; y: 200 - (2 * 48 + 4) = 100 to 160
        [35.0, 160.0, 115.0, 160.0, 0.0], [115.0, 100.0, 115.0, 160.0, 1.0],
        [35.0, 100.0, 115.0, 100.0, 0.0], [35.0, 100.0, 35.0, 160.0, 1.0],
        [50.0, 110.0, 50.0, 140.0, 1.0],  # the page's line after the form
    ]


def test_characters_printed_twice_are_read_once(tmp_path):
    # Fake bold: part of a line printed again a fraction of a point off (PDFium keeps both copies).
    path = tmp_path / "fake_bold.pdf"
    path.write_bytes(_one_page_pdf(
        b"BT /F1 12 Tf 20 150 Td (Bold words here) Tj ET BT /F1 12 Tf 20.2 150.1 Td (Bold w) Tj ET"
        b" BT /F1 12 Tf 20 120 Td (plain line) Tj ET"
    ))
    (page,) = read_pages(path)
    text = page.glyphs.text
    assert text.count("B") == 1 and text.count("o") == 2  # "Bo" printed twice, read once
    assert pdf_to_text(path) == pdf_to_text_pdfplumber(path) == "Boldd wwords here\nplain line\n"


_CHAR = st.tuples(
    st.sampled_from(list("aẾb-ﬁ ")),  # letters, an accented capital, a ligature, a blank
    st.integers(0, 3),  # group (a cell or a band of text)
    st.integers(0, 60),  # x0 in half points: neighbours touch, overlap or leave a gap
    st.sampled_from([2.0, 3.5, 5.0]),  # width
    st.sampled_from([100.0, 101.5, 102.9, 103.0, 104.0, 112.0]),  # top: lines near, 3 apart and apart
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHAR, max_size=60))
def test_word_grouping_is_pdfplumbers(chars):
    # `_fast_words` (numpy, the whole document at once) gives pdfplumber's own extract_text per
    # group and its extract_words lines for the bands of text.
    import numpy as np

    from cchc.core.plan_reader.pdf import _fast_words, _plumber_words, _PlumberChars
    from cchc.core.plan_reader.pdfium_pages import Glyphs

    rows = [(text, x / 2, x / 2 + width, top, top + 8.0) for text, _, x, width, top in chars]
    group = np.array([c[1] for c in chars], np.intp)
    glyphs = Glyphs(
        np.array([ord(r[0]) for r in rows], np.uint32), np.array([r[0].isspace() for r in rows], bool),
        *(np.array([r[i] for r in rows], float) for i in range(1, 5)),
    )
    dicts = [(*r, {"text": r[0], "x0": r[1], "x1": r[2], "top": r[3], "doctop": r[3], "bottom": r[4],
                   "upright": True}) for r in rows]
    bands = np.array([0, 1])  # groups 0 and 1 are bands of text, 2 and 3 cells
    fast_texts, fast_lines = _fast_words(glyphs, group, bands)
    texts, lines = _plumber_words(_PlumberChars(dicts), group, bands)
    assert {g: t for g, t in fast_texts.items() if g >= 2} == {g: t for g, t in texts.items() if t}
    assert fast_lines == {g: ls for g, ls in lines.items() if ls}
