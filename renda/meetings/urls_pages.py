"""The meeting pages (views.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.schedule, name="new"),
    path("export/", views.export, name="export"),
    path("<int:pk>/attendance.xlsx", views.attendance_export, name="attendance_export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/notify/", views.notify, name="notify"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/step/<str:action>/", views.step, name="step"),
    path("<int:pk>/items/", views.item_add, name="item_add"),
    path("<int:pk>/items/<int:item_id>/move/<str:direction>/", views.item_move, name="item_move"),
    path("<int:pk>/items/<int:item_id>/remove/", views.item_remove, name="item_remove"),
    path("<int:pk>/participants/", views.participant_set, name="participant_set"),
    path("<int:pk>/participants/<int:person_id>/remove/", views.participant_remove, name="participant_remove"),
    path("<int:pk>/participants/<int:person_id>/check-in/", views.staff_check_in, name="staff_checkin"),
    path("<int:pk>/documents/", views.document_add, name="document_add"),
    path("<int:pk>/documents/publish/", views.documents_publish, name="documents_publish"),
    path("<int:pk>/votes/", views.vote_add, name="vote_add"),
    path("<int:pk>/votes/<int:vote_id>/<str:action>/", views.vote_step, name="vote_step"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/check-in/<str:token>/", views.check_in, name="checkin"),
    path("<int:pk>/chair/", views.chair, name="chair"),
    path("<int:pk>/chair/status/", views.chair_status, name="chair_status"),
]
