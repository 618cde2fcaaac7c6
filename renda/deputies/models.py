"""People, deputies (a person's membership of one congress for one term), groups and stations."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from renda.core.models import WorkflowModel


class Person(models.Model):
    """A natural person. Deliberately not tenant-bound: one person may sit in two congresses
    (a city deputy who is also a town deputy) and must exist once, not once per congress."""

    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True, default="汉族")
    party = models.CharField(_("党派"), max_length=30, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    occupation = models.CharField(_("工作单位及职务"), max_length=200, blank=True)
    phone = models.CharField(_("手机"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("邮箱"), blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True, db_index=True)
    public_bio = models.TextField(_("公开简介"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self) -> str:
        return self.name


class DelegationGroup(models.Model):
    """A 代表小组 (or the development zone's joint-meeting group)."""

    congress = models.ForeignKey("org.Congress", on_delete=models.PROTECT, related_name="groups")
    term = models.ForeignKey("org.Term", on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("代表小组"), max_length=100)
    place = models.ForeignKey("org.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="groups")
    is_joint_meeting = models.BooleanField(_("开发区联席会议"), default=False)

    class Meta:
        verbose_name = _("代表小组")
        verbose_name_plural = _("代表小组")
        ordering = ["congress", "id"]

    def __str__(self) -> str:
        return self.name


class Deputy(WorkflowModel):
    """A person's membership of one congress for one term. Status changes only through workflow.py."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("在任")
        SUSPENDED = "suspended", _("暂停")
        TERMINATED = "terminated", _("终止")

    class Sector(models.TextChoices):
        WORKER = "worker", _("工人")
        FARMER = "farmer", _("农民")
        CADRE = "cadre", _("党政干部")
        PROFESSIONAL = "professional", _("专业技术人员")
        BUSINESS = "business", _("企业负责人")
        MILITARY = "military", _("解放军")
        OTHER = "other", _("其他")

    congress = models.ForeignKey("org.Congress", on_delete=models.PROTECT, related_name="deputies")
    term = models.ForeignKey("org.Term", on_delete=models.PROTECT, related_name="deputies")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    district = models.ForeignKey("org.ElectoralDistrict", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="deputies", verbose_name=_("选区"))
    group = models.ForeignKey(DelegationGroup, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="deputies", verbose_name=_("代表小组"))
    sector = models.CharField(_("界别"), max_length=20, choices=Sector.choices, default=Sector.OTHER)
    # No single-column index: SQLite (no statistics) would pick it and walk every active deputy;
    # the (congress, status, id) and (district, status) indexes cover every status filter.
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    elected_on = models.DateField(_("当选日期"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("人大代表")
        verbose_name_plural = _("人大代表")
        ordering = ["congress", "id"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "term", "person"], name="deputy_once_per_term"),
        ]
        indexes = [models.Index(fields=["congress", "status", "id"]), models.Index(fields=["district", "status"])]
        permissions = [
            ("import_roster", "Can import the deputy roster"),
            ("export_roster", "Can export the deputy roster"),
        ]

    def __str__(self) -> str:
        return self.person.name


class LiaisonStation(models.Model):
    """A 代表联络站 / 代表之家, where deputies on duty receive the public."""

    class Kind(models.TextChoices):
        STATION = "station", _("代表联络站")
        HOME = "home", _("代表之家")

    congress = models.ForeignKey("org.Congress", on_delete=models.PROTECT, related_name="stations")
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.STATION)
    town = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="stations",
                             verbose_name=_("所在镇（街道）"))
    communities = models.ManyToManyField("org.Place", blank=True, related_name="serving_stations",
                                         verbose_name=_("服务村（社区）"))
    address = models.CharField(_("地址"), max_length=200)
    brand = models.CharField(_("工作品牌"), max_length=100, blank=True)
    reception_days = models.CharField(_("接待日"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    deputies_on_duty = models.ManyToManyField(Deputy, through="StationDuty", related_name="stations")

    class Meta:
        verbose_name = _("代表联络站")
        verbose_name_plural = _("代表联络站")
        ordering = ["congress", "id"]

    def __str__(self) -> str:
        return self.name


class StationDuty(models.Model):
    station = models.ForeignKey(LiaisonStation, on_delete=models.CASCADE, related_name="duties")
    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="duties")
    schedule = models.CharField(_("值班安排"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("进站值班")
        verbose_name_plural = _("进站值班")
        constraints = [models.UniqueConstraint(fields=["station", "deputy"], name="duty_once")]

    def __str__(self) -> str:
        return f"{self.station_id}: {self.deputy_id}"
