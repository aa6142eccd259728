"""PAR Index (Chỉ số CCHC) assessments: stored template versions, a province's yearly round, each
unit's self-assessment with evidence, auto inputs taken at the cut-off date, and appraisal entries
(appended, never overwritten) for round 1, round 2 and the council's final score."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from cchc.history.models import ChangeLoggedModel
from cchc.units.models import Unit


class ParTemplate(ChangeLoggedModel):
    """One criteria set (``cchc/data/par/<key>.json``, see docs/par-template.md), stored as data so
    that a round keeps the template it was opened with."""

    key = models.CharField("mã bộ tiêu chí", max_length=64, unique=True)
    name = models.CharField("tên", max_length=500)
    year = models.PositiveSmallIntegerField("năm")
    unit_type = models.CharField("áp dụng cho", max_length=16)
    decision = models.CharField("văn bản ban hành", max_length=300, blank=True)
    class Status(models.TextChoices):
        ACTIVE = "active", "Đang áp dụng"
        DRAFT = "draft", "Chờ duyệt"

    definition = models.JSONField("định nghĩa (JSON)")
    status = models.CharField("trạng thái", max_length=8, choices=Status.choices, default=Status.ACTIVE)
    review = models.JSONField(
        "xem lại khi nhập", default=dict, blank=True,
        help_text="Bộ tiêu chí nhập từ văn bản: lý do đề xuất từng quy tắc, các điểm cần xem, tiêu chí đã xác nhận.",
    )
    loaded_at = models.DateTimeField("nạp lúc", auto_now=True)

    # The definition (tens of kB) is left out of the history; the review (a few kB) is kept, so that each
    # confirmed leaf and each replaced rule (review["replaced"]) shows with who and when.
    history_exclude = ("definition", "loaded_at")

    class Meta:
        ordering = ["-year", "unit_type", "key"]
        verbose_name = "bộ tiêu chí Chỉ số CCHC"
        verbose_name_plural = "bộ tiêu chí Chỉ số CCHC"

    def __str__(self):
        return self.name


class AssessmentRound(ChangeLoggedModel):
    """A province's PAR Index assessment of its departments and communes for one year."""

    class Status(models.TextChoices):
        OPEN = "open", "Đang tự đánh giá"
        ROUND1 = "round1", "Thẩm định vòng 1"
        EXPLANATION = "explanation", "Giải trình"
        ROUND2 = "round2", "Thẩm định vòng 2"
        FINAL = "final", "Hội đồng chốt điểm"
        PUBLISHED = "published", "Đã công bố"

    ORDER = [s.value for s in Status]

    province = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="par_rounds", verbose_name="tỉnh", limit_choices_to={"kind": "province"}
    )
    year = models.PositiveSmallIntegerField("năm đánh giá")
    title = models.CharField("tên đợt", max_length=300, blank=True)
    templates = models.ManyToManyField(ParTemplate, related_name="rounds", verbose_name="bộ tiêu chí")
    deadline = models.DateField("hạn tự đánh giá")
    cutoff = models.DateField("số liệu tính đến ngày", help_text="Ngày chốt số liệu tự động (theo dõi nhiệm vụ, báo cáo).")
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.OPEN)
    round1_released = models.BooleanField("đã gửi kết quả thẩm định vòng 1", default=False)
    round2_released = models.BooleanField("đã gửi kết quả thẩm định vòng 2", default=False)
    decision = models.CharField("quyết định công bố", max_length=300, blank=True)
    published_on = models.DateField("ngày công bố", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        ordering = ["-year", "province__name"]
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="unique_par_round")]
        verbose_name = "đợt đánh giá Chỉ số CCHC"
        verbose_name_plural = "đợt đánh giá Chỉ số CCHC"

    def __str__(self):
        return self.title or f"Chỉ số CCHC năm {self.year} — {self.province}"

    def get_absolute_url(self):
        return reverse("par:round", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def reached(self, status: str) -> bool:
        return self.ORDER.index(self.status) >= self.ORDER.index(status)


class Assessment(ChangeLoggedModel):
    """One unit's self-assessment in a round: prepared by an officer, submitted by a manager."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang tự đánh giá"
        SUBMITTED = "submitted", "Đã gửi"

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="assessments", verbose_name="đợt")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="par_assessments", verbose_name="đơn vị")
    template = models.ForeignKey(ParTemplate, on_delete=models.PROTECT, related_name="assessments", verbose_name="bộ tiêu chí")
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="người gửi"
    )
    explained_at = models.DateTimeField("gửi giải trình lúc", null=True, blank=True)
    inputs_taken_at = models.DateTimeField("lấy số liệu tự động lúc", null=True, blank=True)

    class Meta:
        ordering = ["round", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="unique_par_assessment")]
        verbose_name = "bản tự đánh giá"
        verbose_name_plural = "bản tự đánh giá"

    def __str__(self):
        return f"{self.unit} — Chỉ số CCHC năm {self.round.year}"

    def get_absolute_url(self):
        return reverse("par:assessment", args=[self.pk])

    def history_parent(self):
        return self.round


class LeafScore(ChangeLoggedModel):
    """A unit's score of one leaf criterion: self points (or computed from the snapshot), its
    explanation where evidence is missing, the unit's reply (giải trình) after round 1, and the
    current appraised points (the latest appraisal entry, kept here so that results sum in SQL)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    code = models.CharField("mã tiêu chí", max_length=32)
    area = models.CharField("lĩnh vực", max_length=32, help_text="Mã lĩnh vực chứa tiêu chí.")
    self_points = models.DecimalField("điểm tự đánh giá", max_digits=7, decimal_places=2, null=True, blank=True)
    auto = models.BooleanField("tính tự động", default=False)
    figure = models.DecimalField(
        "số liệu đơn vị nhập", max_digits=20, decimal_places=4, null=True, blank=True,
        help_text="Tiêu chí chấm theo mức (tỷ lệ %, số lượng): số liệu đơn vị nhập, điểm tính từ các mức.",
    )
    note = models.TextField("thuyết minh, lý do thiếu tài liệu", blank=True)
    reply = models.TextField("giải trình sau thẩm định vòng 1", blank=True)
    appraised_points = models.DecimalField("điểm thẩm định", max_digits=7, decimal_places=2, null=True, blank=True)
    appraised_round = models.PositiveSmallIntegerField("vòng thẩm định", default=0)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "code"], name="unique_par_leaf_score")]
        indexes = [models.Index(fields=["assessment", "area"])]
        verbose_name = "điểm tiêu chí"
        verbose_name_plural = "điểm tiêu chí"

    def __str__(self):
        return f"{self.code}: {self.self_points if self.self_points is not None else '—'}"

    def history_parent(self):
        return self.assessment

    @property
    def points(self):
        """What counts now: the appraised points once appraised, else the self points."""
        return self.appraised_points if self.appraised_round else self.self_points


