from django.shortcuts import render


def home(request):
    return render(request, "core/error.html", {"title": "智慧人大", "message": ""})


def find(request):
    return render(request, "core/error.html", {"title": "找代表", "message": ""})
