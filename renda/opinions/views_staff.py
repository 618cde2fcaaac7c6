"""The office's pages (代表工委 / town staff): all opinions, export, staff actions, offline entry.

Views parse input, call one service, and render. The services check permission and state again;
here a miss and an out-of-scope item both give 404, an in-scope item the user may only read gives
403. A failed action shows its form again with the input kept and the service's message.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from renda.core.exports import xlsx_response
from renda.core.workflow import WorkflowError

from . import exports, selectors, selectors_staff, services
from .forms_staff import (
    ExtendForm,
    MergeForm,
    OfflineEntryForm,
    OpinionExportForm,
    OpinionFilterForm,
    PartReassignForm,
    PublishForm,
    ReassignForm,
    RejectReturnForm,
    RemindForm,
    addressee_parse,
)
from .models import Assignment, Opinion

# Service error keys → the form field that shows them.
FIELD_OF = {"deputy": "addressee", "station": "addressee", "into": "into_code", "units": "unit",
            "reply_text": "reply", "offline_event": "offline_event"}


def _require_office(user) -> None:
    if not selectors_staff.user_is_office(user):
        raise PermissionDenied


def _opinion_to_manage(request, pk) -> Opinion:
    try:
        opinion = selectors.opinion_get_for_user(user=request.user, opinion_id=pk)
    except Opinion.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("opinions.manage", opinion):
        raise PermissionDenied
    return opinion


def _part_to_arbitrate(request, pk) -> Assignment:
    try:
        part = selectors.assignment_get_for_user(user=request.user, assignment_id=pk)
    except Assignment.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("opinions.arbitrate", part.opinion):
        raise PermissionDenied
    return part


def _errors_to_form(form, error: Exception) -> None:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            for key, msgs in error.message_dict.items():
                field = FIELD_OF.get(key, key)
                form.add_error(field if field in form.fields else None, msgs)
        else:
            form.add_error(None, error.messages)
    elif isinstance(error, WorkflowError):
        form.add_error(None, str(error.message))


def _run(request, form, call, *, success: str, opinion: Opinion):
    """Call the service with the valid form; success → back to the item, failure → errors on the form."""
    if not form.is_valid():
        return None
    try:
        call(form.cleaned_data)
    except (ValidationError, WorkflowError) as e:
        _errors_to_form(form, e)
        return None
    except PermissionDenied:
        raise Http404 from None
    except Opinion.DoesNotExist:
        raise Http404 from None
    messages.success(request, success)
    return redirect(opinion.get_absolute_url())


def _action_page(request, *, opinion, form, title: str, submit: str, part=None, danger: bool = False):
    return render(request, "opinions/staff/action.html", {
        "opinion": opinion, "part": part, "form": form, "title": title, "submit": submit, "danger": danger,
        "action_url": request.path,
    })


# --- the list --------------------------------------------------------------------------------------
@login_required
def opinion_all(request):
    _require_office(request.user)
    choices = selectors_staff.filter_choices_for_user(user=request.user)
    form = OpinionFilterForm(request.GET or None, choices=choices)
    filters = form.filters()
    page = selectors_staff.opinion_page_for_user(user=request.user, filters=filters,
                                                 cursor=request.GET.get("after", ""),
                                                 size=selectors_staff.PAGE_SIZE, choices=choices)
    query = form.query()
    return render(request, "opinions/staff/list.html", {
        "form": form, "page": page, "query": query, "filtered": bool(query),
        "policies": selectors_staff.opinion_policies(),
        "can_enter": _can_enter(request.user),
    })


def _can_enter(user) -> bool:
    congress = selectors_staff.office_congress(user)
    return congress is not None and user.has_perm("opinions.manage", Opinion(congress_id=congress.pk))


@login_required
@require_http_methods(["GET", "POST"])
def opinion_all_export(request):
    _require_office(request.user)
    choices = selectors_staff.filter_choices_for_user(user=request.user)
    filter_form = OpinionFilterForm(request.GET or None, choices=choices)
    filters = filter_form.filters()
    form = OpinionExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            export = exports.opinion_export(user=request.user, filters=filters, reason=form.cleaned_data["reason"])
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            return xlsx_response(content=export.content, filename=export.filename)
    count = exports.opinion_export_count(user=request.user, filters=filters)
    return render(request, "opinions/staff/export.html", {
        "form": form, "count": min(count, exports.EXPORT_MAX_ROWS), "too_many": count > exports.EXPORT_MAX_ROWS,
        "max_rows": exports.EXPORT_MAX_ROWS, "query": filter_form.query(),
        "unmasked": exports.opinion_export_unmasked(user=request.user),
    })


# --- actions on one item -----------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def opinion_staff_reassign(request, pk: int):
    opinion = _opinion_to_manage(request, pk)
    choices = selectors_staff.filter_choices_for_user(user=request.user)
    form = ReassignForm(request.POST or None, choices=choices, initial={"version": opinion.version})

    def call(c):
        deputy_id, station_id = addressee_parse(c["addressee"])
        services.opinion_reassign(opinion_id=opinion.pk, actor=request.user, deputy_id=deputy_id,
                                  station_id=station_id, note=c["note"], expected_version=c.get("version"))

    if request.method == "POST":
        done = _run(request, form, call, success=_("已改派。"), opinion=opinion)
        if done:
            return done
    return _action_page(request, opinion=opinion, form=form, title=_("改派代表或联络站"), submit=_("改派"))


@login_required
@require_http_methods(["GET", "POST"])
def opinion_staff_remind(request, pk: int):
    opinion = _opinion_to_manage(request, pk)
    form = RemindForm(request.POST or None)
    if request.method == "POST":
        done = _run(request, form, lambda c: services.opinion_remind(opinion_id=opinion.pk, actor=request.user,
                                                                      text=c["text"]),
                    success=_("已催办，并已通知办理人。"), opinion=opinion)
        if done:
            return done
    return _action_page(request, opinion=opinion, form=form, title=_("催办"), submit=_("发送催办"))


@login_required
@require_http_methods(["GET", "POST"])
def opinion_staff_extend(request, pk: int):
    opinion = _opinion_to_manage(request, pk)
    form = ExtendForm(request.POST or None, parts=selectors.assignments_of(opinion))

    def call(c):
        services.opinion_extend(opinion_id=opinion.pk, actor=request.user, extra_days=c["extra_days"],
                                reason=c["reason"], assignment_id=c.get("assignment"))

    if request.method == "POST":
        done = _run(request, form, call, success=_("已延长期限。"), opinion=opinion)
        if done:
            return done
    return _action_page(request, opinion=opinion, form=form, title=_("延长期限"), submit=_("延期"))


@login_required
@require_http_methods(["GET", "POST"])
def opinion_staff_merge(request, pk: int):
    opinion = _opinion_to_manage(request, pk)
    form = MergeForm(request.POST or None, initial={"version": opinion.version})

    def call(c):
        target = selectors_staff.opinion_by_code(congress_id=opinion.congress_id, code=c["into_code"])
        if target is None:
            raise ValidationError({"into": [services.ERR_MERGE_TARGET]})
        services.opinion_merge(opinion_id=opinion.pk, into_id=target.pk, actor=request.user, note=c["note"],
                               expected_version=c.get("version"))

    if request.method == "POST":
        done = _run(request, form, call, success=_("已合并。合并后的意见随目标意见一并办理和答复。"), opinion=opinion)
        if done:
            return done
    return _action_page(request, opinion=opinion, form=form, title=_("合并到相同意见"), submit=_("合并"))


@login_required
@require_http_methods(["GET", "POST"])
def opinion_staff_publish(request, pk: int):
    """The redaction step: staff see the original beside a suggested redacted copy, edit, publish."""
    opinion = _opinion_to_manage(request, pk)
    if opinion.is_published:
        initial = {"title": opinion.published_title, "text": opinion.published_text,
                   "reply": opinion.published_reply}
    else:
        initial = services.redaction_suggest(opinion)
    form = PublishForm(request.POST or None, initial=initial)
    if request.method == "POST":
        done = _run(request, form, lambda c: services.opinion_publish(
            opinion_id=opinion.pk, actor=request.user, title=c["title"], text=c["text"], reply=c["reply"]),
            success=_("已公开。公众看到的是处理后的文本，原文仅工作人员可见。"), opinion=opinion)
        if done:
            return done
    return render(request, "opinions/staff/publish.html", {
        "opinion": opinion, "form": form,
        "can_publish": opinion.status in (Opinion.Status.REPLIED, Opinion.Status.CLOSED),
    })


@login_required
@require_POST
def opinion_staff_unpublish(request, pk: int):
    opinion = _opinion_to_manage(request, pk)
    try:
        services.opinion_unpublish(opinion_id=opinion.pk, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("已撤回公开。"))
    return redirect(opinion.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def part_staff_keep(request, pk: int):
    """仲裁退回 (1): the return is refused; the unit keeps the part and its clock."""
    part = _part_to_arbitrate(request, pk)
    form = RejectReturnForm(request.POST or None, initial={"version": part.version})
    if request.method == "POST":
        done = _run(request, form, lambda c: services.assignment_reject_return(
            assignment_id=part.pk, actor=request.user, note=c["note"], expected_version=c.get("version")),
            success=_("已不同意退回，由原单位继续办理。"), opinion=part.opinion)
        if done:
            return done
    return _action_page(request, opinion=part.opinion, part=part, form=form,
                        title=_("不同意退回：%(unit)s") % {"unit": part.unit.name}, submit=_("不同意退回"))


@login_required
@require_http_methods(["GET", "POST"])
def part_staff_reassign(request, pk: int):
    """仲裁退回 (2): the part goes to another unit; the old one is withdrawn with the reason kept."""
    part = _part_to_arbitrate(request, pk)
    choices = selectors_staff.filter_choices_for_user(user=request.user)
    form = PartReassignForm(request.POST or None, units=choices.units, exclude_unit_id=part.unit_id,
                            initial={"version": part.version})
    if request.method == "POST":
        done = _run(request, form, lambda c: services.assignment_reassign(
            assignment_id=part.pk, actor=request.user, unit_id=c["unit"], note=c["note"],
            expected_version=c.get("version")),
            success=_("已改由其他单位办理。"), opinion=part.opinion)
        if done:
            return done
    return _action_page(request, opinion=part.opinion, part=part, form=form,
                        title=_("改派承办单位：%(unit)s") % {"unit": part.unit.name}, submit=_("改派"))


# --- offline entry ----------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def opinion_enter(request):
    """代录: staff enter an opinion collected at a brand event; it then follows the normal flow."""
    _require_office(request.user)
    if not _can_enter(request.user):
        raise PermissionDenied
    congress = selectors_staff.office_congress(request.user)
    choices = selectors_staff.filter_choices_for_user(user=request.user)
    data = request.POST if request.method == "POST" else None
    form = OfflineEntryForm(data, request.FILES or None, choices=choices)
    key = request.POST.get("idempotency_key", "") if data else ""
    try:
        key = str(uuid.UUID(key))
    except ValueError:
        key = str(uuid.uuid4())
    if data is not None and form.is_valid():
        c = form.cleaned_data
        deputy_id, station_id = addressee_parse(c["addressee"])
        try:
            opinion = services.opinion_enter_offline(
                actor=request.user, congress=congress, offline_event=c["offline_event"],
                offline_event_date=c["offline_event_date"], category_id=c["category"], title=c["title"],
                text=c["text"], deputy_id=deputy_id, station_id=station_id, community_id=c.get("community"),
                citizen_name=c["citizen_name"], citizen_phone=c["citizen_phone"], photos=c["photos"],
                idempotency_key=f"offline:{key}")
        except ValidationError as e:
            _errors_to_form(form, e)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("已代录，查询码 %(code)s。该意见将按正常流程办理。") % {
                "code": opinion.tracking_code})
            return redirect(opinion.get_absolute_url())
    return render(request, "opinions/staff/enter.html", {"form": form, "congress": congress,
                                                         "idempotency_key": key})
