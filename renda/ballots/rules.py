"""The legal rules of a vote: plain data and small pure functions, integer arithmetic only.

Nothing here touches the database. A vote stores its rule (``Threshold.to_dict``) and the counts of
who was seated, entitled, present and voting (``Counts``) beside its result, so any result can be
recomputed and explained later with exactly these functions. See docs/ballots.md.

Arithmetic: "过半数" (more than half) is ``count * den > num * base``; "三分之二以上" (two thirds or
more) is ``count * den >= num * base``. No fraction is ever rounded before it is compared; scores are
kept as ``Fraction`` and only rounded for display.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from django.utils.translation import gettext as _


class RuleError(ValueError):
    """A rule or a configuration that cannot be applied (a fraction above one, no dimensions…)."""


class Base(StrEnum):
    SEATED = "seated"  # 全体组成人员: every member of the body, present or not
    ENTITLED = "entitled"  # 应到: the members entitled to vote in this vote
    PRESENT = "present"  # 出席: the entitled members present when the vote opened
    CAST = "cast"  # 投票: the ballots cast (valid or not)


def base_label(base: Base | str) -> str:
    return {
        Base.SEATED: _("全体组成人员"),
        Base.ENTITLED: _("应到人员"),
        Base.PRESENT: _("出席人员"),
        Base.CAST: _("投票人员"),
    }[Base(base)]


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals (三, 十二, 二十); larger numbers stay Arabic."""
    if not 0 <= n < 100:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def fraction_words(num: int, den: int) -> str:
    """1/2 → 半数, 2/3 → 三分之二."""
    if (num, den) == (1, 2):
        return _("半数")
    if num == den:
        return _("全部")
    return _("%(den)s分之%(num)s") % {"den": chinese_number(den), "num": chinese_number(num)}


@dataclass(frozen=True)
class Counts:
    """Who could and did take part, as recorded in the vote's snapshot."""

    seated: int
    entitled: int
    present: int
    cast: int

    def __post_init__(self):
        for name in ("seated", "entitled", "present", "cast"):
            if getattr(self, name) < 0:
                raise RuleError(f"{name} is negative")

    def of(self, base: Base | str) -> int:
        return getattr(self, Base(base).value)

    def to_dict(self) -> dict:
        return {"seated": self.seated, "entitled": self.entitled, "present": self.present, "cast": self.cast}

    @classmethod
    def from_dict(cls, d: Mapping) -> Counts:
        return cls(seated=int(d["seated"]), entitled=int(d["entitled"]), present=int(d["present"]),
                   cast=int(d["cast"]))


@dataclass(frozen=True)
class Threshold:
    """A share of a base: "more than half of all members" or "two thirds or more of those present".

    inclusive=False is "过半数"/"超过": strictly more than num/den of the base.
    inclusive=True is "…以上": num/den of the base or more.
    A count of zero never meets a threshold (an empty hall does not pass a motion by 0 ≥ 0).
    """

    base: Base = Base.SEATED
    num: int = 1
    den: int = 2
    inclusive: bool = False

    def __post_init__(self):
        object.__setattr__(self, "base", Base(self.base))
        if not (isinstance(self.num, int) and isinstance(self.den, int)):
            raise RuleError("num and den must be integers")
        if self.den <= 0 or self.num <= 0 or self.num > self.den:
            raise RuleError("the fraction must be between 0 (exclusive) and 1")

    def met(self, count: int, counts: Counts) -> bool:
        base = counts.of(self.base)
        if count <= 0:
            return False
        if self.inclusive:
            return count * self.den >= self.num * base
        return count * self.den > self.num * base

    def _who(self, counts: Counts | None) -> str:
        who = base_label(self.base)
        if counts is not None:
            who = _("%(who)s %(n)s 人") % {"who": who, "n": counts.of(self.base)}
        return who

    def describe(self, counts: Counts | None = None) -> str:
        """The rule as a phrase: 全体组成人员的过半数 / 出席人员的三分之二以上."""
        who, share = self._who(counts), fraction_words(self.num, self.den)
        if self.inclusive:
            return _("%(who)s的%(share)s以上") % {"who": who, "share": share}
        if (self.num, self.den) == (1, 2):
            return _("%(who)s的过半数") % {"who": who}
        return _("超过%(who)s的%(share)s") % {"who": who, "share": share}

    def verdict(self, met: bool, counts: Counts) -> str:
        """How a count compares with the rule: 超过全体组成人员 35 人的半数 / 未达到出席人员 31 人的三分之二."""
        args = {"who": self._who(counts), "share": fraction_words(self.num, self.den)}
        if self.inclusive:
            return (_("达到%(who)s的%(share)s") if met else _("未达到%(who)s的%(share)s")) % args
        return (_("超过%(who)s的%(share)s") if met else _("未超过%(who)s的%(share)s")) % args

    def to_dict(self) -> dict:
        return {"base": self.base.value, "num": self.num, "den": self.den, "inclusive": self.inclusive}

    @classmethod
    def from_dict(cls, d: Mapping) -> Threshold:
        return cls(base=Base(d["base"]), num=int(d["num"]), den=int(d["den"]), inclusive=bool(d["inclusive"]))


