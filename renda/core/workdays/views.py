from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def calendar(request):
    return render(request, "core/error.html", {"title": "工作日历", "message": ""})
