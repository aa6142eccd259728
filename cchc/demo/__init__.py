"""Demo data: Thanh Hóa's units, a few users in typical roles, and the seed plans."""

from __future__ import annotations

from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent / "seeds"
DEMO_PASSWORD = "cchc-demo"

# (username, full name, unit name as the registry writes it, unit kind, role)
DEMO_USERS = [
    ("sonoivu", "Chuyên viên CCHC Sở Nội vụ", "Sở Nội vụ", "department", "coordinator"),
    ("sotuphap", "Cán bộ Sở Tư pháp", "Sở Tư pháp", "department", "officer"),
    ("hoangtien", "Công chức xã Hoằng Tiến", "Hoằng Tiến", "commune", "officer"),
    ("kientho", "Lãnh đạo UBND xã Kiên Thọ", "Kiên Thọ", "commune", "manager"),
]

# Seed plan file, the year it is for, and who issued it (name, kind) when the text alone
# does not say it plainly enough.
SEED_PLANS = [
    ("002_442362603b7241c1.txt", 2021, ("Thanh Hóa", "province")),
    ("000_2e2ce113b0e961ad.txt", 2022, ("Thanh Hóa", "province")),
    ("001_f427b61819319772.txt", 2022, ("Hoằng Tiến", "commune")),
    ("004_4c8b279deba99ff8.txt", 2026, ("Kiên Thọ", "commune")),
]
