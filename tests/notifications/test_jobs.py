"""The daily reminders and the weekly digest on the real Kiên Thọ 2026 plan."""

import datetime

import pytest

from cchc.notifications.jobs import daily_reminders, run_daily, weekly_digest
from cchc.notifications.models import Notification
from cchc.plans.models import Milestone, Obligation, Plan
from cchc.plans.services import issue_plan
from cchc.tracking.models import ProgressUpdate
from cchc.tracking.services import record_progress
from cchc.tracking.status import evaluate, with_status_data
from cchc.units.models import Unit

from .conftest import MONDAY, THURSDAY

D = datetime.date


def expected(commune, today):
    """Obligations of the commune and its offices due within 7 days / overdue, computed
    straight from the status engine."""
    units = Unit.objects.descendants(commune, include_self=True)
    soon, overdue = set(), set()
    obligations = Obligation.objects.active().filter(unit__in=units, task__plan__status=Plan.Status.ISSUED)
    for obligation in with_status_data(obligations):
        result = evaluate(obligation, today)
        if result.status == "overdue":
            overdue.add((obligation.pk, result.next_due))
        elif result.status == "pending" and today <= result.next_due <= today + datetime.timedelta(days=7):
            soon.add((obligation.pk, result.next_due))
    return soon, overdue


def test_daily_job_reminds_an_officer_of_what_falls_due_and_what_is_overdue(kien_tho, officer, mailoutbox):
    soon, overdue = expected(kien_tho, THURSDAY)
    assert soon and overdue  # the date is chosen so that the real plan has both

    counts = daily_reminders(THURSDAY)

    mine = Notification.objects.filter(user=officer)
    assert {(n.obligation_id, n.due) for n in mine.filter(kind="due_soon")} == soon
    assert {(n.obligation_id, n.due) for n in mine.filter(kind="overdue")} == overdue
    assert counts["due_soon"] >= len(soon) and counts["overdue"] >= len(overdue)
    assert counts["created"] == mine.count() == len(soon) + len(overdue)
    some = mine.filter(kind="overdue").first()
    assert some.dedupe_key == f"overdue:{some.obligation_id}:{some.due.isoformat()}:{officer.pk}"
    assert some.url == f"/viec/{some.obligation_id}/" and some.title.startswith(f"Quá hạn (hạn {some.due:%d/%m/%Y}): Nhiệm vụ ")
    # Most of the commune's tasks belong to its offices (Phòng Văn hóa - Xã hội, …): the
    # commune's officer answers for them.
    assert mine.exclude(obligation__unit=kien_tho).exists()

    assert counts["emails"] == 1 and len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["kt-officer@kientho.vn"]
    assert mail.subject == (
        f"[CCHC] Nhắc việc ngày 25/06/2026: {len(overdue)} nhiệm vụ quá hạn, {len(soon)} nhiệm vụ sắp đến hạn"
    )
    body = mail.body
    assert "Kính gửi Lê Văn An," in body and "tính đến ngày 25/06/2026" in body
    assert f"NHIỆM VỤ QUÁ HẠN ({len(overdue)})" in body and f"NHIỆM VỤ SẮP ĐẾN HẠN TRONG 7 NGÀY ({len(soon)})" in body
    assert "Hạn: 30/06/2026 — còn 5 ngày" in body
    assert "Hạn: 31/03/2026 — quá hạn 86 ngày" in body
    assert "Phòng Văn hóa - Xã hội (UBND xã Kiên Thọ)" in body
    assert f"/viec/{some.obligation_id}/" in body and "/thong-bao/" in body
    assert all(n.emailed_at is not None for n in mine)


