"""draft → submitted → returned → submitted → accepted, and who may do what."""

from __future__ import annotations

import datetime

import pytest

from cchc.reporting import services
from cchc.reporting.models import Submission

from .helpers import enter, grid_post

GOOD = {"3:3.1.1": 100, "3:3.1.2": 98, "1:1": 4}


def test_workflow_with_permissions(registry, period, people, client_for):
    commune = client_for(people["commune"])
    submission, response = enter(commune, period, registry["old_a"], GOOD)
    assert response.status_code == 302 and submission.status == Submission.Status.DRAFT
    url = f"/bao-cao/so-lieu/{submission.pk}/"

    # Another commune does not even see it; a viewer of the same commune sees but cannot edit.
    other = client_for(people["other_commune"])
    assert other.get(url).status_code == 404
    assert other.post(url, grid_post({"1:1": 9})).status_code == 404
    assert other.get(f"/bao-cao/ky/{period.pk}/don-vi/{registry['old_a'].pk}/").status_code == 404
    viewer = client_for(people["viewer"])
    page = viewer.get(url)
    assert page.status_code == 200 and "disabled" in page.content.decode()
    assert viewer.post(url, grid_post({"1:1": 9})).status_code == 403
    assert viewer.post(f"{url}gui/").status_code == 403
    assert viewer.get(f"/bao-cao/ky/{period.pk}/don-vi/{registry['old_b'].pk}/").status_code == 404

    commune.post(f"{url}gui/")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED

    # Only the province's coordinator accepts or returns; a sent report cannot be edited.
    assert commune.post(f"{url}tiep-nhan/").status_code == 403
    assert commune.post(f"{url}tra-lai/", {"reason": "x"}).status_code == 403
    edited = commune.post(url, grid_post({"1:1": 5}), follow=True)
    assert "đang chờ tiếp nhận" in edited.content.decode()
    assert services.stored_values(submission)["1:1"] == 4

    coordinator = client_for(people["coordinator"])
    overview = coordinator.get(f"/bao-cao/ky/{period.pk}/").content.decode()
    assert "Đã gửi, chờ tiếp nhận" in overview and "UBND xã Hoằng Hải" in overview
    coordinator.post(f"{url}tra-lai/", {"reason": ""})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED  # a return needs a reason
    coordinator.post(f"{url}tra-lai/", {"reason": "Số văn bản chỉ đạo chưa đúng."})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.RETURNED and submission.reason == "Số văn bản chỉ đạo chưa đúng."
    assert "Bị trả lại" in coordinator.get(f"/bao-cao/ky/{period.pk}/").content.decode()

    commune.post(url, grid_post({"1:1": 5}, action="submit"))
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert services.stored_values(submission)["1:1"] == 5

    coordinator.post(f"{url}tiep-nhan/")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ACCEPTED and submission.decided_by == people["coordinator"]
    again = commune.post(f"{url}gui/", follow=True)
    assert "đã được tiếp nhận" in again.content.decode()


def test_errors_block_submit_but_not_the_draft(registry, period, people, client_for):
    commune = client_for(people["commune"])
    # 3.1.2 (on time) > 3.1.1 (received): an error.
    submission, response = enter(commune, period, registry["old_a"], {"3:3.1.1": 10, "3:3.1.2": 12})
    assert response.status_code == 302
    assert services.stored_values(submission)["3:3.1.2"] == 12  # the draft is saved
    refused = commune.post(f"/bao-cao/so-lieu/{submission.pk}/gui/", follow=True).content.decode()
    assert "1 lỗi phải sửa" in refused and "3:3.1.2" in refused
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DRAFT


def test_badly_written_numbers_are_refused_with_the_cell_named(registry, period, people, client_for):
    commune = client_for(people["commune"])
    submission, _ = enter(commune, period, registry["old_a"], {"1:1": 3})
    response = commune.post(f"/bao-cao/so-lieu/{submission.pk}/", grid_post({"1:1": "1.5", "3:3.1.1": "12"}))
    assert response.status_code == 400
    html = response.content.decode()
    assert "1:1" in html and "không đúng cách viết số" in html and 'value="1.5"' in html
    assert services.stored_values(submission)["1:1"] == 3  # nothing saved


def test_live_recompute_returns_derived_cells_and_findings(registry, period, people, client_for):
    commune = client_for(people["commune"])
    submission, _ = enter(commune, period, registry["old_a"], {})
    response = commune.post(
        f"/bao-cao/so-lieu/{submission.pk}/tinh/",
        grid_post({"3:3.1.1": "238.146", "3:3.1.2": "238.144", "1:3.3.1": "5", "1:3.3.2": "7"}),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="c3_3-1-v"' in html and "99,99" in html and 'hx-swap-oob="true"' in html
    assert 'id="c1_3-3-2-f"' in html and "1:3.3.2" in html  # the finding next to its row
    assert services.stored_values(submission) == {}  # recomputing saves nothing


def test_double_submit_is_refused_by_the_service(registry, period, people):
    submission = services.open_submission(period, registry["old_a"], people["commune"])
    services.save_values(submission, {"1:1": 2})
    services.submit(submission, people["commune"])
    with pytest.raises(services.ReportingError, match="không gửi lại"):
        services.submit(submission, people["commune"])


def test_late_units_in_the_overview(registry, period, people):
    submission = services.open_submission(period, registry["old_a"], people["commune"])
    services.save_values(submission, {"1:1": 2})
    services.submit(submission, people["commune"])
    rows = {r.unit.code: r.state for r in services.period_overview(period, people["coordinator"], datetime.date(2024, 6, 25))}
    assert rows["38001"] == "submitted"
    assert rows["38002"] == "late" and rows["tha-so-tu-phap"] == "late"
    assert "38101" not in rows  # the post-2025 commune did not exist in 2024
    early = {r.unit.code: r.state for r in services.period_overview(period, people["coordinator"], datetime.date(2024, 6, 10))}
    assert early["38002"] == "not_started"
    # A commune officer sees only its own unit's line.
    mine = services.period_overview(period, people["other_commune"], datetime.date(2024, 6, 25))
    assert [r.unit.code for r in mine] == ["38002"]
