"""The voter's page: one vote, marked on a phone, once. And the list of votes waiting for the voter.

The page shows the options of the vote's kind; the service checks everything again (renda/ballots/
services.cast). A refused paper shows the page again with the reason and nothing is lost."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.workflow import WorkflowError

from . import rules as R
from . import selectors, services
from .models import Vote

MOTION_LABELS = ((R.YES, gettext_lazy("赞成")), (R.NO, gettext_lazy("反对")), (R.ABSTAIN, gettext_lazy("弃权")))
SATISFACTION_LABELS = ((R.SATISFIED, gettext_lazy("满意")), (R.BASIC, gettext_lazy("基本满意")),
                       (R.UNSATISFIED, gettext_lazy("不满意")))


def _marks_from(post, vote: Vote, options) -> dict:
    """The paper as the form sent it; the service says what is wrong with it."""
    if vote.kind == Vote.Kind.CHOICE:
        chosen = []
        for value in post.getlist("chosen"):
            try:
                chosen.append(int(value))
            except ValueError:
                chosen.append(value)
        return {"chosen": chosen}
    if vote.kind == Vote.Kind.SCORE:
        config = R.ScoreConfig.from_dict(vote.score_config)
        marks = {}
        for o in options:
            row = []
            for i, _d in enumerate(config.dimensions):
                raw = post.get(f"score_{o.pk}_{i}", "").strip()
                try:
                    row.append(int(raw))
                except ValueError:
                    row.append(raw)
            marks[str(o.pk)] = row
        return marks
    return {str(o.pk): post.get(f"opt_{o.pk}") for o in options if post.get(f"opt_{o.pk}")}


@login_required
def vote_page(request, pk: int):
    # The voter's line in the roll, with the vote, in one query: on the roll means allowed to see it.
    roll = selectors.own_roll(request.user, pk)
    vote = roll.vote if roll is not None else selectors.vote_for_user(request.user, pk)
    options = list(vote.options.order_by("position"))
    error = ""
    posted = {}
    if request.method == "POST":
        if roll is None:
            raise PermissionDenied
        marks = _marks_from(request.POST, vote, options)
        try:
            services.cast(user=request.user, vote_id=vote.pk, marks=marks, option_ids=[o.pk for o in options])
        except WorkflowError as e:
            messages.error(request, str(e.message))
            return redirect("ballots:vote", vote.pk)
        except ValidationError as e:
            error = " ".join(e.messages)
            posted = request.POST
        else:
            messages.success(request, _("投票成功。"))
            return redirect("ballots:vote", vote.pk)
    config = R.ScoreConfig.from_dict(vote.score_config) if vote.kind == Vote.Kind.SCORE else None
    rows = []
    for o in options:
        row = {"option": o, "chosen": str(o.pk) in posted.getlist("chosen") if posted else False,
               "value": posted.get(f"opt_{o.pk}", "") if posted else ""}
        if config is not None:
            row["scores"] = [{"name": f"score_{o.pk}_{i}", "label": d.name, "max": d.max_score,
                              "value": posted.get(f"score_{o.pk}_{i}", "") if posted else ""}
                             for i, d in enumerate(config.dimensions)]
        rows.append(row)
    return render(request, "ballots/vote.html", {
        "vote": vote, "rows": rows, "roll": roll, "error": error,
        "labels": SATISFACTION_LABELS if vote.kind == Vote.Kind.SATISFACTION else MOTION_LABELS,
        "result": selectors.visible_result(vote), "config": config,
        "manage": roll is None and request.user.has_perm("ballots.manage", vote),
        "back_url": _meeting_url(vote),
        "can_vote": roll is not None and roll.present and not roll.voted and vote.status == Vote.Status.OPEN
        and vote.method == Vote.Method.ELECTRONIC,
    }, status=200)


@login_required
def my_votes(request):
    if getattr(request.user, "person_id", None) is None:
        raise PermissionDenied
    votes = list(selectors.open_votes_for_voter(request.user)[:50])
    return render(request, "ballots/mine.html", {"votes": votes})


# --- the office and the chair: paper ballots, ties, runoffs -------------------------------------------------


def _managed(request, pk: int) -> Vote:
    vote = selectors.vote_for_user(request.user, pk)
    if not request.user.has_perm("ballots.manage", vote):
        raise PermissionDenied
    return vote


def _meeting_url(vote: Vote) -> str:
    """The agenda of the meeting that holds this vote ("" for a vote outside any meeting)."""
    item = vote.agenda_items.first()
    return reverse("meetings:detail", args=[item.meeting_id]) + "#agenda" if item is not None else ""


def _back(vote: Vote):
    return redirect(_meeting_url(vote) or reverse("ballots:vote", args=[vote.pk]))


def _int_or_raw(value):
    value = (value or "").strip()
    try:
        return int(value)
    except ValueError:
        return value or None


@login_required
def paper(request, pk: int):
    """The tellers' totals of a paper vote (or, for a score vote, its papers one by one)."""
    vote = _managed(request, pk)
    if vote.method != Vote.Method.PAPER:
        from django.http import Http404

        raise Http404
    options = list(vote.options.order_by("position"))
    config = R.ScoreConfig.from_dict(vote.score_config) if vote.kind == Vote.Kind.SCORE else None
    fields = {Vote.Kind.MOTION: MOTION_LABELS, Vote.Kind.APPOINTMENT: MOTION_LABELS,
              Vote.Kind.SATISFACTION: SATISFACTION_LABELS}.get(vote.kind, ())
    errors: list[str] = []
    post = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            if config is not None:
                marks = {str(o.pk): [_int_or_raw(post.get(f"score_{o.pk}_{i}")) for i in range(len(config.dimensions))]
                         for o in options}
                services.enter_paper_ballot(actor=request.user, vote_id=vote.pk, marks=marks,
                                            issued=_int_or_raw(post.get("issued")) if post.get("issued") else None)
                messages.success(request, _("已录入一张测评票。"))
            else:
                if vote.kind == Vote.Kind.CHOICE:
                    counts = {str(o.pk): _int_or_raw(post.get(f"n_{o.pk}")) for o in options}
                else:
                    counts = {str(o.pk): {value: _int_or_raw(post.get(f"n_{o.pk}_{value}")) for value, _l in fields}
                              for o in options}
                services.enter_paper_counts(actor=request.user, vote_id=vote.pk, issued=_int_or_raw(post.get("issued")),
                                            returned=_int_or_raw(post.get("returned")),
                                            invalid=_int_or_raw(post.get("invalid")) or 0, options=counts)
                messages.success(request, _("计票结果已录入，可以结束表决。"))
                return _back(vote)
        except WorkflowError as e:
            messages.error(request, str(e.message))
            return redirect("ballots:paper", vote.pk)
        except ValidationError as e:
            errors = e.messages
        else:
            return redirect("ballots:paper", vote.pk)
    current = vote.paper_counts or {}
    rows = []
    for o in options:
        saved = (current.get("options") or {}).get(str(o.pk))
        row = {"option": o}
        if config is not None:
            row["scores"] = [{"name": f"score_{o.pk}_{i}", "label": d.name, "max": d.max_score,
                              "value": post.get(f"score_{o.pk}_{i}", "")} for i, d in enumerate(config.dimensions)]
        elif vote.kind == Vote.Kind.CHOICE:
            row["cells"] = [{"name": f"n_{o.pk}", "label": _("得票"),
                             "value": post.get(f"n_{o.pk}", saved if saved is not None else "")}]
        else:
            row["cells"] = [{"name": f"n_{o.pk}_{value}", "label": label,
                             "value": post.get(f"n_{o.pk}_{value}", (saved or {}).get(value, ""))}
                            for value, label in fields]
        rows.append(row)
    return render(request, "ballots/paper.html", {
        "vote": vote, "rows": rows, "config": config, "errors": errors,
        "issued": post.get("issued", vote.issued if vote.issued is not None else ""),
        "returned": post.get("returned", current.get("returned", "")),
        "invalid": post.get("invalid", current.get("invalid", "")),
        "entered": vote.ballots.count() if config is not None else None,
        "entitled": len((vote.snapshot.get("open") or {}).get("entitled", [])),
        "back_url": _meeting_url(vote),
    })


@login_required
def tie(request, pk: int):
    """The chair decides among the options tied at the cut line (tie rule "chair"), with a reason;
    or starts a runoff among them (tie rule "runoff")."""
    vote = _managed(request, pk)
    result = vote.result or {}
    tied = [r for r in result.get("ranking", []) if r.get("tied")]
    error = ""
    if request.method == "POST":
        try:
            if vote.tie_rule == Vote.TieRule.RUNOFF:
                services.start_runoff(actor=request.user, vote_id=vote.pk)
                messages.success(request, _("已建立对并列者的再次投票，请在议程中开始表决。"))
                return _back(vote)
            chosen = [_int_or_raw(v) for v in request.POST.getlist("chosen")]
            services.decide_tie(actor=request.user, vote_id=vote.pk, chosen=chosen, note=request.POST.get("note", ""))
            messages.success(request, _("已记录主持人的决定，可以公布结果。"))
            return _back(vote)
        except WorkflowError as e:
            messages.error(request, str(e.message))
            return _back(vote)
        except ValidationError as e:
            error = " ".join(e.messages)
    return render(request, "ballots/tie.html", {"vote": vote, "tied": tied, "result": result, "error": error,
                                                "note": request.POST.get("note", ""), "back_url": _meeting_url(vote)})
