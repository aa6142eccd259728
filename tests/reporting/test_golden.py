"""Seed 003 through the app: the province's raw values typed into the grid the Vietnamese way,
every derived row printed in the seed recomputed at its printed precision, the one known
contradiction raised as a warning that must be explained before the report can be sent."""

from __future__ import annotations

from decimal import Decimal

from cchc.core.statforms import compute, matches_printed
from cchc.reporting.models import Submission
from cchc.reporting.services import stored_values

from .helpers import enter


def test_seed_003_entered_in_the_grid_gives_every_printed_derived_row(registry, period, people, client_for, seed003):
    client = client_for(people["coordinator"])
    submission, response = enter(client, period, registry["province"], seed003["inputs"], seed003["notes"])
    assert response.status_code == 302

    stored = stored_values(submission)
    assert stored == {code: Decimal(str(value)) for code, value in seed003["inputs"].items()}
    computed = compute(period.form_set.form_set(), stored)
    for code, printed in seed003["printed_derived"].items():
        assert matches_printed(computed[code], printed), (code, computed[code], printed)

    page = client.get(f"/bao-cao/so-lieu/{submission.pk}/")
    html = page.content.decode()
    assert 'value="238.144"' in html and 'value="12.469.022"' in html  # typed cells, Vietnamese way
    assert ">99,99<" in html and ">44,68<" in html  # 3:3.1 and 1:2 derived, never "100,00" under 100 %
    assert 'value="26 nhiệm vụ còn lại đang trong thời gian triển khai thực hiện."' in html


def test_seed_warning_must_be_explained_before_submit(registry, period, people, client_for, seed003):
    client = client_for(people["coordinator"])
    submission, _ = enter(client, period, registry["province"], seed003["inputs"])
    refused = client.post(f"/bao-cao/so-lieu/{submission.pk}/gui/", follow=True)
    assert "1 cảnh báo chưa giải trình" in refused.content.decode()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DRAFT

    client.post(f"/bao-cao/so-lieu/{submission.pk}/giai-trinh/", {"rule": "sum:6:2.1", "comment": ""})
    assert not submission.acknowledgements.exists()  # an empty explanation is no explanation
    client.post(
        f"/bao-cao/so-lieu/{submission.pk}/giai-trinh/",
        {"rule": "sum:6:2.1", "comment": "3 đơn vị chưa phân loại mức tự chủ."},
    )
    sent = client.post(f"/bao-cao/so-lieu/{submission.pk}/gui/", follow=True)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.submitted_by == people["coordinator"]
    assert "Đã gửi báo cáo" in sent.content.decode()

    again = client.post(f"/bao-cao/so-lieu/{submission.pk}/gui/", follow=True)
    assert "đã được gửi lúc" in again.content.decode() and "không gửi lại" in again.content.decode()
