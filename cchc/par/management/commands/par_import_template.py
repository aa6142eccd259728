"""cchc par-import-template PATH --key KEY --unit-type TYPE --year YEAR [--name NAME] [--out FILE]

Proposes a criteria set from its published document (PATH: a .docx, a .pdf with a text layer, or the text
``pdftotext -layout`` made of it): the tree, maxima, names, printed guides and evidence, and a rule
per leaf read from the printed levels. Prints the definition (docs/par-template.md) as JSON, or
writes it to --out, and lists on stderr what a person must check before it is stored under
cchc/data/par/. Bad input: exit status 2 and one line saying what and where.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.core.par import TemplateError
from cchc.core.par.importer import propose_template

UNIT_TYPES = ("province", "department", "commune")


def _fail(message: str) -> CommandError:
    return CommandError(" ".join(message.split()), returncode=2)


def document_layout(path: Path):
    from cchc.par.services import ParError
    from cchc.par.template_import import document_layout as read

    try:
        return read(path, path.name)
    except ParError as exc:
        raise _fail(exc.message) from None


class Command(BaseCommand):
    help = "Đề xuất bộ tiêu chí Chỉ số CCHC từ văn bản ban hành (.docx, .pdf), để người có thẩm quyền xem lại."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--key", required=True)
        parser.add_argument("--unit-type", required=True, choices=UNIT_TYPES)
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--name", default="")
        parser.add_argument("--issuer", default="")
        parser.add_argument("--decision", default="")
        parser.add_argument("--appraiser", default="", help="Cơ quan thẩm định ghi cho mọi tiêu chí (sửa sau khi xem lại)")
        parser.add_argument("--out", help="Ghi định nghĩa JSON vào tệp này")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise _fail(f"{path}: không tìm thấy tệp.")
        layout = document_layout(path)
        try:
            proposal = propose_template(
                "", layout=layout, key=options["key"], name=options["name"] or f"Bộ tiêu chí {options['key']}", year=options["year"],
                unit_type=options["unit_type"], issuer=options["issuer"], decision=options["decision"],
                appraiser=options["appraiser"],
            )
        except (ValueError, TemplateError) as exc:
            raise _fail(f"{path.name}: {exc}") from exc
        payload = json.dumps(proposal.definition, ensure_ascii=False, indent=1)
        if options.get("out"):
            Path(options["out"]).write_text(payload + "\n", encoding="utf-8")
        else:
            self.stdout.write(payload)
        leaves = len(proposal.reasons)
        judged = sum(1 for why in proposal.reasons.values() if why.startswith(("không đọc", "các mức đọc")))
        self.stderr.write(f"{leaves} tiêu chí; {leaves - judged} có quy tắc đề xuất từ các mức in trong văn bản, "
                          f"{judged} cần người xem lại quy tắc.")
        for finding in proposal.findings:
            self.stderr.write(f"[!] {finding}")
