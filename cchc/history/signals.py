"""Record every create, update and delete of a ChangeLoggedModel."""

from __future__ import annotations

import uuid

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from .context import current_context
from .models import ChangeLoggedModel, ObjectChange, snapshot

_PRECHANGE = "_history_prechange"


def _tracked(sender) -> bool:
    return issubclass(sender, ChangeLoggedModel)


def _without_excluded(instance, data):
    if data is None:
        return None
    return {k: v for k, v in data.items() if k not in instance.history_exclude}


def _record(instance, action, before, after):
    context = current_context()
    user = context.user if context else None
    parent = instance.history_parent()
    ObjectChange.objects.create(
        user=user,
        user_name=user.get_username() if user else "",
        request_id=context.request_id if context else uuid.uuid4(),
        origin=context.origin if context else "",
        action=action,
        object_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        parent_type=ContentType.objects.get_for_model(parent) if parent is not None else None,
        parent_id=str(parent.pk) if parent is not None else "",
        prechange_data=_without_excluded(instance, before),
        postchange_data=_without_excluded(instance, after),
    )


@receiver(pre_save)
def remember_prechange(sender, instance, raw=False, **kwargs):
    if raw or not _tracked(sender) or instance._state.adding or instance.pk is None:
        return
    previous = sender._base_manager.filter(pk=instance.pk).first()
    setattr(instance, _PRECHANGE, snapshot(previous) if previous else None)


@receiver(post_save)
def record_save(sender, instance, created, raw=False, **kwargs):
    if raw or not _tracked(sender):
        return
    before = None if created else getattr(instance, _PRECHANGE, None)
    after = snapshot(instance)
    if not created and before == after:
        return  # a save that changed nothing is not history
    _record(instance, ObjectChange.Action.CREATE if created else ObjectChange.Action.UPDATE, before, after)
    if hasattr(instance, _PRECHANGE):
        delattr(instance, _PRECHANGE)


@receiver(pre_delete)
def remember_predelete(sender, instance, **kwargs):
    if _tracked(sender):
        setattr(instance, _PRECHANGE, snapshot(instance))


@receiver(post_delete)
def record_delete(sender, instance, **kwargs):
    if _tracked(sender):
        _record(instance, ObjectChange.Action.DELETE, getattr(instance, _PRECHANGE, None), None)
