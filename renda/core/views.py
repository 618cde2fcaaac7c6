"""Shared pages: rate-limit answer, attachment downloads and the personal-data export log."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .attachments import attachment_get_for_user
from .exports import export_log_list_for_user, export_log_visible
from .models import Attachment

EXPORT_LOG_PAGE_SIZE = 50


def ratelimited(request, exception=None):
    return render(request, "core/error.html", {"title": _("操作过于频繁"), "message": _("请稍后再试。")}, status=429)


@require_GET
def attachment_download(request, attachment_id: int):
    """Serve a file only to users allowed to see its owner; everyone else gets a plain 404."""
    try:
        att = attachment_get_for_user(user=request.user, attachment_id=attachment_id)
        fh = att.file.open("rb")
    except (Attachment.DoesNotExist, FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(fh, as_attachment=True, filename=att.original_name, content_type=att.mime_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_GET
def export_log_list(request):
    if not export_log_visible(user=request.user):
        raise PermissionDenied
    logs = export_log_list_for_user(user=request.user)
    page = Paginator(logs, EXPORT_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/export_log_list.html", {"page": page})
