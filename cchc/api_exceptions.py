"""API error handling shared by every endpoint."""

from django.db import DataError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler


def handle_exception(exc, context):
    """DRF's handler, plus: a number too large for the database (a filter or id of 2**70) is the
    client's mistake, answered 400 in Vietnamese rather than a server error."""
    if isinstance(exc, OverflowError | DataError):
        return Response(
            {"detail": "Giá trị tham số quá lớn hoặc không hợp lệ với cơ sở dữ liệu."},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return exception_handler(exc, context)
