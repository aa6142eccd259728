"""Uploaded files against the records that name them.

A record and its file are written in one request, but the file system is not part of the
database transaction: a power cut (or SIGKILL) after the file is written and before the commit
leaves a file no record names. `orphan_files` finds them; `quarantine_orphans` (run by
`cchc serve` at start) moves them out of the media directory into DATA_DIR/orphans/<time>/, never
deleting anything. `missing_files` is the other direction: records whose file is gone.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

from .backup import media_files


def file_fields() -> list[tuple[type[models.Model], str]]:
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def referenced_files() -> set[str]:
    names: set[str] = set()
    for model, field in file_fields():
        names.update(n for n in model._default_manager.exclude(**{field: ""}).values_list(field, flat=True) if n)
    return names


def orphan_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    known = referenced_files()
    return [name for name in (p.relative_to(root).as_posix() for p in media_files(root)) if name not in known]


def missing_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(name for name in referenced_files() if not (root / name).is_file())


def quarantine_orphans() -> list[str]:
    orphans = orphan_files()
    if not orphans:
        return []
    root = Path(settings.MEDIA_ROOT)
    target = Path(settings.DATA_DIR) / "orphans" / f"{datetime.datetime.now():%Y%m%d-%H%M%S-%f}"
    for name in orphans:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(root / name), str(target / name))
    return orphans
