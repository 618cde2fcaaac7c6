"""Reads for the API: token lookup, and the one public read the org selectors do not offer yet."""

import datetime as dt

from django.utils import timezone

from renda.org.models import Place

from .models import ApiToken
from .services import token_hash

# last_used_at is a hint for people, not an audit log: writing it on every request would make each
# GET a write (and, on SQLite, take the database write lock).
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def token_authenticate(*, key: str) -> ApiToken | None:
    """The active token with this plaintext and an active user, else None. Records last use."""
    if not key or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_list_for_user(*, user):
    return ApiToken.objects.filter(user=user).order_by("-id")


def community_public_get(*, community_id: int) -> Place:
    """A village or community, for the public portal. Raises Place.DoesNotExist.

    Belongs in renda/org/selectors.py next to communities_public(); kept here until it moves.
    """
    return Place.objects.select_related("parent").get(
        pk=community_id, kind__in=[Place.Kind.VILLAGE, Place.Kind.COMMUNITY])
