"""See renda/opinions/urls.py. The office's list, export, offline entry, and staff actions on an item."""

from django.urls import path

from . import views_staff

urlpatterns: list = [
    path("all/", views_staff.opinion_all, name="list"),
    path("all/export/", views_staff.opinion_all_export, name="export"),
    path("enter/", views_staff.opinion_enter, name="enter"),
    path("<int:pk>/reassign/", views_staff.opinion_staff_reassign, name="staff_reassign"),
    path("<int:pk>/remind/", views_staff.opinion_staff_remind, name="staff_remind"),
    path("<int:pk>/extend/", views_staff.opinion_staff_extend, name="staff_extend"),
    path("<int:pk>/merge/", views_staff.opinion_staff_merge, name="staff_merge"),
    path("<int:pk>/publish/", views_staff.opinion_staff_publish, name="publish"),
    path("<int:pk>/unpublish/", views_staff.opinion_staff_unpublish, name="unpublish"),
    path("parts/<int:pk>/keep/", views_staff.part_staff_keep, name="part_keep"),
    path("parts/<int:pk>/reassign/", views_staff.part_staff_reassign, name="part_reassign"),
]