# The standing committee's defaults (地方组织法; 议事规则): quorum is more than half of all members,
# a resolution needs more than half of all members.
MAJORITY_OF_ALL = Threshold(Base.SEATED, 1, 2, False)
QUORUM_MORE_THAN_HALF = Threshold(Base.SEATED, 1, 2, False)


def quorum_met(present: int, seated: int, rule: Threshold = QUORUM_MORE_THAN_HALF) -> bool:
    """The quorum compares those present with a base that is known before anyone votes."""
    if rule.base in (Base.PRESENT, Base.CAST):
        raise RuleError("a quorum cannot be a share of those present or voting")
    return rule.met(present, Counts(seated=seated, entitled=seated, present=present, cast=0))


def explain_quorum(present: int, seated: int, rule: Threshold = QUORUM_MORE_THAN_HALF) -> str:
    ok = quorum_met(present, seated, rule)
    counts = Counts(seated=seated, entitled=seated, present=present, cast=0)
    return _("出席 %(present)s 人，%(verdict)s，%(outcome)s") % {
        "present": present,
        "verdict": rule.verdict(ok, counts),
        "outcome": _("符合法定人数") if ok else _("不足法定人数"),
    }


# --- yes/no/abstain --------------------------------------------------------------------------

YES, NO, ABSTAIN = "yes", "no", "abstain"
MOTION_CHOICES = (YES, NO, ABSTAIN)


@dataclass(frozen=True)
class MotionTally:
    yes: int = 0
    no: int = 0
    abstain: int = 0
    invalid: int = 0

    @property
    def cast(self) -> int:
        return self.yes + self.no + self.abstain + self.invalid

    def to_dict(self) -> dict:
        return {"yes": self.yes, "no": self.no, "abstain": self.abstain, "invalid": self.invalid}


def tally_motion(marks: Iterable[str | None]) -> MotionTally:
    """Count yes/no/abstain marks; anything else (a spoiled paper, None) is invalid."""
    c = Counter(m if m in MOTION_CHOICES else None for m in marks)
    return MotionTally(yes=c[YES], no=c[NO], abstain=c[ABSTAIN], invalid=c[None])


@dataclass(frozen=True)
class MotionResult:
    tally: MotionTally
    counts: Counts
    rule: Threshold
    passed: bool

    def explain(self, subject: str = "") -> str:
        """出席 31 人，应到 35 人，赞成 25 票，反对 3 票，弃权 3 票，超过全体组成人员 35 人的半数，通过."""
        t, c = self.tally, self.counts
        parts = [
            _("应到 %(n)s 人") % {"n": c.entitled},
            _("出席 %(n)s 人") % {"n": c.present},
            _("赞成 %(n)s 票") % {"n": t.yes},
            _("反对 %(n)s 票") % {"n": t.no},
            _("弃权 %(n)s 票") % {"n": t.abstain},
        ]
        if t.invalid:
            parts.append(_("无效 %(n)s 票") % {"n": t.invalid})
        if c.present > t.cast:
            parts.append(_("未投票 %(n)s 人") % {"n": c.present - t.cast})
        parts.append(self.rule.verdict(self.passed, self.counts))
        parts.append(_("通过") if self.passed else _("未通过"))
        text = "，".join(parts)
        return f"{subject}：{text}" if subject else text


def decide_motion(tally: MotionTally, counts: Counts, rule: Threshold = MAJORITY_OF_ALL) -> MotionResult:
    return MotionResult(tally=tally, counts=counts, rule=rule, passed=rule.met(tally.yes, counts))


# --- choose at most k of n (票决) ----------------------------------------------------------------


class TieRule(StrEnum):
    RUNOFF = "runoff"  # the tied options at the cut line go to a further ballot for the places left
    CHAIR = "chair"  # the chair decides among them; the decision and its reason are recorded


def choice_ballot_valid(chosen: Sequence, options: Iterable, k: int) -> bool:
    """A 票决 paper is valid when it names at most k distinct known options (an empty paper is valid
    and counts as cast: a voter may choose nobody)."""
    known = set(options)
    return len(chosen) <= k and len(set(chosen)) == len(chosen) and all(o in known for o in chosen)


