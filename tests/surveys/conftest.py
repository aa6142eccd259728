import datetime

import pytest

from cchc.core.surveys import load_design


@pytest.fixture
def survey(registry, make_user):
    """An open SIPAS round of the province over its two departments and one commune."""
    from cchc.surveys.models import Round, RoundUnit

    round_ = Round(province=registry["province"], year=2025, title="Khảo sát 2025",
                   start=datetime.date(2025, 9, 1), end=datetime.date(2025, 11, 30))
    round_.set_design(load_design("sipas-2023"))
    round_.save()
    units = {key: RoundUnit.objects.create(round=round_, unit=registry[key], quota=4)
             for key in ("home_affairs", "justice", "new_b")}
    return {
        "round": round_, "units": units, **registry,
        "coordinator": make_user("dieuphoi", registry["home_affairs"], "coordinator"),
        "justice_officer": make_user("tuphap", registry["justice"], "officer"),
    }
