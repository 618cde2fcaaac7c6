"""One congress as a Popolo JSON document (http://www.popoloproject.com/specs/): its people, its
organizations (the congress, its standing committee or presidium, its delegation groups), memberships,
posts, its announced meetings as events (agenda items as their sub-events), and the motions and vote
events of every vote whose result has been published.

Public by design, so it carries public facts only:
- people: name, gender, public biography, party and occupation (as the portal shows deputies) for the
  congress's deputies and committee members; only the name for anybody else the document mentions
  (a voter of a named vote, a person put to an appointment vote). Never phone, e-mail, ID number or
  birth date;
- meetings once announced (notified, in session, adjourned; cancelled only if they had been
  announced): title, kind, time, place, agenda item titles and presenters. Never documents, minutes,
  replies, leave or the check-in token;
- votes only once published (`ballots.selectors.visible_result`): the counts by option and the
  result with its explanation. A secret vote exports counts only: no `votes`, nothing per voter. A
  named vote adds each voter's option.

Field names follow the Popolo JSON schemas; what Popolo has no field for goes under `extra`, the
spec's convention for additional properties. Ids are strings like "person/12", "meeting/3".

Reads only, a fixed number of queries whatever the congress's size (asserted in the tests).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from renda.ballots.models import Ballot, Vote
from renda.ballots.rules import MOTION_CHOICES, SATISFACTION_CHOICES, Threshold
from renda.ballots.selectors import visible_result
from renda.deputies.models import DelegationGroup, Deputy, Person
from renda.org.models import CommitteeMember, Congress

from .models import AgendaItem, Meeting

M = Meeting.Status
K = Meeting.Kind
# Popolo's event status (a free string; these follow Open Civic Data's usage) for each meeting status.
EVENT_STATUS = {M.NOTIFIED: "confirmed", M.IN_SESSION: "confirmed", M.ADJOURNED: "passed", M.CANCELLED: "cancelled"}
POST_ORDER = {"director": 0, "vice_director": 1, "secretary_general": 2, "member": 3}
PER_OPTION_KINDS = (Vote.Kind.MOTION, Vote.Kind.APPOINTMENT, Vote.Kind.SATISFACTION, Vote.Kind.SCORE)


def _when(value: dt.datetime | None) -> str | None:
    """Local time to the second with its offset: what both the event pattern and RFC 3339 accept."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def person_id(pk: int) -> str:
    return f"person/{pk}"


def congress_org_id(congress_id: int) -> str:
    return f"congress/{congress_id}"


def committee_org_id(congress_id: int) -> str:
    return f"committee/{congress_id}"


def group_org_id(group_id: int) -> str:
    return f"group/{group_id}"


def meeting_event_id(meeting_id: int) -> str:
    return f"meeting/{meeting_id}"


def _announced(congress_id: int):
    return Meeting.objects.filter(congress_id=congress_id).filter(
        Q(status__in=[M.NOTIFIED, M.IN_SESSION, M.ADJOURNED]) | Q(status=M.CANCELLED, notified_at__isnull=False))


