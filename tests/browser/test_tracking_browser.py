"""An officer records progress with evidence in seconds; the coordinator sees it; others cannot."""

import datetime
import io

import pytest

from cchc.plans.models import Obligation
from cchc.plans.services import issue_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Tổng quan")


def test_officer_updates_with_evidence_and_the_coordinator_sees_it(
    page, live_server, registry, plan_factory, make_user, tmp_path
):
    from PIL import Image

    plan = plan_factory(registry["province"], datetime.date.today().year,
                        tasks={"1": [("lead", registry["communes"])]})
    plan.tasks.get().milestones.create(kind="date", due=datetime.date.today() + datetime.timedelta(days=10))
    issue_plan(plan)
    make_user("officer", registry["new_b"], "officer")
    make_user("coordinator", registry["home_affairs"], "coordinator")
    make_user("other", registry["new_a"], "officer")
    evidence = tmp_path / "quyet-dinh.pdf"
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "PDF")
    evidence.write_bytes(buffer.getvalue())
    obligation = Obligation.objects.get(task__plan=plan, unit=registry["new_b"])

    sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/viec/")
    page.wait_for_selector("text=Đến hạn trong 30 ngày")
    page.click(f"#obligation-{obligation.pk} .update-button")
    form = page.locator(f"#update-form-{obligation.pk}")
    form.locator("select[name=state]").select_option("done")
    form.locator("input[name=evidence_reference]").fill("Quyết định số 1810/QĐ-UBND ngày 06/5/2024")
    form.locator("input[name=evidence_file]").set_input_files(str(evidence))
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"#obligation-{obligation.pk}.table-success")
    assert "Hoàn thành đúng hạn" in page.inner_text(f"#obligation-{obligation.pk}")
    obligation.refresh_from_db()
    assert obligation.status == "done_on_time" and obligation.updates.get().evidence.count() == 1

    page.context.clear_cookies()
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/viec/bang-dieu-khien/")
    page.wait_for_selector("#unit-ranking")
    ranking = page.inner_text("#unit-ranking")
    assert ranking.index("UBND xã Kiên Thọ") < ranking.index("UBND xã Hoằng Tiến Mới")
    page.goto(f"{live_server.url}{obligation.get_absolute_url()}")
    assert "1810/QĐ-UBND" in page.content()

    page.context.clear_cookies()
    sign_in(page, live_server, "other")
    response = page.goto(f"{live_server.url}{obligation.get_absolute_url()}")
    assert response.status == 404
    api = page.request.get(f"{live_server.url}/api/obligations/{obligation.pk}/")
    assert api.status == 404
