"""Request guards of production operation.

`RequestSizeLimitMiddleware` refuses a request body larger than CCHC_MAX_UPLOAD_MB (default 50)
from its Content-Length, before a byte of it is read (a 100 MB "evidence" never reaches memory or
a temporary file); per-field limits in the forms stay smaller.

`DatabaseUnavailableMiddleware` turns "the database cannot be reached" (PostgreSQL restarting, the
SQLite file on a lost disk) into a clear Vietnamese 503 page (JSON under /api/) with Retry-After,
instead of a 500; with `conn_health_checks` the next request reconnects by itself. A full disk
(ENOSPC/EDQUOT while storing an upload) becomes a 507 page saying nothing was saved — the
request's transaction has been rolled back by then.
"""

from __future__ import annotations

import errno
import logging
import os

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

log = logging.getLogger("cchc.ops")

DISK_FULL = {errno.ENOSPC, errno.EDQUOT}
DISK_FULL_MESSAGE = ("Máy chủ đã hết dung lượng lưu trữ nên tệp chưa được lưu và không có thay đổi nào được ghi. "
                     "Vui lòng báo quản trị hệ thống, rồi gửi lại.")
DB_UNAVAILABLE = "Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít phút."


def max_upload_bytes() -> int:
    return int(os.environ.get("CCHC_MAX_UPLOAD_MB", "50")) * 1024 * 1024


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def _page(request, status: int, title: str, message: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})
    html = render_to_string("ops/error.html", {"title": title, "message": message, "status": status})
    return HttpResponse(html, status=status)


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = max_upload_bytes()
        if length > limit:
            request._stream = None  # nothing downstream may read the body
            mb = limit // (1024 * 1024)
            message = (f"Dữ liệu gửi lên quá lớn ({length // (1024 * 1024)} MB); "
                       f"mỗi lần gửi tối đa {mb} MB. Hãy nén hoặc tách tệp.")
            response = _page(request, 413, "Tệp quá lớn", message)
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OSError) and exception.errno in DISK_FULL:
            log.error("disk full: %s", exception)
            return _page(request, 507, "Hết dung lượng lưu trữ", DISK_FULL_MESSAGE)
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        log.error("database unavailable: %s", exception)
        from django.db import connections

        for conn in connections.all(initialized_only=True):
            conn.close_if_unusable_or_obsolete()
        response = _page(request, 503, "Tạm thời gián đoạn", DB_UNAVAILABLE)
        response["Retry-After"] = "30"
        return response
