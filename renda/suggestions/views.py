"""The suggestion pages: a deputy's list and drafts (phone first), the item page of every role with its
action panels (renda/suggestions/actions.py), the office's list with bulk assignment, the units' inbox
and part page, the periods, the supervision overview and the public pages.

Views parse input, call one service, render. A form error shows the page again with the error under
the field (status 200); a conflict (somebody acted first) redirects back with a message. Reads that
miss and reads that are refused look the same (404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from renda.accounts.permissions import _assignment
from renda.core.validation import add_errors
from renda.core.workflow import WorkflowError
from renda.portal.views import public_page

from . import actions as act_table
from . import forms as f
from . import selectors, services
from .models import Assignment, Suggestion
from .rules import is_author

ERR_FORM = gettext_lazy("请按提示修改后再提交。")
PAGE_SIZE = 20



def _suggestion_or_404(user, pk) -> Suggestion:
    try:
        return selectors.suggestion_get_for_user(user=user, suggestion_id=pk)
    except Suggestion.DoesNotExist:
        raise Http404 from None


def _part_or_404(user, pk) -> Assignment:
    try:
        return selectors.assignment_get_for_user(user=user, assignment_id=pk)
    except Assignment.DoesNotExist:
        raise Http404 from None


def _panels(table, obj, user, *, bound=None) -> list[dict]:
    """One panel per action this user may take now; the posted one keeps its data and errors."""
    out = []
    for a in table:
        if not a.available(obj, user):
            continue
        if bound is not None and bound[0] == a.name:
            form = bound[1]
        else:
            form = a.form(obj, user)
            form.prefix = a.name
        out.append({"action": a, "form": form, "open": bound is not None and bound[0] == a.name})
    return out


def _run(request, table_by_name: dict, obj, name: str, render_again):
    """POST of one action: validate its form, call its service, redirect (or show the page with errors)."""
    a = table_by_name.get(name)
    if a is None:
        raise Http404
    if not a.allowed(obj, request.user):
        raise PermissionDenied
    if not a.available(obj, request.user):
        messages.error(request, _("当前状态下不能执行此操作（可能已被他人处理），请查看最新状态。"))
        return redirect(obj.get_absolute_url())
    form = a.form(obj, request.user, request.POST, request.FILES)
    form.prefix = a.name
    if form.is_valid():
        try:
            a.run(obj, request.user, form.cleaned_data)
        except WorkflowError as e:
            messages.error(request, str(e.message))
            return redirect(obj.get_absolute_url())
        except PermissionDenied:
            raise
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, str(a.ok))
            return redirect(obj.get_absolute_url())
    messages.error(request, str(ERR_FORM))
    return render_again(bound=(a.name, form))


# --- lists ---------------------------------------------------------------------------------------------------
@login_required
def home(request):
    """Deputies: their suggestions, invitations and replies to rate. Others go to their own list."""
    user = request.user
    if not user.has_perm("suggestions.list"):
        raise PermissionDenied
    a = _assignment(user)
    if a is not None and a.role == "unit":
        return redirect("suggestions:unit_inbox")
    if selectors.user_is_office(user):
        return redirect("suggestions:office")
    qs = selectors.suggestion_list_for_user(user=user).select_related("category", "period", "author__person")
    qs = qs.order_by("-created_at", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return render(request, "suggestions/home.html", {
        "page": page, "tasks": selectors.deputy_tasks(user=user),
        "periods": selectors.open_periods(a.congress_id) if a else [],
    })


def _filters_from(request) -> selectors.SuggestionFilters:
    g = request.GET

    def num(name):
        v = g.get(name, "")
        return int(v) if v.isdigit() and len(v) < 12 else None

    status = g.get("status", "")
    outcome = g.get("outcome", "")
    return selectors.SuggestionFilters(
        status=status if status in Suggestion.Status.values else "",
        period=num("period"), year=num("year"), category=num("category"), unit=num("unit"),
        outcome=outcome if outcome in Suggestion.Outcome.values else "",
        key=g.get("key") == "1", overdue=g.get("overdue") == "1", q=(g.get("q") or "").strip()[:50])


@login_required
def office(request):
    """The office's list: filters, search, keyset pages, and bulk assignment of accepted suggestions."""
    user = request.user
    if not selectors.user_is_office(user) or not user.has_perm("suggestions.list"):
        raise PermissionDenied
    filters = _filters_from(request)
    page = selectors.suggestion_page_for_user(user=user, filters=filters, cursor=request.GET.get("after", ""))
    a = _assignment(user)
    congress_id = a.congress_id if a else None
    query = request.GET.copy()
    query.pop("after", None)
    can_assign = a is not None and a.role in ("staff", "town_staff")
    return render(request, "suggestions/office.html", {
        "page": page, "filters": filters, "query": query.urlencode(),
        "statuses": [(s, label) for s, label in Suggestion.Status.choices if s != Suggestion.Status.DRAFT],
        "outcomes": Suggestion.Outcome.choices,
        "categories": selectors.categories_active(),
        "periods": selectors.periods_for(congress_id) if congress_id else [],
        "units": selectors.units_for(congress_id) if congress_id else [],
        "bulk_form": f.BulkAssignForm(units=selectors.units_for(congress_id) if congress_id else [])
        if can_assign else None,
        "today": timezone.localdate(),
    })


