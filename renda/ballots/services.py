"""Every write of the ballot engine: create, open, cast, paper totals, close, publish, ties, runoffs.

Callers (the meetings, later the evaluations and the project vote) give the electorate when a vote
opens; the engine keeps the roll, the papers, the snapshot and the result. See docs/ballots.md.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.validation import clean_text, field_error
from renda.core.workflow import ConflictError, InvalidTransition, record_event

from . import rules as R
from .models import Ballot, Option, Roll, Vote
from .signals import runoff_created
from .tally import apply_tie_decision, compute_result
from .workflow import VOTE_FLOW

ERR_NOT_OPEN = gettext_lazy("表决未在进行中。")
ERR_ALREADY_VOTED = gettext_lazy("您已投过票，不能重复投票。")
ERR_NOT_ON_ROLL = gettext_lazy("您不在本次表决的名单中。")
ERR_NOT_PRESENT = gettext_lazy("您尚未签到出席，不能投票。")
ERR_PAPER_ONLY = gettext_lazy("本次表决使用纸质票，请在会场填写选票。")
ERR_NO_QUORUM = gettext_lazy("出席人数不足法定人数，不能开始表决：%(why)s")

MAX_OPTIONS = 200
MAX_ELECTORATE = 10_000


def _check(actor, vote_or_congress) -> None:
    if not actor.has_perm("ballots.manage", vote_or_congress):
        raise PermissionDenied


def _int(value, field: str, *, low: int = 0, high: int = 1_000_000, required: bool = True) -> int | None:
    if value is None and not required:
        return None
    if type(value) is not int or not low <= value <= high:
        raise field_error(field, _("请填写 %(low)s 到 %(high)s 之间的整数。") % {"low": low, "high": high})
    return value


def _threshold(value, field: str, *, quorum: bool = False) -> dict | None:
    if value is None:
        return None
    try:
        if not isinstance(value, Mapping):
            raise R.RuleError("not an object")
        t = R.Threshold(base=R.Base(value.get("base")), num=value.get("num"), den=value.get("den"),
                        inclusive=bool(value.get("inclusive", False)))
        if quorum and t.base in (R.Base.PRESENT, R.Base.CAST):
            raise R.RuleError("quorum base")
    except (R.RuleError, ValueError, TypeError):
        raise field_error(field, _(
            "规则无效：基数须为全体组成人员、应到、出席或投票人员，比例须在 0 和 1 之间。")) from None
    return t.to_dict()


def _score_config(value) -> dict:
    try:
        if not isinstance(value, Mapping) or not isinstance(value.get("dimensions"), list):
            raise R.RuleError("not an object")
        for d in value["dimensions"]:
            if not isinstance(d, Mapping) or not isinstance(d.get("name"), str) or not d["name"].strip() \
                    or len(d["name"]) > 50 or type(d.get("weight")) is not int or type(d.get("max_score")) is not int \
                    or d["max_score"] > 1000 or d["weight"] > 1000:
                raise R.RuleError("dimension")
        for g in value.get("grades", []):
            if (not isinstance(g, Mapping) or type(g.get("min_score")) is not int
                    or not isinstance(g.get("label"), str) or not g["label"].strip() or len(g["label"]) > 20):
                raise R.RuleError("grade")
        if type(value.get("trim", 0)) is not int or len(value["dimensions"]) > 20:
            raise R.RuleError("trim")
        config = R.ScoreConfig.from_dict(value)
    except (R.RuleError, ValueError, TypeError, KeyError):
        raise field_error("score_config", _(
            "打分规则无效：须有 1 至 20 个维度，权重和满分为正整数，去掉最高最低分的个数为非负整数。")) from None
    return config.to_dict()


def create_vote(*, actor, congress, title: str, kind: str, options: Sequence[Mapping] = (), method: str = "electronic",
                secret: bool = True, rule: Mapping | None = None, quorum: Mapping | None = None,
                max_choices: int | None = None, places: int | None = None, tie_rule: str = "runoff",
                score_config: Mapping | None = None, seated: int = 0) -> Vote:
    """A vote in draft. options: [{"label", "person_id"?, "description"?}]; a motion needs none (the motion
    is its own single option)."""
    _check(actor, congress)
    title = clean_text(title, max_length=200, field="title", error=_("请填写表决事项（不超过200字）。"))
    if kind not in Vote.Kind.values:
        raise field_error("kind", _("表决类型无效。"))
    if method not in Vote.Method.values:
        raise field_error("method", _("表决方式无效。"))
    if tie_rule not in Vote.TieRule.values:
        raise field_error("tie_rule", _("末位并列的处理方式无效。"))
    if not isinstance(secret, bool):
        raise field_error("secret", _("请选择记名或无记名。"))
    seated = _int(seated, "seated", high=MAX_ELECTORATE)
    if not isinstance(options, (list, tuple)) or len(options) > MAX_OPTIONS:
        raise field_error("options", _("选项过多或格式无效。"))
    cleaned = []
    for i, o in enumerate(options):
        if not isinstance(o, Mapping):
            raise field_error("options", _("选项格式无效。"))
        cleaned.append({
            "label": clean_text(o.get("label"), max_length=200, field="options",
                                error=_("第 %(n)s 个选项的名称无效（不超过200字）。") % {"n": i + 1}),
            "person_id": _int(o.get("person_id"), "options", high=2**62, required=False),
            "description": clean_text(o.get("description", ""), max_length=2000, field="options", required=False,
                                      error=_("第 %(n)s 个选项的说明过长。") % {"n": i + 1}),
        })
    if kind == Vote.Kind.MOTION:
        if len(cleaned) > 1:
            raise field_error("options", _("议案表决只有一个表决事项。"))
        cleaned = cleaned or [{"label": title, "person_id": None, "description": ""}]
    elif not cleaned:
        raise field_error("options", _("请至少列出一个表决对象。"))
    rule = _threshold(rule, "rule")
    quorum = _threshold(quorum, "quorum", quorum=True)
    config = None
    if kind in (Vote.Kind.MOTION, Vote.Kind.APPOINTMENT):
        rule = rule or R.MAJORITY_OF_ALL.to_dict()
    if kind == Vote.Kind.CHOICE:
        n = len(cleaned)
        max_choices = _int(max_choices, "max_choices", low=1, high=n)
        places = _int(places if places is not None else max_choices, "places", low=1, high=n)
    else:
        max_choices = places = None
    if kind == Vote.Kind.SCORE:
        config = _score_config(score_config if score_config is not None else R.default_score_config().to_dict())
    if kind in (Vote.Kind.SCORE, Vote.Kind.SATISFACTION) and rule is not None:
        raise field_error("rule", _("打分和满意度测评不设通过规则。"))
    person_ids = [o["person_id"] for o in cleaned if o["person_id"]]
    if person_ids:
        from renda.deputies.models import Person

        if Person.objects.filter(pk__in=person_ids).count() != len(set(person_ids)):
            raise field_error("options", _("选项中的人员不存在。"))
    with transaction.atomic():
        vote = Vote.objects.create(
            congress=congress, title=title, kind=kind, method=method, secret=secret, rule=rule, quorum=quorum,
            max_choices=max_choices, places=places, tie_rule=tie_rule, score_config=config, seated=seated,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        Option.objects.bulk_create([Option(vote=vote, position=i + 1, label=o["label"], person_id=o["person_id"],
                                           description=o["description"]) for i, o in enumerate(cleaned)])
    return vote


def _ids(values, field: str) -> list[int]:
    if not isinstance(values, (list, tuple, set, frozenset)) or len(values) > MAX_ELECTORATE \
            or any(type(v) is not int or v <= 0 for v in values):
        raise field_error(field, _("人员名单格式无效。"))
    return sorted(set(values))


def open_vote(*, actor, vote_id: int, electorate: Sequence[int], present: Sequence[int] | None = None,
              seated: int | None = None, expected_version: int | None = None) -> Vote:
    """Open a vote for these persons. present: those present now (all of the electorate when None).
    seated: all members of the body (the base of "全体组成人员"); the electorate's size when 0/None.
    The quorum, if the vote has one, is checked against the present."""
    electorate = _ids(electorate, "electorate")
    if not electorate:
        raise field_error("electorate", _("表决名单为空。"))
    present = electorate if present is None else _ids(present, "present")
    if not set(present) <= set(electorate):
        raise field_error("present", _("出席人员须在表决名单中。"))
    from renda.deputies.models import Person

    if Person.objects.filter(pk__in=electorate).count() != len(electorate):
        raise field_error("electorate", _("表决名单中有不存在的人员。"))
    with transaction.atomic():
        vote = Vote.objects.select_for_update().get(pk=vote_id)
        seated_n = seated or vote.seated or len(electorate)
        seated_n = _int(seated_n, "seated", low=len(electorate), high=MAX_ELECTORATE)
        if vote.quorum and vote.status == Vote.Status.DRAFT:
            rule = R.Threshold.from_dict(vote.quorum)
            if not R.quorum_met(len(present), seated_n, rule):
                raise InvalidTransition(ERR_NO_QUORUM % {"why": R.explain_quorum(len(present), seated_n, rule)},
                                        code="no_quorum")
        snapshot = dict(vote.snapshot or {})
        snapshot["open"] = {"seated": seated_n, "entitled": electorate, "present": present,
                            "at": timezone.now().isoformat()}
        vote = VOTE_FLOW.apply(obj_id=vote_id, action="open", actor=actor, expected_version=expected_version,
                               extra_updates={"snapshot": snapshot, "seated": seated_n, "opened_at": timezone.now()})
        present_set = set(present)
        Roll.objects.bulk_create([Roll(vote_id=vote.pk, person_id=p, present=p in present_set) for p in electorate],
                                 batch_size=500)
    return vote


def mark_present(*, actor, vote_id: int, person_id: int, present: bool = True) -> None:
    """Staff mark a member present (or gone) while the vote is open."""
    vote = Vote.objects.get(pk=vote_id)
    _check(actor, vote)
    with transaction.atomic():
        if vote.status != Vote.Status.OPEN:
            raise ConflictError(ERR_NOT_OPEN, code="not_open")
        Roll.objects.filter(vote_id=vote_id, person_id=person_id).update(present=present)


def arrived(*, person_id: int, votes) -> int:
    """A member checked in: present in each of `votes` (a Vote queryset) that is open now, in one
    UPDATE. The meeting's check-in calls this after its own checks; returns the rows changed."""
    return Roll.objects.filter(vote__in=votes.filter(status=Vote.Status.OPEN), person_id=person_id) \
        .update(present=True)


