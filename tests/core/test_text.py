import unicodedata

from cchc.core.text import clean, fold, nfc


def test_fold_removes_accents_case_and_d_stroke():
    assert fold("Sở Nội vụ") == "so noi vu"
    assert fold("ĐẢNG  ủy\n") == "dang uy"


def test_fold_is_insensitive_to_normal_form():
    text = "Ủy ban nhân dân tỉnh Thanh Hóa"
    assert fold(unicodedata.normalize("NFD", text)) == fold(text)


def test_nfc_unifies_dashes_and_nbsp():
    assert nfc("Tư pháp \u2013 Hộ tịch\u00a0x") == "Tư pháp - Hộ tịch x"


def test_clean_collapses_whitespace():
    assert clean("  Quý  IV/2022 \n") == "Quý IV/2022"
