"""Status and due-date badges of the citizens' opinions and the deputies' suggestions (and of their
units' parts), as Python tags: `{% load badges %}`. A list of 50 rows once rendered them through
{% include %} twice per row, which was a third of the page's time."""

import datetime
import functools

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

STATUS_CLASS = {
    "submitted": "text-bg-warning", "assigned": "text-bg-warning",
    "accepted": "text-bg-primary", "forwarded": "text-bg-primary", "signed": "text-bg-primary",
    "rehandling": "text-bg-danger", "returned": "text-bg-danger",
    "replied": "text-bg-info", "closed": "text-bg-success",
    # Suggestions and their parts.
    "handling": "text-bg-primary", "following": "text-bg-primary", "revising": "text-bg-warning",
    "answered": "text-bg-info",
}


@functools.cache
def _labels(model) -> dict:
    return {value: label for value, label in model._meta.get_field("status").flatchoices}


@register.simple_tag
def status_badge(obj) -> str:
    """The status of an opinion, a suggestion, or a unit's part of either, as a coloured pill."""
    status = getattr(obj, "status", None)
    if status is None:
        return ""  # nothing to show (a template passed no object)
    label = _labels(type(obj)._meta.concrete_model).get(status, status)
    return format_html('<span class="badge rounded-pill status-badge status-{} {}">{}</span>',
                       status, STATUS_CLASS.get(status, "text-bg-secondary"), label)


@register.simple_tag
def due_badge(due: datetime.date | None, open: bool = True) -> str:  # noqa: A002 - the template's name
    """The due date, flagged 已超期 when the step still waits and the date has passed."""
    if not due:
        return ""
    d = due.isoformat() if isinstance(due, datetime.date) else str(due)
    if open and isinstance(due, datetime.date) and due < timezone.localdate():
        label = _("已超期")
        return format_html('<span class="badge text-bg-danger due-badge due-overdue" title="{}">{} {}</span>',
                           label, label, d)
    return format_html('<span class="badge text-bg-light border due-badge">{} {}</span>', _("期限"), d)
