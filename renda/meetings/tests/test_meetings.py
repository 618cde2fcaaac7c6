"""Meetings through their services: scheduling with the kind's members and notice rule, replies and
leave, check-in by QR and by staff, the quorum, votes on agenda items run by the chair, minutes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from renda.ballots import services as ballots
from renda.ballots.models import Roll
from renda.ballots.world import act, make_people, voter
from renda.core.notify.models import Message
from renda.core.workflow import ConflictError, InvalidTransition
from renda.meetings import selectors, services
from renda.meetings.models import Participant
from renda.meetings.world import committee, session

pytestmark = pytest.mark.django_db


def codes(e: ValidationError) -> set[str]:
    return {err.code for errs in e.error_dict.values() for err in errs}


def test_a_standing_session_takes_the_committee_as_its_members(world):
    c = committee(world)
    m = session(world, notified=False)
    members = list(m.participants.order_by("id").values_list("person_id", "role", "title"))
    assert len(members) == 35
    assert members[0] == (c.director.pk, "member", "主任")
    assert {r for _p, r, _t in members} == {"member"}
    assert m.notice_days == 10 and m.quorum == {"base": "seated", "num": 1, "den": 2, "inclusive": False}


def test_a_director_meeting_takes_the_directors_only(world):
    committee(world)
    m = services.schedule(actor=act(world, "staff"), congress=world.city, kind="directors", title="主任会议",
                          starts_at=timezone.now() + dt.timedelta(days=3))
    titles = sorted(m.participants.values_list("title", flat=True))
    assert titles == sorted(["主任", "副主任", "副主任", "副主任", "秘书长"])


def test_a_joint_meeting_takes_its_groups_deputies(world):
    group = world.group
    group.is_joint_meeting = True
    group.save()
    world.deputy.group = group
    world.deputy.save()
    m = services.schedule(actor=act(world, "staff"), congress=world.city, kind="joint", title="高新区人大代表联席会议",
                          starts_at=timezone.now() + dt.timedelta(days=5), group_id=group.pk)
    expected = set(group.deputies.filter(status="active").values_list("person_id", flat=True))
    assert world.person.pk in expected
    assert set(m.participants.values_list("person_id", flat=True)) == expected
    with pytest.raises(ValidationError) as e:
        services.schedule(actor=act(world, "staff"), congress=world.city, kind="joint", title="联席会议",
                          starts_at=timezone.now() + dt.timedelta(days=5))
    assert "group_id" in e.value.error_dict


def test_short_notice_is_warned_and_needs_a_reason(world):
    committee(world)
    start = timezone.now() + dt.timedelta(days=4)
    m = services.schedule(actor=act(world, "staff"), congress=world.city, kind="standing", title="第六次会议",
                          starts_at=start)
    assert services.notice_shortfall(m) == "距开会仅 4 天，少于常委会会议规定的提前 10 天通知。"
    with pytest.raises(ValidationError) as e:
        services.notify(actor=act(world, "staff"), meeting_id=m.pk)
    assert codes(e.value) == {"short_notice"}
    assert "距开会仅 4 天" in str(e.value)
    m = services.notify(actor=act(world, "staff"), meeting_id=m.pk, short_notice_reason="审议防汛紧急事项")
    assert m.status == "notified" and m.notice_note == "审议防汛紧急事项"
    long = services.schedule(actor=act(world, "staff"), congress=world.city, kind="standing", title="第七次会议",
                             starts_at=timezone.now() + dt.timedelta(days=12))
    assert services.notice_shortfall(long) == ""
    assert services.notify(actor=act(world, "staff"), meeting_id=long.pk).notice_note == ""


def test_the_notice_reaches_members_with_an_account(world, django_capture_on_commit_callbacks):
    committee(world)
    with django_capture_on_commit_callbacks(execute=True):
        m = session(world)
    assert Message.objects.filter(recipient=world.users["deputy"], subject__contains=m.title).exists()


def test_members_confirm_or_ask_for_leave_with_a_reason(world):
    committee(world)
    m = session(world)
    deputy = act(world, "deputy")
    with pytest.raises(ValidationError):
        services.reply(user=deputy, meeting_id=m.pk, attending=False, reason="")
    seat = services.reply(user=deputy, meeting_id=m.pk, attending=False, reason="赴省里参加培训")
    assert (seat.reply, seat.leave_reason) == ("leave", "赴省里参加培训")
    seat = services.reply(user=deputy, meeting_id=m.pk, attending=True)
    assert (seat.reply, seat.leave_reason) == ("attending", "")
    with pytest.raises(PermissionDenied):  # not a participant
        services.reply(user=act(world, "unit"), meeting_id=m.pk, attending=True)


def test_check_in_by_qr_code_and_by_staff_until_the_quorum(world):
    c = committee(world)
    m = session(world, convened=True)
    deputy = act(world, "deputy")
    with pytest.raises(InvalidTransition) as e:
        services.self_check_in(user=deputy, meeting_id=m.pk, token="guess")
    assert e.value.code == "bad_token"
    seat = services.self_check_in(user=deputy, meeting_id=m.pk, token=m.checkin_token)
    assert seat.checked_in_by == "self" and seat.checked_in_at is not None
    # Checking in twice changes nothing.
    again = services.self_check_in(user=deputy, meeting_id=m.pk, token=m.checkin_token)
    assert again.checked_in_at == seat.checked_in_at
    for p in c.people[2:17]:
        services.staff_check_in(actor=act(world, "staff"), meeting_id=m.pk, person_id=p.pk)
    a = selectors.attendance(m)
    assert (a.members, a.present, a.quorum_met) == (35, 16, False)
    assert a.explanation == "出席 16 人，未超过全体组成人员 35 人的半数，不足法定人数"
    for p in c.people[17:19]:
        services.staff_check_in(actor=act(world, "staff"), meeting_id=m.pk, person_id=p.pk)
    a = selectors.attendance(m)
    assert (a.present, a.quorum_met) == (18, True)
    with pytest.raises(ValidationError):  # not a participant
        services.staff_check_in(actor=act(world, "staff"), meeting_id=m.pk, person_id=world.person2.pk)
    with pytest.raises(PermissionDenied):
        services.staff_check_in(actor=act(world, "deputy"), meeting_id=m.pk, person_id=c.people[20].pk)


def test_attendees_and_observers_do_not_count_or_vote(world):
    c = committee(world)
    m = session(world, convened=True)
    guest = make_people(1, prefix="列席")[0]
    services.set_participant(actor=act(world, "staff"), meeting_id=m.pk, person_id=guest.pk, role="attendee",
                             title="市法院院长")
    services.staff_check_in(actor=act(world, "staff"), meeting_id=m.pk, person_id=guest.pk)
    a = selectors.attendance(m)
    assert (a.members, a.present, a.attendees_present) == (35, 0, 1)
    for p in c.people[:20]:
        services.staff_check_in(actor=act(world, "staff"), meeting_id=m.pk, person_id=p.pk)
    item = services.add_item(actor=act(world, "staff"), meeting_id=m.pk, title="关于市级财政决算的决议（草案）")
    vote = services.add_vote(actor=act(world, "staff"), item_id=item.pk, kind="motion", secret=False)
    services.open_vote(actor=act(world, "staff"), vote_id=vote.pk)
    assert not Roll.objects.filter(vote=vote, person=guest).exists()
    with pytest.raises(PermissionDenied):
        ballots.cast(user=voter(guest), vote_id=vote.pk, marks={str(vote.options.get().pk): "yes"})


def test_the_chair_runs_a_secret_appointment_vote_and_the_minutes_explain_it(world):
    c = committee(world)
    m = session(world, convened=True)
    for p in c.people[:31]:
        services.staff_check_in(actor=act(world, "staff"), meeting_id=m.pk, person_id=p.pk)
    judge = make_people(1, prefix="法官")[0]
    item = services.add_item(actor=act(world, "staff"), meeting_id=m.pk, title="人事任免事项", presenter="市法院院长")
    vote = services.add_vote(actor=act(world, "staff"), item_id=item.pk, kind="appointment", secret=True,
                             title="任命审判员", options=[{"label": f"任命{judge.name}为市人民法院审判员",
                                                       "person_id": judge.pk}])
    # The chair is the director, acting in the director role; a deputy who is no chair cannot open it.
    with pytest.raises(PermissionDenied):
        services.open_vote(actor=act(world, "deputy"), vote_id=vote.pk)
    chair = act(world, "director")
    vote = services.open_vote(actor=chair, vote_id=vote.pk)
    assert vote.snapshot["open"]["seated"] == 35 and len(vote.snapshot["open"]["present"]) == 31
    key = str(vote.options.get().pk)
    for p in c.people[:25]:
        ballots.cast(user=voter(p), vote_id=vote.pk, marks={key: "yes"})
    for p in c.people[25:31]:
        ballots.cast(user=voter(p), vote_id=vote.pk, marks={key: "abstain"})
    # A member who arrives late checks in and votes.
    late = c.people[31]
    services.staff_check_in(actor=act(world, "staff"), meeting_id=m.pk, person_id=late.pk)
    ballots.cast(user=voter(late), vote_id=vote.pk, marks={key: "no"})
    with pytest.raises(InvalidTransition):  # no adjourning with a vote open
        services.adjourn(actor=chair, meeting_id=m.pk)
    services.close_vote(actor=chair, vote_id=vote.pk)
    # After closing, an arrival changes nothing in the vote's roll.
    services.staff_check_in(actor=act(world, "staff"), meeting_id=m.pk, person_id=c.people[32].pk)
    assert Roll.objects.filter(vote=vote, present=True).count() == 32
    vote = services.publish_vote(actor=chair, vote_id=vote.pk)
    text = vote.result["options"][0]["explanation"]
    assert text == (f"任命{judge.name}为市人民法院审判员：应到 35 人，出席 32 人，赞成 25 票，反对 1 票，弃权 6 票，"
                    "超过全体组成人员 35 人的半数，通过")
    services.set_minutes(actor=act(world, "staff"), meeting_id=m.pk, minutes="会议审议通过了人事任免事项。",
                         decisions={item.pk: f"任命{judge.name}为市人民法院审判员。"})
    item.refresh_from_db()
    assert item.decision == f"任命{judge.name}为市人民法院审判员。"
    m = services.adjourn(actor=chair, meeting_id=m.pk)
    assert m.status == "adjourned"


def test_votes_need_the_meeting_in_session(world):
    committee(world)
    m = session(world)
    item = services.add_item(actor=act(world, "staff"), meeting_id=m.pk, title="议题")
    vote = services.add_vote(actor=act(world, "staff"), item_id=item.pk, kind="motion")
    with pytest.raises(InvalidTransition) as e:
        services.open_vote(actor=act(world, "staff"), vote_id=vote.pk)
    assert e.value.code == "not_in_session"


def test_agenda_order_and_removal(world):
    committee(world)
    m = session(world, notified=False)
    a = services.add_item(actor=act(world, "staff"), meeting_id=m.pk, title="甲")
    b = services.add_item(actor=act(world, "staff"), meeting_id=m.pk, title="乙")
    services.move_item(actor=act(world, "staff"), item_id=b.pk, up=True)
    assert list(m.items.order_by("position").values_list("title", flat=True)) == ["乙", "甲"]
    services.remove_item(actor=act(world, "staff"), item_id=a.pk)
    assert list(m.items.values_list("title", flat=True)) == ["乙"]


def test_check_in_only_on_the_day(world):
    committee(world)
    m = session(world, starts_at=timezone.now() + dt.timedelta(days=2))
    with pytest.raises(InvalidTransition) as e:
        services.self_check_in(user=act(world, "deputy"), meeting_id=m.pk, token=m.checkin_token)
    assert e.value.code == "not_today"


def test_cancel_needs_a_reason_and_tells_the_members(world):
    committee(world)
    m = session(world)
    with pytest.raises(ValidationError):
        services.cancel(actor=act(world, "staff"), meeting_id=m.pk, note="")
    m = services.cancel(actor=act(world, "staff"), meeting_id=m.pk, note="改期召开")
    assert m.status == "cancelled"
    with pytest.raises(ConflictError):
        services.add_item(actor=act(world, "staff"), meeting_id=m.pk, title="议题")


@pytest.mark.parametrize("kwargs,field", [
    (dict(kind="party", title="会", starts_at="2026-12-01T09:00"), "kind"),
    (dict(kind="standing", title="", starts_at="2026-12-01T09:00"), "title"),
    (dict(kind="standing", title="会", starts_at="not a date"), "starts_at"),
    (dict(kind="standing", title="会", starts_at="3026-12-01T09:00"), "starts_at"),
    (dict(kind="standing", title="会", starts_at="2026-12-01T09:00", ends_at="2026-12-01T08:00"), "ends_at"),
    (dict(kind="standing", title="会", starts_at="2026-12-01T09:00", notice_days=-1), "notice_days"),
    (dict(kind="standing", title="会", starts_at="2026-12-01T09:00", quorum={"base": "present", "num": 1, "den": 2}),
     "quorum"),
    (dict(kind="standing", title="会", starts_at="2026-12-01T09:00", chair_id=10**9), "chair_id"),
])
def test_bad_schedules(world, kwargs, field):
    with pytest.raises(ValidationError) as e:
        services.schedule(actor=act(world, "staff"), congress=world.city, **kwargs)
    assert field in e.value.error_dict


def test_only_the_office_schedules(world):
    for role in ("deputy", "unit", "evaluatee", "town_staff"):
        with pytest.raises(PermissionDenied):
            services.schedule(actor=act(world, role), congress=world.city, kind="directors", title="会",
                              starts_at=timezone.now())


def test_participants_see_their_meetings_and_nobody_else_does(world):
    committee(world)
    m = session(world)
    assert selectors.meetings_for_user(act(world, "deputy")).filter(pk=m.pk).exists()
    assert selectors.meetings_for_user(act(world, "staff")).filter(pk=m.pk).exists()
    assert not selectors.meetings_for_user(act(world, "unit")).filter(pk=m.pk).exists()
    assert not selectors.meetings_for_user(act(world, "town_staff")).filter(pk=m.pk).exists()
    assert Participant.objects.filter(meeting=m).count() == 35


def test_a_runoff_joins_the_agenda_item_and_the_chair_opens_it(world):
    c = committee(world)
    m = session(world, convened=True)
    for p in c.people[:20]:
        services.staff_check_in(actor=act(world, "staff"), meeting_id=m.pk, person_id=p.pk)
    item = services.add_item(actor=act(world, "staff"), meeting_id=m.pk, title="票决")
    vote = services.add_vote(actor=act(world, "staff"), item_id=item.pk, kind="choice", max_choices=1,
                             tie_rule="runoff", options=[{"label": "甲"}, {"label": "乙"}, {"label": "丙"}])
    services.open_vote(actor=act(world, "staff"), vote_id=vote.pk)
    a, b, _c = vote.options.order_by("position").values_list("pk", flat=True)
    for i, p in enumerate(c.people[:4]):
        ballots.cast(user=voter(p), vote_id=vote.pk, marks={"chosen": [a if i % 2 else b]})
    services.close_vote(actor=act(world, "staff"), vote_id=vote.pk)
    runoff = ballots.start_runoff(actor=act(world, "staff"), vote_id=vote.pk)
    assert list(item.votes.order_by("id").values_list("pk", flat=True)) == [vote.pk, runoff.pk]
    runoff = services.open_vote(actor=act(world, "director"), vote_id=runoff.pk)
    assert len(runoff.snapshot["open"]["present"]) == 20
