"""Users belong to units with a role; the role and the unit decide what they see and change."""

from django.conf import settings
from django.db import models

from cchc.history.models import ChangeLoggedModel
from cchc.units.models import Unit


class Role(models.TextChoices):
    VIEWER = "viewer", "Xem"
    OFFICER = "officer", "Cán bộ cập nhật"
    MANAGER = "manager", "Lãnh đạo, quản trị đơn vị"
    COORDINATOR = "coordinator", "Điều phối CCHC cấp tỉnh"


class Membership(ChangeLoggedModel):
    """A user's role in a unit. A coordinator's reach is the whole province of the unit
    (the Sở Nội vụ PAR team); every other role reaches the unit and the units below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name="người dùng"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name="đơn vị")
    role = models.CharField("vai trò", max_length=16, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="unique_membership")]
        verbose_name = "thành viên đơn vị"
        verbose_name_plural = "thành viên đơn vị"

    def __str__(self):
        return f"{self.user} — {self.unit} ({self.get_role_display()})"

    def history_parent(self):
        return self.unit
