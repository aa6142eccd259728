import datetime

import pytest

from tests.tracking import conftest as tracking

# The real 2026 plan of xã Kiên Thọ, imported and issued (a fixture of tests/tracking).
kien_tho_plan = tracking.kien_tho_plan

D = datetime.date
# 25/06/2026, a Thursday: one obligation of Kiên Thọ falls due on 30/06, seven are overdue.
THURSDAY = D(2026, 6, 25)
MONDAY = D(2026, 6, 29)


@pytest.fixture
def kien_tho(kien_tho_plan):
    return kien_tho_plan.issuer


@pytest.fixture
def other_commune(kien_tho_plan):
    from cchc.units.models import Unit

    return Unit.objects.get(code="38.15991")


@pytest.fixture
def officer(kien_tho, make_user):
    return make_user("kt-officer", kien_tho, "officer", email="kt-officer@kientho.vn", first_name="Lê Văn An")


@pytest.fixture
def set_frequency():
    from cchc.notifications.models import NotificationPreference

    def set_(user, frequency):
        NotificationPreference.objects.update_or_create(user=user, defaults={"email_frequency": frequency})

    return set_
