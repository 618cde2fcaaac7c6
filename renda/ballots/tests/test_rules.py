"""The legal rules as tables of edge cases and as properties (renda/ballots/rules.py, docs/ballots.md)."""

import random
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renda.ballots import rules as R
from renda.ballots.rules import Base, Counts, Threshold


def counts(seated=35, entitled=None, present=31, cast=None):
    entitled = seated if entitled is None else entitled
    return Counts(seated=seated, entitled=entitled, present=present, cast=present if cast is None else cast)


# --- majorities ------------------------------------------------------------------------------------------

HALF_OF_ALL = Threshold(Base.SEATED, 1, 2, inclusive=False)
TWO_THIRDS_OF_ALL = Threshold(Base.SEATED, 2, 3, inclusive=True)


@pytest.mark.parametrize("seated,yes,passed", [
    (35, 17, False),  # 17 of 35 is less than half
    (35, 18, True),  # odd base: 18 > 17.5
    (34, 17, False),  # even base: exactly half is not "过半数"
    (34, 18, True),
    (2, 1, False),
    (1, 1, True),
    (0, 0, False),  # nobody seated: nothing passes
])
def test_more_than_half_of_all_members_is_strict(seated, yes, passed):
    assert HALF_OF_ALL.met(yes, counts(seated=seated, present=seated)) is passed


def test_the_base_is_all_members_not_those_present():
    # 31 present of 35: 16 yes is a majority of those present but not of all members.
    c = counts(seated=35, present=31)
    assert not HALF_OF_ALL.met(16, c)
    assert Threshold(Base.PRESENT, 1, 2).met(16, c)
    # Abstentions and absentees count against a motion whose base is all members.
    assert not HALF_OF_ALL.met(17, counts(seated=35, present=35, cast=35))


@pytest.mark.parametrize("seated,yes,passed", [
    (30, 20, True),  # exactly two thirds: "三分之二以上" includes the bound
    (30, 19, False),
    (35, 24, True),  # 24*3 = 72 >= 70
    (35, 23, False),  # 69 < 70
    (3, 2, True),
    (4, 2, False),
    (4, 3, True),
])
def test_two_thirds_or_more_includes_the_bound(seated, yes, passed):
    assert TWO_THIRDS_OF_ALL.met(yes, counts(seated=seated, present=seated)) is passed


def test_two_thirds_strict_excludes_the_bound():
    assert not Threshold(Base.SEATED, 2, 3, inclusive=False).met(20, counts(seated=30, present=30))
    assert Threshold(Base.SEATED, 2, 3, inclusive=False).met(21, counts(seated=30, present=30))


@pytest.mark.parametrize("base,expected", [
    (Base.SEATED, False),  # 20 of 41 seated
    (Base.ENTITLED, False),  # 20 of 40 entitled: exactly half
    (Base.PRESENT, True),  # 20 of 36 present
    (Base.CAST, True),  # 20 of 30 cast
])
def test_each_base(base, expected):
    c = Counts(seated=41, entitled=40, present=36, cast=30)
    assert Threshold(base, 1, 2).met(20, c) is expected


def test_zero_votes_never_pass_even_inclusive_over_an_empty_base():
    assert not Threshold(Base.CAST, 1, 2, inclusive=True).met(0, Counts(0, 0, 0, 0))


@pytest.mark.parametrize("num,den", [(0, 2), (3, 2), (1, 0), (-1, 2)])
def test_impossible_fractions_are_refused(num, den):
    with pytest.raises(R.RuleError):
        Threshold(Base.SEATED, num, den)


def test_a_float_fraction_is_refused():
    with pytest.raises(R.RuleError):
        Threshold(Base.SEATED, 0.5, 1)


def test_rule_round_trips_through_its_stored_form():
    t = Threshold(Base.PRESENT, 2, 3, inclusive=True)
    assert Threshold.from_dict(t.to_dict()) == t


def test_quorum_is_more_than_half_of_all_members():
    assert not R.quorum_met(17, 35)
    assert R.quorum_met(18, 35)
    assert not R.quorum_met(17, 34)
    with pytest.raises(R.RuleError):
        R.quorum_met(18, 35, Threshold(Base.PRESENT, 1, 2))


