"""Security glue: the login-throttling backend (django-axes) and the client address it counts.

`ThrottledBackend` is django-axes' backend, except that an authentication without a request (a
management command, a test calling `client.login`, never an HTTP login) is passed on to the next
backend instead of raising: throttling is about requests, and every HTTP login path (the login
page, the admin, DRF's basic authentication) passes its request.
"""

from __future__ import annotations

import ipaddress
import os

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.password_validation import MinimumLengthValidator as _MinimumLength
from django.core.exceptions import ValidationError


class ThrottledBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def trusted_proxies() -> set[str]:
    return {ip.strip() for ip in os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1").split(",") if ip.strip()}


def client_ip(request) -> str:
    """The address failures are counted against: REMOTE_ADDR, or — when the request comes from a
    trusted proxy (FORWARDED_ALLOW_IPS, the nginx in front) — the last address that proxy saw
    in X-Forwarded-For. A client cannot spoof it by sending its own header to the proxy, because
    nginx appends the real peer last."""
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and remote in trusted_proxies():
        candidate = forwarded.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return remote


class MinimumLengthValidator(_MinimumLength):
    """Django's, with the message in Vietnamese (Django's `vi` catalogue lacks this one)."""

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short",
                                  params={"min_length": self.min_length})

    def get_error_message(self):
        return f"Mật khẩu này quá ngắn: cần ít nhất {self.min_length} ký tự."

    def get_help_text(self):
        return f"Mật khẩu cần ít nhất {self.min_length} ký tự."
