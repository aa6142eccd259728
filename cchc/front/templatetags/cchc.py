from django import template
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from cchc.history.models import ObjectChange

register = template.Library()


@register.inclusion_tag("history/_changes.html")
def change_list(obj, limit=50):
    """The object's own changes and those of its children (a plan's tasks, a task's milestones)."""
    object_type = ContentType.objects.get_for_model(obj)
    changes = (
        ObjectChange.objects.filter(
            Q(object_type=object_type, object_id=str(obj.pk)) | Q(parent_type=object_type, parent_id=str(obj.pk))
        )
        .select_related("object_type", "user")
        .order_by("-time", "-id")[:limit]
    )
    return {"changes": changes}


@register.inclusion_tag("tracking/_status_badge.html")
def status_badge(status):
    from cchc.core.status import STATUS_LABELS

    return {"status": status, "label": STATUS_LABELS.get(status, status)}
