"""Users and their roles. One user per person; a person may hold several roles and switch."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("常委会机关工作人员")
    DIRECTOR = "director", _("主任会议成员")
    DEPUTY = "deputy", _("人大代表")
    UNIT = "unit", _("承办单位")
    DISCIPLINE = "discipline", _("纪委监委联络人")
    TOWN_STAFF = "town_staff", _("镇（街道）人大工作人员")
    EVALUATEE = "evaluatee", _("被评议人员")


class User(AbstractUser):
    person = models.OneToOneField("deputies.Person", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="user")
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    # Set per request by ActiveRoleMiddleware; None for users with no role.
    active_assignment: "RoleAssignment | None" = None

    @property
    def active_role(self) -> str:
        return self.active_assignment.role if self.active_assignment else ""


class RoleAssignment(models.Model):
    """A role held in one congress, with the office, unit or deputy seat that scopes it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    congress = models.ForeignKey("org.Congress", on_delete=models.PROTECT, related_name="assignments")
    office = models.ForeignKey("org.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        ordering = ["user", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="unit") | models.Q(unit__isnull=False), name="unit_role_has_unit"
            ),
            models.CheckConstraint(
                condition=~models.Q(role="deputy") | models.Q(deputy__isnull=False), name="deputy_role_has_seat"
            ),
        ]

    def __str__(self) -> str:
        scope = self.unit or self.office or self.congress
        return f"{self.get_role_display()} · {scope}"
