"""See renda/opinions/urls.py. The notifications link to /opinions/<pk>/ and /opinions/parts/<pk>/:
keep those two paths."""

from django.urls import path

from . import views_handle as views

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("parts/", views.unit_inbox, name="unit_inbox"),
    path("parts/<int:pk>/", views.part, name="part"),
    path("parts/<int:pk>/act/<slug:action>/", views.part_act, name="part_act"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
]