# --- casting -------------------------------------------------------------------------------------------


def _lock_open(vote_id: int) -> Vote:
    """Read the vote inside the cast's transaction so that closing cannot slip between the check and
    the insert: PostgreSQL takes a shared row lock (casts run side by side, closing waits for them);
    on SQLite the IMMEDIATE transaction already serialises every writer."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"SELECT id FROM {Vote._meta.db_table} WHERE id = %s FOR SHARE", [vote_id])
    return Vote.objects.only("id", "status", "method", "secret", "kind", "max_choices", "score_config",
                             "congress_id").get(pk=vote_id)


def clean_marks(vote: Vote, option_ids: Sequence[int], marks) -> dict:
    """The paper as the engine stores it, or a ValidationError saying what is wrong with it.

    motion/appointment: {option_id: "yes"|"no"|"abstain"} (every option); choice: {"chosen": [ids]}
    (at most k, distinct); score: {option_id: [score per dimension]} (every option, guards applied);
    satisfaction: {option_id: "satisfied"|"basic"|"unsatisfied"} (every option)."""
    err = _("选票填写不完整或格式无效。")
    if not isinstance(marks, Mapping):
        raise field_error("marks", err)
    keys = [str(i) for i in option_ids]
    if vote.kind == Vote.Kind.CHOICE:
        chosen = marks.get("chosen")
        if set(marks) != {"chosen"} or not isinstance(chosen, list) or any(type(c) is not int for c in chosen):
            raise field_error("marks", err)
        if len(chosen) > (vote.max_choices or 0):
            raise field_error("marks", _("最多只能选 %(k)s 项。") % {"k": vote.max_choices}, "too_many")
        if len(set(chosen)) != len(chosen) or not set(chosen) <= set(option_ids):
            raise field_error("marks", err)
        return {"chosen": sorted(chosen)}
    out = {}
    if set(map(str, marks)) != set(keys):
        raise field_error("marks", _("请对每一个表决对象作出选择。"), "incomplete")
    allowed = {Vote.Kind.MOTION: R.MOTION_CHOICES, Vote.Kind.APPOINTMENT: R.MOTION_CHOICES,
               Vote.Kind.SATISFACTION: R.SATISFACTION_CHOICES}.get(vote.kind)
    for k, v in marks.items():
        if allowed is not None:
            if v not in allowed:
                raise field_error("marks", err)
            out[str(k)] = v
        else:
            out[str(k)] = v
    if vote.kind == Vote.Kind.SCORE:
        config = R.ScoreConfig.from_dict(vote.score_config)
        paper = {int(k): v for k, v in out.items()}
        if any(not isinstance(v, list) for v in paper.values()):
            raise field_error("marks", err)
        problem = R.score_paper_problem(paper, list(option_ids), config)
        if problem == R.INVALID_SHAPE:
            raise field_error("marks", _("每个维度的分数须为 0 到满分之间的整数。"))
        if problem == R.INVALID_ALL_FULL:
            raise field_error("marks", _("所有维度均为满分的测评票无效，请如实评分。"), "all_full")
        if problem == R.INVALID_ALL_SAME:
            raise field_error("marks", _("对每个测评对象打出相同分数的测评票无效，请如实评分。"), "all_same")
    return out


def cast(*, user, vote_id: int, marks, option_ids: Sequence[int] | None = None) -> None:
    """One electronic ballot of the signed-in person. Personal: nobody votes for anybody else.

    Exactly one ballot per voter: the roll row flips from not-voted to voted with a conditional
    UPDATE in the same transaction that inserts the ballot, so a second attempt (or two at once)
    finds nothing to flip and is refused. In a secret vote the ballot gets no voter and no time, and
    no Event is written. `option_ids`: the vote's options in order, when the caller has just read them."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        raise PermissionDenied
    if option_ids is None:
        option_ids = list(Option.objects.filter(vote_id=vote_id).order_by("position").values_list("id", flat=True))
    for attempt in range(LOCK_RETRIES):
        try:
            return _cast_once(vote_id, person_id, option_ids, marks)
        except OperationalError as e:
            # SQLite: BEGIN IMMEDIATE waited busy_timeout for the write lock and gave up. Nothing was
            # written; under a hall's burst of votes, queue again rather than lose the ballot.
            if connection.vendor != "sqlite" or "locked" not in str(e) or attempt == LOCK_RETRIES - 1:
                raise