def test_quorum_explains_itself():
    assert R.explain_quorum(18, 35) == "出席 18 人，超过全体组成人员 35 人的半数，符合法定人数"
    assert R.explain_quorum(17, 34) == "出席 17 人，未超过全体组成人员 34 人的半数，不足法定人数"


def test_the_motion_result_explains_itself():
    tally = R.tally_motion(["yes"] * 25 + ["no"] * 3 + ["abstain"] * 2)
    result = R.decide_motion(tally, Counts(seated=35, entitled=35, present=31, cast=30))
    assert result.passed
    assert result.explain() == ("应到 35 人，出席 31 人，赞成 25 票，反对 3 票，弃权 2 票，未投票 1 人，"
                                "超过全体组成人员 35 人的半数，通过")
    failed = R.decide_motion(R.MotionTally(yes=17, no=10, abstain=4), Counts(35, 35, 31, 31))
    assert not failed.passed
    assert failed.explain().endswith("未超过全体组成人员 35 人的半数，未通过")
    two_thirds = R.decide_motion(R.MotionTally(yes=20), Counts(30, 30, 30, 20), TWO_THIRDS_OF_ALL)
    assert two_thirds.explain().endswith("达到全体组成人员 30 人的三分之二，通过")


@pytest.mark.parametrize("num,den,text", [(1, 2, "半数"), (2, 3, "三分之二"), (3, 4, "四分之三"), (1, 10, "十分之一"),
                                          (11, 20, "二十分之十一"), (1, 1, "全部")])
def test_fraction_words(num, den, text):
    assert R.fraction_words(num, den) == text


def test_tally_counts_spoiled_marks_as_invalid():
    t = R.tally_motion(["yes", "no", "abstain", None, "maybe"])
    assert (t.yes, t.no, t.abstain, t.invalid, t.cast) == (1, 1, 1, 2, 5)


# --- choose k of n -------------------------------------------------------------------------------------------


def test_choice_ranks_by_votes_and_fills_the_places():
    votes = {"a": 30, "b": 25, "c": 25, "d": 10}
    r = R.rank_choices(votes, ["a", "b", "c", "d"], 3, counts())
    assert r.selected == ["a", "b", "c"]
    assert r.tied == [] and r.decided


def test_a_tie_at_the_cut_line_is_not_decided_by_paper_order():
    votes = {"a": 30, "b": 25, "c": 25, "d": 10}
    r = R.rank_choices(votes, ["a", "b", "c", "d"], 2, counts(), tie_rule=R.TieRule.CHAIR)
    assert r.selected == ["a"]
    assert r.tied == ["b", "c"]
    assert r.open_places == 1 and not r.decided
    assert r.tie_rule == R.TieRule.CHAIR


def test_a_tie_above_the_cut_line_is_harmless():
    r = R.rank_choices({"a": 9, "b": 9, "c": 5}, ["a", "b", "c"], 2, counts())
    assert r.selected == ["a", "b"] and r.decided


def test_a_tie_below_the_cut_line_is_harmless():
    r = R.rank_choices({"a": 9, "b": 5, "c": 5}, ["a", "b", "c"], 1, counts())
    assert r.selected == ["a"] and r.decided


def test_choice_threshold_leaves_places_empty():
    # "当选须得票超过有效票的半数": with 10 valid papers, 5 votes is not enough.
    rule = Threshold(Base.CAST, 1, 2)
    r = R.rank_choices({"a": 8, "b": 5, "c": 2}, ["a", "b", "c"], 2, counts(cast=10), rule=rule)
    assert r.selected == ["a"]
    assert r.below_threshold == ["b", "c"]
    assert r.decided and r.open_places == 1


def test_choice_papers_with_too_many_or_unknown_or_repeated_names_are_invalid():
    votes, valid, invalid = R.tally_choices([["a", "b"], ["a", "b", "c"], ["a", "a"], ["x"], []], ["a", "b", "c"], 2)
    assert votes == {"a": 1, "b": 1, "c": 0}
    assert (valid, invalid) == (2, 3)


# --- score ballots -----------------------------------------------------------------------------------------------

