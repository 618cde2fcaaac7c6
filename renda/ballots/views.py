"""The voter's page: one vote, marked on a phone, once. And the list of votes waiting for the voter.

The page shows the options of the vote's kind; the service checks everything again (renda/ballots/
services.cast). A refused paper shows the page again with the reason and nothing is lost."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.workflow import WorkflowError

from . import rules as R
from . import selectors, services
from .models import Roll, Vote

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
    vote = selectors.vote_for_user(request.user, pk)
    options = list(vote.options.order_by("position"))
    roll = None
    if getattr(request.user, "person_id", None) is not None:
        roll = Roll.objects.filter(vote=vote, person_id=request.user.person_id).first()
    error = ""
    posted = {}
    if request.method == "POST":
        if roll is None:
            raise PermissionDenied
        marks = _marks_from(request.POST, vote, options)
        try:
            services.cast(user=request.user, vote_id=vote.pk, marks=marks)
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
        "can_vote": roll is not None and roll.present and not roll.voted and vote.status == Vote.Status.OPEN
        and vote.method == Vote.Method.ELECTRONIC,
    }, status=200)


@login_required
def my_votes(request):
    if getattr(request.user, "person_id", None) is None:
        raise PermissionDenied
    votes = list(selectors.open_votes_for_voter(request.user)[:50])
    return render(request, "ballots/mine.html", {"votes": votes})
