"""The office's Excel export of opinions (same filters as the list), logged with a reason.

Citizens' names and phones are exported unmasked only for the office that handles the items
(`opinions.manage` on the congress); directors and others get them masked. The export log is
written in every case, before the file is built.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.exports import XlsxSheet, export_log_create, xlsx_build
from renda.core.masking import mask_name, mask_phone

from .models import Assignment, Opinion
from .selectors import OpinionFilters, opinion_list_for_user
from .selectors_staff import office_congress, opinion_count_capped, user_is_office

EXPORT_MAX_ROWS = 50_000
ERR_TOO_MANY = gettext_lazy("符合条件的意见超过 %(max)s 条，请缩小筛选范围后再导出。") % {"max": EXPORT_MAX_ROWS}
EXPORT_WHAT = "群众意见"


@dataclass
class OpinionExport:
    content: bytes
    filename: str
    rows: int
    unmasked: bool


def opinion_export_allowed(*, user) -> bool:
    return user_is_office(user)


def opinion_export_unmasked(*, user) -> bool:
    congress = office_congress(user)
    return congress is not None and user.has_perm("opinions.manage", Opinion(congress_id=congress.pk))


def opinion_export_count(*, user, filters: OpinionFilters) -> int:
    """How many rows the export would write (capped at EXPORT_MAX_ROWS + 1)."""
    return opinion_count_capped(opinion_list_for_user(user=user, filters=filters, ranked=False), cap=EXPORT_MAX_ROWS)


def _is_overdue(o: Opinion, today) -> bool:
    return o.is_open and o.status != Opinion.Status.MERGED and o.current_due is not None and o.current_due < today


def opinion_export(*, user, filters: OpinionFilters, reason: str) -> OpinionExport:
    """Build the xlsx and record who exported what and why. ValidationError: no reason, or too many rows."""
    if not opinion_export_allowed(user=user):
        raise PermissionDenied
    qs = opinion_list_for_user(user=user, filters=filters, ranked=False)
    total = opinion_count_capped(qs, cap=EXPORT_MAX_ROWS)
    if total > EXPORT_MAX_ROWS:
        raise ValidationError({"reason": [ERR_TOO_MANY]}, code="too_many")
    unmasked = opinion_export_unmasked(user=user)
    congress = office_congress(user)
    export_log_create(user=user, what=EXPORT_WHAT, reason=reason, row_count=total, congress=congress,
                      includes_personal_data=unmasked)
    status = {k: str(v) for k, v in Opinion.Status.choices}
    channel = {k: str(v) for k, v in Opinion.Channel.choices}
    rating = {k: str(v) for k, v in Opinion.Rating.choices}
    today = timezone.localdate()
    yes, no = _("是"), _("否")
    parts = Prefetch("assignments", queryset=Assignment.objects.select_related("unit").order_by("round", "id"))

    def rows():
        for o in qs.prefetch_related(parts).iterator(chunk_size=2000):
            name = o.citizen_name if unmasked else mask_name(o.citizen_name)
            phone = o.citizen_phone if unmasked else mask_phone(o.citizen_phone)
            units = "、".join(dict.fromkeys(p.unit.name for p in o.assignments.all()
                                            if p.status != Assignment.Status.WITHDRAWN))
            yield [
                o.tracking_code, o.title, o.text, o.category.name, o.addressee_name(),
                o.town.name if o.town_id else "", o.community.name if o.community_id else "",
                status.get(o.status, o.status), channel.get(o.channel, o.channel), o.offline_event,
                timezone.localtime(o.submitted_at), o.current_due, yes if _is_overdue(o, today) else no,
                units, o.reply_text, rating.get(o.rating, ""), name, phone,
            ]

    headers = [_("查询码"), _("标题"), _("内容"), _("类别"), _("反映对象"), _("镇（街道）"), _("村（社区）"),
               _("状态"), _("来源"), _("收集活动"), _("提交时间"), _("当前期限"), _("是否超期"), _("承办单位"),
               _("答复"), _("评价"), _("群众姓名"), _("群众手机")]
    content, counts = xlsx_build(sheets=[XlsxSheet(
        title=_("群众意见"), headers=headers, rows=rows(),
        widths=[14, 30, 50, 12, 14, 12, 14, 12, 14, 16, 18, 12, 8, 24, 50, 10, 10, 14])])
    filename = _("群众意见_%(d)s.xlsx") % {"d": today.strftime("%Y%m%d")}
    return OpinionExport(content=content, filename=filename, rows=counts[0], unmasked=unmasked)
