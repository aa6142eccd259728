"""Who sees and changes what, through pages and through the API, allowed and refused."""

import pytest
from django.urls import reverse

from cchc.plans.services import issue_plan


@pytest.fixture
def world(registry, plan_factory, make_user):
    w = dict(registry)
    w["province_plan"] = plan_factory(
        registry["province"], 2026, tasks={"1": [("lead", registry["communes"]), ("coordinating", registry["justice"])]}
    )
    issue_plan(w["province_plan"])
    w["province_draft"] = plan_factory(registry["province"], 2027)
    w["commune_plan"] = plan_factory(registry["new_a"], 2026, tasks={"1": [("lead", registry["new_a"])]})
    w["other_commune_plan"] = plan_factory(registry["new_b"], 2026, tasks={"1": [("lead", registry["new_b"])]})
    w["officer_a"] = make_user("officer_a", registry["new_a"], "officer")
    w["viewer_a"] = make_user("viewer_a", registry["new_a"], "viewer")
    w["manager_a"] = make_user("manager_a", registry["new_a"], "manager")
    w["coordinator"] = make_user("coordinator", registry["home_affairs"], "coordinator")
    return w


def login(client, user):
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_login_and_refused_by_api(client, world):
    response = client.get(reverse("plans:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get("/api/plans/").status_code in (401, 403)


def test_commune_officer_sees_own_plan_and_issued_plans_from_above(client, world):
    login(client, world["officer_a"])
    assert client.get(world["commune_plan"].get_absolute_url()).status_code == 200
    assert client.get(world["province_plan"].get_absolute_url()).status_code == 200
    listed = client.get(reverse("plans:list")).content.decode()
    assert world["commune_plan"].issuer.name in listed


def test_commune_officer_is_refused_another_communes_plan_and_the_provinces_draft(client, world):
    login(client, world["officer_a"])
    assert client.get(world["other_commune_plan"].get_absolute_url()).status_code == 404
    assert client.get(world["province_draft"].get_absolute_url()).status_code == 404
    api_ids = {row["id"] for row in client.get("/api/plans/").json()["results"]}
    assert world["commune_plan"].pk in api_ids and world["province_plan"].pk in api_ids
    assert world["other_commune_plan"].pk not in api_ids and world["province_draft"].pk not in api_ids
    assert client.get(f"/api/plans/{world['other_commune_plan'].pk}/").status_code == 404


def test_obligations_api_shows_only_own_units(client, world):
    login(client, world["officer_a"])
    rows = client.get("/api/obligations/").json()["results"]
    assert rows and {row["unit"] for row in rows} == {"38101"}


def test_coordinator_sees_everything_in_the_province(client, world):
    login(client, world["coordinator"])
    for key in ("commune_plan", "other_commune_plan", "province_draft", "province_plan"):
        assert client.get(world[key].get_absolute_url()).status_code == 200, key
    units = {row["unit"] for row in client.get("/api/obligations/").json()["results"]}
    assert units == {"38101", "38102", "tha-so-tu-phap"}


def test_only_managers_of_the_issuer_may_issue(client, world):
    url = reverse("plans:issue", args=[world["commune_plan"].pk])
    login(client, world["officer_a"])
    assert client.post(url).status_code == 403
    login(client, world["viewer_a"])
    assert client.post(url).status_code == 403
    other_url = reverse("plans:issue", args=[world["other_commune_plan"].pk])
    login(client, world["manager_a"])
    assert client.post(other_url).status_code == 404
    response = client.post(url)
    assert response.status_code == 302
    world["commune_plan"].refresh_from_db()
    assert world["commune_plan"].status == "issued"


def test_a_merged_communes_past_work_stays_visible_to_its_successor(client, world, plan_factory):
    old_plan = plan_factory(world["old_a"], 2022, tasks={"1": [("lead", world["old_a"])]})
    issue_plan(old_plan)
    login(client, world["officer_a"])
    assert client.get(old_plan.get_absolute_url()).status_code == 200
    units = {row["unit"] for row in client.get("/api/obligations/").json()["results"]}
    assert "38001" in units and "38002" not in units


def test_task_page_is_refused_outside_scope(client, world):
    task = world["other_commune_plan"].tasks.get()
    login(client, world["officer_a"])
    assert client.get(task.get_absolute_url()).status_code == 404
    login(client, world["coordinator"])
    assert client.get(task.get_absolute_url()).status_code == 200


def test_token_authentication_gets_the_same_restriction(client, world):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=world["officer_a"])
    response = client.get("/api/plans/", HTTP_AUTHORIZATION=f"Token {token.key}")
    ids = {row["id"] for row in response.json()["results"]}
    assert world["commune_plan"].pk in ids and world["other_commune_plan"].pk not in ids
