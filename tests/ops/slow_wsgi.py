"""The cchc WSGI application with one extra path, `/__slow__`, that answers after 3 s: the
serving test sends SIGTERM while it is in flight."""

import time

from cchc.wsgi import application as cchc_application


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/__slow__":
        time.sleep(3)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"slow done"]
    return cchc_application(environ, start_response)
