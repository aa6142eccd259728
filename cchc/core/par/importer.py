"""Proposing a criteria set from its published document: the text of a guide's table (a .pdf with a
text layer read with ``pdftotext -layout``, columns STT | Nội dung | Điểm tối đa | … | Tài liệu kiểm
chứng). The tree and maxima come from the numbered rows; each leaf's name, printed guide and evidence
from its block of text; its rule is *proposed* from the printed levels ("Từ 80% – dưới 100% … thì
điểm đánh giá là 0,5"), with the reason, for a person to confirm or change before the set is stored
(docs/par-template.md). Nothing here guesses a figure the system holds: inputs have no source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .model import TemplateError, _rule, template_from_dict

__all__ = ["Proposal", "RawNode", "propose_rule", "propose_template", "read_layout", "read_table"]

_ROW = re.compile(r"^ ?(\d+(?:\.\d+)*)\.?(?=\s)")
_POINTS = re.compile(r"(?<![\d,./])(\d{1,2}(?:,\d{1,2})?)(?![\d,./%])")
_HEADER = ("Điểm tự", "Nội dung Tiêu chí", "STT ", "và hướng dẫn cách", "của đơn vị", "đánh giá", "tối đa")
_NUMBER = r"(\d+(?:[,.]\d+)?)"


@dataclass
class RawNode:
    code: str
    max: Decimal
    line: int  # index in the document's lines
    title: str = ""  # the text on the row's own line (left column, code removed)
    text: list[str] = field(default_factory=list)  # the block's left-column lines, in order
    evidence: list[str] = field(default_factory=list)


@dataclass
class Proposal:
    definition: dict
    reasons: dict[str, str]  # leaf code -> why its rule was proposed (Vietnamese)
    findings: list[str]  # what a person must look at (Vietnamese)


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def _columns(page: list[str]) -> tuple[int, int]:
    """Where the maxima and the evidence columns start on a page (from its table header)."""
    for line in page:
        at = line.find("Tài liệu kiểm chứng")
        if at > 0:
            points = line.rfind("Điểm", 0, at)
            return (points if points > 0 else 60), at
    return 60, 100


def read_layout(text: str) -> tuple[list[RawNode], Decimal | None]:
    """The numbered rows with their maxima and blocks of text, and the printed grand total."""
    rows: list[RawNode] = []
    total = None
    lines: list[tuple[str, str]] = []  # (left column, right column) of every body line
    for page in text.split("\f"):
        page_lines = page.splitlines()
        points_at, evidence_at = _columns(page_lines)
        for line in page_lines:
            found = re.search(r"TỔNG ĐIỂM\s+" + _NUMBER, line)
            if found:
                total = _dec(found.group(1))
                continue
            stripped = line.strip()
            if not stripped or stripped.isdigit() or stripped.startswith("Số:") or any(
                line[:evidence_at].strip().startswith(h) for h in _HEADER
            ) and not _ROW.match(line):
                continue
            left, right = line[:points_at].rstrip(), line[evidence_at:].strip()
            row = _ROW.match(line)
            if row:
                column = next((m for m in _POINTS.finditer(line) if points_at - 10 <= m.start() <= evidence_at), None)
                if column:
                    rows.append(RawNode(row.group(1), _dec(column.group(1)), len(lines), left[row.end():].strip()))
                    left = left[row.end():]
            lines.append((left.strip(), right))
    _blocks(rows, lines)
    return rows, total


_CODE = re.compile(r"^(\d+(?:\.\d+)*)\.?$")


def read_table(table: list[list[list[str]]]) -> tuple[list[RawNode], Decimal | None]:
    """The numbered rows of a guide's table read cell by cell (a .docx): ``table`` is its rows, each
    a list of cells, each cell its paragraphs. Columns are found from the header row (STT | Nội dung
    | Điểm tối đa | … | Tài liệu kiểm chứng); a row without a code continues the row above it."""
    rows: list[RawNode] = []
    total = None
    points_at, evidence_at = 2, None
    for cells in table:
        flat = [" ".join(p.strip() for p in cell if p.strip()) for cell in cells]
        header = next((i for i, c in enumerate(flat) if "Điểm tối đa" in c or c.startswith("Điểm chuẩn")), None)
        if header is not None:
            points_at = header
            evidence_at = next((i for i, c in enumerate(flat) if "Tài liệu kiểm chứng" in c), None)
            continue
        found = next((re.search(r"TỔNG ĐIỂM\s*" + _NUMBER, c) for c in flat if "TỔNG ĐIỂM" in c), None)
        if found or any(c.startswith("TỔNG ĐIỂM") for c in flat):
            number = found or (_POINTS.fullmatch(flat[points_at]) if points_at < len(flat) else None)
            if number:
                total = _dec(number.group(1))
            continue
        if not flat or not any(flat):
            continue
        content = [p.strip() for cell in cells[1:points_at] for p in cell if p.strip()]
        evidence = [p.strip() for p in (cells[evidence_at] if evidence_at is not None and evidence_at < len(cells) else [])
                    if p.strip()]
        code = _CODE.match(flat[0])
        points = _POINTS.fullmatch(flat[points_at]) if points_at < len(flat) else None
        if code and points:
            rows.append(RawNode(code.group(1), _dec(points.group(1)), len(rows), content[0] if content else "",
                                content, evidence))
        elif rows:  # a row split over two (a page break), or a note under the row above
            rows[-1].text += content
            rows[-1].evidence += evidence
    for i, row in enumerate(rows):
        if _is_inner(rows, i):
            row.title = " ".join(row.text)
    return rows, total


def _is_inner(rows: list[RawNode], i: int) -> bool:
    return i + 1 < len(rows) and rows[i + 1].code.startswith(rows[i].code + ".")


def _starts_block(previous: str, line: str) -> bool:
    """A new criterion's title: after a finished sentence, an upper-case start that is not a level,
    a requirement, a note or a formula's parts."""
    if not line or not previous or not line[0].isupper():
        return False
    if line.startswith(("Yêu cầu", "Nếu", "Trong đó", "Xác định", "Tính điểm", "Đối với", "Trường hợp", "Căn cứ")):
        return False
    return previous.endswith((".", ")", ";", "0", "tối đa)."))


