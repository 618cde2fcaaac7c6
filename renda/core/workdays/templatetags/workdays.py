"""{% calendar_warning %} for the workspace; {% deadline_badge d %} wherever a deadline is shown."""

from django import template
from django.utils import timezone

from ..selectors import calendar_missing_year_warning

register = template.Library()


@register.inclusion_tag("workdays/_warning.html", takes_context=True)
def calendar_warning(context):
    """The missing-year warning, shown to users who can act on it (committee side and superusers)."""
    user = context.get("user")
    show = bool(user and (user.has_perm("workdays.manage_calendar") or getattr(user, "active_role", "") in
                          {"director", "town_staff"}))
    return {"warning": calendar_missing_year_warning(timezone.localdate()) if show else None}


@register.inclusion_tag("workdays/_deadline.html")
def deadline_badge(deadline, explain=True):
    return {"d": deadline, "explain": explain}
