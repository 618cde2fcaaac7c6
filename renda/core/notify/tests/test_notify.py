"""Inbox and outbox: dedupe, exactly-once delivery across workers and restarts, senders."""

import datetime
import io
import threading

import pytest
from django.core import mail
from django.db import close_old_connections
from django.utils import timezone

from renda.core.notify import services
from renda.core.notify.models import Message, OutboxMessage
from renda.core.notify.senders import BaseSender, FileSender, HttpSMSSender, SenderError, SMTPSender
from renda.core.notify.tasks import outbox_send


class CountingSender(BaseSender):
    def __init__(self, idempotent=False, fail=0):
        self.sent: list[int] = []
        self.idempotent = idempotent
        self.fail = fail

    def send(self, message):
        if self.fail:
            self.fail -= 1
            raise SenderError("gateway down")
        self.sent.append(message.pk)


def _senders(sender):
    return {"sms": sender, "email": sender}


# --- creating notifications ---------------------------------------------------------------------------
def test_notify_creates_inbox_and_outbox_rows(make_user, congress):
    a, b = make_user("a"), make_user("b", phone="", email="")
    created = services.notify_users(users=[a, b, a], subject="提醒", body="内容", url="/calendar/",
                                    channels=("inbox", "sms", "email"), congress=congress)
    assert sorted(m.recipient_id for m in created) == sorted([a.pk, b.pk])
    assert Message.objects.count() == 2 and Message.objects.filter(congress=congress).count() == 2
    # b has neither phone nor e-mail: inbox only.
    assert sorted(OutboxMessage.objects.values_list("channel", "to_address")) == [
        ("email", "a@example.org"), ("sms", "13812345678")]
    assert all(o.status == "pending" for o in OutboxMessage.objects.all())


def test_dedupe_key_never_creates_the_same_notification_twice(make_user):
    a = make_user("a")
    for _ in range(3):
        services.notify_users(users=[a], subject="提醒", body="x", channels=("inbox", "sms"), dedupe_key="k1")
    assert Message.objects.count() == 1 and OutboxMessage.objects.count() == 1
    b = make_user("b")
    again = services.notify_users(users=[a, b], subject="提醒", body="x", channels=("inbox", "sms"), dedupe_key="k1")
    assert [m.recipient for m in again] == [b]
    assert Message.objects.count() == 2 and OutboxMessage.objects.count() == 2


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example", "javascript:alert(1)", "/\\evil"])
def test_only_same_site_links(make_user, url):
    services.notify_users(users=[make_user("a")], subject="s", body="b", url=url)
    assert Message.objects.get().url == ""


def test_unknown_channel_is_refused(make_user):
    with pytest.raises(ValueError):
        services.notify_users(users=[make_user("a")], subject="s", body="b", channels=("pigeon",))


# --- sending exactly once ------------------------------------------------------------------------------------
def test_two_workers_send_each_message_once(make_user):
    services.notify_users(users=[make_user("a"), make_user("b")], subject="s", body="b", channels=("sms", "email"))
    sender = CountingSender()
    first = services.outbox_send_pending(senders=_senders(sender))
    second = services.outbox_send_pending(senders=_senders(sender))
    assert (first.sent, second.sent) == (4, 0)
    assert sorted(sender.sent) == sorted(OutboxMessage.objects.values_list("id", flat=True))
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_a_claimed_message_is_not_taken_by_another_worker(make_user):
    services.notify_users(users=[make_user("a")], subject="s", body="b", channels=("sms",))
    message = OutboxMessage.objects.get()
    now = timezone.now()
    assert services._claim(message.pk, now) is True
    assert services._claim(message.pk, now) is False  # the second worker loses the compare-and-set
    sender = CountingSender()
    report = services.outbox_send_pending(now=now, senders=_senders(sender))
    assert sender.sent == [] and report.sent == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_in_threads_send_once(make_user):
    services.notify_users(users=[make_user(f"u{i}") for i in range(10)], subject="s", body="b", channels=("sms",))
    sender = CountingSender()
    lock = threading.Lock()

    class Locked(BaseSender):
        def send(self, message):
            with lock:
                sender.sent.append(message.pk)

    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            services.outbox_send_pending(senders=_senders(Locked()))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(sender.sent) == sorted(OutboxMessage.objects.values_list("id", flat=True))
    assert OutboxMessage.objects.filter(status="sent").count() == 10