CONFIG = R.ScoreConfig(
    dimensions=(R.Dimension("政治能力", 2, 100), R.Dimension("业务能力", 1, 100)),
    trim=1,
    grades=(R.Grade(85, "满意"), R.Grade(60, "基本满意"), R.Grade(0, "不满意")),
)


def test_weighted_score_is_exact():
    assert R.weighted_score([90, 81], CONFIG) == Fraction(261, 3) == 87


def test_full_marks_everywhere_is_invalid():
    assert R.score_paper_problem({1: [100, 100], 2: [100, 100]}, [1, 2], CONFIG) == R.INVALID_ALL_FULL
    # Full marks for one target only is fine.
    assert R.score_paper_problem({1: [100, 100], 2: [90, 80]}, [1, 2], CONFIG) == ""


def test_the_same_score_for_every_target_is_invalid():
    assert R.score_paper_problem({1: [80, 80], 2: [80, 80]}, [1, 2], CONFIG) == R.INVALID_ALL_SAME
    # Different dimensions that weigh to the same total are the same score.
    assert R.score_paper_problem({1: [80, 80], 2: [70, 100]}, [1, 2], CONFIG) == R.INVALID_ALL_SAME
    # One target: nothing to compare.
    assert R.score_paper_problem({1: [80, 80]}, [1], CONFIG) == ""


def test_guards_are_configurable():
    lax = R.ScoreConfig(dimensions=CONFIG.dimensions, reject_all_full=False, reject_all_same=False)
    assert R.score_paper_problem({1: [100, 100], 2: [100, 100]}, [1, 2], lax) == ""


@pytest.mark.parametrize("paper", [
    {1: [80]},  # a dimension missing
    {1: [80, 101]},  # above the maximum
    {1: [80, -1]},
    {1: [80, 80.5]},  # not an integer
    {1: [80, True]},
    {2: [80, 80]},  # the wrong target
])
def test_malformed_papers(paper):
    assert R.score_paper_problem(paper, [1], CONFIG) == R.INVALID_SHAPE


def test_trimmed_mean_drops_highest_and_lowest():
    values = [Fraction(v) for v in (10, 80, 82, 84, 100)]
    assert R.trimmed_mean(values, 1) == (Fraction(246, 3), 1)
    assert R.trimmed_mean(values, 0) == (Fraction(356, 5), 0)
    # Not enough papers to drop: the mean of all, and it says so.
    assert R.trimmed_mean(values[:2], 1) == (Fraction(90, 2), 0)
    assert R.trimmed_mean([], 1) == (None, 0)


@pytest.mark.parametrize("score,grade", [(85, "满意"), (Fraction(8499, 100), "基本满意"), (60, "基本满意"),
                                         (Fraction(5999, 100), "不满意"), (0, "不满意")])
def test_grades_include_their_lower_bound(score, grade):
    assert R.grade_for(Fraction(score), CONFIG.grades) == grade


def test_score_results_per_target():
    papers = [{1: [90, 90], 2: [70, 70]}, {1: [80, 80], 2: [60, 60]}, {1: [100, 100], 2: [100, 100]},
              {1: [50, 50], 2: [90, 90]}, {1: [85, 85], 2: [80, 80]}]
    results, invalid = R.score_results(papers, [1, 2], CONFIG)
    assert invalid == {R.INVALID_ALL_FULL: 1}
    assert results[0].score == Fraction(80 + 85, 2) and results[0].grade == "基本满意"  # 50 and 90 dropped
    assert results[1].score == Fraction(70 + 80, 2) and results[1].dropped == 1
    assert R.display_score(Fraction(2, 3) * 100) == "66.67"


def test_score_config_round_trips():
    assert R.ScoreConfig.from_dict(CONFIG.to_dict()) == CONFIG
    assert len(R.default_score_config().dimensions) == 6


# --- satisfaction ------------------------------------------------------------------------------------------------


def test_satisfaction_rate():
    t = R.tally_satisfaction(["satisfied"] * 6 + ["basic"] * 2 + ["unsatisfied"] * 2 + ["?"])
    assert (t.valid, t.invalid, t.rate) == (10, 1, Fraction(4, 5))
    assert R.tally_satisfaction([]).rate is None


# --- properties ----------------------------------------------------------------------------------------------------

