"""cchc sipas-designs [--json]: the survey designs the system knows (built-in)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from cchc.core.surveys import design_keys, load_design


class Command(BaseCommand):
    help = "Liệt kê các thiết kế phiếu khảo sát (SIPAS, điều tra xã hội học)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="In dạng JSON")

    def handle(self, *args, **options):
        designs = [load_design(key) for key in design_keys()]
        if options["json"]:
            self.stdout.write(json.dumps([d.as_dict() for d in designs], ensure_ascii=False, indent=2))
            return
        for design in designs:
            self.stdout.write(f"{design.key:<12} {design.name} ({len(design.scored)} câu hỏi đánh giá, "
                              f"{len(design.factors)} yếu tố)")
