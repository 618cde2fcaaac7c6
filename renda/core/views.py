from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def ratelimited(request, exception=None):
    return render(request, "core/error.html", {"title": _("操作过于频繁"), "message": _("请稍后再试。")}, status=429)


def attachment_download(request, attachment_id: int):
    raise Http404
