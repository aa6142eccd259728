"""Survey rounds (SIPAS, PAR Index sociological survey), the units surveyed with their quotas,
and the responses with one row per answer (so that results are one GROUP BY).

A round keeps a copy of its design, so that changing a built-in design never changes a round
already opened; a form opened on one version of the design is refused after the design changed.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cchc.core.surveys import Design, design_from_dict
from cchc.history.models import ChangeLoggedModel
from cchc.units.models import Unit


class RoundQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        """Rounds of the provinces the user belongs to ("view"), or coordinates ("change")."""
        from cchc.accounts.scope import provinces_of
        from cchc.reporting.services import coordinated_provinces

        if action == "change":
            return self.filter(province__in=coordinated_provinces(user))
        return self.filter(province__in=[p.pk for p in provinces_of(user)])


class DesignQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        """Designs of the provinces the user belongs to ("view"), or coordinates ("change")."""
        from cchc.accounts.scope import provinces_of
        from cchc.reporting.services import coordinated_provinces

        if action == "change":
            return self.filter(province__in=coordinated_provinces(user))
        return self.filter(province__in=[p.pk for p in provinces_of(user)])


class QuestionnaireDesign(ChangeLoggedModel):
    """A province's own questionnaire design, kept outside any round to reuse across years;
    its content lives in numbered versions."""

    province = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="survey_designs", verbose_name="tỉnh",
        limit_choices_to={"kind": "province"},
    )
    key = models.CharField("mã thiết kế", max_length=64)
    name = models.CharField("tên thiết kế", max_length=300)

    objects = DesignQuerySet.as_manager()

    class Meta:
        ordering = ["province", "name"]
        constraints = [models.UniqueConstraint(fields=["province", "key"], name="unique_province_design_key")]
        verbose_name = "thiết kế phiếu của tỉnh"
        verbose_name_plural = "thiết kế phiếu của tỉnh"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("surveys:library_detail", args=[self.pk])

    def latest(self) -> DesignVersion | None:
        return self.versions.order_by("-number").first()


class VersionInUse(Exception):
    """A design version a round was opened from never changes."""


class DesignVersion(ChangeLoggedModel):
    """One immutable version of a library design (a new edit is a new version)."""

    design = models.ForeignKey(QuestionnaireDesign, on_delete=models.CASCADE, related_name="versions",
                               verbose_name="thiết kế")
    number = models.PositiveIntegerField("phiên bản")
    content = models.JSONField("nội dung thiết kế")
    fingerprint = models.CharField("dấu vân tay thiết kế", max_length=32)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="người tạo")
    created_at = models.DateTimeField("lúc tạo", auto_now_add=True)

    history_exclude = ("content",)

    class Meta:
        ordering = ["design", "-number"]
        constraints = [models.UniqueConstraint(fields=["design", "number"], name="unique_design_version")]
        verbose_name = "phiên bản thiết kế phiếu"
        verbose_name_plural = "phiên bản thiết kế phiếu"

    def __str__(self):
        return f"{self.design} — phiên bản {self.number}"

    def history_parent(self):
        return self.design

    def save(self, *args, **kwargs):
        if self.pk and Round.objects.filter(library_version=self.pk).exists():
            raise VersionInUse("Phiên bản đã được dùng cho đợt khảo sát: không sửa được, hãy tạo phiên bản mới.")
        super().save(*args, **kwargs)

    def parsed(self) -> Design:
        return design_from_dict(self.content)


_PARSED: dict[tuple[str, str], Design] = {}  # parsed designs, by key and fingerprint


class Round(ChangeLoggedModel):
    class Status(models.TextChoices):
        OPEN = "open", "Đang khảo sát"
        CLOSED = "closed", "Đã kết thúc"

    province = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="survey_rounds", verbose_name="tỉnh",
        limit_choices_to={"kind": "province"},
    )
    year = models.PositiveSmallIntegerField("năm")
    title = models.CharField("tên đợt khảo sát", max_length=300)
    design_key = models.CharField("thiết kế phiếu", max_length=64)
    design = models.JSONField("thiết kế phiếu (bản sao)")
    fingerprint = models.CharField("dấu vân tay thiết kế", max_length=32)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    status = models.CharField("trạng thái", max_length=8, choices=Status.choices, default=Status.OPEN)
    library_version = models.ForeignKey(
        DesignVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="rounds",
        verbose_name="mở từ phiên bản thiết kế trong thư viện",
    )

    objects = RoundQuerySet.as_manager()
    history_exclude = ("design",)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = "đợt khảo sát"
        verbose_name_plural = "đợt khảo sát"

    def __str__(self):
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return reverse("surveys:round_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def parsed_design(self) -> Design:
        """The round's design, parsed once per process and design version (its fingerprint)."""
        cached = getattr(self, "_design", None)
        if cached is None:
            key = (self.design_key, self.fingerprint)
            cached = _PARSED.get(key)
            if cached is None or cached.raw != self.design:
                cached = design_from_dict(self.design)
                if len(_PARSED) >= 64:
                    _PARSED.clear()
                _PARSED[key] = cached
            self._design = cached
        return cached

    def set_design(self, design: Design) -> None:
        self.design_key, self.design, self.fingerprint = design.key, design.raw, design.fingerprint
        self._design = design


