"""The public side of the channel: submit, track, rate, published opinions, QR posters.

Mounted at the site root before the portal: /deputy/<id>/ itself stays the portal's profile page.
Ids are taken as text and parsed in the views, so "abc" gives the friendly 404 page.
"""

from django.urls import path

from . import views_public as v

app_name = "voice"
urlpatterns = [
    path("deputy/<str:deputy_id>/write/", v.submit_deputy, name="submit_deputy"),
    path("station/<str:station_id>/write/", v.submit_station, name="submit_station"),
    path("write/similar/", v.similar, name="similar"),
    path("receipt/<str:code>/", v.receipt, name="receipt"),
    path("track/", v.track, name="track"),
    path("track/<str:code>/", v.track_detail, name="track_detail"),
    path("track/<str:code>/rate/", v.rate, name="rate"),
    path("published/", v.published, name="published"),
    path("published/<str:opinion_id>/", v.published_detail, name="published_detail"),
    path("deputy/<str:deputy_id>/poster.png", v.deputy_poster_png, name="deputy_poster_png"),
    path("deputy/<str:deputy_id>/poster.pdf", v.deputy_poster_pdf, name="deputy_poster_pdf"),
    path("station/<str:station_id>/poster.png", v.station_poster_png, name="station_poster_png"),
    path("station/<str:station_id>/poster.pdf", v.station_poster_pdf, name="station_poster_pdf"),
]