def popolo_export(*, congress_id: int, now: dt.datetime | None = None) -> dict:
    """The document for one congress. Congress.DoesNotExist for an unknown id."""
    congress = Congress.objects.get(pk=congress_id)
    committee = sorted(CommitteeMember.objects.filter(congress=congress).select_related("person", "term"),
                       key=lambda c: (POST_ORDER.get(c.post, 9), c.pk))
    deputies = list(Deputy.objects.filter(congress=congress, status=Deputy.Status.ACTIVE)
                    .select_related("person", "term", "district").order_by("id"))
    groups = list(DelegationGroup.objects.filter(congress=congress).order_by("id"))
    meetings_qs = _announced(congress.pk)
    meetings = list(meetings_qs.order_by("starts_at", "id"))
    items = list(AgendaItem.objects.filter(meeting__in=meetings_qs).order_by("meeting_id", "position"))
    links = list(AgendaItem.votes.through.objects.filter(agendaitem__meeting__in=meetings_qs,
                                                         vote__status=Vote.Status.PUBLISHED)
                 .order_by("vote_id").values_list("vote_id", "agendaitem_id"))
    item_of_vote: dict[int, int] = {}
    for vote_id, item_id in links:
        item_of_vote.setdefault(vote_id, item_id)
    votes = list(Vote.objects.filter(pk__in=list(item_of_vote)).prefetch_related("options").order_by("opened_at", "id"))
    named = [v.pk for v in votes if not v.secret]
    papers: dict[int, list[tuple[int, dict]]] = defaultdict(list)
    if named:
        # Named (记名) votes only: a secret vote's papers carry no voter and are never read here.
        for vote_id, voter_id, marks in (Ballot.objects.filter(vote_id__in=named, secret=False, voter__isnull=False)
                                         .order_by("vote_id", "voter_id").values_list("vote_id", "voter_id", "marks")):
            papers[vote_id].append((voter_id, marks))

    profiled: dict[int, Person] = {d.person_id: d.person for d in deputies}
    profiled.update({c.person_id: c.person for c in committee})
    mentioned = {m.chair_id for m in meetings if m.chair_id}
    mentioned |= {o.person_id for v in votes for o in v.options.all() if o.person_id}
    mentioned |= {voter for rows in papers.values() for voter, _m in rows}
    others = {p.pk: p for p in Person.objects.filter(pk__in=mentioned - set(profiled)).only("id", "name")} \
        if mentioned - set(profiled) else {}

    meeting_by_id = {m.pk: m for m in meetings}
    item_by_id = {i.pk: i for i in items}
    doc = {
        "persons": _persons(profiled, others),
        "organizations": _organizations(congress, groups),
        "memberships": _memberships(congress, committee, deputies),
        "posts": _posts(congress, committee),
        "events": _events(meetings, items, congress),
        "motions": [],
        "vote_events": [],
        "extra": {"congress_id": congress.pk, "generated_at": _when(now or timezone.now()),
                  "specification": "Popolo 1.0.1"},
    }
    for v in votes:
        item = item_by_id[item_of_vote[v.pk]]
        meeting = meeting_by_id[item.meeting_id]
        motions, events = _vote(v, item, meeting, congress, papers.get(v.pk, []))
        doc["motions"] += motions
        doc["vote_events"] += events
    return doc


# --- people and bodies --------------------------------------------------------------------------------
def _persons(profiled: dict[int, Person], others: dict[int, Person]) -> list[dict]:
    out = []
    for pk in sorted({*profiled, *others}):
        if pk in profiled:
            p = profiled[pk]
            out.append({"id": person_id(pk), "name": p.name, "gender": p.gender or None,
                        "biography": p.public_bio or None,
                        "extra": {"party": p.party, "occupation": p.occupation}})
        else:
            out.append({"id": person_id(pk), "name": others[pk].name})
    return out


def _organizations(congress: Congress, groups: list[DelegationGroup]) -> list[dict]:
    out = [
        {"id": congress_org_id(congress.pk), "name": congress.name, "classification": "legislature",
         "extra": {"short_name": congress.short_name, "kind": congress.kind,
                   "kind_label": str(congress.get_kind_display()), "parent_congress_id": congress.parent_id}},
        {"id": committee_org_id(congress.pk), "name": f"{congress.short_name}{congress.body_name}",
         "classification": "committee", "parent_id": congress_org_id(congress.pk),
         "extra": {"body_name": congress.body_name}},
    ]
    for g in groups:
        out.append({"id": group_org_id(g.pk), "name": g.name, "classification": "delegation_group",
                    "parent_id": congress_org_id(congress.pk), "extra": {"is_joint_meeting": g.is_joint_meeting}})
    return out


def _post_id(congress_id: int, post: str) -> str:
    return f"post/committee-{congress_id}/{post}"


def _posts(congress: Congress, committee: list[CommitteeMember]) -> list[dict]:
    labels = dict(CommitteeMember.Post.choices)
    posts = sorted({c.post for c in committee}, key=lambda p: POST_ORDER.get(p, 9))
    return [{"id": _post_id(congress.pk, p), "label": str(labels.get(p, p)), "role": str(labels.get(p, p)),
             "organization_id": committee_org_id(congress.pk)} for p in posts]