def test_worker_restart_with_idempotent_sender_delivers_once(make_user, outbox_dir):
    services.notify_users(users=[make_user("a")], subject="提醒", body="b", channels=("sms",))
    message = OutboxMessage.objects.get()
    sender = FileSender(stream=io.StringIO())
    # Worker 1 claims, delivers, and dies before recording "sent".
    t0 = timezone.now()
    assert services._claim(message.pk, t0)
    sender.send(OutboxMessage.objects.get(pk=message.pk))
    # A worker restarted within 10 minutes leaves it alone…
    assert services.outbox_send_pending(now=t0 + datetime.timedelta(minutes=5), senders=_senders(sender)).sent == 0
    # …after 10 minutes it retries through the idempotent sender: still one delivered file.
    report = services.outbox_send_pending(now=t0 + datetime.timedelta(minutes=11), senders=_senders(sender))
    assert report.sent == 1
    assert len(list(outbox_dir.rglob("*.txt"))) == 1
    assert sender.stream.getvalue().count("[outbox]") == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert services.outbox_send_pending(now=t0 + datetime.timedelta(minutes=30), senders=_senders(sender)).sent == 0


def test_worker_restart_with_non_idempotent_sender_never_sends_twice(make_user):
    services.notify_users(users=[make_user("a")], subject="s", body="b", channels=("email",))
    message = OutboxMessage.objects.get()
    t0 = timezone.now()
    assert services._claim(message.pk, t0)  # the worker died after this
    sender = CountingSender(idempotent=False)
    report = services.outbox_send_pending(now=t0 + datetime.timedelta(minutes=11), senders=_senders(sender))
    assert sender.sent == [] and report.failed == 1
    message.refresh_from_db()
    assert message.status == "failed" and message.last_error == str(services.ERR_DELIVERY_UNKNOWN)


def test_errors_are_retried_with_backoff_then_given_up(make_user):
    services.notify_users(users=[make_user("a")], subject="s", body="b", channels=("sms",))
    sender = CountingSender(fail=1)
    t0 = timezone.now()
    assert services.outbox_send_pending(now=t0, senders=_senders(sender)).retried == 1
    message = OutboxMessage.objects.get()
    assert (message.status, message.last_error) == ("pending", "gateway down")
    assert services.outbox_send_pending(now=t0, senders=_senders(sender)).sent == 0  # not yet due
    assert services.outbox_send_pending(now=t0 + datetime.timedelta(hours=1), senders=_senders(sender)).sent == 1
    assert sender.sent == [message.pk]

    services.notify_users(users=[make_user("b")], subject="s", body="b", channels=("sms",))
    always = CountingSender(fail=99)
    later = t0
    for _ in range(services.MAX_ATTEMPTS):
        later += datetime.timedelta(days=1)
        services.outbox_send_pending(now=later, senders=_senders(always))
    failed = OutboxMessage.objects.get(status="failed")
    assert failed.attempts == services.MAX_ATTEMPTS and str(services.ERR_TOO_MANY_ATTEMPTS) in failed.last_error


def test_outbox_task_uses_configured_file_sender(make_user, outbox_dir, capsys):
    services.notify_users(users=[make_user("a")], subject="会议通知", body="明天开会", channels=("sms", "email"))
    result = outbox_send.enqueue()
    assert result.return_value["sent"] == 2
    files = sorted(outbox_dir.rglob("*.txt"))
    assert [f.parent.name for f in files] == ["email", "sms"]
    assert "明天开会" in files[0].read_text(encoding="utf-8")
    out = capsys.readouterr().out
    assert "138****5678" in out and "13812345678" not in out  # the console line masks the number


# --- senders ---------------------------------------------------------------------------------------------------
def test_smtp_sender(make_user):
    services.notify_users(users=[make_user("a")], subject="主题", body="正文", channels=("email", "sms"))
    sender = SMTPSender()
    email = OutboxMessage.objects.get(channel="email")
    sender.send(email)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["a@example.org"]
    assert f"renda-outbox-{email.pk}" in mail.outbox[0].extra_headers["Message-ID"]
    with pytest.raises(SenderError):
        sender.send(OutboxMessage.objects.get(channel="sms"))
    assert not SMTPSender.idempotent


def test_http_sms_sender(make_user, settings, monkeypatch):
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/sms"
    services.notify_users(users=[make_user("a")], subject="提醒", body="正文", channels=("sms",))
    calls = []

    class Response:
        status = 200

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

    def fake_urlopen(request, timeout):
        calls.append(request.data.decode())
        return Response()

    monkeypatch.setattr("urllib.request.urlopen", fake_urlopen)
    message = OutboxMessage.objects.get()
    HttpSMSSender().send(message)
    assert f"renda-outbox-{message.pk}" in calls[0] and "提醒" in calls[0]

    def down(request, timeout):
        raise OSError("connection refused")

    monkeypatch.setattr("urllib.request.urlopen", down)
    with pytest.raises(SenderError):
        HttpSMSSender().send(message)
