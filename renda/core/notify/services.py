"""Writes: creating notifications, reading them, and sending the outbox.

Delivery guarantee (docs/deadlines.md, "Notifications"): a notification with a dedupe key is
created at most once; a message is claimed by exactly one worker with a conditional UPDATE
(pending → sending), so two workers never send it twice; a message left in "sending" by a worker
that died is resent only through an idempotent sender, otherwise it is marked failed for a human
to check. So every message is delivered once, never twice.
"""

import datetime
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Message, OutboxMessage
from .senders import BaseSender, SenderError, sender_for

CHANNEL_INBOX = "inbox"
CHANNELS = (CHANNEL_INBOX, OutboxMessage.Channel.EMAIL, OutboxMessage.Channel.SMS)
MAX_ATTEMPTS = 5
STALE_AFTER = datetime.timedelta(minutes=10)
SMS_MAX_CHARS = 300

ERR_UNKNOWN_CHANNEL = "unknown notification channel"
ERR_DELIVERY_UNKNOWN = _("发送进程在发送过程中中断，无法确认是否已送达；为避免重复发送，未自动重发，请人工核实。")
ERR_TOO_MANY_ATTEMPTS = _("多次发送失败，已停止重试。")


def _safe_url(url: str) -> str:
    """Only same-site paths: an inbox link must never lead off the platform or run script."""
    url = (url or "").strip()
    if url.startswith("/") and not url.startswith("//") and "\\" not in url and len(url) <= 500:
        return url
    return ""


def notify_users(
    *,
    users: Iterable,
    subject: str,
    body: str,
    url: str = "",
    channels: Iterable[str] = (CHANNEL_INBOX,),
    dedupe_key: str | None = None,
    congress=None,
) -> list[Message]:
    """One inbox row per user plus an outbox row per e-mail/SMS channel the user has an address for.

    With a dedupe_key the same notification (key, user, channel) is never created twice, even by
    two workers at once (the database's unique constraints decide; conflicts are ignored).
    Returns the inbox messages created by this call.
    """
    channels = tuple(dict.fromkeys(channels))
    for channel in channels:
        if channel not in CHANNELS:
            raise ValueError(ERR_UNKNOWN_CHANNEL)
    recipients = list({u.pk: u for u in users if getattr(u, "pk", None) and u.is_active}.values())
    if not recipients:
        return []
    subject = subject[:200]
    url = _safe_url(url)
    congress_id = getattr(congress, "pk", congress)
    inbox: list[Message] = []
    outbox: list[OutboxMessage] = []
    for user in recipients:
        if CHANNEL_INBOX in channels:
            inbox.append(Message(recipient=user, congress_id=congress_id, subject=subject, body=body, url=url,
                                 dedupe_key=dedupe_key or ""))
        for channel, address in ((OutboxMessage.Channel.EMAIL, user.email), (OutboxMessage.Channel.SMS, user.phone)):
            if channel not in channels or not address:
                continue
            key = f"{dedupe_key}:{channel}:{user.pk}" if dedupe_key else f"once:{uuid.uuid4().hex}"
            text = body if channel == OutboxMessage.Channel.EMAIL else body[:SMS_MAX_CHARS]
            outbox.append(OutboxMessage(channel=channel, recipient=user, congress_id=congress_id,
                                        to_address=address, subject=subject, body=text, dedupe_key=key[:255]))
    with transaction.atomic():
        if dedupe_key:
            existing = set(Message.objects.filter(dedupe_key=dedupe_key, recipient__in=recipients)
                           .values_list("recipient_id", flat=True))
            inbox = [m for m in inbox if m.recipient_id not in existing]
            Message.objects.bulk_create(inbox, ignore_conflicts=True)
            OutboxMessage.objects.bulk_create(outbox, ignore_conflicts=True)
            # ignore_conflicts leaves pks unset; fetch what this call actually created.
            inbox = list(Message.objects.filter(dedupe_key=dedupe_key,
                                                recipient_id__in=[m.recipient_id for m in inbox]))
        else:
            inbox = Message.objects.bulk_create(inbox)
            OutboxMessage.objects.bulk_create(outbox)
    return inbox


def notify_users_later(users: Callable[[], Iterable], *, subject: str, body: str, url: str, dedupe_key: str,
                       congress=None, channels: Iterable[str] = (CHANNEL_INBOX, OutboxMessage.Channel.SMS)) -> None:
    """notify_users once the current transaction commits, so nobody is told about a step that rolled back.

    users is called then, not now: the recipients are read after the step (a unit's users, a suggestion's
    signers). robust: a failing notification never undoes the committed step.
    """
    transaction.on_commit(lambda: notify_users(users=users(), subject=subject, body=body, url=url, channels=channels,
                                               dedupe_key=dedupe_key, congress=congress), robust=True)