def tally_choices(papers: Iterable[Sequence], options: Sequence, k: int) -> tuple[dict, int, int]:
    """Votes per option over the valid papers; returns (votes, valid papers, invalid papers)."""
    votes = {o: 0 for o in options}
    valid = invalid = 0
    for chosen in papers:
        if choice_ballot_valid(chosen, options, k):
            valid += 1
            for o in chosen:
                votes[o] += 1
        else:
            invalid += 1
    return votes, valid, invalid


@dataclass(frozen=True)
class ChoiceResult:
    ranking: list  # (option, votes) by votes, then by the order of the paper
    selected: list  # options selected outright
    tied: list  # options tied at the cut line, competing for `open_places`
    open_places: int
    below_threshold: list  # options ranked high enough but without the required share
    counts: Counts
    rule: Threshold | None
    tie_rule: TieRule

    @property
    def decided(self) -> bool:
        return not self.tied


def rank_choices(votes: Mapping, order: Sequence, places: int, counts: Counts, *, rule: Threshold | None = None,
                 tie_rule: TieRule = TieRule.RUNOFF) -> ChoiceResult:
    """Rank options by votes and fill `places`.

    An option is eligible when it meets `rule` (e.g. more than half of the valid papers), if any.
    Eligible options are taken in order of votes; if the last place falls inside a group with equal
    votes that does not fit whole, that group is "tied at the cut line": the options above it are
    selected and the group competes for the places left, by `tie_rule`. Options beyond the places
    are never selected, whatever their votes.
    """
    if places < 0:
        raise RuleError("places must not be negative")
    position = {o: i for i, o in enumerate(order)}
    ranking = sorted(((o, votes.get(o, 0)) for o in order), key=lambda ov: (-ov[1], position[ov[0]]))
    eligible = [(o, v) for o, v in ranking if rule is None or rule.met(v, counts)]
    below = [o for o, v in ranking if rule is not None and not rule.met(v, counts)]
    selected: list = []
    tied: list = []
    i = 0
    while i < len(eligible) and len(selected) < places:
        group_votes = eligible[i][1]
        group = [o for o, v in eligible[i:] if v == group_votes]
        if len(selected) + len(group) <= places:
            selected.extend(group)
        else:
            tied = group
            break
        i += len(group)
    return ChoiceResult(ranking=ranking, selected=selected, tied=tied, open_places=places - len(selected),
                        below_threshold=below, counts=counts, rule=rule, tie_rule=TieRule(tie_rule))


# --- scored ballots ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    name: str
    weight: int = 1
    max_score: int = 100

    def __post_init__(self):
        if self.weight <= 0 or self.max_score <= 0:
            raise RuleError("weights and maximum scores must be positive")


@dataclass(frozen=True)
class Grade:
    min_score: int  # the grade applies from this score up ("以上": inclusive)
    label: str


@dataclass(frozen=True)
class ScoreConfig:
    dimensions: tuple[Dimension, ...]
    trim: int = 0  # drop this many highest and this many lowest scores per target
    reject_all_full: bool = True  # a paper with full marks everywhere is invalid
    reject_all_same: bool = True  # a paper giving every target the same score is invalid (2+ targets)
    grades: tuple[Grade, ...] = field(default=())

    def __post_init__(self):
        if not self.dimensions:
            raise RuleError("a score ballot needs at least one dimension")
        if self.trim < 0:
            raise RuleError("trim must not be negative")
        object.__setattr__(self, "grades", tuple(sorted(self.grades, key=lambda g: -g.min_score)))

    @property
    def total_weight(self) -> int:
        return sum(d.weight for d in self.dimensions)

    def to_dict(self) -> dict:
        return {
            "dimensions": [{"name": d.name, "weight": d.weight, "max_score": d.max_score} for d in self.dimensions],
            "trim": self.trim,
            "reject_all_full": self.reject_all_full,
            "reject_all_same": self.reject_all_same,
            "grades": [{"min_score": g.min_score, "label": g.label} for g in self.grades],
        }

    @classmethod
    def from_dict(cls, d: Mapping) -> ScoreConfig:
        return cls(
            dimensions=tuple(Dimension(x["name"], int(x["weight"]), int(x["max_score"])) for x in d["dimensions"]),
            trim=int(d.get("trim", 0)),
            reject_all_full=bool(d.get("reject_all_full", True)),
            reject_all_same=bool(d.get("reject_all_same", True)),
            grades=tuple(Grade(int(g["min_score"]), str(g["label"])) for g in d.get("grades", ())),
        )


# The six dimensions of DOMAIN §3 with equal weights, 0–100 each, and the usual three grades.
EVALUATION_DIMENSIONS = ("政治能力", "业务能力", "工作绩效", "服务群众", "执行制度", "其他事项")


