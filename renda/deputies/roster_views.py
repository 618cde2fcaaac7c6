"""Pages of the Excel roster: import (upload → preview → confirm), export, blank template.

Permission checks live in renda.deputies.roster (the services); the views parse input, call the
service, and render. The preview token travels in the confirm form and must also be one this
session was given, so a token copied into another session is useless.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from renda.core.exports import xlsx_response
from renda.core.models import Attachment

from . import roster
from .roster_forms import RosterConfirmForm, RosterExportForm, RosterFilterForm, RosterUploadForm

SESSION_TOKENS = "renda_roster_import_tokens"
SESSION_TOKENS_KEPT = 5


def _remember_token(request, token: str) -> None:
    tokens = [t for t in request.session.get(SESSION_TOKENS, []) if t != token]
    request.session[SESSION_TOKENS] = (tokens + [token])[-SESSION_TOKENS_KEPT:]


def _forget_token(request, token: str) -> None:
    request.session[SESSION_TOKENS] = [t for t in request.session.get(SESSION_TOKENS, []) if t != token]


def _redirect(request, url: str):
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _preview_context(preview, *, token: str = "", changed: bool = False) -> dict:
    return {
        "preview": preview,
        "confirm_form": RosterConfirmForm(initial={"token": token}) if token else None,
        "changed": changed,
    }


@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request):
    congress = roster.roster_congress_for(user=request.user, perm="deputies.import_roster")
    form = RosterUploadForm(request.POST, request.FILES) if request.method == "POST" else RosterUploadForm()
    if request.method == "POST" and form.is_valid():
        try:
            prepared = roster.roster_import_preview(user=request.user, upload=form.cleaned_data["file"])
        except roster.RosterFileRejected as e:
            form.add_error("file", e.message)
        else:
            if prepared.token:
                _remember_token(request, prepared.token)
            return render(request, "deputies/roster_preview.html",
                          _preview_context(prepared.preview, token=prepared.token))
    return render(request, "deputies/roster_import.html", {
        "form": form, "congress": congress, "max_rows": roster.MAX_ROWS,
        "max_mb": settings.RENDA_ATTACHMENT_MAX_BYTES // (1024 * 1024),
    })


@login_required
@require_POST
def roster_import_confirm(request):
    roster.roster_congress_for(user=request.user, perm="deputies.import_roster")
    form = RosterConfirmForm(request.POST)
    token = form.cleaned_data["token"] if form.is_valid() else ""
    if not token or token not in request.session.get(SESSION_TOKENS, []):
        raise Http404
    try:
        attachment_id = roster.roster_import_token_read(token=token, user=request.user)
        result = roster.roster_import_commit(user=request.user, attachment_id=attachment_id)
    except (roster.RosterTokenInvalid, roster.RosterFileRejected):
        _forget_token(request, token)
        messages.error(request, str(roster.ERR_TOKEN))
        return _redirect(request, reverse("roster:import"))
    except Attachment.DoesNotExist:
        raise Http404 from None
    except roster.RosterInvalid as e:
        _forget_token(request, token)
        return render(request, "deputies/roster_preview.html", _preview_context(e.preview, changed=True))
    _forget_token(request, token)
    messages.success(request, _("已导入 %(n)s 名代表（新建人员 %(new)s 人，复用已有人员 %(reused)s 人）。") % {
        "n": result.deputies, "new": result.new_persons, "reused": result.reused_persons})
    return _redirect(request, reverse("deputies:list"))


@login_required
@require_http_methods(["GET", "POST"])
def roster_export(request):
    congress = roster.roster_congress_for(user=request.user, perm="deputies.export_roster")
    if request.method == "POST":
        form = RosterExportForm(request.POST)
        if form.is_valid():
            export = roster.roster_export(user=request.user, filters=form.filters(),
                                          reason=form.cleaned_data["reason"])
            return xlsx_response(content=export.content, filename=export.filename)
        filters_form = RosterFilterForm(request.POST)
    else:
        filters_form = RosterFilterForm(request.GET)
        form = RosterExportForm(initial=filters_form.cleaned_data if filters_form.is_valid() else {})
    count = roster.roster_export_count(user=request.user, filters=filters_form.filters())
    return render(request, "deputies/roster_export.html", {
        "form": form, "count": count, "congress": congress, "filter_summary": filters_form.summary(),
        "can_view_contact": request.user.has_perm("deputies.view_contact", congress),
    })


@login_required
@require_GET
def roster_template(request):
    content, filename = roster.roster_template_build(user=request.user)
    return xlsx_response(content=content, filename=filename)
