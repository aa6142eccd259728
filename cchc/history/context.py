"""Who is changing things right now: set per request by the middleware, or by a command."""

from __future__ import annotations

import contextvars
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChangeContext:
    request: object | None = None  # read late: DRF authenticates tokens after the middleware ran
    explicit_user: object | None = None
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    origin: str = ""  # "POST /plans/3/issue/", "cchc load-demo", …

    @property
    def user(self):
        if self.explicit_user is not None:
            return self.explicit_user
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None


_current: contextvars.ContextVar[ChangeContext | None] = contextvars.ContextVar("change_context", default=None)


def current_context() -> ChangeContext | None:
    return _current.get()


@contextmanager
def change_context(*, user=None, request=None, origin: str = ""):
    """Attribute every change made inside the block to one user under one request id."""
    token = _current.set(ChangeContext(request=request, explicit_user=user, origin=origin))
    try:
        yield _current.get()
    finally:
        _current.reset(token)
