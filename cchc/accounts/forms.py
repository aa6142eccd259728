"""The login form: Django's, except that when the province's LDAP directory could not be asked the
person is told so, rather than that their password is wrong (see ldap_backend.py)."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

UNREACHABLE = "cchc_directory_unreachable"  # set on the request by ldap_backend when the directory fails
DIRECTORY_UNREACHABLE = (
    "Chưa kiểm tra được mật khẩu vì hệ thống tài khoản công vụ của tỉnh (LDAP) không phản hồi. "
    "Vui lòng thử lại sau ít phút hoặc liên hệ quản trị hệ thống."
)


class LoginForm(AuthenticationForm):
    def get_invalid_login_error(self):
        if getattr(self.request, UNREACHABLE, False):
            return ValidationError(DIRECTORY_UNREACHABLE, code="directory_unreachable")
        return super().get_invalid_login_error()