thresholds = st.builds(
    Threshold,
    base=st.sampled_from(list(Base)),
    den=st.integers(1, 12),
    num=st.just(1),
    inclusive=st.booleans(),
).flatmap(lambda t: st.integers(1, t.den).map(lambda n: Threshold(t.base, n, t.den, t.inclusive)))


@st.composite
def counts_and_yes(draw):
    seated = draw(st.integers(0, 3000))
    entitled = draw(st.integers(0, seated))
    present = draw(st.integers(0, entitled))
    cast = draw(st.integers(0, present))
    yes = draw(st.integers(0, cast))
    return Counts(seated, entitled, present, cast), yes


@given(thresholds, counts_and_yes())
def test_pass_is_exactly_the_integer_comparison(rule, cy):
    c, yes = cy
    base = c.of(rule.base)
    if rule.inclusive:
        assert rule.met(yes, c) == (yes > 0 and yes * rule.den >= rule.num * base)
    else:
        assert rule.met(yes, c) == (yes > 0 and yes * rule.den > rule.num * base)
        # A strict pass is never decided by rounding: the exact fraction is above the bound.
        if rule.met(yes, c):
            assert base == 0 or Fraction(yes, base) > Fraction(rule.num, rule.den)


@given(thresholds, counts_and_yes())
def test_one_more_yes_never_turns_a_pass_into_a_fail(rule, cy):
    c, yes = cy
    if rule.met(yes, c):
        assert rule.met(yes + 1, c)


marks = st.lists(st.sampled_from(["yes", "no", "abstain", None]), max_size=200)


@given(marks, st.randoms())
def test_motion_tally_is_invariant_to_ballot_order(papers, rnd):
    shuffled = list(papers)
    rnd.shuffle(shuffled)
    assert R.tally_motion(papers) == R.tally_motion(shuffled)


choice_papers = st.lists(st.lists(st.sampled_from("abcdefg"), max_size=4), max_size=120)


@given(choice_papers, st.integers(1, 4), st.integers(1, 7), st.randoms())
def test_choice_result_is_invariant_to_ballot_order(papers, k, places, rnd):
    options = list("abcdefg")
    shuffled = list(papers)
    rnd.shuffle(shuffled)
    a = R.tally_choices(papers, options, k)
    b = R.tally_choices(shuffled, options, k)
    assert a == b
    c = Counts(200, 200, 200, a[1])
    ra, rb = R.rank_choices(a[0], options, places, c), R.rank_choices(b[0], options, places, c)
    assert (ra.selected, ra.tied) == (rb.selected, rb.tied)
    # Never more selected than places; a tie group never straddles the cut line unresolved.
    assert len(ra.selected) + (ra.open_places if ra.tied else 0) <= places
    if ra.tied:
        tied_votes = {a[0][o] for o in ra.tied}
        assert len(tied_votes) == 1
        assert len(ra.tied) > ra.open_places
        (level,) = tied_votes
        assert all(a[0][o] > level for o in ra.selected)


score = st.integers(0, 100)
score_papers = st.lists(st.fixed_dictionaries({1: st.lists(score, min_size=2, max_size=2),
                                               2: st.lists(score, min_size=2, max_size=2)}), max_size=40)


@given(score_papers, st.randoms())
def test_score_results_are_invariant_to_ballot_order(papers, rnd):
    shuffled = list(papers)
    rnd.shuffle(shuffled)
    assert R.score_results(papers, [1, 2], CONFIG) == R.score_results(shuffled, [1, 2], CONFIG)


@given(st.lists(st.fractions(min_value=0, max_value=100), min_size=1, max_size=30), st.integers(0, 5))
def test_trimmed_mean_lies_between_the_extremes(values, trim):
    mean, dropped = R.trimmed_mean(values, trim)
    assert min(values) <= mean <= max(values)
    assert dropped in (0, trim)


def test_random_large_tally_matches_a_plain_count():
    rnd = random.Random(7)
    papers = [rnd.choice(["yes", "no", "abstain"]) for _ in range(3000)]
    t = R.tally_motion(papers)
    assert (t.yes, t.no, t.abstain) == (papers.count("yes"), papers.count("no"), papers.count("abstain"))
