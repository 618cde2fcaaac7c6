"""Small lookups for the suggestion templates."""

from django import template

register = template.Library()


@register.simple_tag
def reply_files(detail, reply) -> list:
    """The files attached to one reply (the signed PDF first), from the detail's prefetched map."""
    return detail.files.get(f"r{reply.pk}", [])


@register.simple_tag
def suggestion_files(detail) -> list:
    return detail.files.get(f"s{detail.suggestion.pk}", [])
