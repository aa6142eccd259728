"""Bulk import of officials' accounts (upload, preview, apply) and the page where a new person
sets their password from the link in their welcome e-mail."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from cchc.core.filetypes import UploadRejected, check_upload
from cchc.history.context import change_context

from . import bulk

_SALT = "cchc.accounts.bulk"


def _importer(request):
    if not bulk.can_import(request.user):
        raise PermissionDenied("Chỉ lãnh đạo, quản trị đơn vị hoặc điều phối viên CCHC mới nhập được tài khoản.")


@login_required
def accounts_template(request):
    _importer(request)
    response = HttpResponse(bulk.template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="tai-khoan.xlsx"'
    return response


@login_required
def accounts_import(request):
    _importer(request)
    context = {"errors": [], "plan": None}
    if request.method == "POST":
        try:
            if "payload" in request.POST:
                try:
                    value = signing.loads(request.POST["payload"], salt=_SALT, max_age=3600)
                except signing.BadSignature:
                    raise bulk.ImportRefused(["Phiên xem trước đã hết hạn; hãy tải tệp lên lại."]) from None
                name, data = value["name"], base64.b64decode(value["data"])
            else:
                upload = request.FILES.get("file")
                if upload is None:
                    raise bulk.ImportRefused(["Chưa chọn tệp .xlsx."])
                if check_upload(upload, upload.name) != "xlsx":
                    raise bulk.ImportRefused([f"Tệp “{upload.name}”: cần tệp .xlsx theo mẫu."])
                name, data = upload.name, upload.read()
            if request.POST.get("apply"):
                with change_context(request=request, origin=f"accounts.import {name}"):
                    plan = bulk.apply(data, name, request.user)
                messages.success(
                    request,
                    f"Đã nhập {name}: {plan.new_users} tài khoản mới (đã gửi thư đặt mật khẩu), "
                    f"{plan.new_memberships} lượt thêm vào đơn vị, {plan.role_changes} lượt đổi vai trò.",
                )
                return redirect("accounts:import")
            context.update(
                plan=bulk.dry_run(data, name, request.user), name=name,
                payload=signing.dumps({"name": name, "data": base64.b64encode(data).decode()}, salt=_SALT,
                                      compress=True),
            )
        except UploadRejected as rejected:
            context["errors"] = [str(rejected)]
        except bulk.ImportRefused as refused:
            context["errors"] = refused.errors[:100]
            context["more"] = max(0, len(refused.errors) - 100)
    return render(request, "accounts/import.html", context)


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The link of the welcome e-mail (a Django password-reset token): choose a password, then sign in."""

    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("login")
    reset_url_token = "dat-mat-khau"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Đã đặt mật khẩu. Mời đăng nhập bằng thư điện tử và mật khẩu vừa đặt.")
        return response
