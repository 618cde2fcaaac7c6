from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request):
    """The workspace landing page: what the active role can reach."""
    return render(request, "accounts/home.html", {})


@login_required
@require_POST
def switch_role(request):
    try:
        services.role_switch(request=request, assignment_id=int(request.POST.get("assignment", "")))
    except (ValueError, services.PermissionDenied):
        raise Http404 from None
    messages.success(request, _("已切换身份。"))
    return redirect("accounts:home")
