"""The cchc WSGI application with one extra path, `/__slow__`, that answers after 3 s: the
serving test sends SIGTERM while it is in flight. When CCHC_SLOW_MARKER names a file, the
request writes it on arrival, so the test knows (without guessing a delay) that it is being
served."""

import os
import time
from pathlib import Path

from cchc.wsgi import application as cchc_application


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/__slow__":
        if marker := os.environ.get("CCHC_SLOW_MARKER"):
            Path(marker).write_text("in flight")
        time.sleep(3)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"slow done"]
    return cchc_application(environ, start_response)
