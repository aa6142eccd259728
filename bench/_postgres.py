"""What the PostgreSQL benchmarks share: settings that refuse SQLite, and loading rows with COPY."""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path


def timed_beside(fn: Callable[[], object], floor: Callable[[], object], repeat: int) -> tuple[float, object, float, object]:
    """Median ms and last result of ``fn`` and of its ``floor``, their calls alternating after one
    warm-up each, so that both see the same machine (a shared 2-CPU machine drifts over seconds)."""
    result, floor_result = fn(), floor()
    times, floor_times = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        floor_result = floor()
        floor_times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result, statistics.median(floor_times), floor_result


def setup_django(data_dir: str, script: str) -> None:
    """Settings for this run; refuse anything but PostgreSQL (COPY, and SQLite is no measure)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.settings"
    os.environ["CCHC_DATA_DIR"] = data_dir
    Path(data_dir, "static").mkdir()  # WhiteNoise warns about a missing STATIC_ROOT otherwise
    os.environ.setdefault("CCHC_DEBUG", "0")  # measure what production runs: no template debug, no query log
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        print(f"{script} needs PostgreSQL: set DATABASE_URL=postgres://... (an empty database).\n"
              "It refuses SQLite: the generator uses COPY, and SQLite timings say nothing about a national "
              "deployment.", file=sys.stderr)
        sys.exit(2)
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        print(f"{script} needs PostgreSQL, not {connection.vendor}.", file=sys.stderr)
        sys.exit(2)


def copy_rows(model, fields: Sequence[str], rows: Sequence[tuple]) -> int:
    """COPY rows (tuples in the order of `fields`, attribute names) into the model's table.
    Columns not named get their field's default (or NULL, or "" for text), computed once."""
    from django.db import connection

    if not rows:
        return 0
    meta = model._meta
    extra_fields, extra_values = [], []
    for model_field in meta.concrete_fields:
        if model_field.attname in fields or model_field.name in fields:
            continue
        if model_field.has_default():
            value = model_field.get_default()
        elif model_field.null:
            value = None
        elif model_field.get_internal_type() in ("CharField", "TextField", "FileField", "SlugField"):
            value = ""
        else:
            raise ValueError(f"{meta.label}.{model_field.name} needs a value")
        if model_field.get_internal_type() == "JSONField":
            value = json.dumps(value)
        extra_fields.append(model_field.attname)
        extra_values.append(value)
    columns = [meta.get_field(name).column for name in fields] + [meta.get_field(name).column for name in extra_fields]
    quote = connection.ops.quote_name
    statement = f"COPY {quote(meta.db_table)} ({', '.join(map(quote, columns))}) FROM STDIN"
    tail = tuple(extra_values)
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row + tail if tail else row)
    return len(rows)


def reset_sequences(models: Iterable) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(statement)


def run(script: str, reuse: bool, keep: bool, generate: Callable[[], None], measure: Callable[[], None]) -> int:
    """A benchmark's life: settings and migrations on an empty PostgreSQL database (or, with
    ``reuse``, the data already there), ``generate``, ``measure``, and the generated data flushed
    unless ``keep``. Exit status: 2 when the database holds data it was not told to reuse."""
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as data_dir:
        setup_django(data_dir, script)
        from django.core.management import call_command

        from cchc.units.models import Unit

        call_command("migrate", verbosity=0)
        generated = False
        if Unit.objects.exists():
            if not reuse:
                print("The database already holds data: use an empty database, or --reuse to measure it as it is.",
                      file=sys.stderr)
                return 2
            print("Reusing the data already in the database.")
        else:
            generate()
            generated = True
        try:
            measure()
        finally:
            if generated and not keep:
                call_command("flush", interactive=False, verbosity=0)
                print("\nData flushed (use --keep to keep it).")
        return 0