def _link_key() -> str:
    return secrets.token_urlsafe(12)


class RoundUnit(ChangeLoggedModel):
    """A unit surveyed in a round, with its sample quota and the key of its public link."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="units", verbose_name="đợt khảo sát")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="survey_entries", verbose_name="đơn vị")
    quota = models.PositiveIntegerField("số phiếu cần thu", default=0)
    key = models.CharField("mã đường dẫn", max_length=32, unique=True, default=_link_key)

    class Meta:
        ordering = ["round", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="unique_round_unit")]
        verbose_name = "đơn vị được khảo sát"
        verbose_name_plural = "đơn vị được khảo sát"

    def __str__(self):
        return f"{self.unit} — {self.round}"

    def history_parent(self):
        return self.round


class Response(models.Model):
    """One filled form. Anonymous: nothing identifies the person unless they give it (`contact`)."""

    class Source(models.TextChoices):
        WEB = "web", "Trực tuyến (đường dẫn, mã QR)"
        PAPER = "paper", "Phiếu giấy (nhập tay)"
        IMPORT = "import", "Nhập từ tệp"

    round_unit = models.ForeignKey(RoundUnit, on_delete=models.CASCADE, related_name="responses",
                                   verbose_name="đơn vị")
    source = models.CharField("nguồn", max_length=8, choices=Source.choices, default=Source.WEB)
    form_no = models.CharField("số phiếu", max_length=40, blank=True)
    token = models.CharField("mã phiếu", max_length=64, null=True, blank=True, unique=True)
    group = models.CharField("nhóm người trả lời", max_length=16, blank=True)
    channel = models.CharField("hình thức", max_length=16, blank=True)
    contact = models.CharField("thông tin liên hệ (nếu người trả lời cho)", max_length=200, blank=True)
    comment = models.TextField("góp ý", blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="người nhập")
    created_at = models.DateTimeField("lúc", auto_now_add=True)

    class Meta:
        ordering = ["round_unit", "id"]
        constraints = [models.UniqueConstraint(fields=["round_unit", "form_no"], condition=~Q(form_no=""),
                                               name="unique_survey_form_no")]
        verbose_name = "phiếu trả lời"
        verbose_name_plural = "phiếu trả lời"

    def __str__(self):
        return f"Phiếu {self.form_no or self.pk} — {self.round_unit.unit}"

    def history_parent(self):
        return self.round_unit


class AnswerRow(models.Model):
    """One answer of one response; `round_unit` is repeated so that results are one GROUP BY."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # No index of its own: the tally index below starts with it (one index less to write per answer).
    round_unit = models.ForeignKey(RoundUnit, on_delete=models.CASCADE, related_name="+", db_index=False)
    question = models.CharField(max_length=16)
    answer = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["round_unit", "question", "answer"], name="survey_answer_tally")]

    def __str__(self):
        return f"{self.question} = {self.answer}"


class RateCounter(models.Model):
    """Submissions of one address in the current fixed window, shared by every gunicorn worker
    (a row per address, reset when a new window starts)."""

    address = models.CharField(max_length=64, unique=True)
    slot = models.BigIntegerField()  # the window's number: unix time // window seconds
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "bộ đếm phiếu theo địa chỉ"

    def __str__(self):
        return f"{self.address}: {self.count}"
