"""The `cchc` command: every subcommand is a Django management command (hyphens allowed),
so `cchc serve`, `cchc import-plan x.docx` and `cchc migrate` all work the same way."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    if argv and not argv[0].startswith("-"):
        argv[0] = argv[0].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cchc", *argv] if argv else ["cchc", "help"])


if __name__ == "__main__":
    main()
