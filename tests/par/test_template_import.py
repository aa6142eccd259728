"""A criteria set imported from its published .pdf over HTTP: proposed, reviewed leaf by leaf (a rule
confirmed or replaced, a bad rule refused naming the leaf), approved; only then used by rounds."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from cchc.par import services, template_import
from cchc.par.models import ParTemplate

pytestmark = pytest.mark.django_db

PDF = Path(__file__).resolve().parent.parent / "fixtures" / "par" / "criteria" / "province-guide-2025-communes.pdf"


def upload(client, **fields):
    with PDF.open("rb") as f:
        data = {"document": f, "key": "snv-2026-commune", "unit_type": "commune", "year": "2026", "name": "Bộ tiêu chí cấp xã 2026",
                "appraiser": "Sở Nội vụ", **fields}
        return client.post(reverse("par:template_upload"), data, follow=True)


def test_the_coordinator_imports_reviews_and_approves_a_set(client, par):
    client.force_login(par["users"]["coordinator"])
    page = upload(client)
    html = page.content.decode()
    assert page.status_code == 200 and "Bộ tiêu chí cấp xã 2026" in html and "Nhập từ “province-guide-2025-communes.pdf”" in html
    template = ParTemplate.objects.get(key="snv-2026-commune")
    assert template.status == ParTemplate.Status.DRAFT
    assert services.template_for(2026, "commune").key != "snv-2026-commune"  # a draft is not used by rounds
    assert "Tiêu chí 3.4.3: văn bản ghi đơn vị không tự đánh giá nội dung này." in html
    assert 'id="leaf-1-5"' in html and "mức theo số lượng" in html and "đã xác nhận <strong id=\"confirmed-count\">0/77</strong>" in html
    # replace a proposed rule: a bad one is refused naming the leaf, a good one is kept
    bad = client.post(reverse("par:template_confirm", args=[template.pk, "3.4.3"]), {"rule": '{"kind": "choice"}'}, follow=True)
    assert "Tiêu chí 3.4.3" in bad.content.decode() and "3.4.3" not in ParTemplate.objects.get(pk=template.pk).review["confirmed"]
    broken = client.post(reverse("par:template_confirm", args=[template.pk, "3.4.3"]), {"rule": "{kind"}, follow=True)
    assert "Tiêu chí 3.4.3: quy tắc không phải JSON hợp lệ" in broken.content.decode()
    client.post(reverse("par:template_confirm", args=[template.pk, "3.4.3"]), {"rule": '{"kind": "yes_no"}'})
    client.post(reverse("par:template_confirm", args=[template.pk, "1.5"]), {"rule": ""})
    template.refresh_from_db()
    assert template.review["confirmed"] == ["1.5", "3.4.3"]
    assert template_import.leaf(template, "3.4.3")["rule"] == {"kind": "yes_no"}
    refused = client.post(reverse("par:template_approve", args=[template.pk]), follow=True).content.decode()
    assert "Chưa duyệt được: còn tiêu chí chưa xác nhận." in refused and "Tiêu chí 1.1.1" in refused
    for row in template_import.review_rows(template):
        template_import.confirm_leaf(template, row["code"])
    done = client.post(reverse("par:template_approve", args=[template.pk]), follow=True).content.decode()
    assert "Đã duyệt bộ tiêu chí snv-2026-commune" in done
    assert services.template_for(2026, "commune").key == "snv-2026-commune"


def test_only_the_coordinator_imports_and_an_active_key_is_not_overwritten(client, par):
    client.force_login(par["users"]["manager"])
    assert client.get(reverse("par:templates")).status_code == 403
    with PDF.open("rb") as f:
        assert client.post(reverse("par:template_upload"), {"document": f, "key": "x", "unit_type": "commune", "year": "2026"}).status_code == 403
    client.force_login(par["users"]["coordinator"])
    page = upload(client, key="test-2025-commune").content.decode()  # the round's template, in use
    assert "Đã có bộ tiêu chí mã «test-2025-commune» đang áp dụng" in page
    page = upload(client, year="năm nay").content.decode()
    assert "Năm áp dụng phải là số" in page
    assert not ParTemplate.objects.filter(status=ParTemplate.Status.DRAFT).exists()


def test_a_draft_is_its_importing_province_s_alone(client, par, make_user):
    from cchc.units.models import Unit

    other_province = Unit.objects.create(code="68", name="UBND tỉnh Lâm Đồng", kind="province")
    other_home_affairs = Unit.objects.create(code="lam-so-noi-vu", name="Sở Nội vụ", kind="department", parent=other_province)
    other = make_user("snv-lam-dong", other_home_affairs, role="coordinator")
    client.force_login(par["users"]["coordinator"])
    upload(client)
    draft = ParTemplate.objects.get(key="snv-2026-commune")
    assert draft.review["province_id"] == par["users"]["coordinator"].memberships.get().unit.province().pk

    client.force_login(other)
    assert draft not in client.get(reverse("par:templates")).context["templates"]
    assert client.get(reverse("par:template_review", args=[draft.pk])).status_code == 404
    assert client.post(reverse("par:template_confirm", args=[draft.pk, "1.5"]), {"rule": ""}).status_code == 404
    assert client.post(reverse("par:template_approve", args=[draft.pk])).status_code == 404
    assert upload(client).status_code == 200  # the key is refused, the draft untouched
    draft.refresh_from_db()
    assert draft.status == ParTemplate.Status.DRAFT and draft.review["confirmed"] == []
    assert "đang được tỉnh khác dùng" in upload(client).content.decode()
    # an approved set is every province's reference data
    builtin = ParTemplate.objects.exclude(status=ParTemplate.Status.DRAFT).first()
    if builtin is not None:
        assert client.get(reverse("par:template_review", args=[builtin.pk])).status_code == 200
