from .context import change_context


class ChangeContextMiddleware:
    """Ties every change made while serving a request to its user and a request id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with change_context(request=request, origin=f"{request.method} {request.path}"):
            return self.get_response(request)
