import datetime

import pytest

from cchc.demo import SEEDS_DIR

KIEN_THO_2026 = SEEDS_DIR / "004_4c8b279deba99ff8.txt"


@pytest.fixture
def kien_tho_plan(db):
    """The real 2026 plan of xã Kiên Thọ, imported and issued, with the Thanh Hóa registry."""
    from cchc.plans.importing import import_plan_file
    from cchc.plans.services import issue_plan
    from cchc.units.models import Unit
    from cchc.units.registry import load_province

    load_province("thanh-hoa")
    commune = Unit.objects.get(code="38.15112")
    plan = import_plan_file(KIEN_THO_2026, issuer=commune).plan
    issue_plan(plan, today=datetime.date(2026, 1, 5))
    return plan


@pytest.fixture
def pdf_bytes():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(buffer, "PDF")
    return buffer.getvalue()
