from django.urls import path

from . import views

app_name = "portal"
# Ids are taken as text and parsed in the view: "abc" or a number too large for the database
# then gives the portal's friendly 404 instead of Django's bare one (or an overflow error).
urlpatterns = [
    path("", views.home, name="home"),
    path("find/", views.find, name="find"),
    path("deputy/<str:deputy_id>/", views.deputy_detail, name="deputy"),
    path("station/<str:station_id>/", views.station_detail, name="station"),
]