LOCK_RETRIES = 3


def _cast_once(vote_id: int, person_id: int, option_ids: list[int], marks) -> None:
    with transaction.atomic():
        vote = _lock_open(vote_id)
        if vote.status != Vote.Status.OPEN:
            raise ConflictError(ERR_NOT_OPEN, code="not_open")
        if vote.method != Vote.Method.ELECTRONIC:
            raise InvalidTransition(ERR_PAPER_ONLY, code="paper_vote")
        cleaned = clean_marks(vote, option_ids, marks)
        flipped = Roll.objects.filter(vote_id=vote_id, person_id=person_id, present=True, voted=False) \
            .update(voted=True)
        if not flipped:
            row = Roll.objects.filter(vote_id=vote_id, person_id=person_id).values("present", "voted").first()
            if row is None:
                raise PermissionDenied(ERR_NOT_ON_ROLL)
            if row["voted"]:
                raise ConflictError(ERR_ALREADY_VOTED, code="already_voted")
            raise InvalidTransition(ERR_NOT_PRESENT, code="not_present")
        Ballot.objects.create(vote_id=vote_id, secret=vote.secret, voter_id=None if vote.secret else person_id,
                              marks=cleaned)


def has_voted(user, vote_id: int) -> bool:
    person_id = getattr(user, "person_id", None)
    return person_id is not None and Roll.objects.filter(vote_id=vote_id, person_id=person_id, voted=True).exists()


