"""cchc sipas-designs [--json]: the survey designs the system knows: the built-in ones, then each
province's library design in its latest version."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from cchc.core.surveys import design_keys, load_design
from cchc.surveys.models import DesignVersion


def library_designs() -> list[tuple[DesignVersion, dict]]:
    """The latest version of every library design, with its entry in the --json list: the
    built-ins' shape (key, name, questions) plus where it comes from (province, library id, version)."""
    chosen: dict[int, DesignVersion] = {}
    for version in DesignVersion.objects.select_related("design__province").order_by(
            "design__province__name", "design__name", "design_id", "-number"):
        chosen.setdefault(version.design_id, version)  # the highest number first
    latest = list(chosen.values())
    entries = []
    for version in latest:
        design = version.parsed()
        entries.append((version, {
            **design.as_dict(), "name": version.design.name, "source": "library",
            "province": version.design.province.name, "library": version.design_id, "version": version.number,
        }))
    return entries


class Command(BaseCommand):
    help = "Liệt kê các thiết kế phiếu khảo sát (SIPAS, điều tra xã hội học), có sẵn và trong thư viện của các tỉnh."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="In dạng JSON")

    def handle(self, *args, **options):
        designs = [load_design(key) for key in design_keys()]
        library = library_designs()
        if options["json"]:
            listed = [{**d.as_dict(), "source": "builtin"} for d in designs] + [entry for _, entry in library]
            self.stdout.write(json.dumps(listed, ensure_ascii=False, indent=2))
            return
        for design in designs:
            self.stdout.write(f"{design.key:<12} {design.name} ({len(design.scored)} câu hỏi đánh giá, "
                              f"{len(design.factors)} yếu tố)")
        for version, entry in library:
            design = version.parsed()
            self.stdout.write(f"{entry['key']:<12} {entry['name']} — thư viện {entry['province']}, phiên bản "
                              f"{entry['version']} ({len(design.scored)} câu hỏi đánh giá, {len(design.factors)} yếu tố)")
