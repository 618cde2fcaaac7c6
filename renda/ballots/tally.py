"""From papers (or the tellers' totals) and the stored snapshot to a result with its explanation.

`compute_result` is a pure function of the vote's configuration, its snapshot and the marks: the
service stores its output at closing, and `recompute` (used by the tests and available to an
auditor) gives the same dict again from the stored rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from django.utils.translation import gettext as _

from . import rules as R


def counts_of(vote, cast: int) -> R.Counts:
    snap = vote.snapshot or {}
    opened, closed = snap.get("open", {}), snap.get("close", {})
    entitled = len(opened.get("entitled", []))
    return R.Counts(
        seated=int(opened.get("seated", vote.seated or entitled)),
        entitled=entitled,
        present=int(closed.get("present", len(opened.get("present", [])))),
        cast=cast,
    )


def threshold_of(vote) -> R.Threshold | None:
    return R.Threshold.from_dict(vote.rule) if vote.rule else None


def _fraction_text(f: Fraction | None) -> str:
    return "" if f is None else f"{f.numerator}/{f.denominator}"


def _motion_options(vote, options: Sequence, tallies: Mapping, counts: R.Counts) -> list[dict]:
    rule = threshold_of(vote) or R.MAJORITY_OF_ALL
    out = []
    for o in options:
        decided = R.decide_motion(tallies[o.pk], counts, rule)
        out.append({"id": o.pk, "label": o.label, **decided.tally.to_dict(), "passed": decided.passed,
                    "explanation": decided.explain(o.label if vote.kind == "appointment" else "")})
    return out


def compute_result(vote, options: Sequence, papers: Iterable[Mapping] | None = None) -> dict:
    """The result of a closed vote. papers: each ballot's marks (electronic, or paper score ballots);
    for a paper vote of another kind the tellers' totals in `vote.paper_counts` are used."""
    kind = vote.kind
    ids = [o.pk for o in options]
    paper_totals = vote.method == "paper" and kind != "score"
    papers = list(papers or [])
    if paper_totals:
        pc = vote.paper_counts or {}
        cast = int(pc.get("returned", 0))
    else:
        cast = len(papers)
    counts = counts_of(vote, cast)
    result: dict = {"kind": kind, "counts": counts.to_dict(), "rule": vote.rule, "method": vote.method}

    if kind in ("motion", "appointment"):
        if paper_totals:
            per = pc.get("options", {})
            tallies = {o.pk: R.MotionTally(yes=per[str(o.pk)]["yes"], no=per[str(o.pk)]["no"],
                                           abstain=per[str(o.pk)]["abstain"],
                                           invalid=cast - sum(per[str(o.pk)][c] for c in R.MOTION_CHOICES))
                       for o in options}
        else:
            tallies = {o.pk: R.tally_motion(p.get(str(o.pk)) for p in papers) for o in options}
        result["options"] = _motion_options(vote, options, tallies, counts)
        result["explanation"] = "；".join(o["explanation"] for o in result["options"])
    elif kind == "choice":
        k = vote.max_choices or 0
        if paper_totals:
            votes = {i: int(pc.get("options", {}).get(str(i), 0)) for i in ids}
            invalid = int(pc.get("invalid", 0))
            valid = cast - invalid
        else:
            votes, valid, invalid = R.tally_choices((p.get("chosen", []) for p in papers), ids, k)
        rule = threshold_of(vote)
        choice_counts = R.Counts(seated=counts.seated, entitled=counts.entitled, present=counts.present, cast=valid)
        ranked = R.rank_choices(votes, ids, vote.places or k, choice_counts, rule=rule, tie_rule=vote.tie_rule)
        labels = {o.pk: o.label for o in options}
        tied, selected = set(ranked.tied), set(ranked.selected)
        result.update({
            "valid": valid,
            "invalid": invalid,
            "places": vote.places or k,
            "open_places": ranked.open_places,
            "decided": ranked.decided,
            "ranking": [{"id": o, "label": labels[o], "votes": v, "selected": o in selected, "tied": o in tied,
                         "below_threshold": o in ranked.below_threshold} for o, v in ranked.ranking],
        })
        parts = [_("应到 %(e)s 人，出席 %(p)s 人，收回选票 %(c)s 张，有效 %(v)s 张，无效 %(i)s 张") % {
            "e": counts.entitled, "p": counts.present, "c": cast, "v": valid, "i": invalid}]
        if ranked.selected or not ranked.tied:
            parts.append(_("应选 %(n)s 名，按得票多少依次当选：%(names)s") % {
                "n": vote.places or k, "names": "、".join(labels[o] for o in ranked.selected) or _("无")})
        else:
            parts.append(_("应选 %(n)s 名") % {"n": vote.places or k})
        if rule is not None:
            parts.append(_("当选须得票%(rule)s") % {"rule": rule.describe(choice_counts)})
        if ranked.tied:
            parts.append(_("%(names)s 得票相同，并列争夺剩余 %(n)s 个名额，%(how)s") % {
                "names": "、".join(labels[o] for o in ranked.tied), "n": ranked.open_places,
                "how": _("须再次投票") if vote.tie_rule == "runoff" else _("由主持人决定")})
        result["explanation"] = "；".join(parts)
    elif kind == "score":
        config = R.ScoreConfig.from_dict(vote.score_config)
        converted = [{int(t): row for t, row in p.items()} for p in papers]
        results, invalid = R.score_results(converted, ids, config)
        labels = {o.pk: o.label for o in options}
        result.update({
            "invalid": dict(invalid),
            "valid": cast - sum(invalid.values()),
            "options": [{"id": r.target, "label": labels[r.target], "score": R.display_score(r.score),
                         "score_exact": _fraction_text(r.score), "grade": r.grade, "papers": r.papers,
                         "dropped": r.dropped} for r in results],
        })
        trim = _("去掉 %(n)s 个最高分和 %(n)s 个最低分后取平均") % {"n": config.trim} if config.trim else _("取平均")
        result["explanation"] = _("收回测评票 %(c)s 张，有效 %(v)s 张，无效 %(i)s 张；各维度加权后%(trim)s") % {
            "c": cast, "v": result["valid"], "i": sum(invalid.values()), "trim": trim}
    elif kind == "satisfaction":
        rows = []
        for o in options:
            if paper_totals:
                per = pc.get("options", {}).get(str(o.pk), {})
                t = R.SatisfactionTally(satisfied=per.get("satisfied", 0), basic=per.get("basic", 0),
                                        unsatisfied=per.get("unsatisfied", 0))
                t = R.SatisfactionTally(t.satisfied, t.basic, t.unsatisfied, invalid=cast - t.valid)
            else:
                t = R.tally_satisfaction(p.get(str(o.pk)) for p in papers)
            rows.append({"id": o.pk, "label": o.label, **t.to_dict(), "rate": R.display_score(
                t.rate * 100 if t.rate is not None else None), "rate_exact": _fraction_text(t.rate)})
        result["options"] = rows
        result["explanation"] = _(
            "应到 %(e)s 人，出席 %(p)s 人，收回测评票 %(c)s 张；满意率为满意与基本满意票占有效票的比例"
        ) % {"e": counts.entitled, "p": counts.present, "c": cast}
    return result


def recompute(vote) -> dict:
    """The result again from the stored rows (what an auditor would run)."""
    options = list(vote.options.order_by("position"))
    papers = [b.marks for b in vote.ballots.all()]
    result = compute_result(vote, options, papers)
    if vote.tie_decision:
        result = apply_tie_decision(result, vote.tie_decision)
    return result


def apply_tie_decision(result: dict, decision: Mapping) -> dict:
    """The chair's choice among the options tied at the cut line, recorded with its reason."""
    chosen = set(decision["chosen"])
    out = dict(result)
    out["ranking"] = [dict(r, selected=r["selected"] or r["id"] in chosen) for r in result["ranking"]]
    out["decided"] = True
    out["open_places"] = 0
    names = "、".join(r["label"] for r in result["ranking"] if r["id"] in chosen)
    out["explanation"] = result["explanation"] + "；" + _("主持人决定：%(names)s 当选（%(note)s）") % {
        "names": names, "note": decision.get("note", "")}
    return out
