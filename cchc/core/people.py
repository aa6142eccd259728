"""The officials of a province as a spreadsheet: one row per person and unit (full name, e-mail,
unit, role). Reading and checking the rows; cchc/accounts/bulk.py resolves the units, plans the
accounts and memberships and writes them. Pure Python, no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .sheets import Column, RowError, Sheet, cell_text, choice

COLUMNS = (
    Column("full_name", "Họ và tên", required=True, aliases=("ho ten", "ten")),
    Column("email", "Thư điện tử", required=True, aliases=("email", "e-mail", "thu dien tu (email)")),
    Column("unit", "Đơn vị", required=True, aliases=("ma don vi", "don vi (ma hoac ten)")),
    Column("role", "Vai trò", required=True, aliases=("quyen",)),
)
TITLES = {c.key: c.title for c in COLUMNS}

NOTES = [
    "Tài khoản cán bộ: mỗi dòng một người ở một đơn vị. Một người ở nhiều đơn vị thì ghi nhiều dòng cùng thư điện tử.",
    "Thư điện tử là tên đăng nhập. Người mới nhận thư có đường dẫn để tự đặt mật khẩu; người đã có tài khoản "
    "chỉ được thêm vào đơn vị hoặc đổi vai trò.",
    "Đơn vị: mã đơn vị (xem Danh mục đơn vị) hoặc tên đúng như trong danh mục.",
    "Tải tệp lên trang Nhập tài khoản: trang xem trước cho biết những gì sẽ thay đổi trước khi ghi; tệp có lỗi "
    "thì không dòng nào được ghi.",
]

# Simple and strict enough for government addresses; the mail server has the final word.
_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


@dataclass(frozen=True)
class PersonRow:
    line: int
    full_name: str
    email: str  # lower-case
    unit: str  # as written: a code or a name
    role: str


def read_rows(sheet: Sheet, roles: dict[str, str]) -> tuple[list[PersonRow], list[RowError]]:
    """Rows checked on their own: every required cell, a well-formed e-mail, a known role, and no
    person written twice for one unit or under two names."""
    rows, errors = [], []
    names: dict[str, tuple[str, int]] = {}
    pairs: dict[tuple[str, str], int] = {}
    for line, cells in sheet.rows:
        problems = []
        values = {key: cell_text(cells.get(key)) for key in TITLES}
        for key, title in TITLES.items():
            if not values[key]:
                problems.append(RowError(line, title, f"thiếu {title.lower()}."))
        email = values["email"].lower()
        if email and not _EMAIL.match(email):
            problems.append(RowError(line, TITLES["email"], f"“{values['email'][:60]}” không phải địa chỉ thư điện tử."))
        role = ""
        if values["role"]:
            try:
                role = choice(values["role"], roles)
            except ValueError as exc:
                problems.append(RowError(line, TITLES["role"], str(exc)))
        if email and values["full_name"] and not problems:
            name, first = names.setdefault(email, (values["full_name"], line))
            if name != values["full_name"]:
                problems.append(RowError(line, TITLES["full_name"], f"{email} đã ghi ở dòng {first} với tên “{name}”."))
            first_pair = pairs.setdefault((email, values["unit"].casefold()), line)
            if first_pair != line:
                problems.append(RowError(line, TITLES["unit"], f"{email} ở đơn vị này đã ghi ở dòng {first_pair}."))
        if problems:
            errors.extend(problems)
        else:
            rows.append(PersonRow(line, values["full_name"][:150], email, values["unit"], role))
    return rows, errors
