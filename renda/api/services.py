"""Writes of API tokens."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from .models import ApiToken

TOKEN_PREFIX = "rnd_"
PREFIX_SHOWN = 12  # "rnd_" and 8 random characters: enough to tell tokens apart in a list


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user`. Returns the row and the plaintext, which is never stored or shown again."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name.strip()[:100], key_hash=token_hash(key),
                                    prefix=key[:PREFIX_SHOWN])
    return token, key


@transaction.atomic
def token_revoke(*, token_id: int, actor) -> ApiToken:
    """Revoke a token. Only its owner or a superuser may; anyone else gets DoesNotExist (not found).

    Revoking twice keeps the first revocation time.
    """
    qs = ApiToken.objects.select_for_update()
    if not actor.is_superuser:
        qs = qs.filter(user_id=actor.pk)
    token = qs.get(pk=token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