# --- paper votes ---------------------------------------------------------------------------------------


def enter_paper_counts(*, actor, vote_id: int, issued: int, returned: int, invalid: int = 0,
                       options: Mapping | None = None) -> Vote:
    """The tellers' totals of a paper vote, checked for consistency before anything is stored.

    motion/appointment: options {option_id: {"yes", "no", "abstain"}}; choice: {option_id: votes};
    satisfaction: {option_id: {"satisfied", "basic", "unsatisfied"}}. Score papers are entered one by
    one with enter_paper_ballot (the trimmed mean needs every paper)."""
    with transaction.atomic():
        vote = Vote.objects.select_for_update().get(pk=vote_id)
        _check(actor, vote)
        if vote.method != Vote.Method.PAPER or vote.kind == Vote.Kind.SCORE:
            raise InvalidTransition(_("这不是以计票结果录入的纸质票表决。"), code="not_paper")
        if vote.status != Vote.Status.OPEN:
            raise ConflictError(ERR_NOT_OPEN, code="not_open")
        entitled = len((vote.snapshot.get("open") or {}).get("entitled", []))
        issued = _int(issued, "issued", high=entitled)
        returned = _int(returned, "returned", high=issued)
        if returned > issued:
            raise field_error("returned", _("收回的选票不能多于发出的选票。"), "inconsistent")
        invalid = _int(invalid, "invalid", high=returned)
        valid = returned - invalid
        option_ids = list(vote.options.order_by("position").values_list("id", flat=True))
        if not isinstance(options, Mapping) or set(map(str, options)) != set(map(str, option_ids)):
            raise field_error("options", _("请录入每一个表决对象的票数。"), "incomplete")
        cleaned: dict = {}
        fields = {Vote.Kind.MOTION: R.MOTION_CHOICES, Vote.Kind.APPOINTMENT: R.MOTION_CHOICES,
                  Vote.Kind.SATISFACTION: R.SATISFACTION_CHOICES}.get(vote.kind)
        for key, value in options.items():
            if fields is None:  # choice
                cleaned[str(key)] = _int(value, "options", high=valid)
                continue
            if not isinstance(value, Mapping) or set(value) != set(fields):
                raise field_error("options", _("票数格式无效。"))
            row = {f: _int(value[f], "options", high=valid) for f in fields}
            if sum(row.values()) > valid:
                raise field_error("options", _("同一对象的各项票数之和不能超过有效票数。"), "inconsistent")
            cleaned[str(key)] = row
        if fields is None and sum(cleaned.values()) > valid * (vote.max_choices or 0):
            raise field_error("options", _("得票总数不能超过有效票数乘以每票可选数。"), "inconsistent")
        vote.issued = issued
        vote.paper_counts = {"returned": returned, "invalid": invalid, "options": cleaned}
        vote.save(update_fields=["issued", "paper_counts"])
        record_event(obj=vote, action="paper_counts", actor=actor,
                     note=_("发出 %(i)s 张，收回 %(r)s 张，无效 %(v)s 张") % {"i": issued, "r": returned, "v": invalid})
    return vote


