from django.urls import path

from . import views

app_name = "deputies"
urlpatterns = [
    path("", views.deputy_list, name="list"),
    path("<int:deputy_id>/", views.deputy_detail, name="detail"),
    path("<int:deputy_id>/status/", views.deputy_status, name="status"),
    path("stations/", views.station_list, name="stations"),
    path("stations/<int:station_id>/", views.station_detail, name="station"),
]
