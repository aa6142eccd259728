"""Every change of a domain object is recorded with who, when, which request and what changed."""

from django.urls import reverse

from cchc.history.context import change_context
from cchc.history.models import ObjectChange


def test_create_update_delete_are_recorded_with_values(registry, make_user):
    unit = registry["justice"]
    user = make_user("editor")
    with change_context(user=user, origin="test"):
        unit.name = "Sở Tư pháp tỉnh Thanh Hóa"
        unit.save()
    change = ObjectChange.objects.filter(object_id=str(unit.pk), action="update").get()
    assert change.user == user and change.user_name == "editor"
    assert change.prechange_data["name"] == "Sở Tư pháp" and change.postchange_data["name"] == "Sở Tư pháp tỉnh Thanh Hóa"
    assert ("tên", "Sở Tư pháp", "Sở Tư pháp tỉnh Thanh Hóa") in change.field_changes()

    unit_pk = unit.pk
    registry["district"].delete()  # cascades to its communes: each deletion is recorded
    deleted = set(ObjectChange.objects.filter(action="delete").values_list("object_repr", flat=True))
    assert {"UBND huyện Hoằng Hóa", "UBND xã Hoằng Tiến"} <= deleted
    assert ObjectChange.objects.filter(object_id=str(unit_pk), action="create").exists()


def test_a_save_that_changes_nothing_is_not_history(registry):
    before = ObjectChange.objects.count()
    registry["justice"].save()
    assert ObjectChange.objects.count() == before


def test_changes_made_through_a_request_carry_its_user_and_show_on_the_page(client, registry, plan_factory, make_user):
    plan = plan_factory(registry["province"], tasks={"1": [("lead", registry["justice"])]})
    coordinator = make_user("coordinator", registry["home_affairs"], "coordinator")
    client.force_login(coordinator)
    client.post(reverse("plans:issue", args=[plan.pk]))
    status_change = ObjectChange.objects.filter(object_id=str(plan.pk), action="update").get()
    assert status_change.user == coordinator
    obligation_changes = ObjectChange.objects.filter(request_id=status_change.request_id, action="create")
    assert obligation_changes.count() == 1  # the obligation, recorded under the same request

    page = client.get(plan.get_absolute_url()).content.decode()
    assert "coordinator" in page and "Dự thảo" in page and "Đã ban hành" in page


def test_the_history_is_append_only_through_the_application(client, registry, make_user):
    import pytest

    from cchc.history.models import AppendOnly

    user = make_user("editor")
    with change_context(user=user, origin="test"):
        registry["justice"].name = "Sở Tư pháp tỉnh"
        registry["justice"].save()
    change = ObjectChange.objects.filter(action="update").latest("id")
    kept = (change.prechange_data, change.postchange_data, change.user_name)
    change.postchange_data = {"name": "đã sửa"}
    with pytest.raises(AppendOnly):
        change.save()
    with pytest.raises(AppendOnly):
        change.delete()
    with pytest.raises(AppendOnly):
        ObjectChange.objects.filter(pk=change.pk).update(user_name="ai đó")
    with pytest.raises(AppendOnly):
        ObjectChange.objects.all().delete()
    change.refresh_from_db()
    assert (change.prechange_data, change.postchange_data, change.user_name) == kept
    # the admin offers no change or delete either, even to a superuser
    admin = make_user("root")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    url = reverse("admin:history_objectchange_change", args=[change.pk])
    client.post(url, {"user_name": "ai đó"})
    client.post(reverse("admin:history_objectchange_delete", args=[change.pk]), {"post": "yes"})
    change.refresh_from_db()
    assert change.user_name == kept[2]
    # a person leaving does not take the record with them: the name stays, the link is cleared
    user.delete()
    change.refresh_from_db()
    assert change.user is None and change.user_name == "editor"


def test_a_coordinator_exports_the_history_of_their_province_as_csv(client, registry, plan_factory, make_user):
    import csv
    import io

    plan = plan_factory(registry["province"], tasks={"1": [("lead", registry["justice"])]})
    coordinator = make_user("coordinator", registry["home_affairs"], "coordinator")
    client.force_login(coordinator)
    client.post(reverse("plans:issue", args=[plan.pk]))
    response = client.get(reverse("accounts:history_csv"))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Thời điểm", "Người thực hiện", "Thao tác"]
    issued = [r for r in rows[1:] if r[4] == str(plan.pk) and r[2] == "Cập nhật"]
    assert issued and issued[0][1] == "coordinator" and "/" in issued[0][0]
    assert issued[0][8] and issued[0][9] and issued[0][8] != issued[0][9]  # before and after
    assert len(rows) - 1 == ObjectChange.objects.filter(user=coordinator).count()

    officer = make_user("officer", registry["justice"], "officer")
    client.force_login(officer)
    assert client.get(reverse("accounts:history_csv")).status_code == 403
    client.logout()
    assert client.get(reverse("accounts:history_csv")).status_code == 302
