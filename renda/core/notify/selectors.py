"""Reads of the inbox: a user only ever sees their own messages."""

from django.db.models import QuerySet
from django.http import Http404

from .models import Message, OutboxMessage


def messages_for_user(*, user, unread_only: bool = False) -> QuerySet[Message]:
    qs = Message.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-id")


def message_unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def message_get_for_user(*, user, message_id: int) -> Message:
    """The user's own message; another user's message and a missing one both give 404."""
    message = Message.objects.filter(pk=message_id, recipient=user).first()
    if message is None:
        raise Http404
    return message


def outbox_counts() -> dict[str, int]:
    from django.db.models import Count

    return dict(OutboxMessage.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
