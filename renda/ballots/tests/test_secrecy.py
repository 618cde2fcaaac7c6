"""Secret ballots: no voter and no time on a paper, the roll kept apart, nothing that joins the two,
and no result before the chair publishes it (docs/ballots.md)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import IntegrityError, models, transaction

from renda.ballots import selectors, services
from renda.ballots.models import Ballot, Roll
from renda.ballots.world import act, make_people, motion, voter
from renda.core.models import Event

pytestmark = pytest.mark.django_db

TIME_FIELDS = (models.DateTimeField, models.DateField, models.TimeField, models.DurationField)


def test_a_ballot_row_has_no_time_and_no_sequential_id():
    fields = Ballot._meta.get_fields()
    assert not [f.name for f in fields if isinstance(f, TIME_FIELDS)]
    assert isinstance(Ballot._meta.pk, models.UUIDField)
    relations = {f.name: f.related_model._meta.label for f in fields if f.is_relation}
    # Its vote, and a voter column that only a named (记名) vote may fill (next test).
    assert relations == {"vote": "ballots.Vote", "voter": "deputies.Person"}


def test_the_roll_has_no_time_and_no_link_to_a_ballot():
    assert not [f.name for f in Roll._meta.get_fields() if isinstance(f, TIME_FIELDS)]
    assert {f.related_model._meta.label for f in Roll._meta.get_fields() if f.is_relation} == {
        "ballots.Vote", "deputies.Person"}
    # No model anywhere points at a ballot.
    pointing = [f"{m._meta.label}.{f.name}" for m in apps.get_models() for f in m._meta.get_fields()
                if f.is_relation and f.related_model is Ballot and f.model is not Ballot and not f.auto_created]
    assert pointing == []


def test_the_schema_refuses_a_secret_ballot_with_a_voter(world):
    people = make_people(1)
    vote = motion(world, people=people, secret=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(vote=vote, secret=True, voter=people[0], marks={})


def test_secret_papers_carry_no_voter_and_casting_writes_no_event(world):
    people = make_people(3)
    vote = motion(world, people=people, secret=True)
    key = str(vote.options.get().pk)
    events = Event.objects.count()
    for p in people:
        services.cast(user=voter(p), vote_id=vote.pk, marks={key: "yes"})
    assert Event.objects.count() == events
    assert list(Ballot.objects.filter(vote=vote).values_list("voter", flat=True)) == [None, None, None]


def test_named_votes_record_the_voter(world):
    people = make_people(2)
    vote = motion(world, people=people, secret=False)
    key = str(vote.options.get().pk)
    services.cast(user=voter(people[0]), vote_id=vote.pk, marks={key: "no"})
    assert Ballot.objects.get(vote=vote).voter_id == people[0].pk


def test_the_roll_keeps_the_order_of_the_electorate_not_of_voting(world):
    people = make_people(5)
    vote = motion(world, people=people, secret=True)
    key = str(vote.options.get().pk)
    before = list(Roll.objects.filter(vote=vote).values_list("id", "person_id"))
    for p in reversed(people):
        services.cast(user=voter(p), vote_id=vote.pk, marks={key: "yes"})
    assert list(Roll.objects.filter(vote=vote).values_list("id", "person_id")) == before
    assert [pid for _, pid in before] == sorted(p.pk for p in people)


def test_closing_a_secret_vote_rewrites_its_papers(world):
    people = make_people(4)
    vote = motion(world, people=people, secret=True)
    key = str(vote.options.get().pk)
    for p in people:
        services.cast(user=voter(p), vote_id=vote.pk, marks={key: "yes"})
    ids_before = set(Ballot.objects.filter(vote=vote).values_list("id", flat=True))
    services.close_vote(actor=act(world, "staff"), vote_id=vote.pk)
    ids_after = set(Ballot.objects.filter(vote=vote).values_list("id", flat=True))
    assert len(ids_after) == 4 and not ids_before & ids_after


def test_ballots_and_the_roll_are_not_in_the_admin():
    assert Ballot not in admin.site._registry and Roll not in admin.site._registry


def test_results_are_hidden_until_published(world):
    people = make_people(3)
    vote = motion(world, people=people, secret=True)
    key = str(vote.options.get().pk)
    for p in people:
        services.cast(user=voter(p), vote_id=vote.pk, marks={key: "yes"})
    assert selectors.visible_result(vote) is None
    assert selectors.progress(vote) == {"entitled": 3, "present": 3, "voted": 3}
    vote = services.close_vote(actor=act(world, "staff"), vote_id=vote.pk)
    assert vote.result is not None and selectors.visible_result(vote) is None
    vote = services.publish(actor=act(world, "staff"), vote_id=vote.pk)
    assert selectors.visible_result(vote)["options"][0]["yes"] == 3
