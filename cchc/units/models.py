"""The unit registry: a tree of administrative units valid over time, with successions."""

from __future__ import annotations

import datetime

from django.db import connection, models
from django.db.models import Q
from tree_queries.models import TreeNode
from tree_queries.query import TreeQuerySet

from cchc.core.text import fold
from cchc.history.models import ChangeLoggedModel


class UnitKind(models.TextChoices):
    PROVINCE = "province", "UBND tỉnh"
    DEPARTMENT = "department", "Sở, ban, ngành"
    DISTRICT = "district", "UBND cấp huyện"
    COMMUNE = "commune", "UBND cấp xã"
    OFFICE = "office", "Phòng, bộ phận, công chức"
    CENTRAL_AGENCY = "central_agency", "Cơ quan Trung ương đóng trên địa bàn"
    PUBLIC_SERVICE_UNIT = "public_service_unit", "Đơn vị sự nghiệp công lập"


class UnitQuerySet(TreeQuerySet):
    # Subtrees, ancestors and predecessors are each read with ONE recursive CTE of our own (WITH
    # RECURSIVE runs on SQLite and PostgreSQL), so the query count is the same whatever the depth
    # of a province; the tree-queries CTE would number the whole national tree on every call.
    def subtree_ids(self, *roots: Unit | int) -> set[int]:
        """Ids of the roots and every unit below them."""
        ids = {root.pk if isinstance(root, Unit) else root for root in roots}
        if not ids:
            return ids
        return ids | _fetch_ids(f"WITH RECURSIVE {_subtree_cte(len(ids))} SELECT id FROM sub", list(ids))

    def reach_ids(self, root: Unit | int) -> set[int]:
        """``with_predecessor_ids(subtree_ids(root))`` in one query: the root's subtree plus every
        unit that merged into (or was renamed to) one of its units, transitively."""
        root_id = root.pk if isinstance(root, Unit) else root
        sql = f"WITH RECURSIVE {_subtree_cte(1)}, {_predecessors_cte('SELECT id FROM sub')} SELECT id FROM pred"
        return {root_id} | _fetch_ids(sql, [root_id])

    def with_predecessor_ids(self, ids: set[int]) -> set[int]:
        """The ids plus every unit that merged into (or was renamed to) one of them, transitively:
        whose past work the successor carries."""
        ids = set(ids)
        if not ids:
            return ids
        seed = f"SELECT id FROM {_table(Unit)} WHERE id IN ({_placeholders(len(ids))})"
        return ids | _fetch_ids(f"WITH RECURSIVE {_predecessors_cte(seed)} SELECT id FROM pred", list(ids))

    def predecessors_of(self, ids: set[int]) -> dict[int, set[int]]:
        """Per id, every unit that merged into (or was renamed to) it, transitively, in one query:
        ``with_predecessor_ids`` for each id apart (the id itself not included)."""
        ids = set(ids)
        if not ids:
            return {}
        units, successions = _table(Unit), _table(Succession)
        sql = (
            f"WITH RECURSIVE pred(root, id) AS (SELECT id, id FROM {units} WHERE id IN ({_placeholders(len(ids))}) "
            f"UNION SELECT pred.root, s.predecessor_id FROM {successions} s JOIN pred ON s.successor_id = pred.id) "
            f"SELECT root, id FROM pred"
        )
        found: dict[int, set[int]] = {pk: set() for pk in ids}
        with connection.cursor() as cursor:
            cursor.execute(sql, list(ids))
            for root, pk in cursor.fetchall():
                if pk != root:
                    found[root].add(pk)
        return found

    def ancestor_ids(self, unit: Unit) -> list[int]:
        """Ids of the unit's ancestors, nearest first."""
        if unit.parent_id is None:
            return []
        units = _table(Unit)
        sql = (
            f"WITH RECURSIVE up(id, parent_id, depth) AS ("
            f"SELECT id, parent_id, 0 FROM {units} WHERE id = %s "
            f"UNION ALL SELECT u.id, u.parent_id, up.depth + 1 FROM {units} u "
            f"JOIN up ON u.id = up.parent_id WHERE up.depth < {_MAX_DEPTH}"
            f") SELECT id FROM up ORDER BY depth"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [unit.parent_id])
            rows = cursor.fetchall()
        ids: list[int] = []
        for (pk,) in rows:
            if pk in ids:  # a cycle: stop where the walk comes back
                break
            ids.append(pk)
        return ids

    def ids_under(self, root: Unit | int, unit_ids: set[int]) -> set[int]:
        """Which of ``unit_ids`` are ``root`` or below it, in one query walking up from them:
        cheaper than the subtree when they are a few hundred in a national tree."""
        root_id = root.pk if isinstance(root, Unit) else root
        ids = set(unit_ids)
        if not ids:
            return set()
        units = _table(Unit)
        sql = (
            f"WITH RECURSIVE up(start, id) AS (SELECT id, id FROM {units} WHERE id IN ({_placeholders(len(ids))}) "
            f"UNION SELECT up.start, u.parent_id FROM {units} u JOIN up ON u.id = up.id "
            f"WHERE up.id <> %s AND u.parent_id IS NOT NULL) SELECT start FROM up WHERE id = %s"
        )
        return _fetch_ids(sql, [*ids, root_id, root_id])

    def search(self, text: str):
        """Units whose name or short name contains the text, ignoring accents and case."""
        return self.filter(Q(search_text__contains=fold(text)) | Q(code__iexact=text.strip()))

    def valid_on(self, day: datetime.date):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Unit(ChangeLoggedModel, TreeNode):
    code = models.CharField("mã", max_length=64, unique=True)
    name = models.CharField("tên", max_length=255)
    kind = models.CharField("loại", max_length=32, choices=UnitKind.choices, db_index=True)
    short_names = models.JSONField("tên viết tắt", default=list, blank=True)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True, help_text="Ngày cuối cùng đơn vị tồn tại.")
    # Accent-free, lower-case name and short names: what searches match against.
    search_text = models.CharField(max_length=600, editable=False, db_index=True, default="")

    objects = UnitQuerySet.as_manager(with_tree_fields=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"

    def __str__(self):
        return self.name

    def refresh_search_text(self) -> None:
        self.search_text = fold(" | ".join([self.name, *(self.short_names or [])]))[:600]

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)

    def province(self) -> Unit | None:
        """The province this unit belongs to (itself for a province)."""
        if self.kind == UnitKind.PROVINCE:
            return self
        return Unit.objects.filter(pk__in=Unit.objects.ancestor_ids(self), kind=UnitKind.PROVINCE).first()

    def successors_on(self, day: datetime.date) -> list[Unit]:
        return [s.successor for s in self.successions_out.filter(on__lte=day).select_related("successor")]


