"""See renda/suggestions/urls.py: the deputies', the office's and the units' pages, and the public ones."""

from django.urls import path

from . import views as v

urlpatterns = [
    path("", v.home, name="home"),
    path("new/", v.new, name="new"),
    path("similar/", v.similar, name="similar"),
    path("office/", v.office, name="office"),
    path("office/assign/", v.bulk_assign, name="bulk_assign"),
    path("office/export/", v.office_export, name="office_export"),
    path("unit/", v.unit_inbox, name="unit_inbox"),
    path("periods/", v.periods, name="periods"),
    path("periods/<int:pk>/<str:action>/", v.period_toggle, name="period_toggle"),
    path("supervision/", v.supervision, name="supervision"),
    path("public/", v.published, name="published"),
    path("public/<int:pk>/", v.published_detail, name="published_detail"),
    path("parts/<int:pk>/", v.part, name="part"),
    path("parts/<int:pk>/do/<str:action>/", v.part_act, name="part_act"),
    path("<int:pk>/", v.detail, name="detail"),
    path("<int:pk>/edit/", v.edit, name="edit"),
    path("<int:pk>/do/<str:action>/", v.act, name="act"),
    path("<int:pk>/rate/<int:reply_id>/", v.rate, name="rate"),
    path("<int:pk>/uninvite/<int:deputy_id>/", v.uninvite, name="uninvite"),
    path("<int:pk>/milestones/<int:milestone_id>/done/", v.milestone_done, name="milestone_done"),
]
