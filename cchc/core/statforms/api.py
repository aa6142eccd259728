"""Loading known form sets, recognising them, and the ``check`` entry point.

Known form sets are the files ``cchc/data/forms/<key>.json`` that have a ``"forms"`` list (other
JSON files there, such as seed values, are ignored). Every function takes an optional
``directory`` so tests and tools can point at another collection.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from cchc.core.text import clean, fold

from .engine import compute
from .model import FormSet
from .numbers import VNNumberError, format_vn_number, is_dash, parse_vn_number
from .validate import validate

__all__ = [
    "FORMS_DIR",
    "FORM_SET_DIRS",
    "FormInputError",
    "check",
    "form_set_path",
    "known_form_sets",
    "load_form_set",
    "name_conflicts",
    "names_agree",
    "period_window",
    "recognise_form_set",
]

FORMS_DIR = Path(__file__).resolve().parents[2] / "data" / "forms"
DEFAULT_FORM_SET = "bnv-2024"
_PERIOD = re.compile(r"^(?P<year>\d{4})-(?P<kind>Q1|H1|Q3|Y)$")


class FormInputError(ValueError):
    """Bad input to ``check`` (Vietnamese message); ``code`` and ``field`` say where."""

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        self.message = message
        self.code = code
        self.field = field
        super().__init__(message)

    def to_dict(self) -> dict[str, Any]:
        return {"message": self.message, "code": self.code, "field": self.field}


#: Where form sets are looked for when no ``directory`` is given: the built-in sets first, then
#: those an installation added (the Django app appends DATA_DIR/forms; see `cchc install-form-set`).
FORM_SET_DIRS: list[Path] = [FORMS_DIR]


def _directories(directory: str | Path | None) -> list[Path]:
    return [Path(directory)] if directory is not None else list(FORM_SET_DIRS)


def form_set_path(key: str, directory: str | Path | None = None) -> Path | None:
    """The file of form set ``key``: the first directory holding it (a built-in set cannot be
    shadowed by an installed one), or None."""
    for folder in _directories(directory):
        path = folder / f"{key}.json"
        if path.is_file() and _is_form_set_file(path.resolve(), path.stat().st_mtime):
            return path
    return None


@lru_cache(maxsize=32)
def _load(path: Path, mtime: float) -> FormSet:
    with path.open(encoding="utf-8") as fh:
        return FormSet.from_dict(json.load(fh, parse_float=Decimal))


def load_form_set(key: str = DEFAULT_FORM_SET, directory: str | Path | None = None) -> FormSet:
    """The form set ``<directory>/<key>.json`` (cached until the file changes)."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", key or ""):
        raise FormInputError(f"Tên bộ biểu mẫu «{key}» không hợp lệ.", field="form_set")
    path = form_set_path(key, directory)
    if path is None:
        known = ", ".join(known_form_sets(directory)) or "không có"
        raise FormInputError(f"Không có bộ biểu mẫu «{key}» (các bộ đã có: {known}).", field="form_set")
    return _load(path.resolve(), path.stat().st_mtime)  # the file's "key" is its name (form_set_path)


