"""The voter's pages (/ballots/…)."""

from django.urls import path

from . import views

app_name = "ballots"
urlpatterns = [
    path("", views.my_votes, name="mine"),
    path("<int:pk>/", views.vote_page, name="vote"),
    path("<int:pk>/paper/", views.paper, name="paper"),
    path("<int:pk>/tie/", views.tie, name="tie"),
]
