"""Form sets in the database: loaded from ``cchc/data/forms/*.json`` and the installed ones
(DATA_DIR/forms, `cchc install-form-set`) after every migrate."""

from __future__ import annotations

import json
from collections import OrderedDict
from decimal import Decimal

from cchc.core.statforms import FormSet, form_set_path, known_form_sets, load_form_set


def plain_json(value):
    """The definition as JSON the database stores: Decimals of the file become ints or floats."""
    if isinstance(value, dict):
        return {k: plain_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_json(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def sync_form_sets(using: str = "default", directory=None) -> list:
    """Store every known form set version (idempotent: an unchanged file changes nothing; a
    changed file whose rows changed becomes a new version, an edit of rules or messages updates
    the version in place). Returns the FormSetVersion rows created or updated."""
    from .models import FormSetVersion

    touched = []
    for key in known_form_sets(directory):
        form_set = load_form_set(key, directory)
        path = form_set_path(key, directory)
        with open(path, encoding="utf-8") as fh:
            definition = plain_json(json.load(fh, parse_float=Decimal))
        existing = FormSetVersion.objects.using(using).filter(key=key, version=form_set.version).first()
        fields = {"title": form_set.title[:500], "valid_from": form_set.year, "definition": definition}
        if existing is None:
            touched.append(FormSetVersion.objects.using(using).create(key=key, version=form_set.version, **fields))
        elif any(getattr(existing, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(existing, k, v)
            existing.save(using=using)
            touched.append(existing)
    return touched


_PARSED: OrderedDict[tuple, FormSet] = OrderedDict()
_PARSED_MAX = 32


def form_set_of(version_row) -> FormSet:
    """The FormSet of a stored version, parsed once per process and save of the row (every save
    stamps ``loaded_at``), not once per request."""
    key = (version_row.pk, version_row.version, version_row.loaded_at)
    if version_row.pk is None or version_row.loaded_at is None:
        return _parse(version_row.definition)
    form_set = _PARSED.get(key)
    if form_set is None:
        form_set = _PARSED[key] = _parse(version_row.definition)
        if len(_PARSED) > _PARSED_MAX:
            _PARSED.popitem(last=False)
    else:
        _PARSED.move_to_end(key)
    return form_set


def _parse(definition) -> FormSet:
    # Through JSON text so that numbers of the definition become Decimals, as in the files.
    return FormSet.from_dict(json.loads(json.dumps(definition), parse_float=Decimal))


def current_version(year: int | None = None):
    """The version to open a new period with: the latest valid in ``year`` (else the latest)."""
    from .models import FormSetVersion

    versions = FormSetVersion.objects.all()
    if year is not None:
        candidates = versions.filter(valid_from__lte=year).order_by("-valid_from", "-loaded_at")
        if candidates.exists():
            return candidates.first()
    return versions.order_by("-valid_from", "-loaded_at").first()
