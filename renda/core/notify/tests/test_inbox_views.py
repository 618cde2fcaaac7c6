"""The inbox page: own messages only; anybody else's message is 404."""

import pytest
from django.urls import reverse

from renda.core.notify import services
from renda.core.notify.models import Message


@pytest.fixture
def two_users(make_user):
    a, b = make_user("alice"), make_user("bob")
    services.notify_users(users=[a], subject="给A的消息", body="<script>alert(1)</script>", url="/calendar/")
    services.notify_users(users=[b], subject="给B的消息", body="b")
    return a, b


def test_inbox_lists_only_own_messages_with_unread_count(client, two_users):
    a, _ = two_users
    client.force_login(a)
    response = client.get(reverse("notify:inbox"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "给A的消息" in html and "给B的消息" not in html
    assert response.context["unread_count"] == 1
    assert "<script>alert(1)</script>" not in html


def test_open_and_mark_read(client, two_users):
    a, _ = two_users
    client.force_login(a)
    mine = Message.objects.get(recipient=a)
    response = client.get(reverse("notify:message", args=[mine.pk]))
    assert response.status_code == 200 and 'href="/calendar/"' in response.content.decode()
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get(reverse("notify:inbox")).context["unread_count"] == 0


def test_others_messages_are_404(client, two_users):
    a, b = two_users
    theirs = Message.objects.get(recipient=b)
    client.force_login(a)
    assert client.get(reverse("notify:message", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notify:read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notify:message", args=[999999])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_and_read_all(client, two_users, make_user):
    a, b = two_users
    services.notify_users(users=[a], subject="第二条", body="x")
    client.force_login(a)
    first = Message.objects.filter(recipient=a).order_by("id").first()
    assert client.get(reverse("notify:read", args=[first.pk])).status_code == 405
    assert client.post(reverse("notify:read", args=[first.pk])).status_code == 302
    assert client.get(reverse("notify:inbox"), {"unread": "1"}).context["page"].paginator.count == 1
    client.post(reverse("notify:read_all"))
    assert not Message.objects.filter(recipient=a, read_at__isnull=True).exists()
    assert Message.objects.filter(recipient=b, read_at__isnull=True).exists()


def test_inbox_needs_login_and_bounded_queries(client, make_user, django_assert_max_num_queries):
    assert client.get(reverse("notify:inbox")).status_code == 302
    a = make_user("alice")
    services.notify_users(users=[a] * 1, subject="s", body="b")
    for i in range(30):
        services.notify_users(users=[a], subject=f"s{i}", body="b")
    client.force_login(a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("notify:inbox"), {"page": "2"})
    assert response.status_code == 200 and len(response.context["page"].object_list) == 11
    assert client.get(reverse("notify:inbox"), {"page": "abc"}).status_code == 200