def _blocks(rows: list[RawNode], lines: list[tuple[str, str]]) -> None:
    """Give each leaf the lines of its block: from the title that starts it to the next title."""
    inner_at = {r.line: r for i, r in enumerate(rows) if _is_inner(rows, i)}
    for at, row in inner_at.items():  # an area or criterion name wrapped onto the next line
        n = at + 1
        while n < len(lines) and lines[n][0][:1].islower() and n not in inner_at:
            row.title = f"{row.title} {lines[n][0]}".strip()
            lines[n] = ("", lines[n][1])
            n += 1
    starts, previous = [0], ""
    for n in range(len(lines)):
        left = lines[n][0]
        if n in inner_at or (n - 1 in inner_at and left) or _starts_block(previous, left):
            starts.append(n)
        if n in inner_at:
            previous, starts[-1] = "", n
            starts.append(n + 1)
        elif left:
            previous = left
    starts = sorted(set(starts)) + [len(lines)]
    spans = list(zip(starts, starts[1:], strict=False))
    leaves = [(i, r) for i, r in enumerate(rows) if not _is_inner(rows, i)]
    owner: dict[int, int] = {}  # span -> leaf index
    for i, row in leaves:
        owner.setdefault(next(k for k, (a, b) in enumerate(spans) if a <= row.line < b), i)
    for k, (a, b) in enumerate(spans):
        if k in owner or any(a <= r.line < b for r in inner_at.values()):
            continue
        # a span without its own row: the title above a row printed lower, or a false split
        nxt = next((j for j in range(k + 1, len(spans)) if j in owner), None)
        prv = next((j for j in range(k - 1, -1, -1) if j in owner), None)
        target = nxt if nxt is not None and nxt == k + 1 else prv
        if target is not None:
            owner.setdefault(k, owner[target])
    for i, row in leaves:
        mine = [spans[k] for k, j in owner.items() if j == i]
        for a, b in sorted(mine):
            row.text += [left for left, _ in lines[a:b] if left]
            row.evidence += [right for _, right in lines[a:b] if right]


def _first_sentence(lines: list[str]) -> str:
    text = " ".join(lines)
    text = re.split(r"\s*Yêu cầu\s*:?", text, maxsplit=1)[0]
    sentence = re.split(r"(?<=[^\d])\.\s", text + " ", maxsplit=1)[0]
    return sentence.strip().rstrip(".").strip()


