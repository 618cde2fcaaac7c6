"""The ballot engine through its services: every kind of vote, electronic and paper, ties, runoffs,
and the refusals a voter or a teller can meet (docs/ballots.md)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from renda.ballots import services
from renda.ballots.models import Ballot, Roll, Vote
from renda.ballots.tally import recompute
from renda.ballots.world import act, make_people, motion, voter
from renda.core.models import Event
from renda.core.workflow import ConflictError, InvalidTransition

pytestmark = pytest.mark.django_db


def codes(e: ValidationError) -> set[str]:
    return {err.code for errs in e.error_dict.values() for err in errs}


def open_vote(w, people, **kwargs):
    present = kwargs.pop("present", None)
    seated = kwargs.pop("seated", len(people))
    vote = services.create_vote(actor=act(w, "staff"), congress=w.city, seated=seated, **kwargs)
    return services.open_vote(actor=act(w, "staff"), vote_id=vote.pk, electorate=[p.pk for p in people],
                              present=None if present is None else [p.pk for p in present])


def close_and_publish(w, vote):
    services.close_vote(actor=act(w, "staff"), vote_id=vote.pk)
    return services.publish(actor=act(w, "staff"), vote_id=vote.pk)


# --- motions -------------------------------------------------------------------------------------------------


def test_a_motion_passes_with_more_than_half_of_all_members_and_says_why(world):
    people = make_people(35)
    vote = motion(world, people=people, present=people[:31])
    for p in people[:25]:
        services.cast(user=voter(p), vote_id=vote.pk, marks={str(vote.options.get().pk): "yes"})
    for p in people[25:28]:
        services.cast(user=voter(p), vote_id=vote.pk, marks={str(vote.options.get().pk): "no"})
    for p in people[28:30]:
        services.cast(user=voter(p), vote_id=vote.pk, marks={str(vote.options.get().pk): "abstain"})
    vote = close_and_publish(world, vote)
    assert vote.status == "published"
    (option,) = vote.result["options"]
    assert option["passed"] and (option["yes"], option["no"], option["abstain"]) == (25, 3, 2)
    assert vote.result["explanation"] == ("应到 35 人，出席 31 人，赞成 25 票，反对 3 票，弃权 2 票，未投票 1 人，"
                                          "超过全体组成人员 35 人的半数，通过")
    assert vote.snapshot["close"] == {**vote.snapshot["close"], "present": 31, "voted": 30}
    assert vote.result == recompute(vote)


def test_seventeen_of_thirty_five_fails_even_if_everyone_present_agrees(world):
    people = make_people(35)
    vote = motion(world, people=people, present=people[:17], quorum=None)
    key = str(vote.options.get().pk)
    for p in people[:17]:
        services.cast(user=voter(p), vote_id=vote.pk, marks={key: "yes"})
    vote = services.close_vote(actor=act(world, "staff"), vote_id=vote.pk)
    assert not vote.result["options"][0]["passed"]
    assert "未超过全体组成人员 35 人的半数，未通过" in vote.result["explanation"]


def test_a_vote_cannot_open_without_its_quorum(world):
    people = make_people(35)
    vote = services.create_vote(actor=act(world, "staff"), congress=world.city, title="议案", kind="motion",
                                quorum={"base": "seated", "num": 1, "den": 2}, seated=35)
    with pytest.raises(InvalidTransition) as e:
        services.open_vote(actor=act(world, "staff"), vote_id=vote.pk, electorate=[p.pk for p in people],
                           present=[p.pk for p in people[:17]])
    assert e.value.code == "no_quorum"
    assert "出席 17 人，未超过全体组成人员 35 人的半数" in e.value.message
    assert Vote.objects.get(pk=vote.pk).status == "draft" and not Roll.objects.filter(vote=vote).exists()
    services.open_vote(actor=act(world, "staff"), vote_id=vote.pk, electorate=[p.pk for p in people],
                       present=[p.pk for p in people[:18]])
    assert Roll.objects.filter(vote=vote, present=True).count() == 18


def test_a_second_ballot_is_refused_and_the_first_stands(world):
    people = make_people(3)
    vote = motion(world, people=people)
    key = str(vote.options.get().pk)
    services.cast(user=voter(people[0]), vote_id=vote.pk, marks={key: "yes"})
    with pytest.raises(ConflictError) as e:
        services.cast(user=voter(people[0]), vote_id=vote.pk, marks={key: "no"})
    assert e.value.code == "already_voted"
    assert list(Ballot.objects.filter(vote=vote).values_list("marks", flat=True)) == [{key: "yes"}]


def test_who_cannot_cast(world):
    people = make_people(4)
    vote = motion(world, people=people[:3], present=people[:2])
    key = str(vote.options.get().pk)
    with pytest.raises(PermissionDenied):  # not on the roll
        services.cast(user=voter(people[3]), vote_id=vote.pk, marks={key: "yes"})
    with pytest.raises(InvalidTransition) as e:  # on the roll, not checked in
        services.cast(user=voter(people[2]), vote_id=vote.pk, marks={key: "yes"})
    assert e.value.code == "not_present"
    with pytest.raises(PermissionDenied):  # a user with no person (a superuser is no voter)
        services.cast(user=act(world, "admin"), vote_id=vote.pk, marks={key: "yes"})
    # The member arrives: the meeting's check-in marks them present and they can vote.
    services.mark_present(actor=act(world, "staff"), vote_id=vote.pk, person_id=people[2].pk)
    services.cast(user=voter(people[2]), vote_id=vote.pk, marks={key: "yes"})
    services.close_vote(actor=act(world, "staff"), vote_id=vote.pk)
    with pytest.raises(ConflictError) as e:  # closed
        services.cast(user=voter(people[0]), vote_id=vote.pk, marks={key: "yes"})
    assert e.value.code == "not_open"
    assert Ballot.objects.filter(vote=vote).count() == 1


@pytest.mark.parametrize("marks", [None, "yes", {}, {"999": "yes"}, {"KEY": "maybe"}, {"KEY": ["yes"]},
                                   {"KEY": "yes", "extra": "no"}])
def test_a_malformed_paper_is_refused_and_the_voter_can_still_vote(world, marks):
    people = make_people(1)
    vote = motion(world, people=people)
    key = str(vote.options.get().pk)
    if isinstance(marks, dict):
        marks = {(key if k == "KEY" else k): v for k, v in marks.items()}
    with pytest.raises(ValidationError):
        services.cast(user=voter(people[0]), vote_id=vote.pk, marks=marks)
    assert not Roll.objects.get(vote=vote).voted
    services.cast(user=voter(people[0]), vote_id=vote.pk, marks={key: "no"})
    assert Roll.objects.get(vote=vote).voted


def test_only_the_congress_office_and_directors_run_votes(world):
    people = make_people(2)
    for role in ("deputy", "unit", "discipline", "evaluatee", "town_staff", "norole"):
        with pytest.raises(PermissionDenied):
            services.create_vote(actor=act(world, role), congress=world.city, title="议案", kind="motion")
    vote = services.create_vote(actor=act(world, "director"), congress=world.city, title="议案", kind="motion")
    with pytest.raises(PermissionDenied):
        services.open_vote(actor=act(world, "town_staff"), vote_id=vote.pk, electorate=[p.pk for p in people])
    services.open_vote(actor=act(world, "staff"), vote_id=vote.pk, electorate=[p.pk for p in people])
    with pytest.raises(PermissionDenied):
        services.close_vote(actor=act(world, "deputy"), vote_id=vote.pk)


# --- appointments: one paper, one motion per person ---------------------------------------------------------------


def test_appointments_are_decided_per_person(world):
    people = make_people(5)
    judges = make_people(2, prefix="法官")
    vote = open_vote(world, people, title="任命审判员", kind="appointment", secret=True,
                     options=[{"label": f"任命{j.name}为市人民法院审判员", "person_id": j.pk} for j in judges])
    a, b = (str(o.pk) for o in vote.options.order_by("position"))
    for i, p in enumerate(people):
        services.cast(user=voter(p), vote_id=vote.pk, marks={a: "yes", b: "yes" if i < 2 else "no"})
    vote = close_and_publish(world, vote)
    first, second = vote.result["options"]
    assert first["passed"] and not second["passed"]
    assert first["explanation"].startswith(f"任命{judges[0].name}为市人民法院审判员：应到 5 人")
    assert "赞成 2 票" in second["explanation"] and second["explanation"].endswith("未通过")


# --- choose k of n -----------------------------------------------------------------------------------------------


def choice(world, people, n=4, k=2, **kwargs):
    return open_vote(world, people, title="2023年民生实事项目票决", kind="choice", max_choices=k,
                     options=[{"label": f"项目{i + 1}"} for i in range(n)], **kwargs)


def test_choice_selects_by_votes(world):
    people = make_people(5)
    vote = choice(world, people)
    o = [o.pk for o in vote.options.order_by("position")]
    papers = [[o[0], o[1]], [o[0], o[2]], [o[0], o[1]], [o[1]], []]
    for p, chosen in zip(people, papers, strict=True):
        services.cast(user=voter(p), vote_id=vote.pk, marks={"chosen": chosen})
    vote = close_and_publish(world, vote)
    ranking = vote.result["ranking"]
    assert [(r["label"], r["votes"], r["selected"]) for r in ranking] == [
        ("项目1", 3, True), ("项目2", 3, True), ("项目3", 1, False), ("项目4", 0, False)]
    assert "应选 2 名，按得票多少依次当选：项目1、项目2" in vote.result["explanation"]


def test_choice_refuses_more_than_k(world):
    people = make_people(1)
    vote = choice(world, people)
    o = [o.pk for o in vote.options.order_by("position")]
    with pytest.raises(ValidationError) as e:
        services.cast(user=voter(people[0]), vote_id=vote.pk, marks={"chosen": o[:3]})
    assert codes(e.value) == {"too_many"}
    for bad in ({"chosen": [o[0], o[0]]}, {"chosen": [123456]}, {"chosen": "1"}, {"chosen": [1.5]}):
        with pytest.raises(ValidationError):
            services.cast(user=voter(people[0]), vote_id=vote.pk, marks=bad)


def test_a_tie_at_the_cut_line_waits_for_the_chair(world):
    people = make_people(4)
    vote = choice(world, people, n=3, k=1, tie_rule="chair")
    o = [o.pk for o in vote.options.order_by("position")]
    for p, chosen in zip(people, [[o[0]], [o[1]], [o[0]], [o[1]]], strict=True):
        services.cast(user=voter(p), vote_id=vote.pk, marks={"chosen": chosen})
    vote = services.close_vote(actor=act(world, "staff"), vote_id=vote.pk)
    assert not vote.result["decided"] and vote.result["open_places"] == 1
    assert "项目1、项目2 得票相同，并列争夺剩余 1 个名额，由主持人决定" in vote.result["explanation"]
    with pytest.raises(InvalidTransition) as e:
        services.publish(actor=act(world, "staff"), vote_id=vote.pk)
    assert e.value.code == "tie_undecided"
    with pytest.raises(ValidationError):  # not among the tied
        services.decide_tie(actor=act(world, "staff"), vote_id=vote.pk, chosen=[o[2]], note="抽签")
    with pytest.raises(ValidationError):  # too many
        services.decide_tie(actor=act(world, "staff"), vote_id=vote.pk, chosen=[o[0], o[1]], note="抽签")
    with pytest.raises(ValidationError):  # no reason
        services.decide_tie(actor=act(world, "staff"), vote_id=vote.pk, chosen=[o[1]], note=" ")
    services.decide_tie(actor=act(world, "staff"), vote_id=vote.pk, chosen=[o[1]], note="项目2 受益人口更多")
    vote = services.publish(actor=act(world, "staff"), vote_id=vote.pk)
    assert [r["label"] for r in vote.result["ranking"] if r["selected"]] == ["项目2"]
    assert vote.result["explanation"].endswith("主持人决定：项目2 当选（项目2 受益人口更多）")
    assert vote.result == recompute(vote)
    assert Event.objects.filter(object_id=vote.pk, action="tie_decided").count() == 1


def test_a_tie_at_the_cut_line_goes_to_a_runoff(world):
    people = make_people(6)
    vote = choice(world, people, n=4, k=2, tie_rule="runoff")
    o = [o.pk for o in vote.options.order_by("position")]
    papers = [[o[0], o[1]], [o[0], o[2]], [o[0], o[3]], [o[1], o[2]], [o[3]], []]
    for p, chosen in zip(people, papers, strict=True):
        services.cast(user=voter(p), vote_id=vote.pk, marks={"chosen": chosen})
    vote = close_and_publish(world, vote)  # published: 项目1 in, three tied for one place
    assert [r["label"] for r in vote.result["ranking"] if r["selected"]] == ["项目1"]
    assert sorted(r["label"] for r in vote.result["ranking"] if r["tied"]) == ["项目2", "项目3", "项目4"]
    runoff = services.start_runoff(actor=act(world, "staff"), vote_id=vote.pk)
    assert runoff.runoff_of_id == vote.pk and runoff.places == 1 and runoff.max_choices == 1
    assert list(runoff.options.values_list("label", flat=True)) == ["项目2", "项目3", "项目4"]
    with pytest.raises(InvalidTransition):  # one runoff at a time
        services.start_runoff(actor=act(world, "staff"), vote_id=vote.pk)


# --- score ballots -------------------------------------------------------------------------------------------------


def test_score_ballots_with_guards_and_a_trimmed_mean(world):
    people = make_people(5)
    judges = make_people(2, prefix="法官")
    vote = open_vote(world, people, title="2022年度审判员履职评议", kind="score",
                     options=[{"label": j.name, "person_id": j.pk} for j in judges])
    a, b = (str(o.pk) for o in vote.options.order_by("position"))
    with pytest.raises(ValidationError) as e:
        services.cast(user=voter(people[0]), vote_id=vote.pk, marks={a: [100] * 6, b: [100] * 6})
    assert codes(e.value) == {"all_full"}
    with pytest.raises(ValidationError) as e:
        services.cast(user=voter(people[0]), vote_id=vote.pk, marks={a: [80] * 6, b: [80] * 6})
    assert codes(e.value) == {"all_same"}
    with pytest.raises(ValidationError):
        services.cast(user=voter(people[0]), vote_id=vote.pk, marks={a: [80] * 5, b: [70] * 6})
    for p, (x, y) in zip(people, [(90, 70), (88, 72), (60, 90), (95, 60), (86, 75)], strict=True):
        services.cast(user=voter(p), vote_id=vote.pk, marks={a: [x] * 6, b: [y] * 6})
    vote = close_and_publish(world, vote)
    first, second = vote.result["options"]
    assert first["score"] == "88.00" and first["grade"] == "满意"  # (90 + 88 + 86) / 3, 60 and 95 dropped
    assert second["score"] == "72.33" and second["grade"] == "基本满意"  # (70 + 72 + 75) / 3
    assert first["dropped"] == 1 and first["papers"] == 5
    assert "去掉 1 个最高分和 1 个最低分后取平均" in vote.result["explanation"]
    assert vote.result == recompute(vote)


def test_score_config_is_checked(world):
    for config in ({"dimensions": []}, {"dimensions": [{"name": "x", "weight": 0, "max_score": 100}]},
                   {"dimensions": [{"name": "x", "weight": 1, "max_score": 100}], "trim": -1}, "six",
                   {"dimensions": [{"name": "", "weight": 1, "max_score": 100}]}):
        with pytest.raises(ValidationError) as e:
            services.create_vote(actor=act(world, "staff"), congress=world.city, title="评议", kind="score",
                                 options=[{"label": "甲"}], score_config=config)
        assert "score_config" in e.value.error_dict


# --- satisfaction ---------------------------------------------------------------------------------------------------


def test_satisfaction_vote(world):
    people = make_people(4)
    vote = open_vote(world, people, title="民生实事项目满意度测评", kind="satisfaction",
                     options=[{"label": "老旧小区改造"}, {"label": "农贸市场提升"}])
    a, b = (str(o.pk) for o in vote.options.order_by("position"))
    for p, (x, y) in zip(people, [("satisfied", "basic"), ("satisfied", "unsatisfied"), ("basic", "unsatisfied"),
                                  ("unsatisfied", "satisfied")], strict=True):
        services.cast(user=voter(p), vote_id=vote.pk, marks={a: x, b: y})
    vote = close_and_publish(world, vote)
    first, second = vote.result["options"]
    assert (first["satisfied"], first["basic"], first["unsatisfied"], first["rate"]) == (2, 1, 1, "75.00")
    assert second["rate"] == "50.00"


# --- paper votes --------------------------------------------------------------------------------------------------


def test_paper_totals_are_checked_for_consistency(world):
    people = make_people(35)
    vote = open_vote(world, people, title="议案", kind="motion", method="paper")
    key = str(vote.options.get().pk)
    staff = act(world, "staff")
    with pytest.raises(PermissionDenied):  # only the office enters the tellers' totals
        services.enter_paper_counts(actor=act(world, "deputy"), vote_id=vote.pk, issued=35, returned=35,
                                    options={key: {"yes": 20, "no": 10, "abstain": 5}})
    with pytest.raises(InvalidTransition) as e:
        services.cast(user=voter(people[0]), vote_id=vote.pk, marks={key: "yes"})
    assert e.value.code == "paper_vote"
    bad = [
        dict(issued=36, returned=30, options={key: {"yes": 20, "no": 5, "abstain": 5}}),  # more than entitled
        dict(issued=33, returned=34, options={key: {"yes": 20, "no": 5, "abstain": 5}}),  # returned > issued
        dict(issued=33, returned=31, invalid=2, options={key: {"yes": 20, "no": 5, "abstain": 5}}),  # 30 > 29 valid
        dict(issued=33, returned=31, options={}),  # missing totals
        dict(issued=33, returned=31, options={key: {"yes": "20", "no": 5, "abstain": 5}}),  # wrong type
        dict(issued=33, returned=31, options={key: {"yes": -1, "no": 5, "abstain": 5}}),
    ]
    for kwargs in bad:
        with pytest.raises(ValidationError):
            services.enter_paper_counts(actor=staff, vote_id=vote.pk, **kwargs)
    with pytest.raises(InvalidTransition):  # nothing entered: cannot close
        services.close_vote(actor=staff, vote_id=vote.pk)
    services.enter_paper_counts(actor=staff, vote_id=vote.pk, issued=33, returned=31, invalid=1,
                                options={key: {"yes": 24, "no": 4, "abstain": 2}})
    vote = close_and_publish(world, vote)
    (option,) = vote.result["options"]
    assert option["passed"] and (option["yes"], option["invalid"]) == (24, 1)
    assert vote.result["counts"]["cast"] == 31
    assert vote.result == recompute(vote)


def test_paper_choice_totals_cannot_exceed_k_per_paper(world):
    people = make_people(10)
    vote = choice(world, people, n=3, k=1, method="paper")
    o = [str(x.pk) for x in vote.options.order_by("position")]
    with pytest.raises(ValidationError) as e:
        services.enter_paper_counts(actor=act(world, "staff"), vote_id=vote.pk, issued=10, returned=10,
                                    options={o[0]: 5, o[1]: 4, o[2]: 3})
    assert codes(e.value) == {"inconsistent"}
    services.enter_paper_counts(actor=act(world, "staff"), vote_id=vote.pk, issued=10, returned=10,
                                options={o[0]: 5, o[1]: 4, o[2]: 1})
    vote = services.close_vote(actor=act(world, "staff"), vote_id=vote.pk)
    assert [r["label"] for r in vote.result["ranking"] if r["selected"]] == ["项目1"]


def test_paper_score_ballots_are_entered_one_by_one(world):
    people = make_people(4)
    vote = open_vote(world, people, title="评议", kind="score", method="paper",
                     options=[{"label": "甲"}, {"label": "乙"}])
    a, b = (str(o.pk) for o in vote.options.order_by("position"))
    staff = act(world, "staff")
    with pytest.raises(ValidationError) as e:
        services.enter_paper_ballot(actor=staff, vote_id=vote.pk, marks={a: [80] * 6, b: [70] * 6})
    assert codes(e.value) == {"issued_missing"}
    services.enter_paper_ballot(actor=staff, vote_id=vote.pk, marks={a: [80] * 6, b: [70] * 6}, issued=3)
    services.enter_paper_ballot(actor=staff, vote_id=vote.pk, marks={a: [100] * 6, b: [100] * 6})  # kept, invalid
    with pytest.raises(ValidationError):  # unreadable: not kept
        services.enter_paper_ballot(actor=staff, vote_id=vote.pk, marks={a: [80] * 6})
    services.enter_paper_ballot(actor=staff, vote_id=vote.pk, marks={a: [90] * 6, b: [60] * 6})
    with pytest.raises(ValidationError) as e:  # a fourth paper when three were issued
        services.enter_paper_ballot(actor=staff, vote_id=vote.pk, marks={a: [90] * 6, b: [60] * 6})
    assert codes(e.value) == {"inconsistent"}
    vote = services.close_vote(actor=staff, vote_id=vote.pk)
    assert vote.result["invalid"] == {"all_full": 1} and vote.result["valid"] == 2
    assert vote.result["options"][0]["score"] == "85.00"


# --- cancelling and configuration errors ------------------------------------------------------------------------------


def test_cancel_discards_the_papers(world):
    people = make_people(2)
    vote = motion(world, people=people)
    services.cast(user=voter(people[0]), vote_id=vote.pk, marks={str(vote.options.get().pk): "yes"})
    with pytest.raises(ValidationError):
        services.cancel(actor=act(world, "staff"), vote_id=vote.pk, note="")
    services.cancel(actor=act(world, "staff"), vote_id=vote.pk, note="表决器故障")
    assert Vote.objects.get(pk=vote.pk).status == "cancelled" and not Ballot.objects.filter(vote=vote).exists()


@pytest.mark.parametrize("kwargs,field", [
    (dict(title="", kind="motion"), "title"),
    (dict(title="x" * 201, kind="motion"), "title"),
    (dict(title="议案", kind="referendum"), "kind"),
    (dict(title="议案", kind="motion", method="telegraph"), "method"),
    (dict(title="议案", kind="motion", options=[{"label": "a"}, {"label": "b"}]), "options"),
    (dict(title="议案", kind="motion", rule={"base": "seated", "num": 3, "den": 2}), "rule"),
    (dict(title="议案", kind="motion", rule={"base": "everyone", "num": 1, "den": 2}), "rule"),
    (dict(title="议案", kind="motion", rule="1/2"), "rule"),
    (dict(title="议案", kind="motion", quorum={"base": "present", "num": 1, "den": 2}), "quorum"),
    (dict(title="任命", kind="appointment"), "options"),
    (dict(title="任命", kind="appointment", options=[{"label": "甲", "person_id": 10**9}]), "options"),
    (dict(title="票决", kind="choice", options=[{"label": "a"}], max_choices=2), "max_choices"),
    (dict(title="票决", kind="choice", options=[{"label": "a"}, {"label": "b"}], max_choices=1, places=3), "places"),
    (dict(title="票决", kind="choice", options=[{"label": "a"}], max_choices=1, tie_rule="coin"), "tie_rule"),
    (dict(title="测评", kind="satisfaction", options=[{"label": "a"}], rule={"base": "cast", "num": 1, "den": 2}),
     "rule"),
    (dict(title="议案", kind="motion", secret="yes"), "secret"),
    (dict(title="议案", kind="motion", seated=-1), "seated"),
])
def test_bad_configurations_get_a_field_error(world, kwargs, field):
    with pytest.raises(ValidationError) as e:
        services.create_vote(actor=act(world, "staff"), congress=world.city, **kwargs)
    assert field in e.value.error_dict
    assert not Vote.objects.exists()


def test_bad_electorates(world):
    people = make_people(3)
    vote = services.create_vote(actor=act(world, "staff"), congress=world.city, title="议案", kind="motion")
    for kwargs in (dict(electorate=[]), dict(electorate=[10**9]), dict(electorate="1,2"),
                   dict(electorate=[people[0].pk], present=[people[1].pk]),
                   dict(electorate=[p.pk for p in people], seated=2)):
        with pytest.raises(ValidationError):
            services.open_vote(actor=act(world, "staff"), vote_id=vote.pk, **kwargs)
    assert Vote.objects.get(pk=vote.pk).status == "draft"
