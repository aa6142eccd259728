"""The seven reform areas (DOMAIN.md §2). Keys are stable identifiers; labels are what users read."""

AREAS: dict[str, str] = {
    "institutions": "Cải cách thể chế",
    "procedures": "Cải cách thủ tục hành chính",
    "organization": "Cải cách tổ chức bộ máy hành chính nhà nước",
    "civil_service": "Cải cách chế độ công vụ",
    "public_finance": "Cải cách tài chính công",
    "digital_government": "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
    "direction": "Công tác chỉ đạo, điều hành, tuyên truyền CCHC",
}

AREA_CHOICES = list(AREAS.items())
