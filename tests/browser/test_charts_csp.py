"""The pages with charts under the real Content-Security-Policy (script-src 'self'): the dashboard, a
published PAR Index results page and a survey's results page load with no CSP violation reported, and
every Chart.js canvas on them is drawn (a chart instance on it, a non-zero size)."""

import datetime

import pytest

from tests.browser.test_par_browser import par_round  # noqa: F401  (the fixture)
from tests.surveys.conftest import survey  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Collects every securitypolicyviolation event of the page, from its first script on.
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  {directive: e.violatedDirective, blocked: e.blockedURI, line: e.lineNumber, source: e.sourceFile}));
"""

#: Per canvas of the page: its id, whether Chart.js holds a chart on it, and its drawn size.
CANVASES = """() => Array.from(document.querySelectorAll('canvas')).map(c => {
  const box = c.getBoundingClientRect();
  return {id: c.id, chart: !!(window.Chart && Chart.getChart(c)), width: box.width, height: box.height};
})"""


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Tổng quan")


def _watched(page):
    """The page, with CSP violations gathered from the console and from the DOM event."""
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(LISTEN)
    return console


def _assert_charts_drawn_without_violation(page, console, url, expected_ids):
    response = page.goto(url)
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_function(
        "ids => ids.every(id => window.Chart && Chart.getChart(id))", arg=sorted(expected_ids), timeout=10000)
    canvases = page.evaluate(CANVASES)
    assert expected_ids <= {c["id"] for c in canvases}, canvases
    for canvas in canvases:
        assert canvas["chart"] and canvas["width"] > 0 and canvas["height"] > 0, (url, canvas)
    assert page.evaluate("() => window.__csp") == [], url
    assert not [text for text in console if "Content Security Policy" in text or "Content-Security-Policy" in text]


def test_dashboard_par_and_survey_charts_draw_under_the_policy(page, live_server, registry, plan_factory, make_user,
                                                               par_round, survey):  # noqa: F811
    from cchc.par import services
    from cchc.plans.services import issue_plan
    from cchc.surveys.services import enter_paper_forms
    from tests.par.conftest import fill
    from tests.par.test_workflow import FULL

    plan = plan_factory(registry["province"], datetime.date.today().year, tasks={"1": [("lead", registry["communes"])]})
    plan.tasks.get().milestones.create(kind="date", due=datetime.date.today() + datetime.timedelta(days=10))
    issue_plan(plan)

    coordinator = survey["coordinator"]  # "dieuphoi", coordinator of the province (Sở Nội vụ)
    commune = par_round.assessments.get(unit=registry["new_b"])
    fill(commune, FULL)
    services.advance(par_round, coordinator)
    for _ in range(4):
        services.advance(par_round, coordinator, decision="Quyết định số 300/QĐ-UBND ngày 20/01/2026",
                         today=datetime.date(2026, 1, 20))
    par_round.refresh_from_db()
    assert par_round.is_published

    for key, rows in (("justice", [{"TC.1": "5", "TC.2": "4"}, {"TC.1": "4"}]), ("home_affairs", [{"TC.1": "2"}])):
        assert not enter_paper_forms(survey["units"][key], rows, coordinator).errors

    console = _watched(page)
    sign_in(page, live_server, "dieuphoi")
    _assert_charts_drawn_without_violation(page, console, f"{live_server.url}/viec/bang-dieu-khien/", {"area-chart"})
    _assert_charts_drawn_without_violation(page, console, f"{live_server.url}/chi-so-cchc/cong-bo/{par_round.pk}/",
                                           {"chart-0", "chart-1"})
    _assert_charts_drawn_without_violation(
        page, console, f"{live_server.url}/khao-sat/dot/{survey['round'].pk}/ket-qua/", {"chart-factors"})