def enter_paper_ballot(*, actor, vote_id: int, marks, issued: int | None = None) -> None:
    """One counted score paper of a paper evaluation (anonymous, as every ballot)."""
    with transaction.atomic():
        vote = Vote.objects.select_for_update().get(pk=vote_id)
        _check(actor, vote)
        if vote.method != Vote.Method.PAPER or vote.kind != Vote.Kind.SCORE:
            raise InvalidTransition(_("只有纸质测评票逐张录入。"), code="not_paper")
        if vote.status != Vote.Status.OPEN:
            raise ConflictError(ERR_NOT_OPEN, code="not_open")
        entitled = len((vote.snapshot.get("open") or {}).get("entitled", []))
        if issued is not None:
            vote.issued = _int(issued, "issued", high=entitled)
            vote.save(update_fields=["issued"])
        if vote.issued is None:
            raise field_error("issued", _("请先录入发出的选票数。"), "issued_missing")
        if vote.ballots.count() >= vote.issued:
            raise field_error("marks", _("录入的选票已达到发出的选票数。"), "inconsistent")
        option_ids = list(vote.options.order_by("position").values_list("id", flat=True))
        # A paper that breaks a guard is still a returned paper: it is kept and counted invalid.
        try:
            cleaned = clean_marks(vote, option_ids, marks)
        except ValidationError as e:
            codes = {err.code for errs in e.error_dict.values() for err in errs}
            if not codes & {"all_full", "all_same"}:
                raise
            cleaned = {str(k): v for k, v in marks.items()}
        Ballot.objects.create(vote_id=vote_id, secret=True, voter_id=None, marks=cleaned)


