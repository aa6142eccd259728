"""Gaps where coordinators look: the weekly digest names draft plans with gaps (not issued ones),
and the province dashboard shows who left out which duty and the drafts' gaps."""

from __future__ import annotations

import datetime

from django.urls import reverse

from cchc.notifications.jobs import weekly_digest
from cchc.notifications.models import Notification
from cchc.plans.services import issue_plan

MONDAY = datetime.date(2026, 11, 2)


def test_weekly_digest_mentions_draft_plan_gaps_until_the_plan_is_issued(world, make_user, mailoutbox):
    world["coordinator"].email = "cchc@sonoivu.vn"
    world["coordinator"].save()
    draft = world["kien_tho_2026"]  # a draft: 1.3 not taken up, a later deadline, a weaker target
    weekly_digest(MONDAY)
    digest = Notification.objects.get(user=world["coordinator"], kind="digest")
    extras = digest.data["extras"]
    mine = next(item for item in extras if item["plan"] == draft.pk)
    assert mine["text"].startswith("Dự thảo kế hoạch năm 2026 của UBND xã Kiên Thọ: ")
    assert "chưa đưa vào kế hoạch: 1" in mine["text"] and "thời hạn muộn hơn cấp trên: 1" in mine["text"]
    assert "chỉ tiêu thấp hơn cấp trên: 1" in mine["text"]
    assert mine["url"] == reverse("planning:gaps", args=[draft.pk])
    assert mine["text"] in digest.body
    mail = next(m for m in mailoutbox if m.to == ["cchc@sonoivu.vn"])
    assert "DỰ THẢO KẾ HOẠCH CÒN THIẾU SÓT" in mail.body and mine["text"] in mail.body
    assert f"/ke-hoach-nam-sau/thieu-sot/{draft.pk}/" in mail.body
    assert "dự thảo kế hoạch còn thiếu sót" in mail.subject
    # the in-app list shows the lines with links
    from django.test import Client

    client = Client()
    client.force_login(world["coordinator"])
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'class="small mt-2 mb-0 digest-extras"' in page and mine["url"] in page

    # once issued, the plan is no longer mentioned; issued plans of the province never are
    issue_plan(draft)
    weekly_digest(MONDAY + datetime.timedelta(days=7))
    later = Notification.objects.filter(user=world["coordinator"], kind="digest").order_by("-day").first()
    assert later.day == MONDAY + datetime.timedelta(days=7)
    assert all(item["plan"] != draft.pk for item in later.data.get("extras", []))
    assert all(item["plan"] != world["province_2026"].pk for item in extras)


def test_dashboard_shows_matrix_counts_and_draft_gaps(client, world):
    client.force_login(world["coordinator"])
    dashboard = client.get(reverse("tracking:dashboard"), {"nam": "2026"}).content.decode()
    slot = reverse("planning:dashboard_gaps", args=[world["province"].pk])
    assert f'id="dashboard-gaps-slot" hx-get="{slot}?nam=2026" hx-trigger="load"' in dashboard
    response = client.get(slot, {"nam": "2026"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="dashboard-gaps"' in page
    assert "2/2 xã chưa đưa nhiệm vụ 1.3 vào kế hoạch" in page
    assert "1/2 xã chưa đưa nhiệm vụ 1.1 vào kế hoạch" in page
    assert reverse("planning:matrix", args=[world["province_2026"].pk]) in page
    assert "Dự thảo kế hoạch năm 2026 của UBND xã Kiên Thọ" in page
    assert reverse("planning:gaps", args=[world["kien_tho_2026"].pk]) in page


def test_dashboard_panel_empty_for_a_year_without_gaps_and_refused_outside_scope(client, world):
    slot = reverse("planning:dashboard_gaps", args=[world["province"].pk])
    client.force_login(world["coordinator"])
    response = client.get(slot, {"nam": "2024"})
    assert response.status_code == 200 and 'id="dashboard-gaps"' not in response.content.decode()
    assert client.get(slot, {"nam": "x"}).status_code == 400
    client.force_login(world["kt_manager"])  # a commune does not see the province's picture
    assert client.get(slot, {"nam": "2026"}).status_code == 404


def test_unit_users_get_their_own_drafts_gaps_once_a_week_until_issued(world, make_user, registry, mailoutbox):
    from cchc.notifications.models import NotificationPreference
    from cchc.plans.services import cascade_plan

    draft = world["kien_tho_2026"]
    other = cascade_plan(world["province_2026"], registry["new_a"], [world["t1"].pk])  # leaves out 1.3
    officer = make_user("kt_officer", registry["new_b"], "officer", email="kt@kientho.vn")
    NotificationPreference.objects.create(user=officer, email_frequency="weekly")
    both = make_user("both", registry["new_b"], "officer")
    from cchc.accounts.models import Membership

    Membership.objects.create(user=both, unit=registry["new_a"], role="manager")

    weekly_digest(MONDAY)
    mine = Notification.objects.get(user=officer, kind="digest")
    assert [item["plan"] for item in mine.data["extras"]] == [draft.pk]
    assert mine.data["extras"][0]["url"] == reverse("planning:gaps", args=[draft.pk])
    assert mine.data["extras"][0]["text"] in mine.body and "Kiên Thọ" in mine.body
    assert "dự thảo kế hoạch còn thiếu sót" in mine.title
    mail = next(m for m in mailoutbox if m.to == ["kt@kientho.vn"])
    assert f"/ke-hoach-nam-sau/thieu-sot/{draft.pk}/" in mail.body
    assert f"/ke-hoach-nam-sau/thieu-sot/{other.pk}/" not in mail.body
    # a member of two units gets both units' drafts in one digest; a viewer gets none
    assert {item["plan"] for item in Notification.objects.get(user=both, kind="digest").data["extras"]} == {
        draft.pk, other.pk}
    assert not Notification.objects.filter(user=world["kt_viewer"], kind="digest").exists()
    other_extras = Notification.objects.get(user=world["other_manager"], kind="digest").data["extras"]
    assert [item["plan"] for item in other_extras] == [other.pk]
    # coordinators still get the province's drafts
    coordinator = Notification.objects.get(user=world["coordinator"], kind="digest").data["extras"]
    assert {draft.pk, other.pk} <= {item["plan"] for item in coordinator}

    # running twice in the week adds nothing, and mails nothing again
    sent = len(mailoutbox)
    weekly_digest(MONDAY + datetime.timedelta(days=2))
    assert Notification.objects.filter(user=officer, kind="digest").count() == 1
    assert len(mailoutbox) == sent

    # once issued, the commune's users hear nothing more of it
    issue_plan(draft)
    weekly_digest(MONDAY + datetime.timedelta(days=7))
    assert Notification.objects.filter(user=officer, kind="digest").count() == 1
    later = Notification.objects.filter(user=both, kind="digest").order_by("-day").first()
    assert [item["plan"] for item in later.data["extras"]] == [other.pk]
