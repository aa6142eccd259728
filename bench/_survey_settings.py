"""Settings of the gunicorn that bench/survey.py starts: the project's, with the per-address rate
limit of the public form lifted (every request of the bench comes from 127.0.0.1)."""

from cchc.settings import *  # noqa: F403

SURVEYS_RATE_LIMIT = None  # no limit, and no counter row: all 600 POSTs come from one address
