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
