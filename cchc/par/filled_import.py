"""Importing a filled self-assessment (.docx / .xlsx, the criteria table with a "Điểm tự đánh giá"
column) into an assessment: read and checked first (`preview`), shown for review, then saved all
or nothing (`apply`). Reading is the engine's (`cchc.core.par.filled`); every row that matches no
leaf, and every score the leaf's rule refuses, is listed with its row number."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core import signing
from django.db import transaction

from cchc.core import par as engine
from cchc.core.par.filled import FilledReadError, read_filled

from . import services
from .models import Assessment, LeafScore
from .services import ParError
from .tree import check_points, template_tree

SALT = "cchc.par.filled"
MAX_AGE = 3600  # seconds a reviewed import stays confirmable


@dataclass
class ImportRow:
    code: str
    name: str
    max: Decimal
    points: Decimal
    current: Decimal | None
    row: int | None
    error: str = ""
    skipped: str = ""  # why a readable row is not imported (a computed leaf)


@dataclass
class Preview:
    source: str
    rows: list[ImportRow] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [r.error for r in self.rows if r.error]

    @property
    def scores(self) -> dict[str, Decimal]:
        return {r.code: r.points for r in self.rows if not r.error and not r.skipped}

    def token(self, assessment: Assessment) -> str:
        payload = {"a": assessment.pk, "f": self.source, "s": {c: str(p) for c, p in self.scores.items()}}
        return signing.dumps(payload, salt=SALT)


def preview(assessment: Assessment, path: str | Path, shown_name: str | None = None) -> Preview:
    """What the file would change; FilledReadError's message becomes a ParError naming the file."""
    tree = template_tree(assessment.template)
    template = engine.template_from_dict(assessment.template.definition)
    try:
        filled = read_filled(path, template)
    except FilledReadError as exc:
        message = str(exc)
        if shown_name:
            message = message.replace(Path(path).name, shown_name)
        raise ParError(message) from None
    source = shown_name or filled.source
    fix = (lambda text: text.replace(filled.source, source)) if shown_name else (lambda text: text)
    result = Preview(source=source, findings=[fix(f) for f in filled.findings])
    current = dict(LeafScore.objects.filter(assessment=assessment).values_list("code", "self_points"))
    for code, points in filled.scores.items():
        node = tree.node(code)
        row = filled.rows.get(code)
        item = ImportRow(code, node.name, node.max, points, current.get(code), row)
        where = f"{source}, dòng {row}"
        if not node.is_leaf:
            item.error = f"{where}: tiêu chí {code} ({node.name}) gồm các tiêu chí thành phần; hãy ghi điểm cho từng tiêu chí thành phần."
        elif node.computed:
            item.skipped = "Điểm được tính tự động từ số liệu của hệ thống; bỏ qua điểm ghi trong tệp."
        else:
            message = check_points(node, points)
            if message:
                item.error = f"{where}: {message}"
        result.rows.append(item)
    return result


def scores_from_token(assessment: Assessment, token: str) -> tuple[str, dict[str, Decimal]]:
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise ParError("Phiên xem lại đã hết hạn; hãy tải tệp lên lại.") from None
    except signing.BadSignature:
        raise ParError("Dữ liệu xác nhận không hợp lệ; hãy tải tệp lên lại.") from None
    if payload.get("a") != assessment.pk:
        raise ParError("Dữ liệu xác nhận thuộc bản tự đánh giá khác; hãy tải tệp lên lại.")
    return payload.get("f", ""), {code: Decimal(value) for code, value in payload["s"].items()}


@transaction.atomic
def apply(assessment: Assessment, scores: dict[str, Decimal], user) -> int:
    """Save every score or none: any refusal raises ParError listing each refused leaf."""
    if not services.can_prepare(user, assessment):
        raise ParError("Bạn không có quyền tự đánh giá cho đơn vị này.")
    reason = services.self_editable(assessment)
    if reason:
        raise ParError(reason)
    tree = template_tree(assessment.template)
    problems = []
    for code, points in scores.items():
        node = tree.node(code)
        if node is None or not node.is_leaf:
            problems.append(f"Không có tiêu chí {code} trong bộ tiêu chí {assessment.template.key}.")
            continue
        message = check_points(node, points)
        if message:
            problems.append(message)
    if problems:
        raise ParError("Chưa nhập được tệp: có điểm không hợp lệ, không điểm nào được lưu.", problems)
    for code, points in scores.items():
        services.save_self_score(assessment, code, points, user=user)
    return len(scores)
