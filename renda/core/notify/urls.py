from django.urls import path

from . import views

app_name = "notify"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:message_id>/", views.message_detail, name="message"),
    path("<int:message_id>/read/", views.message_read, name="read"),
    path("read-all/", views.read_all, name="read_all"),
]
