"""The badge tags the opinion lists use instead of per-row includes."""

import datetime as dt

from django.template import Context, Template
from django.utils import timezone

from renda.opinions.models import Assignment, Opinion


def render(text: str, **context) -> str:
    return Template("{% load badges %}" + text).render(Context(context))


def test_status_badge_shows_the_label_and_colour_of_either_model():
    html = render("{% status_badge o %}", o=Opinion(status="closed"))
    assert "status-closed" in html and "text-bg-success" in html and str(Opinion.Status.CLOSED.label) in html
    part = render("{% status_badge o %}", o=Assignment(status="returned"))
    assert "status-returned" in part and "text-bg-danger" in part
    assert str(Assignment.Status.RETURNED.label) in part
    assert render("{% status_badge o %}", o=None) == ""


def test_due_badge_flags_overdue_only_while_the_step_waits():
    past = timezone.localdate() - dt.timedelta(days=1)
    assert "due-overdue" in render("{% due_badge d True %}", d=past)
    assert "due-overdue" not in render("{% due_badge d False %}", d=past)
    later = timezone.localdate() + dt.timedelta(days=3)
    html = render("{% due_badge d True %}", d=later)
    assert "due-overdue" not in html and later.isoformat() in html
    assert render("{% due_badge d True %}", d=None) == ""
