"""The aggregate summed by the database equals every submission computed on its own, whether the
submissions report every row or leave some blank; and the country's figures (every province's
period of a kind and year) for the Ministry's staff, refused to everyone else."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from cchc.core.statforms import sum_first_codes, tally
from cchc.reporting.aggregation import national_aggregate, period_aggregate
from cchc.reporting.formsets import current_version
from cchc.reporting.models import FormSetVersion, ReportingPeriod, Submission, SubmissionValue
from cchc.units.models import Unit

CODED = ("1:6", "1:6.2", "1:7", "7:1", "7:2", "7:4")


def units_values(seed003, share: Decimal, answer: int) -> dict[str, Decimal]:
    """Seed 003's inputs scaled to a unit's share, answers set to ``answer``."""
    values = {}
    for code, value in seed003["inputs"].items():
        if value is None:
            continue
        values[code] = Decimal(answer) if code in CODED else (Decimal(value) * share).quantize(Decimal(1))
    return values


def file(period, unit, values, status=Submission.Status.ACCEPTED) -> Submission:
    submission = Submission.objects.create(period=period, unit=unit, status=status)
    SubmissionValue.objects.bulk_create(
        SubmissionValue(submission=submission, code=code, value=value) for code, value in values.items()
    )
    return submission


def one_by_one(period, statuses=("accepted",), unit=None):
    """The reference: each counted submission read and computed on its own (the engine's path)."""
    raw = defaultdict(dict)
    rows = SubmissionValue.objects.filter(submission__period__in=period if isinstance(period, list) else [period],
                                          value__isnull=False)
    rows = rows.filter(submission__status__in=statuses) if unit is None else rows.filter(
        submission__status__in=statuses) | rows.filter(submission__unit=unit, submission__status="submitted")
    for submission_id, code, value in rows.values_list("submission_id", "code", "value"):
        raw[submission_id][code] = value
    return raw


def test_database_sums_equal_one_by_one_with_blanks(registry, period, seed003, django_assert_max_num_queries):
    form_set = period.form_set.form_set()
    operand = "3:3.1.1"  # the denominator of 3:3.1
    assert operand in sum_first_codes(form_set)
    file(period, registry["home_affairs"], units_values(seed003, Decimal("0.02"), 1))
    file(period, registry["old_a"], units_values(seed003, Decimal("0.005"), 2))
    file(period, registry["old_b"], units_values(seed003, Decimal("0.007"), 0))
    province_own = units_values(seed003, Decimal("0.01"), 1)
    file(period, registry["province"], province_own, status=Submission.Status.SUBMITTED)
    file(period, registry["district"], {"1:1": 4}, status=Submission.Status.SUBMITTED)  # not counted: not accepted

    # All report every row a formula rests on: one GROUP BY, no submission read one by one.
    with django_assert_max_num_queries(4):
        agg = period_aggregate(period)
    reference = tally(form_set, list(one_by_one(period, unit=registry["province"]).values()))
    assert agg.tally == reference and agg.values == reference.values(form_set)
    assert agg.submission_count == 4 and agg.reported("3:3.1") == 4
    assert agg.values["3:3.1.1"] == sum(
        units_values(seed003, share, 0)["3:3.1.1"] for share in (Decimal("0.02"), Decimal("0.005"), Decimal("0.007"), Decimal("0.01"))
    )
    assert agg.own_values["3:3.1"] == province_own["3:3.1.2"] * 100 / province_own["3:3.1.1"]

    # A blank operand, a typed total without its parts, an answer out of range: those
    # submissions are computed one by one and the figures still agree.
    justice = file(period, registry["justice"], units_values(seed003, Decimal("0.03"), 7))
    SubmissionValue.objects.filter(submission=justice, code=operand).update(value=None)
    SubmissionValue.objects.filter(submission=justice, code__in=["2:1.1", "2:1.2", "2:1.3"]).delete()
    SubmissionValue.objects.update_or_create(submission=justice, code="2:1", defaults={"value": 11})
    agg = period_aggregate(period)
    reference = tally(form_set, list(one_by_one(period, unit=registry["province"]).values()))
    assert agg.tally == reference and agg.values == reference.values(form_set)
    assert agg.submission_count == 5 and agg.reported(operand) == 4 and agg.reported("1:6") == 5
    assert agg.values["1:6=1"] == 2 and agg.values["1:6"] == 2  # the out-of-range 7 counts nowhere

    # The drill-down still lists every unit with its own computed figures.
    assert {c.unit.code for c in agg.contributions_for("3:3.1")} == {"tha-so-noi-vu", "38001", "38002", "38"}
    assert "tha-so-tu-phap" in {c.unit.code for c in agg.contributions_for("2:1")}


def test_a_district_counts_only_its_subtree(registry, period, seed003):
    file(period, registry["old_a"], units_values(seed003, Decimal("0.005"), 1))
    file(period, registry["old_b"], units_values(seed003, Decimal("0.005"), 0))
    file(period, registry["justice"], units_values(seed003, Decimal("0.03"), 1))
    agg = period_aggregate(period, registry["district"])
    assert agg.submission_count == 2 and agg.values["1:6"] == 1 and agg.values["1:6=0"] == 1
    assert agg.values["3:3.1.1"] == 2 * units_values(seed003, Decimal("0.005"), 0)["3:3.1.1"]


@pytest.fixture
def country(registry, period, seed003):
    """Thanh Hóa, Nghệ An (same forms) and Hà Tĩnh (its period on another form set version)."""
    nghe_an = Unit.objects.create(code="40", name="UBND tỉnh Nghệ An", kind="province")
    nghe_an_dept = Unit.objects.create(code="nan-so-noi-vu", name="Sở Nội vụ", kind="department", parent=nghe_an)
    ha_tinh = Unit.objects.create(code="42", name="UBND tỉnh Hà Tĩnh", kind="province")
    version = current_version(2024)
    other_version = FormSetVersion.objects.create(
        key="bnv-2024-ha-tinh", version="other", title=version.title, valid_from=2024, definition=version.definition
    )
    nghe_an_period = ReportingPeriod.objects.create(province=nghe_an, kind="h1", year=2024, form_set=version)
    ha_tinh_period = ReportingPeriod.objects.create(province=ha_tinh, kind="h1", year=2024, form_set=other_version)
    file(period, registry["home_affairs"], units_values(seed003, Decimal("0.02"), 1))
    file(period, registry["old_a"], units_values(seed003, Decimal("0.005"), 2))
    file(nghe_an_period, nghe_an_dept, units_values(seed003, Decimal("0.04"), 0))
    file(nghe_an_period, nghe_an, units_values(seed003, Decimal("0.01"), 1), status=Submission.Status.SUBMITTED)
    file(ha_tinh_period, ha_tinh, units_values(seed003, Decimal("1"), 1), status=Submission.Status.SUBMITTED)
    return {"periods": [period, nghe_an_period], "left_out": ha_tinh_period}


def test_national_adds_every_province_on_the_same_forms(country, period):
    agg = national_aggregate(2024, "h1")
    assert [p.province.code for p in agg.periods] == ["40", "38"]  # by name: Nghệ An, Thanh Hóa
    assert [p.province.code for p in agg.left_out] == ["42"]
    assert agg.submission_count == 4  # Nghệ An's own counts once sent
    form_set = period.form_set.form_set()
    raw = one_by_one(country["periods"])
    raw |= one_by_one(country["periods"][1], statuses=("submitted",))
    reference = tally(form_set, list(raw.values()))
    assert agg.tally == reference and agg.values == reference.values(form_set)
    # The same as adding the two provinces' own aggregates.
    provinces = [period_aggregate(p) for p in country["periods"]]
    assert agg.tally == provinces[0].tally + provinces[1].tally
    assert national_aggregate(2023, "h1").periods == [] and national_aggregate(2023, "h1").values == {}


def test_national_page_and_api_need_the_permission(country, make_user, client_for):
    coordinator = make_user("snv-nat", Unit.objects.get(code="tha-so-noi-vu"), role="coordinator")
    assert client_for(coordinator).get("/bao-cao/toan-quoc/").status_code == 403
    assert client_for(coordinator).get("/api/reporting/national/", {"year": 2024, "kind": "h1"}).status_code == 403
    assert "Tổng hợp toàn quốc" not in client_for(coordinator).get("/bao-cao/").content.decode()

    ministry = make_user("bnv")
    ministry.user_permissions.add(Permission.objects.get(codename="view_national_aggregate"))
    client = client_for(ministry)
    assert "Tổng hợp toàn quốc" in client.get("/bao-cao/").content.decode()
    page = client.get("/bao-cao/toan-quoc/", {"nam": "2024", "ky": "h1"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Tổng hợp từ 4 báo cáo của 2 tỉnh, thành phố" in text
    assert "UBND tỉnh Hà Tĩnh: bnv-2024-ha-tinh" in text  # left out, and why
    agg = national_aggregate(2024, "h1")
    assert f">{agg.display('3:3.1.1')}<" in text and f">{agg.display('3:3.1')}<" in text
    assert "/tong-hop/3:3.1/" not in text  # no per-period drill-down at the national level

    data = client.get("/api/reporting/national/", {"year": 2024, "kind": "h1"}).json()
    assert data["provinces"] == ["40", "38"] and data["left_out"] == ["42"] and data["submissions"] == 4
    assert data["values"]["3:3.1.1"] == int(agg.values["3:3.1.1"]) and data["display"]["3:3.1"] == agg.display("3:3.1")
    assert data["reported"]["3:3.1"] == 4 and data["form_set"] == "bnv-2024"
    refused = client.get("/api/reporting/national/", {"year": 2024, "kind": "adhoc"})
    assert refused.status_code == 400 and "kind" in refused.json()
    assert client.get("/api/reporting/national/", {"kind": "h1"}).status_code == 400
    wrong = client.get("/bao-cao/toan-quoc/", {"nam": "2024", "ky": "adhoc"}, follow=True).content.decode()
    assert "không tổng hợp toàn quốc được" in wrong
    for bad_year in ("99999999999999999999", "1900", "năm ngoái"):
        page = client.get("/bao-cao/toan-quoc/", {"nam": bad_year, "ky": "h1"})
        assert page.status_code == 200 and f"Năm «{bad_year}» không hợp lệ" in page.content.decode()
        assert "Tổng hợp từ 4 báo cáo" in page.content.decode()  # the latest year instead
