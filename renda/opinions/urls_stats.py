"""See renda/opinions/urls.py."""

from django.urls import path

from . import views_stats

urlpatterns: list = [
    path("stats/", views_stats.stats_page, name="stats"),
    path("stats/export/", views_stats.stats_export, name="stats_export"),
]
