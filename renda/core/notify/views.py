from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services

PAGE_SIZE = 20


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.messages_for_user(user=request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "notify/inbox.html", {
        "page": page,
        "unread_only": unread_only,
        "unread_count": selectors.message_unread_count(user=request.user),
    })


@login_required
def message_detail(request, message_id: int):
    # Opening a message is reading it, as in any mail client.
    message = services.message_mark_read(user=request.user, message_id=message_id)
    return render(request, "notify/message.html", {"message": message})


@login_required
@require_POST
def message_read(request, message_id: int):
    services.message_mark_read(user=request.user, message_id=message_id)
    return redirect("notify:inbox")


@login_required
@require_POST
def read_all(request):
    n = services.message_mark_all_read(user=request.user)
    flash.success(request, _("已将 %(n)s 条消息标为已读。") % {"n": n})
    return redirect("notify:inbox")