EXPORT_MAX_ROWS = 20_000


@login_required
def office_export(request):
    """The office's list with the same filters as .xlsx (deputies' names are public; no contact data)."""
    from renda.core.exports import XlsxSheet, xlsx_build, xlsx_response

    user = request.user
    if not selectors.user_is_office(user) or not user.has_perm("suggestions.list"):
        raise PermissionDenied
    qs = selectors.suggestion_list_for_user(user=user, filters=_filters_from(request), ranked=False)
    rows = list(qs.select_related("author__person", "category", "period")[:EXPORT_MAX_ROWS])
    selectors.units_label(rows)
    sheet = XlsxSheet(
        title=_("代表建议"),
        headers=[_("编号"), _("标题"), _("领衔代表"), _("类别"), _("征集期"), _("状态"), _("承办单位"), _("答复期限"),
                _("办理结果"), _("重点督办"), _("提交时间")],
        rows=[[s.number_display, s.title, s.author.person.name, s.category.name, s.period.name if s.period else "",
               s.get_status_display(), s.units_label, s.due, s.outcome, _("是") if s.is_key else "",
               timezone.localtime(s.submitted_at).replace(tzinfo=None) if s.submitted_at else None] for s in rows],
    )
    content, _counts = xlsx_build(sheets=[sheet])
    return xlsx_response(content=content, filename=f"代表建议_{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_POST
def bulk_assign(request):
    """Assign the ticked accepted suggestions the same way; each goes through on its own."""
    user = request.user
    a = _assignment(user)
    if a is None or a.role not in ("staff", "town_staff"):
        raise PermissionDenied
    ids = request.POST.getlist("suggestions")
    form = f.BulkAssignForm(request.POST, units=selectors.units_for(a.congress_id),
                            suggestion_ids=[int(i) for i in ids if i.isdigit() and len(i) < 12])
    back = reverse("suggestions:office") + "?status=accepted"
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect(back)
    done, failed = services.suggestions_assign_bulk(actor=user, suggestion_ids=form.cleaned_data["suggestions"],
                                                    **form.plan())
    if done:
        messages.success(request, _("已交办 %(n)s 件建议。") % {"n": len(done)})
    for sid, reason in failed.items():
        messages.error(request, _("第 %(id)s 号记录未交办：%(r)s") % {"id": sid, "r": reason})
    return redirect(back)


@login_required
def unit_inbox(request):
    """The unit's parts: soonest due first, overdue flagged; filter by status and overdue."""
    a = _assignment(request.user)
    if a is None or a.role != "unit":
        raise PermissionDenied
    status = request.GET.get("status", "")
    if status not in Assignment.Status.values:
        status = ""
    overdue = request.GET.get("overdue") == "1"
    qs = selectors.unit_inbox(user=request.user, status=status, overdue=overdue)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "suggestions/unit_inbox.html", {
        "page": page, "status": status, "overdue": overdue, "query": query.urlencode(), "today": timezone.localdate(),
        "statuses": [(k, v) for k, v in Assignment.Status.choices if k != Assignment.Status.WITHDRAWN],
    })


