"""The built-in criteria sets: one JSON file per key under `cchc/data/par/`, parsed once."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

from .model import Template, TemplateError, template_from_dict

__all__ = ["DATA_DIR", "load_template", "template_keys"]

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "par"


def template_keys() -> list[str]:
    """The keys of the built-in sets (file names without .json), sorted."""
    return sorted(p.stem for p in DATA_DIR.glob("*.json"))


@cache
def load_template(key: str) -> Template:
    """The built-in set `key`; TemplateError when there is none or its file is inconsistent."""
    if key not in template_keys():
        raise TemplateError(
            f"Không có bộ tiêu chí «{key}» (có: {', '.join(template_keys()) or 'không có bộ nào'})."
        )
    path = DATA_DIR / f"{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise TemplateError(f"{path.name}: JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}.") from exc
    template = template_from_dict(data)
    if template.key != key:
        raise TemplateError(f"{path.name}: khóa «{template.key}» khác tên tệp «{key}».")
    return template
