"""The change history as a CSV download (issue 13 point 6): a province coordinator gets every change
made by the people of their province, a superuser every change. Read-only: the history is append-only."""

from __future__ import annotations

import csv
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.utils import timezone

from cchc.history.models import ObjectChange

from .models import Membership, Role
from .scope import scope_for

COLUMNS = ["Thời điểm", "Người thực hiện", "Thao tác", "Loại đối tượng", "Mã đối tượng", "Đối tượng",
           "Nguồn", "Mã yêu cầu", "Trước", "Sau"]


class _Echo:
    def write(self, value):
        return value


def changes_for(user):
    """The changes `user` may export; PermissionDenied for anyone but a coordinator or a superuser."""
    changes = ObjectChange.objects.select_related("object_type").order_by("time", "id")
    if user.is_superuser:
        return changes
    if not Membership.objects.filter(user=user, role=Role.COORDINATOR).exists():
        raise PermissionDenied("Chỉ điều phối viên CCHC cấp tỉnh mới tải được lịch sử thay đổi.")
    people = Membership.objects.filter(unit_id__in=scope_for(user).view).values("user_id")
    return changes.filter(user_id__in=people)


def _row(change: ObjectChange) -> list[str]:
    return [
        timezone.localtime(change.time).strftime("%d/%m/%Y %H:%M:%S"), change.user_name,
        change.get_action_display(), change.object_type_label, change.object_id, change.object_repr,
        change.origin, str(change.request_id),
        json.dumps(change.prechange_data, ensure_ascii=False) if change.prechange_data is not None else "",
        json.dumps(change.postchange_data, ensure_ascii=False) if change.postchange_data is not None else "",
    ]


@login_required
def history_csv(request):
    changes = changes_for(request.user)
    writer = csv.writer(_Echo())
    rows = (writer.writerow(_row(c)) for c in changes.iterator(chunk_size=2000))
    response = StreamingHttpResponse(_chain(writer.writerow(COLUMNS), rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lich-su-thay-doi.csv"'
    return response


def _chain(header, rows):
    yield "\ufeff" + header  # the BOM lets Excel read the Vietnamese text as UTF-8
    yield from rows