def test_running_again_the_same_day_creates_and_sends_nothing(kien_tho, officer, mailoutbox):
    first = daily_reminders(THURSDAY)
    total = Notification.objects.count()
    again = daily_reminders(THURSDAY)
    assert first["created"] > 0 and first["emails"] == 1
    assert again["created"] == 0 and again["emails"] == 0
    assert Notification.objects.count() == total and len(mailoutbox) == 1
    # The next day only what is new is sent: nothing falls newly due or overdue on 26/06.
    next_day = daily_reminders(THURSDAY + datetime.timedelta(days=1))
    assert next_day["created"] == 0 and len(mailoutbox) == 1


def test_a_failed_send_is_retried_by_the_next_run(kien_tho, officer, mailoutbox, monkeypatch):
    from django.core.mail import EmailMessage

    def broken(self, fail_silently=False):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    counts = daily_reminders(THURSDAY)
    assert counts["errors"] == 1 and counts["emails"] == 0
    assert not Notification.objects.filter(user=officer, emailed_at__isnull=False).exists()
    monkeypatch.undo()
    assert daily_reminders(THURSDAY)["emails"] == 1 and len(mailoutbox) == 1


def test_others_get_nothing_about_kien_tho(kien_tho, other_commune, officer, make_user, mailoutbox):
    stranger = make_user("hoangtien", other_commune, "officer", email="ht@hoangtien.vn")
    viewer = make_user("kt-viewer", kien_tho, "viewer", email="viewer@kientho.vn")
    manager = make_user("kt-manager", kien_tho, "manager", email="manager@kientho.vn")
    daily_reminders(THURSDAY)
    assert not Notification.objects.filter(user=stranger).exists()
    assert not Notification.objects.filter(user=viewer).exists()  # viewers are not reminded
    assert Notification.objects.filter(user=manager).count() == Notification.objects.filter(user=officer).count()
    assert sorted(to for mail in mailoutbox for to in mail.to) == ["kt-officer@kientho.vn", "manager@kientho.vn"]


def test_weekly_and_off_preferences(kien_tho, officer, make_user, set_frequency, mailoutbox):
    weekly = make_user("kt-weekly", kien_tho, "officer", email="weekly@kientho.vn")
    off = make_user("kt-off", kien_tho, "manager", email="off@kientho.vn")
    set_frequency(weekly, "weekly")
    set_frequency(off, "off")

    daily_reminders(THURSDAY)
    assert [mail.to for mail in mailoutbox] == [["kt-officer@kientho.vn"]]
    # Everyone has the reminders in the application, whatever they chose for e-mail.
    counts = {u: Notification.objects.filter(user=u).count() for u in (officer, weekly, off)}
    assert len(set(counts.values())) == 1 and counts[officer] > 0

    mailoutbox.clear()
    result = weekly_digest(MONDAY)
    assert result["emails"] == 1 and [mail.to for mail in mailoutbox] == [["weekly@kientho.vn"]]
    mail = mailoutbox[0]
    assert mail.subject.startswith("[CCHC] Tổng hợp tuần 27/2026 (29/06/2026): ")
    assert "tuần 27/2026, tính đến ngày 29/06/2026" in mail.body
    assert "Hạn: 30/06/2026 — còn 1 ngày" in mail.body and "Hạn: 31/03/2026 — quá hạn 90 ngày" in mail.body
    assert not Notification.objects.filter(user=weekly, emailed_at__isnull=True).exists()
    assert not Notification.objects.filter(user=off, emailed_at__isnull=False).exists()

    mailoutbox.clear()
    assert weekly_digest(MONDAY)["emails"] == 0 and not mailoutbox


def test_the_weekly_mail_leaves_out_what_was_done_since(kien_tho, make_user, set_frequency, mailoutbox):
    weekly = make_user("kt-weekly", kien_tho, "officer", email="weekly@kientho.vn")
    set_frequency(weekly, "weekly")
    daily_reminders(THURSDAY)
    done = Notification.objects.filter(user=weekly, kind="overdue").order_by("pk").first()
    record_progress(ProgressUpdate(obligation=done.obligation, author=weekly, state="done",
                                   completed_on=D(2026, 6, 26)), [], today=D(2026, 6, 26))
    weekly_digest(MONDAY)
    assert len(mailoutbox) == 1
    assert f"/viec/{done.obligation_id}/" not in mailoutbox[0].body
    assert Notification.objects.filter(user=weekly, emailed_at__isnull=False).count() == \
        Notification.objects.filter(user=weekly).count()