# --- closing and publishing ----------------------------------------------------------------------------


def close_vote(*, actor, vote_id: int, expected_version: int | None = None) -> Vote:
    """Close: nobody can vote any more; the snapshot at closing and the result are stored, hidden
    until published. A secret vote's papers are rewritten in random order, so that their storage
    order no longer follows the order of voting (see docs/ballots.md for what this does not cover)."""
    with transaction.atomic():
        vote = Vote.objects.select_for_update().get(pk=vote_id)
        _check(actor, vote)
        if vote.method == Vote.Method.PAPER and vote.kind != Vote.Kind.SCORE and vote.paper_counts is None:
            raise InvalidTransition(_("请先录入计票结果。"), code="counts_missing")
        if vote.status != Vote.Status.OPEN:
            raise ConflictError(ERR_NOT_OPEN, code="not_open")
        roll = Roll.objects.filter(vote_id=vote_id)
        snapshot = dict(vote.snapshot or {})
        snapshot["close"] = {
            "present": roll.filter(present=True).count(),
            "voted": roll.filter(voted=True).count() if vote.method == Vote.Method.ELECTRONIC else None,
            "issued": vote.issued,
            "at": timezone.now().isoformat(),
        }
        vote.snapshot = snapshot
        papers = list(Ballot.objects.filter(vote_id=vote_id).values_list("marks", flat=True))
        if vote.secret and papers:
            _shuffle_storage(vote_id)
        options = list(vote.options.order_by("position"))
        result = compute_result(vote, options, papers)
        return VOTE_FLOW.apply(obj_id=vote_id, action="close", actor=actor, expected_version=expected_version,
                               extra_updates={"snapshot": snapshot, "result": result, "closed_at": timezone.now()})


def _shuffle_storage(vote_id: int) -> None:
    rows = list(Ballot.objects.filter(vote_id=vote_id).values("secret", "voter_id", "marks"))
    random.SystemRandom().shuffle(rows)
    Ballot.objects.filter(vote_id=vote_id).delete()
    Ballot.objects.bulk_create([Ballot(vote_id=vote_id, **r) for r in rows], batch_size=500)


