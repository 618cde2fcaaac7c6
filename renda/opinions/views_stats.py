"""The statistics page and its Excel export. Views parse the filters, call the report, render."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from renda.core.exports import xlsx_build, xlsx_response
from renda.org.selectors import congress_for_user

from . import stats
from .forms_stats import StatsFilterForm


def _report(request):
    congress = congress_for_user(user=request.user)
    stats.stats_check(user=request.user, congress=congress)  # 403 before any figure is read
    lower = request.GET.get("lower") in ("on", "true", "1")
    towns, categories, units = stats.stats_filter_choices(congress=congress, include_lower=lower)
    form = StatsFilterForm(request.GET or None, towns=towns, categories=categories, units=units)
    report = stats.stats_report(user=request.user, congress=congress, filters=form.filters(), towns=towns,
                                categories=categories, units=units)
    return form, report


@login_required
def stats_page(request):
    form, report = _report(request)
    query = request.GET.urlencode()
    return render(request, "opinions/stats/page.html", {
        "form": form,
        "report": report,
        "overall": report.overall.texts(),
        "has_lower": report.congress.children.exists(),
        "chart_trend": stats.chart_trend(report),
        "chart_terms": stats.chart_terms(report),
        "chart_status": stats.chart_status(report),
        "query": query,
    })


@login_required
def stats_export(request):
    """The page's tables as .xlsx: aggregate counts, no personal data, so no reason is asked."""
    _form, report = _report(request)
    content, _counts = xlsx_build(sheets=stats.stats_export_sheets(report))
    f = report.filters
    filename = f"群众意见统计_{f.start:%Y-%m}_{f.end:%Y-%m}_{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(content=content, filename=filename)
