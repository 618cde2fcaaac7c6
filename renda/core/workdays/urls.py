from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("holidays/add/", views.holiday_add, name="holiday_add"),
    path("holidays/<int:holiday_id>/edit/", views.holiday_edit, name="holiday_edit"),
    path("holidays/<int:holiday_id>/delete/", views.holiday_delete, name="holiday_delete"),
    path("years/<int:year>/entered/", views.year_entered, name="year_entered"),
    path("policies/", views.policy_list, name="policies"),
    path("policies/<int:policy_id>/edit/", views.policy_edit, name="policy_edit"),
    path("calculator/", views.calculator, name="calculator"),
]
