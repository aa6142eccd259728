"""The country's shape for the generated benchmark data: the 34 provinces since 1/7/2025 with
their number of communes, wards and special zones (3,321 in all; weights for ``scale.py``, counts
for ``aggregate.py``), the departments of a province, and syllables for commune names."""

PROVINCES = [
    ("Hà Nội", 126), ("Huế", 40), ("Lai Châu", 38), ("Điện Biên", 45), ("Sơn La", 75), ("Lạng Sơn", 65),
    ("Quảng Ninh", 54), ("Thanh Hóa", 166), ("Nghệ An", 130), ("Hà Tĩnh", 69), ("Cao Bằng", 56),
    ("Tuyên Quang", 124), ("Lào Cai", 99), ("Thái Nguyên", 92), ("Phú Thọ", 148), ("Bắc Ninh", 99),
    ("Hưng Yên", 104), ("Hải Phòng", 114), ("Ninh Bình", 129), ("Quảng Trị", 78), ("Đà Nẵng", 94),
    ("Quảng Ngãi", 96), ("Gia Lai", 135), ("Khánh Hòa", 65), ("Lâm Đồng", 124), ("Đắk Lắk", 102),
    ("Hồ Chí Minh", 168), ("Đồng Nai", 95), ("Tây Ninh", 96), ("Cần Thơ", 103), ("Vĩnh Long", 124),
    ("Đồng Tháp", 102), ("Cà Mau", 64), ("An Giang", 102),
]
CITIES = {"Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}
DEPARTMENTS = [
    "Sở Nội vụ", "Văn phòng UBND tỉnh", "Sở Tư pháp", "Sở Tài chính", "Sở Xây dựng", "Sở Công Thương",
    "Sở Nông nghiệp và Môi trường", "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Y tế",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Dân tộc và Tôn giáo", "Thanh tra tỉnh", "Sở Ngoại vụ",
    "Ban Quản lý Khu kinh tế và các Khu công nghiệp", "Sở Thông tin và Truyền thông",
    "Sở Lao động - Thương binh và Xã hội", "Sở Giao thông vận tải", "Sở Kế hoạch và Đầu tư",
    "Sở Tài nguyên và Môi trường",
]
NAME_PARTS = ["An", "Bình", "Hòa", "Phú", "Tân", "Thạnh", "Xuân", "Đông", "Tây", "Nam", "Bắc", "Trung",
              "Hưng", "Long", "Phước", "Quang", "Thọ", "Kiên", "Hoằng", "Vĩnh", "Minh", "Thành"]
COMMUNES = sum(n for _, n in PROVINCES)
