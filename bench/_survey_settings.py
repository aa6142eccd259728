"""Settings of the gunicorn that bench/survey.py starts: the project's, with the per-address rate
limit of the public form raised out of reach but still counted (every request of the bench comes
from 127.0.0.1): each POST pays the counter's upsert, as in production, on one hot row."""

from cchc.settings import *  # noqa: F403

SURVEYS_RATE_LIMIT = 10**9
