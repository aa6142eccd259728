"""Demo data: Thanh Hóa's units, a few users in typical roles, and the seed plans."""

from __future__ import annotations

from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent / "seeds"
DEMO_PASSWORD = "cchc-demo"

# (username, full name, unit code in the registry, role). The Hoằng Tiến officer belongs to
# the commune formed on 1/7/2025 and so also sees the 2022 work of the old commune merged into it.
DEMO_USERS = [
    ("sonoivu", "Chuyên viên CCHC Sở Nội vụ", "tha-so-noi-vu", "coordinator"),
    ("sotuphap", "Cán bộ Sở Tư pháp", "tha-so-tu-phap", "officer"),
    ("hoangtien", "Công chức xã Hoằng Tiến", "38.15991", "officer"),
    ("kientho", "Lãnh đạo UBND xã Kiên Thọ", "38.15112", "manager"),
]

# Seed plan file, the year it is for, and the code of the unit that issued it: the province
# plans' drafts and the communes' plans do not all name their issuer plainly.
SEED_PLANS = [
    ("002_442362603b7241c1.txt", 2021, "38"),
    ("000_2e2ce113b0e961ad.txt", 2022, "38"),
    ("001_f427b61819319772.txt", 2022, "38.399.15988"),
    ("004_4c8b279deba99ff8.txt", 2026, "38.15112"),
]