def default_score_config() -> ScoreConfig:
    return ScoreConfig(
        dimensions=tuple(Dimension(n, 1, 100) for n in EVALUATION_DIMENSIONS),
        trim=1,
        grades=(Grade(85, "满意"), Grade(60, "基本满意"), Grade(0, "不满意")),
    )


INVALID_SHAPE = "shape"
INVALID_ALL_FULL = "all_full"
INVALID_ALL_SAME = "all_same"


def weighted_score(scores: Sequence[int], config: ScoreConfig) -> Fraction:
    """One paper's score for one target: the weighted mean of its dimensions, exactly."""
    return Fraction(sum(d.weight * s for d, s in zip(config.dimensions, scores, strict=True)), config.total_weight)


def score_paper_problem(paper: Mapping, targets: Sequence, config: ScoreConfig) -> str:
    """Why a score paper is invalid ("" when it is valid). paper: {target: [score per dimension]}."""
    if set(paper) != set(targets):
        return INVALID_SHAPE
    n = len(config.dimensions)
    for t in targets:
        row = paper[t]
        if len(row) != n or any(type(s) is not int or not 0 <= s <= d.max_score
                                for s, d in zip(row, config.dimensions, strict=True)):
            return INVALID_SHAPE
    if config.reject_all_full and all(
        s == d.max_score for t in targets for s, d in zip(paper[t], config.dimensions, strict=True)
    ):
        return INVALID_ALL_FULL
    if config.reject_all_same and len(targets) > 1 and len({weighted_score(paper[t], config) for t in targets}) == 1:
        return INVALID_ALL_SAME
    return ""


def trimmed_mean(values: Sequence[Fraction], trim: int) -> tuple[Fraction | None, int]:
    """Mean after dropping `trim` highest and `trim` lowest; (None, 0) with no values.

    When there are not more than 2×trim values nothing is dropped (the mean of what there is):
    dropping would leave nothing. Returns (mean, how many were dropped at each end)."""
    if not values:
        return None, 0
    ordered = sorted(values)
    if trim and len(ordered) > 2 * trim:
        ordered = ordered[trim:-trim]
        dropped = trim
    else:
        dropped = 0
    return Fraction(sum(ordered), len(ordered)), dropped


def grade_for(score: Fraction | None, grades: Sequence[Grade]) -> str:
    if score is None:
        return ""
    for g in sorted(grades, key=lambda g: -g.min_score):
        if score >= g.min_score:
            return g.label
    return ""


def display_score(score: Fraction | None, places: int = 2) -> str:
    if score is None:
        return "—"
    q = Decimal(1).scaleb(-places)
    return str((Decimal(score.numerator) / Decimal(score.denominator)).quantize(q, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class ScoreResult:
    target: object
    score: Fraction | None
    grade: str
    papers: int  # valid papers counted for this target
    dropped: int  # dropped at each end


def score_results(papers: Iterable[Mapping], targets: Sequence,
                  config: ScoreConfig) -> tuple[list[ScoreResult], Counter]:
    """Per target: the trimmed mean of the valid papers' weighted scores and its grade.

    Returns the results in the order of `targets` and a Counter of invalid papers by reason."""
    per_target: dict = {t: [] for t in targets}
    invalid: Counter = Counter()
    for paper in papers:
        problem = score_paper_problem(paper, targets, config)
        if problem:
            invalid[problem] += 1
            continue
        for t in targets:
            per_target[t].append(weighted_score(paper[t], config))
    out = []
    for t in targets:
        mean, dropped = trimmed_mean(per_target[t], config.trim)
        out.append(ScoreResult(target=t, score=mean, grade=grade_for(mean, config.grades),
                               papers=len(per_target[t]), dropped=dropped))
    return out, invalid


# --- satisfaction ----------------------------------------------------------------------------------

SATISFIED, BASIC, UNSATISFIED = "satisfied", "basic", "unsatisfied"
SATISFACTION_CHOICES = (SATISFIED, BASIC, UNSATISFIED)


@dataclass(frozen=True)
class SatisfactionTally:
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0
    invalid: int = 0

    @property
    def valid(self) -> int:
        return self.satisfied + self.basic + self.unsatisfied

    @property
    def rate(self) -> Fraction | None:
        """满意率: (满意 + 基本满意) / valid."""
        return Fraction(self.satisfied + self.basic, self.valid) if self.valid else None

    def to_dict(self) -> dict:
        return {"satisfied": self.satisfied, "basic": self.basic, "unsatisfied": self.unsatisfied,
                "invalid": self.invalid}


def tally_satisfaction(marks: Iterable[str | None]) -> SatisfactionTally:
    c = Counter(m if m in SATISFACTION_CHOICES else None for m in marks)
    return SatisfactionTally(satisfied=c[SATISFIED], basic=c[BASIC], unsatisfied=c[UNSATISFIED], invalid=c[None])
