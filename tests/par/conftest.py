"""A 2025 PAR Index round of the test province: the small commune template, the same shape for
departments, and users in every role the workflow needs."""

from __future__ import annotations

import copy
import datetime
import json
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "par" / "commune-small.json"


def definition(unit_type: str = "commune") -> dict:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    if unit_type != "commune":
        data = copy.deepcopy(data)
        data["key"] = f"test-2025-{unit_type}"
        data["unit_type"] = unit_type
        data["name"] = data["name"].replace("cấp xã", "sở, ban, ngành")
    return data


@pytest.fixture
def par(registry, make_user):
    from cchc.par import services

    templates = [services.store_template(definition("commune")), services.store_template(definition("department"))]
    rnd = services.open_round(
        registry["province"], 2025, deadline=datetime.date(2099, 12, 31), cutoff=datetime.date(2025, 12, 14), templates=templates
    )
    assessments = {a.unit.code: a for a in rnd.assessments.select_related("unit", "template")}
    users = {
        "coordinator": make_user("snv", registry["home_affairs"], role="coordinator"),
        "justice": make_user("stp", registry["justice"], role="officer"),
        "officer": make_user("xa-canbo", registry["new_b"], role="officer"),
        "manager": make_user("xa-lanhdao", registry["new_b"], role="manager"),
        "other": make_user("xa-khac", registry["new_a"], role="manager"),
    }
    return {"round": rnd, "assessments": assessments, "users": users, "commune": assessments["38102"], "other_commune": assessments["38101"]}


def fill(assessment, points: dict[str, str]):
    from cchc.par import services

    for code, value in points.items():
        services.save_self_score(assessment, code, value)