class ScoreEvidence(ChangeLoggedModel):
    """A document proving a leaf's score: a reference (parsed like tracking's evidence), a file or a link."""

    class Stage(models.TextChoices):
        SELF = "self", "Tự đánh giá"
        EXPLANATION = "explanation", "Giải trình"

    score = models.ForeignKey(LeafScore, on_delete=models.CASCADE, related_name="evidence")
    stage = models.CharField("giai đoạn", max_length=12, choices=Stage.choices, default=Stage.SELF)
    reference = models.CharField("số, ký hiệu, ngày văn bản", max_length=300, blank=True)
    doc_kind = models.CharField("loại văn bản", max_length=64, blank=True)
    doc_number = models.CharField("số", max_length=32, blank=True)
    doc_symbol = models.CharField("ký hiệu", max_length=64, blank=True)
    doc_date = models.DateField("ngày văn bản", null=True, blank=True)
    file = models.FileField("tệp", upload_to="par/%Y/", blank=True)
    file_kind = models.CharField("loại tệp", max_length=16, blank=True)
    link = models.URLField("đường dẫn", max_length=500, blank=True)
    created_at = models.DateTimeField("lúc", auto_now_add=True)

    class Meta:
        ordering = ["score", "created_at", "id"]
        verbose_name = "tài liệu kiểm chứng Chỉ số CCHC"
        verbose_name_plural = "tài liệu kiểm chứng Chỉ số CCHC"

    def __str__(self):
        return self.reference or self.file.name or self.link

    def history_parent(self):
        return self.score.assessment


class InputSnapshot(ChangeLoggedModel):
    """A figure the system holds (``tracking.tasks_done``, ``forms.3.1.2``…), taken at the round's
    cut-off date for one assessment: a later change does not move the score until "Tính lại"."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="inputs")
    source = models.CharField("nguồn số liệu", max_length=64)
    value = models.DecimalField("giá trị", max_digits=20, decimal_places=4, null=True, blank=True)
    origin = models.CharField("lấy từ", max_length=300, blank=True)
    as_of = models.DateField("tính đến ngày")
    taken_at = models.DateTimeField("lấy lúc")

    class Meta:
        ordering = ["assessment", "source"]
        constraints = [models.UniqueConstraint(fields=["assessment", "source"], name="unique_par_input")]
        verbose_name = "số liệu tự động"
        verbose_name_plural = "số liệu tự động"

    def __str__(self):
        return f"{self.source} = {self.value}"

    def history_parent(self):
        return self.assessment


class AppraisalEntry(ChangeLoggedModel):
    """One appraiser's decision on one leaf in one round: appended, never edited. The latest entry
    of the highest round is the leaf's appraised points."""

    class Round(models.IntegerChoices):
        FIRST = 1, "Thẩm định vòng 1"
        SECOND = 2, "Thẩm định vòng 2"
        COUNCIL = 3, "Hội đồng chốt điểm"

    score = models.ForeignKey(LeafScore, on_delete=models.CASCADE, related_name="appraisals")
    round = models.PositiveSmallIntegerField("vòng", choices=Round.choices)
    points = models.DecimalField("điểm", max_digits=7, decimal_places=2)
    accepted = models.BooleanField("giữ điểm tự đánh giá", default=False)
    reason = models.TextField("lý do", blank=True)
    appraiser = models.CharField("cơ quan thẩm định", max_length=255, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người thẩm định")
    created_at = models.DateTimeField("lúc", auto_now_add=True)

    class Meta:
        ordering = ["score", "round", "created_at", "id"]
        verbose_name = "kết quả thẩm định"
        verbose_name_plural = "kết quả thẩm định"

    def __str__(self):
        return f"{self.score.code} vòng {self.round}: {self.points}"

    def history_parent(self):
        return self.score.assessment
