"""Statistical forms (Biểu mẫu 1–7) as versioned data, with a formula and validation engine.

Pure Python, no Django. The form sets live in ``cchc/data/forms/<key>.json``; see ``model.py`` for
the vocabulary (value types, aggregation rules, rule kinds) and DOMAIN.md §6 for the domain.

    load_form_set("bnv-2024") -> FormSet
    recognise_form_set(codes, names=...) -> "bnv-2024" | None   codes and, given, the printed names
    name_conflicts(form_set, names) -> [code]               rows printed under another row's code
    compute(form_set, values) -> {code: Decimal}            inputs + derived
    validate(form_set, values) -> [Finding]
    check({"form_set"?, "period"?, "values"}) -> {"values", "display", "findings", ...}
    read_form_document(path) -> FormDocument                .docx / .xlsx / .txt, blank or filled
    aggregate(form_set, submissions) -> {code: Decimal}     sums; ratios recomputed, never averaged
    tally(...) + tally_of_totals(...) -> Tally              the same, from totals a database summed
    parse_vn_number("238.144") -> Decimal("238144");  format_vn_number(Decimal("99.654"), 2) -> "99,65"
"""

from .api import (
    FORM_SET_DIRS,
    FORMS_DIR,
    FormInputError,
    check,
    form_set_path,
    known_form_sets,
    load_form_set,
    name_conflicts,
    period_window,
    recognise_form_set,
)
from .engine import (
    Tally,
    Totals,
    aggregate,
    answer_codes,
    coded_rows,
    compute,
    distribution_key,
    sum_first_codes,
    tally,
    tally_of_totals,
)
from .model import Choice, Finding, Form, FormSet, FormSetError, Formula, Row, Rule
from .numbers import VNNumberError, format_vn_number, is_dash, matches_printed, parse_vn_number
from .reader import FormDocument, FormReadError, read_form_document, read_form_text
from .validate import validate

__all__ = [
    "FORM_SET_DIRS",
    "FORMS_DIR",
    "form_set_path",
    "Choice",
    "Finding",
    "Form",
    "FormDocument",
    "FormInputError",
    "FormReadError",
    "FormSet",
    "FormSetError",
    "Formula",
    "Row",
    "Rule",
    "Tally",
    "Totals",
    "VNNumberError",
    "aggregate",
    "answer_codes",
    "coded_rows",
    "check",
    "compute",
    "distribution_key",
    "format_vn_number",
    "is_dash",
    "known_form_sets",
    "load_form_set",
    "matches_printed",
    "name_conflicts",
    "parse_vn_number",
    "period_window",
    "read_form_document",
    "read_form_text",
    "recognise_form_set",
    "sum_first_codes",
    "tally",
    "tally_of_totals",
    "validate",
]
