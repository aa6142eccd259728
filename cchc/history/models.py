"""A NetBox-style change log: one row per create, update or delete of a domain object."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.formats import localize


def snapshot(instance: models.Model) -> dict:
    """JSON-serialisable values of the concrete fields, keyed by attribute name (FKs by id)."""
    data = {}
    for model_field in instance._meta.concrete_fields:
        value = getattr(instance, model_field.attname)
        if isinstance(value, datetime.datetime | datetime.date | datetime.time):
            value = value.isoformat()
        elif isinstance(value, decimal.Decimal | uuid.UUID):
            value = str(value)
        elif isinstance(value, FieldFile):
            value = value.name or None
        elif isinstance(value, bytes | memoryview):
            value = "<binary>"
        data[model_field.attname] = value
    return data


class ChangeLoggedModel(models.Model):
    """Domain objects whose every change is recorded. Override `history_parent` to also show
    the change on a parent's page (a task's change on its plan)."""

    history_exclude: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def history_parent(self) -> models.Model | None:
        return None


class AppendOnly(Exception):
    """The history is append-only: a recorded change is never altered or removed by the application."""


class _AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("lịch sử thay đổi chỉ được ghi thêm, không được sửa")

    def delete(self):
        raise AppendOnly("lịch sử thay đổi chỉ được ghi thêm, không được xóa")


class ObjectChange(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "Tạo mới"
        UPDATE = "update", "Cập nhật"
        DELETE = "delete", "Xóa"

    time = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    user_name = models.CharField("người thực hiện", max_length=150, blank=True)
    request_id = models.UUIDField("mã yêu cầu", db_index=True)
    origin = models.CharField("nguồn", max_length=300, blank=True)
    action = models.CharField("thao tác", max_length=10, choices=Action.choices)
    object_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    changed_object = GenericForeignKey("object_type", "object_id")
    object_repr = models.CharField("đối tượng", max_length=300)
    parent_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    parent_id = models.CharField(max_length=64, blank=True)
    prechange_data = models.JSONField("trước", null=True, blank=True)
    postchange_data = models.JSONField("sau", null=True, blank=True)

    objects = _AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["parent_type", "parent_id"]),
        ]
        verbose_name = "thay đổi"
        verbose_name_plural = "lịch sử thay đổi"

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("lịch sử thay đổi chỉ được ghi thêm, không được sửa")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("lịch sử thay đổi chỉ được ghi thêm, không được xóa")

    @property
    def object_type_label(self) -> str:
        model = self.object_type.model_class()
        return str(model._meta.verbose_name) if model else self.object_type.model

    def field_changes(self) -> list[tuple[str, str, str]]:
        """(field label, before, after) for every field whose value differs, readable by a person."""
        model = self.object_type.model_class()
        before, after = self.prechange_data or {}, self.postchange_data or {}
        rows = []
        for model_field in model._meta.concrete_fields if model else ():
            key = model_field.attname
            if key in ("id",) or before.get(key) == after.get(key):
                continue
            rows.append(
                (
                    str(model_field.verbose_name),
                    _display(model_field, before.get(key)) if key in before else "",
                    _display(model_field, after.get(key)) if key in after else "",
                )
            )
        return rows


def _display(model_field, value) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else f"#{value}"
    if isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
        return localize(datetime.date.fromisoformat(value))
    if isinstance(model_field, models.BooleanField):
        return "Có" if value else "Không"
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)
