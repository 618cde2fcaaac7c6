"""Pluggable senders for the outbox, chosen per channel by settings.RENDA_SENDERS (dotted paths).

A sender delivers one OutboxMessage or raises SenderError. ``idempotent`` says whether sending
the same message twice delivers it only once (the file sender overwrites one file per message; an
SMS gateway that de-duplicates on our message id would too). The outbox resends a message whose
worker died mid-send only through an idempotent sender; otherwise it marks it for a human to
check, so nobody ever gets the same SMS twice.
"""

import json
import logging
import os
import sys
import urllib.request
from email.utils import make_msgid
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from renda.core.masking import mask_email, mask_phone

logger = logging.getLogger("renda.notify")


class SenderError(Exception):
    """Delivery failed; the outbox will retry later."""


class BaseSender:
    idempotent = False

    def send(self, message) -> None:  # pragma: no cover - interface
        raise NotImplementedError


def _masked(message) -> str:
    return mask_phone(message.to_address) if message.channel == "sms" else mask_email(message.to_address)


class FileSender(BaseSender):
    """Writes one file per message into settings.RENDA_OUTBOX_DIR and prints one line.

    The default on a machine with no mail server or SMS gateway: staff can read what would have
    been sent. The file name is the message id, so a resend rewrites the same file.
    """

    idempotent = True

    def __init__(self, directory: Path | str | None = None, stream=None):
        self.directory = Path(directory or settings.RENDA_OUTBOX_DIR)
        self.stream = stream

    def path_for(self, message) -> Path:
        return self.directory / message.channel / f"{message.pk:010d}.txt"

    def send(self, message) -> None:
        path = self.path_for(message)
        if path.exists():
            return  # already delivered by a worker that died before recording it
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(
                f"To: {message.to_address}\nChannel: {message.channel}\nSubject: {message.subject}\n\n{message.body}\n",
                encoding="utf-8",
            )
            os.replace(tmp, path)  # atomic: a reader never sees half a message
        except OSError as exc:
            raise SenderError(str(exc)) from exc
        line = f"[outbox] {message.channel} → {_masked(message)}: {message.subject} ({path})\n"
        (self.stream or sys.stdout).write(line)
        logger.info(line.strip())


class SMTPSender(BaseSender):
    """E-mail through Django's mail backend (EMAIL_HOST etc.).

    Not idempotent: SMTP has no "already delivered" answer. The Message-ID is derived from the
    outbox id so mail clients can at least fold duplicates.
    """

    def send(self, message) -> None:
        if message.channel != "email":
            raise SenderError("SMTPSender only sends e-mail")
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to_address],
            headers={"Message-ID": make_msgid(idstring=f"renda-outbox-{message.pk}")},
        )
        try:
            email.send(fail_silently=False)
        except Exception as exc:  # noqa: BLE001 - any transport error means "retry later"
            raise SenderError(str(exc)) from exc


class HttpSMSSender(BaseSender):
    """POSTs JSON {to, text, client_msg_id} to settings.SMS_GATEWAY_URL with a bearer token.

    Idempotent because the gateway contract is to de-duplicate on client_msg_id; adapt this class
    to the gateway the deployment actually uses.
    """

    idempotent = True
    timeout = 10

    def send(self, message) -> None:
        if message.channel != "sms":
            raise SenderError("HttpSMSSender only sends SMS")
        url = getattr(settings, "SMS_GATEWAY_URL", "")
        if not url:
            raise SenderError("SMS_GATEWAY_URL is not set")
        payload = json.dumps({
            "to": message.to_address,
            "text": f"{message.subject}：{message.body}" if message.body else message.subject,
            "client_msg_id": f"renda-outbox-{message.pk}",
        }, ensure_ascii=False).encode()
        request = urllib.request.Request(url, data=payload, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            "Authorization": f"Bearer {getattr(settings, 'SMS_GATEWAY_TOKEN', '')}",
        })
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
                if response.status >= 300:
                    raise SenderError(f"gateway answered {response.status}")
        except OSError as exc:
            raise SenderError(str(exc)) from exc


def sender_for(channel: str) -> BaseSender:
    path = settings.RENDA_SENDERS[channel]
    return import_string(path)()