class UnitAlias(ChangeLoggedModel):
    """A way a document writes a unit's name, learned from a person's choice during an import."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="aliases", verbose_name="đơn vị")
    text = models.CharField("cách viết", max_length=255)
    folded = models.CharField(max_length=255, unique=True, editable=False)

    class Meta:
        verbose_name = "tên gọi khác"
        verbose_name_plural = "tên gọi khác"

    def __str__(self):
        return f"{self.text} → {self.unit}"

    def save(self, *args, **kwargs):
        self.folded = fold(self.text)
        super().save(*args, **kwargs)

    def history_parent(self):
        return self.unit


class Succession(ChangeLoggedModel):
    class Kind(models.TextChoices):
        MERGED_INTO = "merged_into", "Sáp nhập vào"
        SPLIT_INTO = "split_into", "Chia tách thành"
        RENAMED_TO = "renamed_to", "Đổi tên thành"

    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successions_out")
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successions_in")
    kind = models.CharField("hình thức", max_length=16, choices=Kind.choices)
    on = models.DateField("từ ngày")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="unique_succession")]
        verbose_name = "kế thừa"
        verbose_name_plural = "kế thừa (sáp nhập, chia tách)"

    def __str__(self):
        return f"{self.predecessor} {self.get_kind_display().lower()} {self.successor} ({self.on:%d/%m/%Y})"

    def history_parent(self):
        return self.successor


class UnitClass(ChangeLoggedModel):
    """A class of units named in plans ("UBND cấp xã"): every unit of `member_kinds` in the
    issuer's province (or district, for a district's plan) valid on the plan's date must do the task."""

    key = models.SlugField("mã", unique=True)
    name = models.CharField("tên", max_length=255)
    member_kinds = models.JSONField("loại đơn vị thành viên", default=list)

    class Meta:
        ordering = ["name"]
        verbose_name = "nhóm đơn vị"
        verbose_name_plural = "nhóm đơn vị"

    def __str__(self):
        return self.name

    def members(self, within: Unit, on: datetime.date) -> UnitQuerySet:
        """Members valid on the date under `within`: the province, or a district for its own plan."""
        return Unit.objects.filter(pk__in=Unit.objects.subtree_ids(within), kind__in=self.member_kinds).valid_on(on)


_MAX_DEPTH = 64  # deeper than any administrative tree: ends the ancestor walk on a cycle


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def _fetch_ids(sql: str, params: list) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk for (pk,) in cursor.fetchall()}


def _subtree_cte(root_count: int) -> str:
    """`sub`: the roots given as parameters and every unit below them. UNION (not UNION ALL)
    drops rows already seen, so a cycle ends the recursion."""
    units = _table(Unit)
    return (
        f"sub(id) AS (SELECT id FROM {units} WHERE id IN ({_placeholders(root_count)}) "
        f"UNION SELECT u.id FROM {units} u JOIN sub ON u.parent_id = sub.id)"
    )


def _predecessors_cte(seed: str) -> str:
    """`pred`: the ids the seed selects and every unit that passed into one of them, transitively."""
    return (
        f"pred(id) AS ({seed} "
        f"UNION SELECT s.predecessor_id FROM {_table(Succession)} s JOIN pred ON s.successor_id = pred.id)"
    )
