from django.urls import path

from . import views

app_name = "deputies"
urlpatterns = [path("", views.deputy_list, name="list"), path("stations/", views.station_list, name="stations")]
