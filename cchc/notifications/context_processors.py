from django.utils.functional import SimpleLazyObject

from .models import Notification


def unread(request):
    """`unread_notifications`: how many notifications the user has not read (0 when logged out),
    counted only if a template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: Notification.objects.filter(user=user).unread().count())}
