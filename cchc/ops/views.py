from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import report


@never_cache
@require_GET
def healthz(request):
    """200 with the checks when healthy, 503 otherwise; no login (a load balancer calls it)."""
    healthy, body = report()
    return JsonResponse(body, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})
