"""Calendar, holiday and policy pages. Views parse input, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .calendar import CALENDAR_MAX_YEAR, CALENDAR_MIN_YEAR, CalendarRangeError
from .forms import CalculatorForm, HolidayForm, PolicyForm, YearForm
from .models import DeadlinePolicy, Holiday


def _require_manage(request) -> None:
    if not request.user.has_perm(services.PERM_MANAGE):
        raise PermissionDenied


def _calendar_url(year: int) -> str:
    return f"{reverse('workdays:calendar')}?year={year}"


def _form_error(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@login_required
def calendar(request):
    today = timezone.localdate()
    year_form = YearForm(request.GET or None)
    year = year_form.cleaned_data["year"] if year_form.is_bound and year_form.is_valid() else today.year
    cal = selectors.calendar_load()
    return render(request, "workdays/calendar.html", {
        "year": year,
        "year_form": year_form,
        "months": selectors.calendar_year_view(year=year, calendar=cal),
        "holidays": selectors.holidays_for_year(year=year),
        "entered": cal.is_entered(year),
        "warning": selectors.calendar_missing_year_warning(today, calendar=cal),
        "can_manage": request.user.has_perm(services.PERM_MANAGE),
        "prev_year": year - 1 if year > CALENDAR_MIN_YEAR else None,
        "next_year": year + 1 if year < CALENDAR_MAX_YEAR else None,
        "weekdays": [_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")],
    })


@login_required
def holiday_add(request):
    _require_manage(request)
    data = request.POST if request.method == "POST" else None
    form = HolidayForm(data, initial={"date": request.GET.get("date", "")})
    if request.method == "POST" and form.is_valid():
        try:
            holiday = services.holiday_set(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("已保存 %(h)s。") % {"h": holiday})
            return redirect(_calendar_url(holiday.date.year))
    return render(request, "workdays/holiday_form.html", {"form": form, "holiday": None})


@login_required
def holiday_edit(request, holiday_id: int):
    _require_manage(request)
    holiday = get_object_or_404(Holiday, pk=holiday_id)
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None:
        data["date"] = holiday.date.isoformat()  # the date identifies the row; move = delete + add
    form = HolidayForm(data, initial={"date": holiday.date, "kind": holiday.kind, "name": holiday.name})
    form.fields["date"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            holiday = services.holiday_set(actor=request.user, date=holiday.date, kind=form.cleaned_data["kind"],
                                           name=form.cleaned_data["name"])
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("已保存 %(h)s。") % {"h": holiday})
            return redirect(_calendar_url(holiday.date.year))
    return render(request, "workdays/holiday_form.html", {"form": form, "holiday": holiday})


@login_required
def holiday_delete(request, holiday_id: int):
    _require_manage(request)
    holiday = get_object_or_404(Holiday, pk=holiday_id)
    if request.method == "POST":
        services.holiday_delete(actor=request.user, holiday_id=holiday.pk)
        messages.success(request, _("已删除 %(h)s。") % {"h": holiday})
        return redirect(_calendar_url(holiday.date.year))
    return render(request, "workdays/holiday_confirm_delete.html", {"holiday": holiday})


@login_required
@require_POST
def year_entered(request, year: int):
    _require_manage(request)
    if not CALENDAR_MIN_YEAR <= year <= CALENDAR_MAX_YEAR:
        messages.error(request, services.ERR_DATE_RANGE)
        return redirect("workdays:calendar")
    entered = request.POST.get("entered") == "1"
    services.calendar_year_mark_entered(actor=request.user, year=year, entered=entered)
    messages.success(request, _("%(year)s年已标记为已录入。") % {"year": year} if entered
                     else _("%(year)s年已改为未录入，相关期限将暂按双休日计算。") % {"year": year})
    return redirect(_calendar_url(year))


@login_required
def policy_list(request):
    return render(request, "workdays/policy_list.html", {
        "policies": selectors.policy_list(),
        "can_manage": request.user.has_perm(services.PERM_MANAGE),
    })


@login_required
def policy_edit(request, policy_id: int):
    _require_manage(request)
    policy = get_object_or_404(DeadlinePolicy, pk=policy_id)
    form = PolicyForm(request.POST if request.method == "POST" else None, initial={
        "label": policy.label, "unit": policy.unit, "amount": policy.amount,
        "roll_to_workday": policy.roll_to_workday})
    if request.method == "POST" and form.is_valid():
        try:
            policy, changed = services.policy_update(actor=request.user, policy_id=policy.pk, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            if form.cleaned_data["apply_to_open"]:
                messages.success(request, _("规则已保存，%(n)s 项办理中的期限已按新规则重算。") % {"n": changed})
            else:
                messages.success(request, _("规则已保存，今后新设的期限按新规则计算。"))
            return redirect("workdays:policies")
    return render(request, "workdays/policy_form.html", {"form": form, "policy": policy})


@login_required
def calculator(request):
    today = timezone.localdate()
    form = CalculatorForm(request.GET or None, initial={"start": today})
    result = None
    if form.is_bound and form.is_valid():
        try:
            due, explanation = services.deadline_calculate(start=form.cleaned_data["start"],
                                                           policy=form.cleaned_data["policy"])
        except (ValidationError, CalendarRangeError):
            form.add_error("start", services.ERR_DATE_RANGE)
        else:
            result = {"due": due, "explanation": explanation, "provisional": explanation.provisional}
    return render(request, "workdays/calculator.html", {
        "form": form, "result": result, "warning": selectors.calendar_missing_year_warning(today)})
