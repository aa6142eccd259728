"""The user's notifications: the list, marking read (htmx-friendly), the e-mail preference."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .forms import PreferenceForm
from .models import Kind, Notification, NotificationPreference

PAGE_SIZE = 30


def _own(request):
    return Notification.objects.filter(user=request.user)


def _preference_form(request, data=None):
    preference = NotificationPreference.objects.filter(user=request.user).first()
    return PreferenceForm(data, instance=preference or NotificationPreference(user=request.user))


def _list_context(request) -> dict:
    notifications = _own(request).unread_first()
    only_unread = request.GET.get("chua_doc") == "1"
    if only_unread:
        notifications = notifications.unread()
    kind = request.GET.get("loai", "")
    if kind in Kind.values:
        notifications = notifications.filter(kind=kind)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("trang"))
    return {"page": page, "only_unread": only_unread, "kind": kind, "kinds": Kind.choices}


@login_required
def notification_list(request):
    context = _list_context(request)
    context.update(unread_total=_own(request).unread().count(), form=_preference_form(request))
    return render(request, "notifications/list.html", context)


@login_required
def notification_open(request, pk):
    """Follow a notification's link, marking it read on the way."""
    notification = get_object_or_404(_own(request), pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect(notification.url or "notifications:list")


@login_required
@require_POST
def mark_read(request, pk):
    notification = get_object_or_404(_own(request), pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    if request.htmx:
        return render(request, "notifications/_item.html", {"n": notification, "oob_badge": True})
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    marked = _own(request).unread().update(read_at=timezone.now())
    if request.htmx:
        return render(request, "notifications/_list.html", {**_list_context(request), "oob_badge": True})
    messages.success(request, f"Đã đánh dấu {marked} thông báo là đã đọc.")
    return redirect("notifications:list")


@login_required
@require_POST
def preferences(request):
    form = _preference_form(request, request.POST)
    saved = form.is_valid()
    if saved:
        form.save()
    if request.htmx:
        return render(request, "notifications/_preferences.html", {"form": form, "saved": saved},
                      status=200 if saved else 400)
    if saved:
        messages.success(request, "Đã lưu tùy chọn nhận thư nhắc việc.")
    else:
        messages.error(request, "Tùy chọn không hợp lệ.")
    return redirect("notifications:list")