def _memberships(congress: Congress, committee: list[CommitteeMember], deputies: list[Deputy]) -> list[dict]:
    out = []
    for c in committee:
        out.append({"id": f"membership/committee/{c.pk}", "role": str(c.get_post_display()),
                    "person_id": person_id(c.person_id), "organization_id": committee_org_id(congress.pk),
                    "post_id": _post_id(congress.pk, c.post), "start_date": _day(c.start_date),
                    "end_date": _day(c.end_date), "extra": {"term": c.term.number}})
    for d in deputies:
        out.append({"id": f"membership/deputy/{d.pk}", "role": "人大代表", "person_id": person_id(d.person_id),
                    "organization_id": congress_org_id(congress.pk),
                    "start_date": _day(d.elected_on or d.term.start_date), "end_date": _day(d.term.end_date),
                    "extra": {"term": d.term.number, "district": d.district.name if d.district_id else "",
                              "sector": d.sector, "sector_label": str(d.get_sector_display())}})
        if d.group_id:
            out.append({"id": f"membership/group/{d.pk}", "role": "组员", "person_id": person_id(d.person_id),
                        "organization_id": group_org_id(d.group_id)})
    return out


# --- meetings -------------------------------------------------------------------------------------------
def _organization_of(meeting: Meeting, congress: Congress) -> str:
    if meeting.kind == K.CONGRESS:
        return congress_org_id(congress.pk)
    if meeting.kind in (K.JOINT, K.ZONE):
        return group_org_id(meeting.group_id) if meeting.group_id else congress_org_id(congress.pk)
    return committee_org_id(congress.pk)


def _events(meetings: list[Meeting], items: list[AgendaItem], congress: Congress) -> list[dict]:
    by_meeting: dict[int, list[AgendaItem]] = defaultdict(list)
    for i in items:
        by_meeting[i.meeting_id].append(i)
    out = []
    for m in meetings:
        eid = meeting_event_id(m.pk)
        out.append({
            "id": eid, "name": m.title, "classification": m.kind, "start_date": _when(m.starts_at),
            "end_date": _when(m.ends_at), "location": m.location or None, "status": EVENT_STATUS[m.status],
            "organization_id": _organization_of(m, congress),
            "children": [{"id": f"agenda-item/{i.pk}", "name": i.title, "classification": "agenda_item",
                          "parent_id": eid, "extra": {"position": i.position, "presenter": i.presenter}}
                         for i in by_meeting[m.pk]],
            "extra": {"kind_label": str(m.get_kind_display()), "status": m.status,
                      "status_label": str(m.get_status_display()),
                      "chair_id": person_id(m.chair_id) if m.chair_id else None},
        })
    return out


# --- votes ----------------------------------------------------------------------------------------------
def _requirement(rule: dict | None) -> str | None:
    return Threshold.from_dict(rule).describe() if rule else None