def decide_tie(*, actor, vote_id: int, chosen: Sequence[int], note: str) -> Vote:
    """The chair's decision among options tied at the cut line (tie rule "chair"), with its reason."""
    note = clean_text(note, max_length=500, field="note", error=_("请填写决定的理由（不超过500字）。"))
    with transaction.atomic():
        vote = Vote.objects.select_for_update().get(pk=vote_id)
        _check(actor, vote)
        result = vote.result or {}
        tied = [r["id"] for r in result.get("ranking", []) if r["tied"]]
        if vote.status != Vote.Status.CLOSED or vote.tie_rule != Vote.TieRule.CHAIR or not tied or vote.tie_decision:
            raise InvalidTransition(_("没有需要主持人决定的并列情况。"), code="no_tie")
        if not isinstance(chosen, (list, tuple)) or len(set(chosen)) != len(chosen) \
                or not set(chosen) <= set(tied) or len(chosen) != result["open_places"]:
            raise field_error("chosen", _("请从并列者中选出 %(n)s 名。") % {"n": result["open_places"]})
        decision = {"chosen": list(chosen), "note": note, "by": getattr(actor, "pk", None)}
        vote.tie_decision = decision
        vote.result = apply_tie_decision(result, decision)
        vote.save(update_fields=["tie_decision", "result"])
        record_event(obj=vote, action="tie_decided", actor=actor, note=note)
    return vote


def start_runoff(*, actor, vote_id: int) -> Vote:
    """A further ballot among the options tied at the cut line, for the places left (tie rule "runoff")."""
    vote = Vote.objects.get(pk=vote_id)
    _check(actor, vote)
    result = vote.result or {}
    tied = [r for r in result.get("ranking", []) if r["tied"]]
    if vote.status not in (Vote.Status.CLOSED, Vote.Status.PUBLISHED) or vote.tie_rule != Vote.TieRule.RUNOFF \
            or not tied or vote.runoffs.exclude(status=Vote.Status.CANCELLED).exists():
        raise InvalidTransition(_("没有需要再次投票的并列情况。"), code="no_tie")
    labels = {o.pk: o for o in vote.options.all()}
    with transaction.atomic():
        runoff = create_vote(
            actor=actor, congress=vote.congress, title=_("%(title)s（并列者再次投票）") % {"title": vote.title},
            kind=Vote.Kind.CHOICE, method=vote.method, secret=vote.secret, rule=vote.rule, quorum=None,
            options=[{"label": r["label"], "person_id": labels[r["id"]].person_id,
                      "description": labels[r["id"]].description} for r in tied],
            max_choices=result["open_places"], places=result["open_places"], tie_rule=vote.tie_rule,
            seated=vote.seated,
        )
        runoff.runoff_of = vote
        runoff.save(update_fields=["runoff_of"])
        record_event(obj=vote, action="runoff", actor=actor, note=runoff.title)
        runoff_created.send(sender=Vote, vote=vote, runoff=runoff)
    return runoff


def publish(*, actor, vote_id: int, expected_version: int | None = None) -> Vote:
    vote = Vote.objects.get(pk=vote_id)
    if vote.kind == Vote.Kind.CHOICE and vote.tie_rule == Vote.TieRule.CHAIR and vote.result \
            and not vote.result.get("decided"):
        raise InvalidTransition(_("末位得票并列，请主持人先作出决定。"), code="tie_undecided")
    return VOTE_FLOW.apply(obj_id=vote_id, action="publish", actor=actor, expected_version=expected_version,
                           extra_updates={"published_at": timezone.now()})


def cancel(*, actor, vote_id: int, note: str, expected_version: int | None = None) -> Vote:
    """Cancel a vote (a fault in the hall): its papers are discarded with it."""
    note = clean_text(note, max_length=500, field="note", error=_("请填写取消的理由（不超过500字）。"))
    with transaction.atomic():
        vote = VOTE_FLOW.apply(obj_id=vote_id, action="cancel", actor=actor, note=note,
                               expected_version=expected_version)
        Ballot.objects.filter(vote_id=vote_id).delete()
    return vote
