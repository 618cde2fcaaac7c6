"""The demo's meetings: the committee's 2022 sessions with resolutions and appointments, the zone's joint
meeting of 31 August 2022 with its 45 deputies, director meetings, the 2023 project vote and an upcoming
session; dated through the services, idempotent, and reset with the rest of the demo."""

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from renda.ballots.models import Ballot, Vote
from renda.core.models import Event
from renda.demo.meetings import DOCX_MIME, demo_meetings_delete, load_demo_meetings
from renda.demo.selectors import demo_city_congress
from renda.demo.services import load_demo
from renda.deputies.models import Deputy, Person
from renda.meetings.models import Document, Meeting, Participant
from renda.meetings.services import notice_shortfall

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        out = StringIO()
        summary = load_demo_meetings(stdout=out)
        try:
            yield summary, out.getvalue()
        finally:
            transaction.set_rollback(True)


def _local_day(moment):
    return timezone.localdate(moment)


def _votes(meeting):
    return Vote.objects.filter(agenda_items__meeting=meeting).distinct().order_by("id")


def test_the_committees_sessions_of_2022(demo):
    sessions = list(Meeting.objects.filter(kind="standing", starts_at__year=2022).order_by("starts_at"))
    assert len(sessions) == 6
    months = [_local_day(m.starts_at).month for m in sessions]
    assert months == [2, 4, 6, 8, 10, 12]  # about every two months
    for m in sessions:
        assert m.status == "adjourned" and m.minutes and "全体组成人员" in m.minutes
        assert m.chair.committee_posts.filter(post="director").exists()
        # Notified in time (10 days), without a short-notice reason.
        assert (_local_day(m.starts_at) - _local_day(m.notified_at)).days >= 10 and not m.notice_note
        members = m.participants.filter(role="member")
        assert members.count() == 33
        present = members.filter(checked_in_at__isnull=False)
        on_leave = members.filter(reply="leave")
        assert present.count() * 2 > 33 and on_leave.exists()
        assert not on_leave.filter(leave_reason="").exists() and not on_leave.filter(checked_in_at__isnull=False)
        assert {_local_day(p.checked_in_at) for p in present} == {_local_day(m.starts_at)}
        assert m.participants.filter(role="attendee").exists()  # deputies invited to attend
        assert m.items.count() >= 3 and not m.items.filter(decision="").exists()
        docs = Document.objects.filter(meeting=m)
        assert docs.exists() and not docs.filter(published_at__isnull=True).exists()
        assert {d.attachment.mime_type for d in docs} == {DOCX_MIME}
        votes = _votes(m)
        assert votes.filter(kind="appointment").count() == 1
        for v in votes:
            assert v.status == "published" and v.kind in ("motion", "appointment")
            assert "全体组成人员" in v.result["explanation"]
            assert all(o["passed"] for o in v.result["options"])
            assert v.result["counts"]["seated"] == 33
    resolutions = Vote.objects.filter(agenda_items__meeting__in=sessions, kind="motion")
    titles = set(resolutions.values_list("title", flat=True))
    assert {"关于批准2021年市级财政决算的决议", "关于召开太仓市第十七届人民代表大会第二次会议的决定"} <= titles
    assert not resolutions.filter(secret=True).exists()  # resolutions are named votes
    assert Ballot.objects.filter(vote__in=resolutions, voter__isnull=True).count() == 0


def test_appointments_of_every_judge_and_prosecutor_one_option_each(demo):
    appointments = Vote.objects.filter(kind="appointment", agenda_items__meeting__kind="standing")
    assert set(appointments.values_list("secret", flat=True)) == {True}
    assert appointments.filter(method="paper").count() == 1 and appointments.filter(method="electronic").exists()
    appointed = [pid for v in appointments for pid in v.options.values_list("person_id", flat=True)]
    judges = Person.objects.filter(occupation__startswith="太仓市人民法院")
    prosecutors = Person.objects.filter(occupation__startswith="太仓市人民检察院")
    assert sorted(appointed) == sorted([p.pk for p in judges] + [p.pk for p in prosecutors])
    assert judges.count() == 10 and prosecutors.count() == 6
    # Secret papers carry no voter; a few members voted no or abstained, nobody was rejected.
    electronic = appointments.filter(method="electronic")
    assert not Ballot.objects.filter(vote__in=electronic, voter__isnull=False).exists()
    results = [o for v in appointments for o in v.result["options"]]
    assert all(o["passed"] for o in results) and sum(o["no"] + o["abstain"] for o in results) > 0


def test_the_zone_joint_meeting_of_31_august_2022_with_its_45_deputies(demo):
    m = Meeting.objects.get(kind="joint")
    assert _local_day(m.starts_at).isoformat() == "2022-08-31" and m.status == "adjourned"
    assert m.group.is_joint_meeting
    members = m.participants.filter(role="member")
    assert members.count() == 45
    assert set(members.values_list("person_id", flat=True)) == set(
        Deputy.objects.filter(group=m.group).values_list("person_id", flat=True))
    assert members.filter(checked_in_at__isnull=False).count() == 45
    assert m.items.filter(title="听取高新区重点项目建设情况汇报").exists()
    satisfaction = _votes(m).get(kind="satisfaction")
    assert satisfaction.status == "published" and satisfaction.secret
    rows = satisfaction.result["options"]
    assert len(rows) == 2 and all(r["satisfied"] + r["basic"] + r["unsatisfied"] == 45 for r in rows)
    assert all(r["satisfied"] > r["basic"] for r in rows)


