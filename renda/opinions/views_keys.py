"""Open311 API keys (/opinions/keys/…): staff of a congress list, create (the raw key shown once) and revoke.

The keys belong to the active role's congress; only people holding opinions.manage for that congress
(the congress's staff and town staff) reach these pages. A key of another congress is a 404.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .models import ApiKey, Opinion


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称（用途）"), max_length=100,
                           help_text=gettext_lazy("例如：12345 政务服务便民热线"))


def _key_congress_id(user) -> int:
    """The congress whose keys this user manages; PermissionDenied for everyone else."""
    a = getattr(user, "active_assignment", None)
    if a is None or a.congress_id is None or not user.has_perm("opinions.manage", Opinion(congress_id=a.congress_id)):
        raise PermissionDenied
    return a.congress_id


def api_keys_of(*, congress_id: int):
    return ApiKey.objects.filter(congress_id=congress_id).select_related("created_by").order_by("-id")


def api_key_get(*, congress_id: int, key_id: int) -> ApiKey:
    """A key of this congress; another congress's key looks like a missing one (404)."""
    key = ApiKey.objects.filter(pk=key_id, congress_id=congress_id).first()
    if key is None:
        raise Http404
    return key


@login_required
def key_list(request):
    congress_id = _key_congress_id(request.user)
    return render(request, "opinions/keys/list.html", {"keys": api_keys_of(congress_id=congress_id),
                                                       "form": ApiKeyForm()})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def key_create(request):
    congress_id = _key_congress_id(request.user)
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            key, raw = services.api_key_create(actor=request.user, congress=congress_id, name=form.cleaned_data["name"])
        except ValidationError as e:
            for field, errs in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            # Shown once, in this response only (never_cache: no-store): never in a redirect or a message.
            return render(request, "opinions/keys/created.html", {"key": key, "raw": raw})
    return render(request, "opinions/keys/create.html", {"form": form})


@login_required
@require_POST
def key_revoke(request, key_id: int):
    congress_id = _key_congress_id(request.user)
    key = api_key_get(congress_id=congress_id, key_id=key_id)
    key = services.api_key_revoke(actor=request.user, key_id=key.pk)
    messages.success(request, _("密钥 %(name)s（%(prefix)s…）已吊销，使用它的请求将被拒绝。")
                     % {"name": key.name, "prefix": key.prefix})
    return redirect("opinions:open311_keys")