def notify_address(*, channel: str, to_address: str, subject: str, body: str, dedupe_key: str,
                   congress=None) -> bool:
    """An SMS or e-mail to somebody without an account (a citizen's phone), sent at most once per key.

    Returns True when the message was queued by this call.
    """
    if channel not in (OutboxMessage.Channel.EMAIL, OutboxMessage.Channel.SMS):
        raise ValueError(ERR_UNKNOWN_CHANNEL)
    if not to_address:
        return False
    text = body if channel == OutboxMessage.Channel.EMAIL else body[:SMS_MAX_CHARS]
    created = OutboxMessage.objects.bulk_create(
        [OutboxMessage(channel=channel, congress_id=getattr(congress, "pk", congress), to_address=to_address,
                       subject=subject[:200], body=text, dedupe_key=f"{dedupe_key}:{channel}"[:255])],
        ignore_conflicts=True)
    return bool(created)


# --- the inbox ------------------------------------------------------------------------------------
def message_mark_read(*, user, message_id: int) -> Message:
    """Mark one of the user's own messages read; anybody else's message does not exist (404)."""
    message = Message.objects.filter(pk=message_id, recipient=user).first()
    if message is None:
        raise Http404
    if message.read_at is None:
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=timezone.now())
        message.refresh_from_db(fields=["read_at"])
    return message


def message_mark_all_read(*, user) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


# --- the outbox -----------------------------------------------------------------------------------
@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0


def _claim(message_id: int, now: datetime.datetime) -> bool:
    # The WHERE status='pending' makes this a compare-and-set: of two workers, the database lets
    # exactly one UPDATE match. It runs in autocommit so the claim is visible before sending.
    return bool(OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.PENDING).update(
        status=OutboxMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1))


def _reclaim_stale(message: OutboxMessage, now: datetime.datetime) -> bool:
    return bool(OutboxMessage.objects.filter(
        pk=message.pk, status=OutboxMessage.Status.SENDING, claimed_at=message.claimed_at,
    ).update(claimed_at=now, attempts=F("attempts") + 1))


def _deliver(message_id: int, senders: dict[str, BaseSender], now: datetime.datetime, report: SendReport) -> None:
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        senders[message.channel].send(message)
    except SenderError as exc:
        if message.attempts >= MAX_ATTEMPTS:
            OutboxMessage.objects.filter(pk=message.pk).update(
                status=OutboxMessage.Status.FAILED, last_error=f"{ERR_TOO_MANY_ATTEMPTS} {exc}"[:2000])
            report.failed += 1
        else:
            backoff = datetime.timedelta(minutes=2 ** message.attempts)
            OutboxMessage.objects.filter(pk=message.pk).update(
                status=OutboxMessage.Status.PENDING, next_attempt_at=now + backoff, last_error=str(exc)[:2000])
            report.retried += 1
        return
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error="")
    report.sent += 1


def outbox_send_pending(
    *, now: datetime.datetime | None = None, limit: int = 200, senders: dict[str, BaseSender] | None = None
) -> SendReport:
    """Send due pending messages, then deal with messages a dead worker left in "sending".

    Safe to run in several workers at once and to re-run after a crash: see the module docstring.
    """
    now = now or timezone.now()
    senders = senders or {}
    report = SendReport()

    def sender(channel: str) -> BaseSender:
        if channel not in senders:
            senders[channel] = sender_for(channel)
        return senders[channel]

    stale = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING, claimed_at__lt=now - STALE_AFTER)
    for message in stale.order_by("id")[:limit]:
        if sender(message.channel).idempotent and message.attempts < MAX_ATTEMPTS:
            if _reclaim_stale(message, now):
                _deliver(message.pk, {message.channel: sender(message.channel)}, now, report)
            continue
        # Without an idempotent sender a resend might deliver twice: at most once wins.
        if OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.SENDING,
                                        claimed_at=message.claimed_at).update(
                status=OutboxMessage.Status.FAILED, last_error=str(ERR_DELIVERY_UNKNOWN)):
            report.failed += 1

    due = (OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
           .exclude(next_attempt_at__gt=now).order_by("id").values_list("id", "channel")[:limit])
    for message_id, channel in list(due):
        if not _claim(message_id, now):
            report.skipped += 1  # another worker took it
            continue
        _deliver(message_id, {channel: sender(channel)}, now, report)
    return report