def _levels(text: str) -> list[tuple[str, Decimal]]:
    """The printed levels: "- <condition> thì điểm đánh giá là <points>"."""
    found = []
    for part in re.split(r"(?:^|(?<=[.:;])\s+)[-+]\s", text):
        part = part.strip()
        match = re.search(r"(?:điểm đánh giá là|điểm đánh là|điểm đánh giá|thì đạt)\s*" + _NUMBER
                          + r"(?:\s*điểm)?(?=[.;,)]?(?:\s|$))", part) or re.search(r":\s*" + _NUMBER + r"\s*\.?\s*$", part)
        if match:
            found.append((part[: match.start()].strip(), _dec(match.group(1))))
    return found


def _band(condition: str) -> tuple[Decimal | None, Decimal | None] | None:
    c = condition.lower()
    between = re.search(r"từ\s*" + _NUMBER + r"\s*%?\s*(?:-|–|đến)\s*dưới\s*" + _NUMBER + r"\s*%", c)
    if between:
        return _dec(between.group(1)), _dec(between.group(2))
    above = re.search(_NUMBER + r"\s*%\s*(?:\S+\s+){0,8}?trở lên", c)
    if above:
        return _dec(above.group(1)), None
    below = re.search(r"dưới\s*" + _NUMBER + r"\s*%", c)
    if below:
        return None, _dec(below.group(1))
    full = re.search(r"(?<![\d,])100\s*%", c)
    if full:
        return Decimal(100), None
    return None


def _count(condition: str) -> tuple[Decimal | None, Decimal | None] | None:
    c = condition.lower()
    if re.search(r"không có", c):
        return None, Decimal(1)
    above = re.search(r"từ\s*(\d+)\s+\S+(?:\s+\S+){0,6}?\s+trở lên", c)
    if above:
        return Decimal(int(above.group(1))), None
    exact = re.search(r"có\s*(\d+)\s+(?:sáng kiến|giải pháp)", c)
    if exact:
        n = Decimal(int(exact.group(1)))
        return n, n + 1
    return None


def _bands(levels, parse) -> list[dict] | None:
    bands = []
    for condition, points in levels:
        got = parse(condition)
        if got is None:
            return None
        low, high = got
        band = {"points": str(points)}
        if low is not None:
            band["min"] = str(low)
        if high is not None:
            band["max"] = str(high)
        bands.append(band)
    return bands


def propose_rule(text: str, maximum: Decimal) -> tuple[dict, str]:
    """A rule for a leaf's printed text, and why (Vietnamese), for a person to confirm."""
    flat = " ".join(text.split())
    formula = re.search(r"\(\s*b\s*/\s*a\s*\)\s*[*×x]\s*điểm\s*tối\s*đa", flat)
    if formula:
        rule = {"kind": "formula", "expression": "(b/a)*max", "inputs": [
            {"name": "a", "label": _part(flat, "a") or "a"}, {"name": "b", "label": _part(flat, "b") or "b"}]}
        zero = re.search(r"b\s*/\s*a\s*<\s*" + _NUMBER, flat)
        why = "công thức (b/a) × điểm tối đa"
        if zero:
            rule["zero_below"] = {"expression": "b/a", "threshold": str(_dec(zero.group(1)))}
            why += f"; b/a < {zero.group(1)} → 0"
        if re.search(r"không có kiến nghị[^.]*đạt điểm tối đa", flat, re.IGNORECASE):
            rule["when_zero"] = {"input": "a", "points": "max"}
        return rule, why
    levels = _levels(flat)
    if len(levels) >= 2:
        if any("sáng kiến" in c.lower() for c, _ in levels):
            bands = _bands(levels, _count)
            if bands:
                return ({"kind": "count_bands", "input": "n", "inputs": [{"name": "n", "label": "Số lượng"}], "bands": bands},
                        f"{len(bands)} mức theo số lượng")
        bands = _bands(levels, _band)
        if bands and any("min" in b and "max" in b or "max" in b for b in bands) and len(levels) >= 2:
            return ({"kind": "pct_bands", "input": "p", "inputs": [{"name": "p", "label": "Tỷ lệ %"}], "bands": bands},
                    f"{len(bands)} mức theo tỷ lệ %")
        points = sorted({p for _, p in levels}, reverse=True)
        if len(levels) == 2 and points == [maximum, Decimal(0)]:
            return {"kind": "yes_no"}, "hai mức: đạt điểm tối đa hoặc 0"
        return ({"kind": "choice", "options": [{"label": c[:120] or f"Mức {i + 1}", "points": str(p)} for i, (c, p) in enumerate(levels)]},
                f"{len(levels)} mức in trong văn bản")
    return {"kind": "judgement"}, "không đọc được các mức điểm: Hội đồng thẩm định chấm trong khoảng 0 … điểm tối đa"


