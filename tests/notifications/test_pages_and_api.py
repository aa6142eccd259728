"""The notification page, the API and the badge show each user only their own notifications."""

import re

import pytest
from django.test import RequestFactory

from cchc.notifications.context_processors import unread
from cchc.notifications.jobs import daily_reminders
from cchc.notifications.models import Notification, NotificationPreference

from .conftest import THURSDAY


@pytest.fixture
def reminded(kien_tho, other_commune, officer, make_user):
    """The Kiên Thọ officer reminded on 25/06/2026, and someone else with a notification of their own."""
    other = make_user("hoangtien", other_commune, "officer")
    daily_reminders(THURSDAY)
    theirs = Notification.objects.create(
        user=other, kind="digest", title="Thông báo riêng của người khác", day=THURSDAY, dedupe_key="test:other"
    )
    return officer, other, theirs


def test_the_page_lists_own_notifications_unread_first(client, reminded):
    officer, _other, theirs = reminded
    mine = list(Notification.objects.filter(user=officer).order_by("pk"))
    read = mine[0]
    client.force_login(officer)
    client.post(f"/thong-bao/{read.pk}/da-doc/")

    page = client.get("/thong-bao/")
    assert page.status_code == 200
    html = page.content.decode()
    assert theirs.title not in html
    assert f'id="notification-{mine[1].pk}"' in html
    assert html.index(f'id="notification-{mine[1].pk}"') < html.index(f'id="notification-{read.pk}"')
    assert f"Chưa đọc ({len(mine) - 1})" in html and "Nhận thư điện tử nhắc việc" in html
    unread_only = client.get("/thong-bao/", {"chua_doc": "1"}).content.decode()
    assert f'id="notification-{read.pk}"' not in unread_only


def test_mark_read_with_htmx_and_without(client, reminded):
    officer, _other, theirs = reminded
    first, second = Notification.objects.filter(user=officer).order_by("pk")[:2]
    client.force_login(officer)

    response = client.post(f"/thong-bao/{first.pk}/da-doc/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{first.pk}"' in html and "notification-read" in html
    assert 'id="notification-badge"' in html and 'hx-swap-oob="true"' in html
    first.refresh_from_db()
    assert first.read_at is not None

    assert client.get(f"/thong-bao/{first.pk}/da-doc/").status_code == 405
    assert client.post(f"/thong-bao/{theirs.pk}/da-doc/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None

    opened = client.get(f"/thong-bao/{second.pk}/mo/")
    assert opened.status_code == 302 and opened["Location"] == second.url
    second.refresh_from_db()
    assert second.read_at is not None

    response = client.post("/thong-bao/da-doc-tat-ca/", headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'id="notification-list"' in response.content.decode()
    assert not Notification.objects.filter(user=officer, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert client.post("/thong-bao/da-doc-tat-ca/").status_code == 302


def test_preference_form(client, officer):
    client.force_login(officer)
    assert re.search(r'value="daily"[^>]*checked', client.get("/thong-bao/").content.decode())
    response = client.post("/thong-bao/tuy-chon/", {"email_frequency": "weekly"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Đã lưu." in response.content.decode()
    assert NotificationPreference.objects.get(user=officer).email_frequency == "weekly"
    assert client.post("/thong-bao/tuy-chon/", {"email_frequency": "off"}).status_code == 302
    assert NotificationPreference.frequency_of(officer) == "off"
    assert client.post("/thong-bao/tuy-chon/", {"email_frequency": "hourly"}).status_code == 302
    assert NotificationPreference.frequency_of(officer) == "off"


def test_login_required(client):
    assert client.get("/thong-bao/").status_code == 302


def test_unread_badge_context_processor(reminded):
    officer, other, _theirs = reminded
    request = RequestFactory().get("/")
    request.user = officer
    count = Notification.objects.filter(user=officer).count()
    assert count > 0 and unread(request)["unread_notifications"] == count
    request.user = other
    assert unread(request)["unread_notifications"] == 1
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert unread(request) == {"unread_notifications": 0}


def test_api_shows_and_marks_only_own_notifications(client, reminded):
    officer, _other, theirs = reminded
    mine = Notification.objects.filter(user=officer)
    client.force_login(officer)

    listed = client.get("/api/notifications/", {"limit": 500}).json()
    assert listed["count"] == mine.count()
    assert {row["id"] for row in listed["results"]} == set(mine.values_list("pk", flat=True))
    row = listed["results"][0]
    assert {"kind", "title", "body", "url", "obligation", "due", "read_at", "is_read"} <= set(row)
    assert client.get(f"/api/notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/notifications/{theirs.pk}/read/").status_code == 404

    target = mine.first()
    marked = client.post(f"/api/notifications/{target.pk}/read/").json()
    assert marked["id"] == target.pk and marked["is_read"] is True
    unread = client.get("/api/notifications/", {"unread": "true", "limit": 500}).json()
    assert unread["count"] == mine.count() - 1 and target.pk not in {r["id"] for r in unread["results"]}
    assert client.get("/api/notifications/", {"unread": "false"}).json()["count"] == 1
    assert client.get("/api/notifications/", {"kind": "digest"}).json()["count"] == 0

    assert client.post("/api/notifications/read-all/").json() == {"marked": mine.count() - 1}
    assert client.get("/api/notifications/", {"unread": "true"}).json()["count"] == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None

    client.logout()
    assert client.get("/api/notifications/").status_code in (401, 403)


def test_large_ids_are_not_written_with_a_thousands_separator(client, officer):
    """Vietnamese number formatting writes 12345 as 12.345: ids in HTML ids and links must not be."""
    Notification.objects.create(
        pk=12345, user=officer, kind="digest", title="Tổng hợp tuần", day=THURSDAY, dedupe_key="test:big",
        data={"rows": [{"unit_id": 4321, "unit": "UBND xã A", "overdue": 1500, "oldest_due": "2026-01-05",
                        "oldest_due_display": "05/01/2026", "days_late": 3}]},
    )
    client.force_login(officer)
    html = client.get("/thong-bao/").content.decode()
    assert 'id="notification-12345"' in html and 'hx-target="#notification-12345"' in html
    assert "?don_vi=4321" in html and ">1.500<" in html
