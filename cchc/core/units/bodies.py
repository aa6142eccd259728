"""A province's bodies (sở, ban, ngành, central agencies on its territory, public service units)
as a list the province corrects itself: the columns of its .xlsx, the reading of each row, and
what importing it would change. Pure Python, no Django; cchc/units/bodies.py applies the plan.

Rules of the sheet, also written on its "Hướng dẫn" page:

* one row per body, identified by its code; a code already in the registry updates that body, a
  new code adds one. Rows absent from the sheet are left as they are (a body that ends gets a
  "Hiệu lực đến" date, it is never deleted);
* on an existing body a blank cell keeps the current value and "-" clears it;
* "Đơn vị cấp trên" is a code of the province or of one of its units (blank: the province);
* "Kế thừa từ" lists the codes of the bodies this one replaces (merged into it) from its
  "Hiệu lực từ" date: their past work then counts for it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from ..sheets import Column, RowError, Sheet, cell_text, choice, parse_date, split_list
from .records import UnitRecord

BODY_KINDS = {
    "department": "Sở, ban, ngành",
    "office": "Phòng, bộ phận, công chức",
    "central_agency": "Cơ quan Trung ương đóng trên địa bàn",
    "public_service_unit": "Đơn vị sự nghiệp công lập",
}
ADMINISTRATIVE_KINDS = ("province", "district", "commune")

COLUMNS = (
    Column("code", "Mã", required=True, aliases=("ma don vi", "ma co quan")),
    Column("name", "Tên", required=True, aliases=("ten don vi", "ten co quan")),
    Column("short_names", "Tên viết tắt", aliases=("ten goi khac", "ten viet tat, ten goi khac")),
    Column("kind", "Loại", aliases=("loai don vi",)),
    Column("parent", "Đơn vị cấp trên", aliases=("ma don vi cap tren", "cap tren")),
    Column("valid_from", "Hiệu lực từ", aliases=("tu ngay",)),
    Column("valid_to", "Hiệu lực đến", aliases=("den ngay",)),
    Column("predecessors", "Kế thừa từ", aliases=("don vi tien than", "tien than")),
)
TITLES = {c.key: c.title for c in COLUMNS}
FIELD_LABELS = {**TITLES, "parent": "Đơn vị cấp trên"}

NOTES = [
    "Danh mục cơ quan, đơn vị của tỉnh: sở, ban, ngành; cơ quan Trung ương đóng trên địa bàn; đơn vị sự nghiệp.",
    "Mỗi dòng một cơ quan, nhận biết bằng Mã. Mã đã có thì cập nhật cơ quan đó; mã mới thì thêm cơ quan.",
    "Cơ quan không có trong tệp được giữ nguyên. Cơ quan thôi hoạt động: ghi ngày vào cột Hiệu lực đến (không xóa).",
    "Với cơ quan đã có: ô để trống giữ nguyên giá trị hiện tại; ghi dấu - để xóa giá trị.",
    "Tên viết tắt: nhiều tên cách nhau bằng dấu chấm phẩy (;), ví dụ: Sở KH&ĐT; Sở KHĐT.",
    "Loại: " + "; ".join(f"{label} ({key})" for key, label in BODY_KINDS.items()) + ".",
    "Đơn vị cấp trên: mã của tỉnh hoặc của một đơn vị trong tỉnh; để trống là UBND tỉnh.",
    "Ngày viết dạng 30/06/2025. Hiệu lực đến là ngày cuối cùng cơ quan còn hoạt động.",
    "Kế thừa từ: mã các cơ quan được sáp nhập vào cơ quan này (cách nhau bằng ;), tính từ ngày Hiệu lực từ.",
    "Tải tệp lên trang Danh mục đơn vị → Nhập danh mục cơ quan: trang xem trước cho biết những gì sẽ thay đổi "
    "trước khi ghi.",
]

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")
CLEAR = "-"


@dataclass(frozen=True)
class BodyRow:
    line: int
    code: str
    values: dict  # field → value, only the fields the row sets (None: cleared)
    predecessors: tuple[str, ...] = ()


@dataclass
class Change:
    line: int
    code: str
    name: str
    action: str  # "create" | "update" | "unchanged"
    fields: dict = field(default_factory=dict)  # field → (old, new)
    successions: list[tuple[str, str, datetime.date]] = field(default_factory=list)  # (pred, succ, on)


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(c.action == "create" for c in self.changes)

    @property
    def updated(self) -> int:
        return sum(c.action == "update" for c in self.changes)

    @property
    def unchanged(self) -> int:
        return sum(c.action == "unchanged" for c in self.changes)

    @property
    def successions(self) -> int:
        return sum(len(c.successions) for c in self.changes)


def read_rows(sheet: Sheet) -> tuple[list[BodyRow], list[RowError]]:
    rows, errors = [], []
    for line, cells in sheet.rows:
        problems: list[RowError] = []
        code = cell_text(cells.get("code"))
        if not code:
            problems.append(RowError(line, TITLES["code"], "thiếu mã."))
        elif not _CODE.match(code):
            problems.append(RowError(line, TITLES["code"], f"mã “{code[:40]}” chỉ gồm chữ không dấu, số và . _ / - "
                                                           "(tối đa 64 ký tự)."))
        values: dict = {}
        for key in ("name", "short_names", "kind", "parent", "valid_from", "valid_to"):
            raw = cells.get(key)
            text = cell_text(raw)
            if not text:
                continue
            if text == CLEAR:
                if key in ("name", "kind"):
                    problems.append(RowError(line, TITLES[key], "không xóa được cột bắt buộc."))
                else:
                    values[key] = () if key == "short_names" else None
                continue
            try:
                if key == "name":
                    values[key] = text[:255]
                elif key == "short_names":
                    values[key] = split_list(raw)
                elif key == "kind":
                    values[key] = choice(raw, BODY_KINDS)
                elif key == "parent":
                    values[key] = text
                else:
                    values[key] = parse_date(raw)
            except ValueError as exc:
                problems.append(RowError(line, TITLES[key], str(exc)))
        start, end = values.get("valid_from"), values.get("valid_to")
        if start and end and end < start:
            problems.append(RowError(line, TITLES["valid_to"], f"ngày {end:%d/%m/%Y} trước ngày hiệu lực {start:%d/%m/%Y}."))
        predecessors = split_list(cells.get("predecessors"))
        if code and code in predecessors:
            problems.append(RowError(line, TITLES["predecessors"], "một cơ quan không kế thừa chính nó."))
        if problems:
            errors.extend(problems)
        else:
            rows.append(BodyRow(line, code, values, predecessors))
    return rows, errors


def plan_import(
    rows: list[BodyRow],
    *,
    province_code: str,
    existing: dict[str, UnitRecord],
    elsewhere: set[str],
    successions: set[tuple[str, str]],
) -> Plan:
    """What importing the rows would change. ``existing``: every unit of the province (itself,
    its bodies, its districts and communes) by code; ``elsewhere``: codes of the rows that are taken
    by a unit of another province; ``successions``: (predecessor, successor) pairs already recorded."""
    plan = Plan()
    seen: dict[str, int] = {}
    by_code = {row.code: row for row in rows}
    for row in rows:
        if row.code in seen:
            plan.errors.append(RowError(row.line, TITLES["code"], f"mã “{row.code}” đã có ở dòng {seen[row.code]}."))
            continue
        seen[row.code] = row.line
        error = _row_error(row, province_code, existing, elsewhere, by_code)
        if error:
            plan.errors.append(error)
            continue
        current = existing.get(row.code)
        new = _merged(row, current, province_code)
        change = Change(row.line, row.code, new["name"], "create" if current is None else "unchanged")
        if current is not None:
            old = _record_fields(current, province_code)
            change.fields = {k: (old[k], v) for k, v in new.items() if old[k] != v}
            if change.fields:
                change.action = "update"
        else:
            change.fields = {k: (None, v) for k, v in new.items() if v not in (None, ())}
        for predecessor in row.predecessors:
            if (predecessor, row.code) in successions:
                continue
            on = new["valid_from"]
            if on is None:
                plan.errors.append(RowError(row.line, TITLES["valid_from"],
                                            "cần ngày hiệu lực để ghi kế thừa từ cơ quan khác."))
                break
            change.successions.append((predecessor, row.code, on))
        else:
            if change.successions and change.action == "unchanged":
                change.action = "update"
            plan.changes.append(change)
    if not plan.errors:
        _check_cycles(plan, existing, province_code)
    return plan


def _row_error(row: BodyRow, province_code, existing, elsewhere, by_code) -> RowError | None:
    current = existing.get(row.code)
    if row.code in elsewhere:
        return RowError(row.line, TITLES["code"], f"mã “{row.code}” đã dùng cho một đơn vị của tỉnh khác; chọn mã khác.")
    if current is not None and current.kind in ADMINISTRATIVE_KINDS:
        return RowError(row.line, TITLES["code"], f"“{row.code}” là đơn vị hành chính ({current.name}); đơn vị hành chính "
                                                  "lấy từ dữ liệu quốc gia (cchc load-units), không sửa ở đây.")
    if current is None:
        for key in ("name", "kind"):
            if key not in row.values:
                return RowError(row.line, TITLES[key], f"thiếu {TITLES[key].lower()} (bắt buộc với cơ quan mới).")
    parent = row.values.get("parent")
    if parent is not None:
        if parent == row.code:
            return RowError(row.line, TITLES["parent"], "một cơ quan không là cấp trên của chính nó.")
        if parent not in existing and parent not in by_code:
            return RowError(row.line, TITLES["parent"], f"không có đơn vị mã “{parent}” trong tỉnh hay trong tệp.")
    for predecessor in row.predecessors:
        if predecessor not in existing and predecessor not in by_code:
            return RowError(row.line, TITLES["predecessors"], f"không có đơn vị mã “{predecessor}” trong tỉnh hay trong tệp.")
    return None


def _record_fields(record: UnitRecord, province_code: str) -> dict:
    return {
        "name": record.name,
        "short_names": tuple(record.short_names),
        "kind": record.kind,
        "parent": record.parent_code or province_code,
        "valid_from": record.valid_from,
        "valid_to": record.valid_to,
    }


def _merged(row: BodyRow, current: UnitRecord | None, province_code: str) -> dict:
    if current is not None:
        values = _record_fields(current, province_code)
    else:
        values = {"name": "", "short_names": (), "kind": "", "parent": province_code, "valid_from": None, "valid_to": None}
    values.update(row.values)
    if values["parent"] is None:
        values["parent"] = province_code
    return values


def _check_cycles(plan: Plan, existing: dict[str, UnitRecord], province_code: str) -> None:
    parents = {code: (rec.parent_code or None) for code, rec in existing.items()}
    for change in plan.changes:
        if "parent" in change.fields:
            parents[change.code] = change.fields["parent"][1]
    for change in plan.changes:
        seen, current = {change.code}, parents.get(change.code)
        while current is not None:
            if current in seen:
                plan.errors.append(RowError(change.line, TITLES["parent"], "đơn vị cấp trên tạo thành vòng lặp."))
                break
            seen.add(current)
            current = parents.get(current)


def template_rows(records: list[UnitRecord], successions: set[tuple[str, str]], province_code: str) -> list[list]:
    """The province's bodies as template rows, so that correcting is editing and importing again."""
    body_codes = {r.code for r in records}
    predecessors: dict[str, list[str]] = {}
    for pred, succ in sorted(successions):
        if succ in body_codes:
            predecessors.setdefault(succ, []).append(pred)
    rows = []
    for record in sorted(records, key=lambda r: (r.kind != "department", r.parent_code != province_code, r.code)):
        rows.append([
            record.code, record.name, "; ".join(record.short_names), BODY_KINDS.get(record.kind, record.kind),
            record.parent_code or province_code, record.valid_from, record.valid_to,
            "; ".join(predecessors.get(record.code, ())),
        ])
    return rows


def shown(value) -> str:
    """A planned value as the preview shows it."""
    if value is None or value == () or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, tuple):
        return "; ".join(value)
    return BODY_KINDS.get(value, str(value))
