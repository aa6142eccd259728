"""Audit (issue 13 point 6), generated from the model registry: every model of the project either keeps a
change history or is listed here with the reason it need not; a new model that is neither fails. Each
logged model's create, update and delete reach the history with who, when and before/after."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_save

from cchc.history.models import ChangeLoggedModel, ObjectChange

#: Models without their own history, and why. Adding a model means adding it to ChangeLoggedModel or here.
NOT_LOGGED = {
    "history.ObjectChange": "the history itself (append-only)",
    "tracking.Completion": "derived from progress updates, which are logged; rebuilt from them",
    "surveys.Response": "anonymous citizen answers: a history would keep what the respondent withdrew",
    "surveys.AnswerRow": "part of an anonymous response (see surveys.Response)",
    "notifications.Notification": "a message to one person, not part of the official record",
    "notifications.NotificationPreference": "a person's own mail settings, not part of the official record",
    "surveys.RateCounter": "a per-address counter of the public form's rate limit, reset each window; not a record",
}


def _project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("cchc.")]


def test_every_project_model_keeps_a_history_or_says_why_not():
    unlisted = [m._meta.label for m in _project_models()
                if not issubclass(m, ChangeLoggedModel) and m._meta.label not in NOT_LOGGED]
    assert unlisted == [], f"models with no change history and no reason in NOT_LOGGED: {unlisted}"
    stale = sorted(set(NOT_LOGGED) - {m._meta.label for m in _project_models()})
    assert stale == [], f"NOT_LOGGED names models that no longer exist: {stale}"


def test_the_history_receivers_hear_every_logged_model():
    logged = [m for m in _project_models() if issubclass(m, ChangeLoggedModel)]
    assert len(logged) >= 25
    for model in logged:
        for signal in (pre_save, post_save, post_delete):
            receivers = signal._live_receivers(model)
            receivers = receivers[0] + receivers[1] if isinstance(receivers, tuple) else receivers
            assert any(getattr(r, "__module__", "") == "cchc.history.signals" for r in receivers), (
                f"{model._meta.label}: no history receiver on {signal}")
    assert not any(issubclass(m, ChangeLoggedModel) for m in [ObjectChange])