@pytest.fixture
def late_other_commune(other_commune, plan_factory):
    """A province plan obliging the other commune to a task due 01/02/2026: one overdue obligation."""
    province = other_commune.province()
    plan = plan_factory(province, year=2026, tasks={"1": [("lead", other_commune)]})
    Milestone.objects.create(task=plan.tasks.get(), kind="date", due=D(2026, 2, 1), deadline_text="Trước 01/02/2026")
    issue_plan(plan, today=D(2026, 1, 10))
    return plan


def test_weekly_digest_lists_late_units_worst_first_to_coordinators(
    kien_tho, other_commune, late_other_commune, officer, make_user, mailoutbox
):
    from cchc.units.models import Unit

    coordinator = make_user("sonoivu", Unit.objects.get(code="tha-so-noi-vu"), "coordinator",
                            email="cchc@sonoivu.vn", first_name="Chuyên viên CCHC")
    _, overdue = expected(kien_tho, MONDAY)

    counts = weekly_digest(MONDAY)

    digest = Notification.objects.get(user=coordinator, kind="digest")
    assert digest.dedupe_key == f"digest:2026-W27:{coordinator.pk}"
    rows = digest.data["rows"]
    assert [row["unit"] for row in rows[:2]] == ["UBND xã Kiên Thọ", other_commune.name]
    oldest = min(due for _, due in overdue)
    assert rows[0] == {
        "unit_id": kien_tho.pk, "unit": "UBND xã Kiên Thọ", "overdue": len(overdue),
        "oldest_due": oldest.isoformat(), "oldest_due_display": oldest.strftime("%d/%m/%Y"),
        "days_late": (MONDAY - oldest).days,
    }
    assert rows[1]["overdue"] == 1 and rows[1]["oldest_due_display"] == "01/02/2026" and rows[1]["days_late"] == 148
    assert all(a["overdue"] >= b["overdue"] for a, b in zip(rows, rows[1:], strict=False))
    assert counts["digests"] == 1 and counts["late_units"] == len(rows)
    assert not Notification.objects.filter(user=officer, kind="digest").exists()  # only coordinators

    mails = [mail for mail in mailoutbox if mail.to == ["cchc@sonoivu.vn"]]
    assert len(mails) == 1
    body = mails[0].body
    assert f"CÁC ĐƠN VỊ CÓ NHIỆM VỤ QUÁ HẠN ({len(rows)} đơn vị" in body
    assert (f"1. UBND xã Kiên Thọ: {len(overdue)} nhiệm vụ quá hạn; hạn chưa hoàn thành sớm nhất "
            f"{oldest:%d/%m/%Y} (quá hạn {(MONDAY - oldest).days} ngày).") in body
    assert f"2. {other_commune.name}: 1 nhiệm vụ quá hạn; hạn chưa hoàn thành sớm nhất 01/02/2026 (quá hạn 148 ngày)." in body
    assert mails[0].subject.endswith(f"{len(rows)} đơn vị có nhiệm vụ quá hạn")

    mailoutbox.clear()
    again = weekly_digest(MONDAY)
    assert again["digests"] == 0 and again["emails"] == 0 and not mailoutbox
    # A coordinator who wants no mail still has the digest in the application.
    assert Notification.objects.filter(kind="digest").count() == 1


def test_run_daily_takes_the_day_django_q_intended(kien_tho, officer, mailoutbox):
    # 23:00 UTC on 24/06 is 06:00 on 25/06 in Việt Nam.
    counts = run_daily(scheduled_for="2026-06-24T23:00:00+00:00")
    assert counts["created"] > 0
    assert set(Notification.objects.values_list("day", flat=True)) == {THURSDAY}