@lru_cache(maxsize=64)
def _is_form_set_file(path: Path, mtime: float) -> bool:
    try:
        with path.open(encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and isinstance(data.get("forms"), list) and data.get("key") == path.stem


def known_form_sets(directory: str | Path | None = None) -> list[str]:
    """Keys of the form-set files in ``directory`` (files with a "forms" list and a matching "key"),
    by default in every directory of `FORM_SET_DIRS`."""
    keys: list[str] = []
    for folder in _directories(directory):
        for p in sorted(folder.glob("*.json")):
            if p.stem not in keys and _is_form_set_file(p.resolve(), p.stat().st_mtime):
                keys.append(p.stem)
    return keys


# The level of government a row's name speaks of: a reissued form (after the district level was
# abolished in 2025) keeps the layout and renumbers, so "3.2" may be "Số UBND cấp xã đã kiểm tra" in
# the new set and "Số UBND cấp huyện đã kiểm tra" in the old one: names one word apart.
_LEVEL_WORDS = (
    ("province", re.compile(r"\btỉnh\b")),
    ("district", re.compile(r"\bhuyện\b")),
    ("commune", re.compile(r"\bxã\b(?!\s+hội)")),  # not "xã hội" (society)
)
NAME_AGREEMENT = 60  # rapidfuzz token_set_ratio of the folded names: below it, another row


def _levels(name: str) -> frozenset[str]:
    lowered = clean(name).lower()
    return frozenset(level for level, word in _LEVEL_WORDS if word.search(lowered))


def _conflict(printed: str, name: str) -> str | None:
    """"level" when ``printed`` speaks of another level of government than ``name``, "text" when
    it reads otherwise, None when it is that row."""
    from rapidfuzz import fuzz

    if _levels(printed) != _levels(name):
        return "level"
    if fuzz.token_set_ratio(fold(printed), fold(name)) < NAME_AGREEMENT:
        return "text"
    return None


def _conflicts(form_set: FormSet, names: Mapping[str, str]) -> tuple[dict[str, str], int]:
    """The conflicting codes with their kind, and how many named codes the set shares."""
    found: dict[str, str] = {}
    shared = 0
    for code, printed in names.items():
        row = form_set.rows.get(code)
        if row is None or not printed.strip():
            continue
        shared += 1
        kind = _conflict(printed, row.name)
        if kind:
            found[code] = kind
    return found, shared


def name_conflicts(form_set: FormSet, names: Mapping[str, str]) -> list[str]:
    """Codes of ``form_set`` whose name in ``names`` (code -> name as a document prints it) is not
    that row: it speaks of another level of government, or reads otherwise. Blank names and codes
    the set lacks are not conflicts (a document may print a code alone)."""
    return list(_conflicts(form_set, names)[0])


def names_agree(form_set: FormSet, names: Mapping[str, str] | None) -> bool:
    """No shared row speaks of another level, and at most one in ten reads otherwise (real
    annexes reword a little)."""
    if not names:
        return True
    found, shared = _conflicts(form_set, names)
    return "level" not in found.values() and len(found) * 10 <= shared


def recognise_form_set(
    codes: Iterable[str], directory: str | Path | None = None, *, names: Mapping[str, str] | None = None
) -> str | None:
    """The known form set whose codes contain all of ``codes``; with several, the one with the
    fewest extra codes (an exact match first). With ``names`` (code -> name as printed), a set
    whose rows under those codes are other rows (`name_conflicts`) is not it. None when no known
    set fits."""
    wanted = {c for c in codes}
    if not wanted:
        return None
    best: tuple[int, str] | None = None
    for key in known_form_sets(directory):
        form_set = load_form_set(key, directory)
        have = set(form_set.rows)
        if wanted <= have and names_agree(form_set, names):
            extra = len(have - wanted)
            if best is None or extra < best[0]:
                best = (extra, key)
    return best[1] if best else None


def period_window(period: str) -> tuple[date, date]:
    """Data window of a reporting period (DOMAIN.md §6): data are cut off on the 14th.

    ``2024-Q1`` 15/12/2023–14/3/2024, ``2024-H1`` 15/12/2023–14/6/2024,
    ``2024-Q3`` 15/6/2024–14/9/2024, ``2024-Y`` 15/12/2023–14/12/2024.
    """
    m = _PERIOD.match(period or "")
    if not m:
        raise FormInputError(
            f"Kỳ báo cáo «{period}» không hợp lệ; dùng NĂM-Q1, NĂM-H1, NĂM-Q3 hoặc NĂM-Y (ví dụ 2024-H1).",
            field="period",
        )
    year, kind = int(m["year"]), m["kind"]
    start = date(year, 6, 15) if kind == "Q3" else date(year - 1, 12, 15)
    end = {
        "Q1": date(year, 3, 14),
        "H1": date(year, 6, 14),
        "Q3": date(year, 9, 14),
        "Y": date(year, 12, 14),
    }[kind]
    return start, end


def _number(code: str, value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise FormInputError(
            f"Chỉ tiêu {code}: giá trị «{value}» không phải là số.", code=code, field="values"
        )
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise FormInputError(
                f"Chỉ tiêu {code}: giá trị «{value}» không phải là số.", code=code, field="values"
            )
        return Decimal(repr(value))
    if isinstance(value, str):
        if not value.strip() or is_dash(value):
            return None
        try:
            return parse_vn_number(value)
        except VNNumberError as exc:
            raise FormInputError(f"Chỉ tiêu {code}: {exc}", code=code, field="values") from None
    raise FormInputError(f"Chỉ tiêu {code}: giá trị «{value!r}» không phải là số.", code=code, field="values")


def _form_set_of(payload: Mapping[str, Any], raw: Mapping, directory: str | Path | None) -> FormSet:
    key = payload.get("form_set")
    if key is None:
        key = recognise_form_set(raw, directory)
        if key is None:
            raise FormInputError(
                "Không nhận ra bộ biểu mẫu từ các mã chỉ tiêu đã gửi; hãy ghi rõ «form_set».",
                field="form_set",
            )
    if not isinstance(key, str):
        raise FormInputError("«form_set» phải là tên bộ biểu mẫu, ví dụ bnv-2024.", field="form_set")
    return load_form_set(key, directory)


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def check(
    payload: Mapping[str, Any], directory: str | Path | None = None, *, form_set: FormSet | None = None
) -> dict[str, Any]:
    """Compute and validate one submission (against ``form_set`` when given: a document's own
    rows, when no known set is it).

    payload: ``{"form_set"?: "bnv-2024", "period"?: "2024-H1", "values": {code: number}}``;
    numbers may be JSON numbers or Vietnamese-notation strings ("238.144", "99,99"); null, "" or
    the forms' "-" mean not reported. Without ``form_set`` the set is recognised from the codes.

    Returns ``{"form_set", "version", "period"?, "values": {code: number} (inputs and derived),
    "display": {code: "99,99"}, "findings": [{"rule", "codes", "severity", "message"}]}``.
    Raises FormInputError for an unknown form set or code, a non-numeric value or a bad period.
    """
    if not isinstance(payload, Mapping):
        raise FormInputError("Dữ liệu gửi lên phải là một đối tượng JSON.", field="payload")
    unknown_fields = set(payload) - {"form_set", "period", "values"}
    if unknown_fields:
        raise FormInputError(
            f"Trường không được hỗ trợ: {', '.join(sorted(unknown_fields))}.", field=sorted(unknown_fields)[0]
        )
    raw = payload.get("values")
    if not isinstance(raw, Mapping):
        raise FormInputError("Thiếu «values»: bảng {mã chỉ tiêu: số liệu}.", field="values")
    if form_set is None:
        form_set = _form_set_of(payload, raw, directory)
    values: dict[str, Decimal] = {}
    for code, value in raw.items():
        if code not in form_set.rows:
            raise FormInputError(
                f"Mã chỉ tiêu «{code}» không có trong bộ biểu mẫu {form_set.key}.",
                code=str(code),
                field="values",
            )
        row = form_set.rows[code]
        number = _number(code, value)
        if number is None:
            continue
        if not row.has_value:
            raise FormInputError(
                f"Chỉ tiêu {code} «{row.name}» là dòng tiêu đề nhóm, không nhập số liệu.",
                code=code,
                field="values",
            )
        values[code] = number
    result: dict[str, Any] = {"form_set": form_set.key, "version": form_set.version}
    if payload.get("period") is not None:
        start, end = period_window(payload["period"])
        result["period"] = {"key": payload["period"], "start": start.isoformat(), "end": end.isoformat()}
    computed = compute(form_set, values)
    ordered = [c for c in form_set.rows if c in computed]
    result["values"] = {c: _json_number(computed[c]) for c in ordered}
    result["display"] = {c: format_vn_number(computed[c], form_set.rows[c].places) for c in ordered}
    result["findings"] = [f.to_dict() for f in validate(form_set, values)]
    return result