def test_director_meetings(demo):
    meetings = Meeting.objects.filter(kind="directors")
    assert meetings.count() >= 1
    for m in meetings:
        assert m.status == "adjourned" and m.minutes
        posts = set(Participant.objects.filter(meeting=m, role="member")
                    .values_list("person__committee_posts__post", flat=True))
        assert posts == {"director", "vice_director", "secretary_general"}
        assert m.participants.filter(role="attendee").count() == 8  # the working committees' heads
    assert sum(_votes(m).count() for m in meetings) >= 1  # a simple motion


def test_the_2023_congress_chooses_10_of_20_livelihood_projects(demo):
    city = demo_city_congress()
    m = Meeting.objects.get(kind="congress")
    assert m.status == "adjourned" and _local_day(m.starts_at).isoformat() == "2023-01-07"
    active = Deputy.objects.filter(congress=city, status="active").count()
    assert m.participants.filter(role="member").count() == active
    vote = _votes(m).get()
    assert vote.kind == "choice" and vote.max_choices == vote.places == 10 and vote.options.count() == 20
    assert vote.status == "published" and vote.result["decided"]
    selected = [r for r in vote.result["ranking"] if r["selected"]]
    assert len(selected) == 10 and not any(r["tied"] for r in vote.result["ranking"])
    assert _local_day(vote.opened_at).isoformat() == "2023-01-10"  # on the session's last day
    assert Ballot.objects.filter(vote=vote).count() == vote.result["counts"]["cast"] > active * 2 // 3


def test_an_upcoming_session_members_can_reply_to(demo):
    now = timezone.now()
    m = Meeting.objects.get(starts_at__gt=now)
    assert m.kind == "standing" and m.status == "notified" and m.notified_at <= now
    assert notice_shortfall(m, m.notified_at) == ""
    assert m.items.count() == 4 and not m.documents.filter(published_at__isnull=True).exists()
    replies = dict(m.participants.values_list("person_id", "reply"))
    assert "pending" in replies.values() and "leave" in replies.values()
    assert replies[m.chair_id] == "pending"  # the demo director can still answer
    assert not m.participants.filter(checked_in_at__isnull=False).exists()
    assert _votes(m).get().status == "draft"
    from renda.accounts.models import User

    deputy = User.objects.get(username="deputy")
    assert m.participants.get(person_id=deputy.person_id).role == "attendee"


def test_timelines_are_dated_when_things_happened(demo):
    now = timezone.now()
    ct = ContentType.objects.get_for_model(Meeting)
    for m in Meeting.objects.all():
        events = list(Event.objects.filter(content_type=ct, object_id=m.pk).order_by("id"))
        times = [e.created_at for e in events]
        assert times == sorted(times) and times[-1] <= now, m.title
        actions = [e.action for e in events]
        if m.status == "adjourned":
            assert actions == ["schedule", "notify", "convene", "adjourn", "minutes"], m.title
            assert _local_day(times[2]) == _local_day(m.starts_at)
    for v in Vote.objects.filter(status="published"):
        assert v.opened_at <= v.closed_at <= v.published_at <= now


def test_summary_second_run_adds_nothing_and_delete_clears(demo):
    summary, out = demo
    assert f"会议 {summary.total} 次" in out and summary.total == Meeting.objects.count() == 11
    assert summary.votes == Vote.objects.count() and summary.published == summary.votes - 1
    before = (Meeting.objects.count(), Vote.objects.count(), Event.objects.count(), Participant.objects.count())
    again = StringIO()
    load_demo_meetings(stdout=again)
    assert (Meeting.objects.count(), Vote.objects.count(), Event.objects.count(),
            Participant.objects.count()) == before
    assert "载入完成" not in again.getvalue()
    with transaction.atomic():
        demo_meetings_delete()
        assert not Meeting.objects.exists() and not Vote.objects.exists() and not Document.objects.exists()
        transaction.set_rollback(True)


def test_the_command_resets_and_reloads_the_meetings(demo, monkeypatch):
    """The meetings' seats, options and ballots point at the demo's people: a reset removes them first.
    (The opinions and suggestions, which load in the same command, have their own tests.)"""
    from django.core.management import call_command

    from renda.demo.management.commands import demo_data

    monkeypatch.setattr(demo_data, "load_demo_opinions", lambda **kw: None)
    monkeypatch.setattr(demo_data, "load_demo_suggestions", lambda **kw: None)
    old = demo_city_congress().pk
    call_command("demo_data", "--reset", stdout=StringIO())
    city = demo_city_congress()
    assert city.pk != old
    counts = (Meeting.objects.filter(congress=city).count(), Vote.objects.filter(congress=city).count())
    assert counts == (11, 18)
    out = StringIO()
    call_command("demo_data", stdout=out)
    assert (Meeting.objects.filter(congress=city).count(), Vote.objects.filter(congress=city).count()) == counts
    assert "会议 11 次" in out.getvalue()