# --- drafting ---------------------------------------------------------------------------------------------------
def _draft_form(request, congress_id: int, *, data=None, files=None, initial=None):
    return f.SuggestionForm(data, files, initial=initial, categories=selectors.categories_active(),
                            units=selectors.units_for(congress_id))


@login_required
def new(request):
    """A deputy drafts a suggestion; similar suggestions show beside the form while typing."""
    user = request.user
    a = _assignment(user)
    if a is None or a.role != "deputy" or not user.has_perm("suggestions.draft"):
        raise PermissionDenied
    form = _draft_form(request, a.congress_id, data=request.POST or None, files=request.FILES or None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            s = services.suggestion_create(actor=user, category_id=c["category"], title=c["title"],
                                           situation=c["situation"], problem=c["problem"], proposal=c["proposal"],
                                           unit_ids=c["units"], attachments=c["attachments"])
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("草稿已保存。可以邀请其他代表联名，然后提交。"))
            return redirect(s.get_absolute_url())
    if request.method == "POST":
        messages.error(request, str(ERR_FORM))
    return render(request, "suggestions/edit.html", {"form": form, "suggestion": None,
                                                     "similar": _similar_for(form, a.congress_id, None)})


@login_required
def edit(request, pk: int):
    user = request.user
    s = _suggestion_or_404(user, pk)
    if s.status not in Suggestion.EDITABLE or not is_author(user, s):
        raise PermissionDenied
    initial = {"title": s.title, "category": s.category_id, "situation": s.situation, "problem": s.problem,
               "proposal": s.proposal, "units": list(s.proposed_units.values_list("pk", flat=True))}
    form = _draft_form(request, s.congress_id, data=request.POST or None, files=request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.suggestion_update(actor=user, suggestion_id=s.pk, category_id=c["category"], title=c["title"],
                                       situation=c["situation"], problem=c["problem"], proposal=c["proposal"],
                                       unit_ids=c["units"], attachments=c["attachments"],
                                       expected_version=_int(request.POST.get("version")))
        except WorkflowError as e:
            messages.error(request, str(e.message))
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("已保存修改。"))
            return redirect(s.get_absolute_url())
    if request.method == "POST":
        messages.error(request, str(ERR_FORM))
    return render(request, "suggestions/edit.html", {"form": form, "suggestion": s,
                                                     "similar": _similar_for(form, s.congress_id, s.pk)})


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _similar_for(form, congress_id: int, exclude_id):
    if not form.is_bound and not form.initial:
        return []
    data = form.data if form.is_bound else form.initial
    text = " ".join(str(data.get(k, "") or "") for k in ("title", "problem", "proposal"))
    return selectors.similar_suggestions(congress_id=congress_id, text=text, exclude_id=exclude_id)


@login_required
@require_GET
def similar(request):
    """The similar-suggestions panel (htmx), refreshed while the deputy types."""
    a = _assignment(request.user)
    if a is None or a.role not in ("deputy", "staff", "town_staff", "director"):
        raise PermissionDenied
    text = " ".join((request.GET.get(k) or "")[:2000] for k in ("title", "problem", "proposal", "text"))
    exclude = _int(request.GET.get("exclude"))
    return render(request, "suggestions/_similar.html", {
        "similar": selectors.similar_suggestions(congress_id=a.congress_id, text=text, exclude_id=exclude)})