def _part(text: str, name: str) -> str:
    found = re.search(rf"\b{name}\s+là\s+(.+?)(?=[;.]|\s+[ab]\s+là\s|\(|$)", text)
    return found.group(1).strip()[:200] if found else ""


def propose_template(text: str, *, key: str, name: str, year: int, unit_type: str, issuer: str = "", decision: str = "",
                     appraiser: str = "", layout: tuple[list[RawNode], Decimal | None] | None = None) -> Proposal:
    """A criteria set proposed from a guide's text, or from its rows already read (``layout``, as
    ``read_table`` gives them); ``template_from_dict`` has checked it."""
    rows, total = layout if layout is not None else read_layout(text)
    findings: list[str] = []
    reasons: dict[str, str] = {}
    if not rows:
        raise ValueError("Không tìm thấy bảng tiêu chí (các dòng đánh số 1, 1.1, 1.1.1 … có điểm tối đa).")
    nodes: dict[str, dict] = {}
    top: list[dict] = []
    for i, row in enumerate(rows):
        parent_code = row.code.rpartition(".")[0]
        if row.code in nodes:
            findings.append(f"Mã {row.code} xuất hiện hai lần; giữ dòng đầu.")
            continue
        node = {"code": row.code, "max": str(row.max)}
        if _is_inner(rows, i):
            node["name"] = row.title or row.code
            node["children"] = []
        else:
            node["name"] = _first_sentence(row.text) or row.title or row.code
            body = " ".join(row.text)
            node["guide"] = body[:2000]
            node["evidence"] = " ".join(row.evidence)[:1000]
            node["source"] = "self"
            node["appraiser"] = appraiser
            node["rule"], reasons[row.code] = propose_rule(body, row.max)
            levels = [Decimal(b["points"]) for b in node["rule"].get("bands", [])] + [
                Decimal(o["points"]) for o in node["rule"].get("options", [])]
            if levels and max(levels) < row.max:
                findings.append(f"Tiêu chí {row.code}: không mức nào đọc được đạt điểm tối đa {row.max}; kiểm tra lại các mức.")
            try:
                _rule(node["rule"], f"Tiêu chí {row.code}", row.max)
            except TemplateError as exc:
                findings.append(f"{exc} Đề xuất chấm theo đánh giá của Hội đồng thẩm định.")
                node["rule"], reasons[row.code] = {"kind": "judgement"}, "các mức đọc được không hợp lệ"
            if re.search(r"không (?:thực hiện )?tự đánh giá", body):
                findings.append(f"Tiêu chí {row.code}: văn bản ghi đơn vị không tự đánh giá nội dung này.")
        nodes[row.code] = node
        if parent_code and parent_code in nodes:
            nodes[parent_code].setdefault("children", []).append(node)
        elif parent_code:
            findings.append(f"Tiêu chí {row.code}: không có dòng {parent_code} chứa nó; đặt ở cấp cao nhất.")
            top.append(node)
        else:
            top.append(node)
    for node in nodes.values():
        children = node.get("children")
        if children:
            added = sum((Decimal(c["max"]) for c in children), Decimal(0))
            if added != Decimal(node["max"]):
                findings.append(f"Tiêu chí {node['code']}: các tiêu chí thành phần cộng lại {added}, điểm tối đa in {node['max']}.")
    areas = sum((Decimal(n["max"]) for n in top), Decimal(0))
    if total is not None and areas != total:
        findings.append(f"Các lĩnh vực cộng lại {areas}, tổng điểm in {total}.")
    definition = {"key": key, "name": name, "issuer": issuer, "decision": decision, "year": year, "unit_type": unit_type,
                  "total_max": str(total if total is not None else areas), "groups": [], "nodes": top}
    template_from_dict(definition)  # a TemplateError names the node a person must fix
    return Proposal(definition, reasons, findings)
