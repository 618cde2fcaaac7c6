from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("exports/", views.export_log_list, name="export_log"),
]
