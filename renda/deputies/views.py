from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def deputy_list(request):
    return render(request, "core/error.html", {"title": "代表名册", "message": ""})


@login_required
def station_list(request):
    return render(request, "core/error.html", {"title": "联络站", "message": ""})
