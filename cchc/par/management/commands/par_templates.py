"""cchc par-templates: the keys of the built-in PAR Index criteria sets, one a line."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cchc.core.par import load_template, template_keys


class Command(BaseCommand):
    help = "Liệt kê các bộ tiêu chí Chỉ số CCHC có sẵn."

    def handle(self, *args, **options):
        for key in template_keys():
            self.stdout.write(f"{key}\t{load_template(key).name}")