# --- the item page ----------------------------------------------------------------------------------------------
def _render_detail(request, s: Suggestion, *, bound=None, status: int = 200):
    user = request.user
    detail = selectors.suggestion_detail(suggestion=s, user=user)
    a = _assignment(user)
    seat = a.deputy_id if a is not None and a.role == "deputy" else None
    raters = services.signer_deputy_ids(s.pk) if seat else []
    rating_forms = []
    if seat in raters:
        for pv in detail.parts:
            for r in pv.replies:
                if r.pk in detail.current_reply_ids and r.pk not in detail.rated:
                    if bound is not None and bound[0] == f"rate-{r.pk}":
                        form = bound[1]
                    else:
                        form = f.RatingForm(initial={"reply": r.pk}, prefix=f"rate-{r.pk}")
                    rating_forms.append({"reply": r, "part": pv.part, "form": form})
    my_parts = [pv.part for pv in detail.parts if a is not None and a.role == "unit" and pv.part.unit_id == a.unit_id
                and pv.part.status != Assignment.Status.WITHDRAWN]
    signer_forms = []
    author = is_author(user, s)
    if s.status in Suggestion.EDITABLE and author:
        signer_forms = [sg for sg in detail.signers if not sg.is_author]
    return render(request, "suggestions/detail.html", {
        "s": s, "d": detail, "panels": _panels(act_table.SUGGESTION_ACTIONS, s, user, bound=bound),
        "rating_forms": rating_forms, "my_parts": my_parts,
        "can_edit": s.status in Suggestion.EDITABLE and author,
        "uninvite": signer_forms, "is_office": selectors.user_is_office(user),
        "is_signer": seat in raters if seat else False, "can_key": user.has_perm("suggestions.key", s),
    }, status=status)


@login_required
def detail(request, pk: int):
    return _render_detail(request, _suggestion_or_404(request.user, pk))


@login_required
@require_POST
def act(request, pk: int, action: str):
    s = _suggestion_or_404(request.user, pk)
    return _run(request, act_table.SUGGESTION_ACTION_BY_NAME, s, action,
                lambda bound: _render_detail(request, s, bound=bound))


@login_required
@require_POST
def rate(request, pk: int, reply_id: int):
    """A signing deputy rates one reply (满意 / 基本满意 / 不满意, with a comment)."""
    s = _suggestion_or_404(request.user, pk)
    prefix = f"rate-{reply_id}"
    form = f.RatingForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            if form.cleaned_data["reply"] != reply_id or not s.replies.filter(pk=reply_id).exists():
                raise Http404
            services.rating_submit(actor=request.user, reply_id=reply_id, value=form.cleaned_data["value"],
                                   comment=form.cleaned_data["comment"])
        except WorkflowError as e:
            messages.error(request, str(e.message))
            return redirect(s.get_absolute_url())
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("感谢您的评价。"))
            return redirect(s.get_absolute_url())
    messages.error(request, str(ERR_FORM))
    return _render_detail(request, s, bound=(prefix, form))


@login_required
@require_POST
def uninvite(request, pk: int, deputy_id: int):
    s = _suggestion_or_404(request.user, pk)
    try:
        services.signer_uninvite(actor=request.user, suggestion_id=s.pk, deputy_id=deputy_id)
    except (WorkflowError, ValidationError) as e:
        messages.error(request, str(getattr(e, "message", "") or "；".join(getattr(e, "messages", []))))
    else:
        messages.success(request, _("已取消邀请。"))
    return redirect(s.get_absolute_url())


