"""The suggestion statistics page, its Excel exports, the units' open and overdue lists and the Word
documents (docs/suggestion-statistics.md). Views parse the filter, check the permission, call
stats.py or documents.py, render.

Access: the figures, the exports and the annual report are for the congress's office and leadership
(`suggestions.view_stats`; anyone else gets 403). A unit sees only its own open list (another
unit's is 404). The assignment letter is for the office and the unit of that part; the reply form
for the office and the suggestion's signing deputies; a part or suggestion outside the user's scope
is 404, like one that does not exist.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from renda.accounts.permissions import _assignment
from renda.core.docx import docx_response
from renda.core.exports import xlsx_build, xlsx_response
from renda.org.selectors import congress_for_user

from . import documents, selectors, stats
from .forms_stats import StatsFilterForm
from .models import Assignment, Suggestion

FIRST_YEAR, LAST_YEAR = 2000, 2099


def _congress_checked(request):
    congress = congress_for_user(user=request.user)
    stats.stats_check(user=request.user, congress=congress)  # 403 before any figure is read
    return congress


def _report(request):
    congress = _congress_checked(request)
    years, periods = stats.scope_choices(congress_id=congress.pk)
    form = StatsFilterForm(request.GET or None, years=years, periods=periods)
    return form, stats.stats_report(congress=congress, scope=form.scope())


def _scope_year(scope: stats.StatsScope, today) -> int:
    if scope.period is not None:
        return scope.period.year
    if scope.kind == "range":
        return (scope.end or scope.start or today).year
    return scope.year


@login_required
@require_GET
def stats_page(request):
    form, report = _report(request)
    return render(request, "suggestions/stats/page.html", {
        "form": form,
        "report": report,
        "texts": report.texts(),
        "totals": stats.summary_rows(report),
        "outcome_rows": [(label, n, stats.percent_text(share)) for label, n, share in stats.outcome_rows(report)],
        "chart_outcomes": stats.chart_outcomes(report),
        "chart_categories": stats.chart_categories(report),
        "chart_units": stats.chart_units(report),
        "report_year": _scope_year(report.scope, report.today),
        "query": request.GET.urlencode(),
    })


@login_required
@require_GET
def stats_export(request):
    """The page's figures and every open part as .xlsx. Deputies' names are public (the portal shows
    them); no citizen data is in it, so no reason is asked."""
    _form, report = _report(request)
    rows = stats.all_open_rows(congress_id=report.congress.pk, today=report.today)
    content, _counts = xlsx_build(sheets=stats.stats_export_sheets(report, open_rows=rows))
    filename = _("代表建议统计_%(scope)s_%(day)s.xlsx") % {
        "scope": report.scope.slug(), "day": f"{report.today:%Y%m%d}"}
    return xlsx_response(content=content, filename=filename)


# --- the units' open and overdue lists ----------------------------------------------------------------
@login_required
@require_GET
def units_index(request):
    """Committee roles: every unit's open and overdue counts. A unit goes straight to its own list."""
    a = _assignment(request.user)
    if a is not None and a.role == "unit":
        return redirect("suggestions:stats_unit", unit_id=a.unit_id)
    congress = _congress_checked(request)
    today = timezone.localdate()
    loads = stats.unit_load(congress_id=congress.pk, today=today)
    return render(request, "suggestions/stats/units.html", {"congress": congress, "loads": loads, "today": today,
                                                            "open": sum(u.open for u in loads),
                                                            "overdue": sum(u.overdue for u in loads)})


def _unit_or_404(request, unit_id: int):
    try:
        return stats.unit_for_user(user=request.user, unit_id=unit_id)
    except stats.Unit.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def unit_open(request, unit_id: int):
    unit = _unit_or_404(request, unit_id)
    today = timezone.localdate()
    load = stats.unit_load(congress_id=unit.congress_id, today=today, unit_id=unit.pk)
    rows = stats.open_parts(congress_id=unit.congress_id, unit_id=unit.pk, today=today)
    total = load[0].open if load else 0
    return render(request, "suggestions/stats/unit.html", {
        "unit": unit, "rows": rows, "today": today, "open": total, "overdue": load[0].overdue if load else 0,
        "truncated": total > len(rows), "is_office": selectors.user_is_office(request.user),
    })


@login_required
@require_GET
def unit_open_export(request, unit_id: int):
    unit = _unit_or_404(request, unit_id)
    from renda.core.exports import XlsxSheet

    today = timezone.localdate()
    parts = stats.open_parts(congress_id=unit.congress_id, unit_id=unit.pk, today=today, limit=None)
    sheet = XlsxSheet(title=str(_("在办和超期")), headers=[str(h) for h in stats.OPEN_HEADERS],
                      widths=[24, 18, 40, 10, 10, 12, 12, 12, 10],
                      rows=[stats.open_cells(unit.name, p) for p in parts])
    content, _counts = xlsx_build(sheets=[sheet])
    return xlsx_response(content=content, filename=_("在办建议_%(unit)s_%(day)s.xlsx") % {
        "unit": unit.name, "day": f"{today:%Y%m%d}"})


# --- Word documents ----------------------------------------------------------------------------------------
@login_required
@require_GET
def annual_report(request, year: int):
    congress = _congress_checked(request)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    content = documents.annual_report(congress, year)
    return docx_response(content, _("%(congress)s%(year)s年度代表建议办理情况报告.docx") % {
        "congress": congress.short_name, "year": year})


def _may_hold_documents(user, *roles: str) -> bool:
    a = _assignment(user)
    return selectors.user_is_office(user) or (a is not None and a.role in roles)


@login_required
@require_GET
def assignment_letter(request, pk: int):
    """交办函 of one part: the office, and the unit that holds the part."""
    if not _may_hold_documents(request.user, "unit"):
        raise PermissionDenied
    try:
        part = selectors.assignment_get_for_user(user=request.user, assignment_id=pk)
    except Assignment.DoesNotExist:
        raise Http404 from None
    a = _assignment(request.user)
    if part.status == Assignment.Status.WITHDRAWN or (a is not None and a.role == "unit" and a.unit_id != part.unit_id):
        raise Http404
    content = documents.assignment_letter(part.unit, [part])
    return docx_response(content, _("交办函_%(unit)s_%(number)s.docx") % {
        "unit": part.unit.name, "number": part.suggestion.number_display or part.suggestion_id})


@login_required
@require_GET
def reply_form(request, pk: int):
    """征询意见表 of one suggestion for one signing deputy: the deputy's own, or (office) `?deputy=<id>`,
    the author by default."""
    if not _may_hold_documents(request.user, "deputy"):
        raise PermissionDenied
    try:
        s = selectors.suggestion_get_for_user(user=request.user, suggestion_id=pk)
    except Suggestion.DoesNotExist:
        raise Http404 from None
    if s.status not in (*Suggestion.IN_HANDLING, Suggestion.Status.CLOSED, Suggestion.Status.MERGED):
        raise Http404
    a = _assignment(request.user)
    deputy_id = a.deputy_id if a is not None and a.role == "deputy" else request.GET.get("deputy") or s.author_id
    deputy = stats.signing_deputy(suggestion=s, deputy_id=deputy_id)
    if deputy is None:
        raise Http404
    content = documents.reply_form(s, deputy)
    return docx_response(content, _("征询意见表_%(number)s_%(deputy)s.docx") % {
        "number": s.number_display or s.pk, "deputy": deputy.person.name})