def _vote(v: Vote, item: AgendaItem, meeting: Meeting, congress: Congress,
          papers: list[tuple[int, dict]]) -> tuple[list[dict], list[dict]]:
    """The motions and vote events of one published vote: one of each per option for the kinds
    decided option by option (a motion, each person of an appointment paper, each evaluated target);
    one of each for a 票决 (choose k of n), counted by option."""
    result = visible_result(v)
    if result is None:  # not published: never exported (the caller reads published votes only)
        return [], []
    options = sorted(v.options.all(), key=lambda o: o.position)
    common = {"organization_id": _organization_of(meeting, congress),
              "legislative_session_id": meeting_event_id(meeting.pk)}
    base_extra = {"vote_id": v.pk, "title": v.title, "kind_label": str(v.get_kind_display()), "method": v.method,
                  "secret": v.secret, "agenda_item_id": f"agenda-item/{item.pk}", "counts": result.get("counts"),
                  "published_at": _when(v.published_at)}
    motions, events = [], []
    if v.kind in PER_OPTION_KINDS:
        rows = {r["id"]: r for r in result.get("options", [])}
        for o in options:
            row = rows.get(o.pk, {})
            key = f"{v.pk}-{o.pk}"
            passed = row.get("passed")
            outcome = None if passed is None else ("pass" if passed else "fail")
            if v.kind == Vote.Kind.SCORE:
                outcome = row.get("grade") or None
            extra = {**base_extra, "option_id": o.pk}
            if o.person_id:  # the person appointed or evaluated
                extra["subject_person_id"] = person_id(o.person_id)
            motions.append({"id": f"motion/{key}", **common, "text": o.label, "classification": v.kind,
                            "date": _when(v.opened_at), "requirement": _requirement(v.rule),
                            "result": outcome, "extra": extra})
            event = {"id": f"vote-event/{key}", "motion_id": f"motion/{key}", **common, "classification": v.kind,
                     "start_date": _when(v.opened_at), "end_date": _when(v.closed_at), "result": outcome,
                     "counts": _option_counts(v.kind, row), "extra": {**extra, **_option_extra(v.kind, row)}}
            if not v.secret and v.kind != Vote.Kind.SCORE:
                allowed = MOTION_CHOICES if v.kind != Vote.Kind.SATISFACTION else SATISFACTION_CHOICES
                event["votes"] = [{"voter_id": person_id(voter), "option": marks[str(o.pk)]}
                                  for voter, marks in papers if marks.get(str(o.pk)) in allowed]
            events.append(event)
        return motions, events
    # 票决: one motion (choose `places` of the options), counted by option.
    labels = {o.pk: o.label for o in options}
    ranking = result.get("ranking", [])
    extra = {**base_extra, "places": result.get("places"), "valid": result.get("valid"),
             "invalid": result.get("invalid"), "decided": result.get("decided"),
             "selected": [r["label"] for r in ranking if r["selected"]],
             "ranking": [{"option_id": r["id"], "label": r["label"], "votes": r["votes"], "selected": r["selected"],
                          "tied": r["tied"]} for r in ranking],
             "explanation": result.get("explanation", "")}
    key = str(v.pk)
    requirement = _requirement(v.rule)
    places = result.get("places")
    motions.append({"id": f"motion/{key}", **common, "text": v.title, "classification": v.kind,
                    "date": _when(v.opened_at),
                    "requirement": f"应选 {places} 名" + (f"，当选须得票{requirement}" if requirement else ""),
                    "extra": {**base_extra, "options": [{"option_id": o.pk, "label": o.label} for o in options]}})
    event = {"id": f"vote-event/{key}", "motion_id": f"motion/{key}", **common, "classification": v.kind,
             "start_date": _when(v.opened_at), "end_date": _when(v.closed_at),
             "counts": [{"option": r["label"], "value": r["votes"]} for r in ranking], "extra": extra}
    if not v.secret:
        event["votes"] = [{"voter_id": person_id(voter), "option": labels[c]}
                          for voter, marks in papers for c in marks.get("chosen", []) if c in labels]
    events.append(event)
    return motions, events


def _option_counts(kind: str, row: dict) -> list[dict]:
    if kind in (Vote.Kind.MOTION, Vote.Kind.APPOINTMENT):
        return [{"option": c, "value": int(row.get(c, 0))} for c in MOTION_CHOICES]
    if kind == Vote.Kind.SATISFACTION:
        return [{"option": c, "value": int(row.get(c, 0))} for c in SATISFACTION_CHOICES]
    return []  # a score is not a count of options: see extra


def _option_extra(kind: str, row: dict) -> dict:
    if kind in (Vote.Kind.MOTION, Vote.Kind.APPOINTMENT):
        return {"invalid": row.get("invalid", 0), "explanation": row.get("explanation", "")}
    if kind == Vote.Kind.SATISFACTION:
        return {"invalid": row.get("invalid", 0), "rate": row.get("rate")}
    return {"score": row.get("score"), "grade": row.get("grade"), "papers": row.get("papers"),
            "dropped": row.get("dropped")}