@login_required
@require_POST
def milestone_done(request, pk: int, milestone_id: int):
    """Mark one milestone of a key suggestion's timeline as done (today)."""
    s = _suggestion_or_404(request.user, pk)
    if not request.user.has_perm("suggestions.key", s):
        raise PermissionDenied
    if selectors.milestone_of(suggestion=s, milestone_id=milestone_id) is None:
        raise Http404
    services.milestone_done(actor=request.user, milestone_id=milestone_id)
    messages.success(request, _("已标记完成。"))
    return redirect(s.get_absolute_url())


# --- the unit's part ------------------------------------------------------------------------------------------------
def _render_part(request, part: Assignment, *, bound=None):
    user = request.user
    s = part.suggestion
    detail = selectors.suggestion_detail(suggestion=s, user=user)
    this = next(pv for pv in detail.parts if pv.part.pk == part.pk)
    return render(request, "suggestions/part.html", {
        "s": s, "d": detail, "pv": this, "pv_list": [this], "part": this.part,
        "others": [pv for pv in detail.parts if pv.part.pk != part.pk],
        "panels": _panels(act_table.PART_ACTIONS, part, user, bound=bound),
        "is_unit": user.has_perm("suggestions.handle_assignment", part),
    })


@login_required
def part(request, pk: int):
    return _render_part(request, _part_or_404(request.user, pk))


@login_required
@require_POST
def part_act(request, pk: int, action: str):
    p = _part_or_404(request.user, pk)
    return _run(request, act_table.PART_ACTION_BY_NAME, p, action, lambda bound: _render_part(request, p, bound=bound))


# --- periods and supervision (the office) -------------------------------------------------------------------------
def _office_congress(user):
    a = _assignment(user)
    if a is None or a.role not in ("staff", "town_staff", "director") or not user.has_perm("suggestions.list"):
        raise PermissionDenied
    return a.congress


@login_required
def periods(request):
    congress = _office_congress(request.user)
    can_manage = request.user.has_perm("suggestions.manage_periods", congress)
    form = f.PeriodForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            c = form.cleaned_data
            try:
                services.period_create(actor=request.user, congress=congress, kind=c["kind"], year=c["year"],
                                       name=c["name"], number_prefix=c["number_prefix"])
            except ValidationError as e:
                add_errors(form, e)
            else:
                messages.success(request, _("已新建征集期。"))
                return redirect("suggestions:periods")
        messages.error(request, str(ERR_FORM))
    rows = selectors.periods_for(congress.pk)
    return render(request, "suggestions/periods.html", {"periods": rows, "form": form, "can_manage": can_manage,
                                                        "now": timezone.now()})


@login_required
@require_POST
def period_toggle(request, pk: int, action: str):
    congress = _office_congress(request.user)
    period = selectors.period_of(congress_id=congress.pk, period_id=pk)
    if period is None or action not in ("open", "close"):
        raise Http404
    if action == "open":
        services.period_open(actor=request.user, period_id=period.pk)
        messages.success(request, _("已开始征集：%(name)s") % {"name": period.name})
    else:
        services.period_close(actor=request.user, period_id=period.pk)
        messages.success(request, _("已结束征集：%(name)s") % {"name": period.name})
    return redirect("suggestions:periods")


@login_required
def supervision(request):
    """Overdue parts by unit, returns and extensions awaiting a decision, key suggestions."""
    congress = _office_congress(request.user)
    return render(request, "suggestions/supervision.html", {
        "loads": selectors.overdue_by_unit(congress_id=congress.pk),
        "returns": selectors.returns_pending(congress_id=congress.pk),
        "extensions": selectors.extensions_pending(congress_id=congress.pk),
        "keys": selectors.key_suggestions(congress_id=congress.pk),
    })


# --- public ----------------------------------------------------------------------------------------------------------
@public_page
def published(request):
    page = Paginator(selectors.published_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/public/list.html", {"page": page})


@public_page
def published_detail(request, pk: int):
    try:
        s = selectors.published_get(suggestion_id=pk)
    except Suggestion.DoesNotExist:
        raise Http404 from None
    return render(request, "suggestions/public/detail.html", {"s": s})
