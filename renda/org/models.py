"""Congresses (the tenant), places, electoral districts, offices, committee members and units."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Place(models.Model):
    """City → towns and streets → villages and communities. A development zone spans several."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        COUNTY = "county", _("县（区）")
        TOWN = "town", _("镇")
        STREET = "street", _("街道")
        ZONE = "zone", _("开发区")
        VILLAGE = "village", _("村")
        COMMUNITY = "community", _("社区")

    congress = models.ForeignKey("Congress", on_delete=models.PROTECT, related_name="places", null=True, blank=True,
                                 help_text=_("管辖该地域的人大"))
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    spans = models.ManyToManyField("self", blank=True, symmetrical=False, related_name="zones",
                                   verbose_name=_("覆盖镇（街道）"))
    code = models.CharField(_("区划代码"), max_length=20, blank=True)
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("地域")
        verbose_name_plural = _("地域")
        ordering = ["sort", "id"]
        indexes = [models.Index(fields=["parent", "kind"])]

    def __str__(self) -> str:
        return self.name


class Congress(models.Model):
    """A people's congress: the tenant. Every record belongs to one; `path` makes roll-ups one query.

    `path` is the chain of ancestor ids ("/1/7/"), so "this congress and everything below it" is
    `path__startswith`. The congress id is the key a distributed database would shard on.
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", _("省人大")
        CITY = "city", _("市人大")
        COUNTY = "county", _("县（区）人大")
        TOWN = "town", _("镇人大")
        STREET = "street", _("街道人大工委")

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    body_name = models.CharField(_("常设机构"), max_length=50, help_text=_("常委会、主席团或人大工委"))
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    area = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="congresses", null=True, blank=True)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="/")

    class Meta:
        verbose_name = _("人大")
        verbose_name_plural = _("人大")
        ordering = ["path", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
        if path != self.path:
            self.path = path
            super().save(update_fields=["path"])

    @property
    def deputy_title(self) -> str:
        return _("议政代表") if self.kind == self.Kind.STREET else _("人大代表")


class Term(models.Model):
    """A term (届) of one congress."""

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="terms")
    number = models.PositiveSmallIntegerField(_("届次"))
    start_date = models.DateField(_("开始"))
    end_date = models.DateField(_("结束"), null=True, blank=True)

    class Meta:
        verbose_name = _("届")
        verbose_name_plural = _("届")
        ordering = ["congress", "-number"]
        constraints = [models.UniqueConstraint(fields=["congress", "number"], name="term_unique_number")]

    def __str__(self) -> str:
        return _("%(congress)s第%(n)s届") % {"congress": self.congress.short_name, "n": self.number}


class ElectoralDistrict(models.Model):
    """A 选区: communities and villages that elect deputies of one congress for one term."""

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="districts")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(_("选区名称"), max_length=100)
    number = models.PositiveIntegerField(_("编号"), default=0)
    places = models.ManyToManyField(Place, related_name="districts", verbose_name=_("包含村（社区）"))

    class Meta:
        verbose_name = _("选区")
        verbose_name_plural = _("选区")
        ordering = ["congress", "number", "id"]

    def __str__(self) -> str:
        return self.name


class Office(models.Model):
    """An office of the standing committee (办公室, 代表工委, 监察和司法工委…)."""

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="offices")
    name = models.CharField(_("名称"), max_length=100)
    code = models.SlugField(_("代码"), max_length=40)
    supervises = models.BooleanField(_("督办部门"), default=False,
                                     help_text=_("逾期事项首先升级到督办部门"))

    class Meta:
        verbose_name = _("工作机构")
        verbose_name_plural = _("工作机构")
        ordering = ["congress", "id"]
        constraints = [models.UniqueConstraint(fields=["congress", "code"], name="office_unique_code")]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(models.Model):
    """A member of the standing committee (常委会组成人员) for a period."""

    class Post(models.TextChoices):
        DIRECTOR = "director", _("主任")
        VICE_DIRECTOR = "vice_director", _("副主任")
        SECRETARY_GENERAL = "secretary_general", _("秘书长")
        MEMBER = "member", _("委员")

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="committee_members")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="committee_members")
    person = models.ForeignKey("deputies.Person", on_delete=models.PROTECT, related_name="committee_posts")
    post = models.CharField(_("职务"), max_length=30, choices=Post.choices)
    office = models.ForeignKey(Office, on_delete=models.SET_NULL, null=True, blank=True, related_name="members")
    start_date = models.DateField(_("任职起"))
    end_date = models.DateField(_("任职止"), null=True, blank=True)

    class Meta:
        verbose_name = _("常委会组成人员")
        verbose_name_plural = _("常委会组成人员")
        ordering = ["congress", "post", "id"]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_post_display()}）"


class Unit(models.Model):
    """A handling unit (承办单位): a department, the court, the procuratorate, a town government."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("政府部门")
        COURT = "court", _("法院")
        PROCURATORATE = "procuratorate", _("检察院")
        TOWN_GOVERNMENT = "town_government", _("镇（街道）政府")
        OTHER = "other", _("其他单位")

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("单位名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices, default=Kind.DEPARTMENT)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["congress", "id"]
        constraints = [models.UniqueConstraint(fields=["congress", "name"], name="unit_unique_name")]

    def __str__(self) -> str:
        return self.name


class UnitContact(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("联系人"), max_length=50)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)
    user = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("单位联系人")
        verbose_name_plural = _("单位联系人")

    def __str__(self) -> str:
        return f"{self.unit.name} {self.name}"
