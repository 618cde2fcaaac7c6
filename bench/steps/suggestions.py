"""Issue 4's data: deputies' suggestions (代表建议), 10 per deputy seat (100,000 at the reference 10,000).

Each congress gets a session period (大会期间, January) and a recess period (闭会期间) for each of the
five years up to today; its suggestions are spread over those years in proportion to its seats,
two thirds submitted during the session. Authors are the congress's active deputies, with 0–3
co-signers of the same congress. The state follows the age: old items are closed (A/B solved/C/D,
some after 不满意 and re-handling), still under B follow-up, declined, converted to reference,
withdrawn or merged into an earlier item; recent ones are handling (lead + co-units or separately,
parts in every state), replied, re-handling, accepted, submitted, sent back or drafts.

Rows written, in id order, one transaction per batch of 5,000 suggestions: Suggestion, Signer,
Assignment (units' parts), Reply (co-units' views, replies, re-handled replies, B progress and
solved replies), Rating (every signing deputy per rated reply), Extension and KeySupervision for
a few, the Event rows of each step, open Deadline rows of the parts still waiting, and one
SearchDocument per submitted suggestion (tokens computed once per topic × town). Rows go in with
`executemany` (bench/steps/opinions.py's `_Table`); the plain indexes of the suggestion tables are
dropped during the load and rebuilt at the end. The SQLite FTS5 trigger stays on (100,000 index
rows cost less than rebuilding the million opinions' index).

Also runnable alone against a database that has the foundation (and perhaps the opinions) already:

    .venv/bin/python bench/steps/suggestions.py --database-url sqlite:///var/bench-opinions.sqlite3
"""

import datetime as dt
import os
import sys
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

if __name__ == "__main__":  # run alone: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.registry import Context, step  # noqa: E402

PER_DEPUTY = float(os.environ.get("BENCH_SUGGESTIONS_PER_DEPUTY", "10"))
YEARS = 5
BATCH = 5000

# (status, weight) by age in days: the older, the more finished.
STATE_MIX = [
    (14, [("draft", 10), ("submitted", 45), ("revising", 5), ("withdrawn", 3), ("accepted", 25), ("handling", 12)]),
    (100, [("accepted", 5), ("handling", 60), ("replied", 15), ("rehandling", 4), ("declined", 3), ("reference", 3),
           ("merged", 5), ("withdrawn", 1), ("closed", 4)]),
    (365, [("handling", 4), ("replied", 4), ("rehandling", 1), ("following", 12), ("closed", 64), ("declined", 4),
           ("reference", 4), ("merged", 5), ("withdrawn", 2)]),
    (10**6, [("following", 4), ("closed", 80), ("declined", 4), ("reference", 4), ("merged", 6), ("withdrawn", 2)]),
]
OUTCOME_MIX = [("A", 62), ("B", 18), ("C", 14), ("D", 6)]
RATING_MIX = [("satisfied", 78), ("basic", 17), ("unsatisfied", 5)]
PART_MIX_HANDLING = [("assigned", 15), ("signed", 65), ("returned", 3), ("answered", 17)]


def _weighted(rng, mix):
    total = sum(w for _v, w in mix)
    x = rng.random() * total
    for value, weight in mix:
        x -= weight
        if x < 0:
            return value
    return mix[-1][0]


def add_months(day: dt.date, n: int) -> dt.date:
    y, m = divmod(day.month - 1 + n, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


class _Texts:
    """Title, sections and search tokens per (topic, town), computed once each."""

    def __init__(self, ct_suggestion: int):
        from renda.core.search.segmentation import clean, index_tokens
        from renda.demo.suggestion_texts import TOPICS

        self.topics = TOPICS
        self.ct = ct_suggestion
        self._clean, self._tokens = clean, index_tokens
        self._memo: dict[tuple[int, str, bool], tuple] = {}

    def get(self, topic: int, town: str, local_title: bool) -> tuple[str, str, str, str, str, str]:
        key = (topic, town, local_title)
        hit = self._memo.get(key)
        if hit is None:
            t = self.topics[topic]
            title = t.title.replace("关于", f"关于{town}", 1) if local_title else t.title
            situation = t.situation.format(town=town)
            body = "\n".join((situation, t.problem, t.proposal))
            title_clean = self._clean(title)[:255]
            tokens = " ".join(self._tokens(f"{title_clean}\n{body}"))
            hit = self._memo[key] = (title, situation, t.problem, t.proposal, title_clean, tokens)
        return hit


@step("suggestions", order=310)
def suggestions(ctx: Context) -> None:
    """Deputies' suggestions with signers, units' parts, replies, ratings, events, open deadlines, search index."""
    from django.contrib.contenttypes.models import ContentType

    from bench.steps.opinions import _pause_indexes, _resume_indexes, _Row, _Table, adapt_datetime
    from renda.core.models import Event
    from renda.core.search.models import SearchDocument
    from renda.core.search.segmentation import scope_token
    from renda.core.workdays.models import Deadline, DeadlinePolicy
    from renda.deputies.models import Deputy
    from renda.org.models import CommitteeMember, Congress, ElectoralDistrict, Unit
    from renda.suggestions.models import (
        Assignment,
        Category,
        Extension,
        KeySupervision,
        Period,
        Rating,
        Reply,
        Signer,
        Suggestion,
    )

    rng = ctx.rng
    n = ctx.scale(PER_DEPUTY * 1000)
    now = timezone.now()
    tz = dt.timezone(timezone.localtime(now).utcoffset())
    today = timezone.localdate(now)

    categories = {c.code: c.pk for c in Category.objects.all()}
    if not categories:
        from renda.suggestions.seed import seed_categories

        seed_categories(Category)
        categories = {c.code: c.pk for c in Category.objects.all()}
    ct_s = ContentType.objects.get_for_model(Suggestion).pk
    ct_a = ContentType.objects.get_for_model(Assignment).pk
    texts = _Texts(ct_s)
    topic_category = [categories.get(t.category, categories.get("other")) for t in texts.topics]
    policies = {p.code: p for p in DeadlinePolicy.objects.filter(code__in=[
        "suggestion_sign", "suggestion_reply", "coop_views", "suggestion_rehandle"])}

    # Who writes and who answers: per congress its active deputies (with their town) and its units.
    town_of_district: dict[int, str] = {}
    for district_id, town in (ElectoralDistrict.places.through.objects
                              .values_list("electoraldistrict_id", "place__parent__name").order_by("id")):
        town_of_district.setdefault(district_id, town or "")
    deputies: dict[int, list[tuple[int, str]]] = {}
    for pk, congress_id, district_id in (Deputy.objects.filter(status="active").order_by("id")
                                         .values_list("id", "congress_id", "district_id")):
        deputies.setdefault(congress_id, []).append((pk, town_of_district.get(district_id, "")))
    units: dict[int, list[int]] = {}
    for pk, congress_id in Unit.objects.filter(is_active=True).order_by("id").values_list("id", "congress_id"):
        units.setdefault(congress_id, []).append(pk)
    leaders: dict[int, list[int]] = {}
    for pk, congress_id in CommitteeMember.objects.order_by("id").values_list("id", "congress_id"):
        leaders.setdefault(congress_id, []).append(pk)
    congresses = [c for c in Congress.objects.order_by("id") if deputies.get(c.pk) and units.get(c.pk)]
    if not congresses:
        return
    weights = [len(deputies[c.pk]) for c in congresses]
    cum, acc = [], 0
    for w in weights:
        acc += w
        cum.append(acc)

    # Periods: a session and a recess per congress and year; the current year's recess stays open.
    first_year = today.year - YEARS + 1
    periods: dict[tuple[int, int, str], Period] = {}
    rows = []
    for c in congresses:
        for year in range(first_year, today.year + 1):
            opens = dt.datetime(year, 1, 8, 8, tzinfo=tz)
            rows.append(Period(congress=c, kind="session", year=year, name=f"{c.short_name}{year}年人代会",
                               number_prefix=f"{year}年会", is_open=False, opened_at=opens,
                               closed_at=opens + dt.timedelta(days=4)))
            rows.append(Period(congress=c, kind="recess", year=year, name=f"{year}年闭会期间",
                               number_prefix=f"{year}年闭", is_open=year == today.year,
                               opened_at=dt.datetime(year, 2, 1, 8, tzinfo=tz),
                               closed_at=None if year == today.year else dt.datetime(year, 12, 20, 17, tzinfo=tz)))
    Period.objects.bulk_create(rows, batch_size=1000)
    for p in rows:
        periods[(p.congress_id, p.year, p.kind)] = p
    numbers: dict[int, int] = {}

    tables = {m: _Table(m, now) for m in (Suggestion, Signer, Assignment, Reply, Rating)}
    paused = _pause_indexes([Suggestion, Signer, Assignment, Reply, Rating])
    ev_sql = (f"INSERT INTO {Event._meta.db_table} (congress_id, content_type_id, object_id, action, from_state, "
              "to_state, actor_id, actor_role, note, created_at) VALUES (%s, %s, %s, %s, %s, %s, NULL, %s, %s, %s)")
    sd_sql = (f"INSERT INTO {SearchDocument._meta.db_table} (content_type_id, object_id, congress_id, title, tokens, "
              "updated_at) VALUES (%s, %s, %s, %s, %s, %s)")
    counts = dict.fromkeys(("suggestions", "signers", "parts", "replies", "ratings", "events", "deadlines",
                            "extensions", "key suggestions", "search documents"), 0)
    mains: dict[int, list] = {}  # per congress: recent items others may be merged into


    def at(day: dt.date, hour: float | None = None) -> dt.datetime:
        h = 9 + rng.random() * 8 if hour is None else hour
        moment = dt.datetime.combine(day, dt.time(0), tzinfo=tz) + dt.timedelta(hours=h)
        return min(moment, now - dt.timedelta(minutes=5))

    def later(day: dt.date, lo: int, hi: int) -> dt.date:
        return min(day + dt.timedelta(days=rng.randint(lo, hi)), today)

    with ctx.progress(n, "suggestions") as bar:
        done = 0
        while done < n:
            size = min(BATCH, n - done)
            batch = {k: [] for k in ("s", "signers", "parts", "replies", "ratings", "events", "docs", "deadlines",
                                     "ext", "keys")}
            for k in range(size):
                i = done + k
                # Spread over the five years; two thirds in the January sessions.
                x = rng.random() * cum[-1]
                c = congresses[min(_bisect(cum, x), len(congresses) - 1)]
                year = first_year + (i * YEARS) // n
                if rng.random() < 0.66 and dt.date(year, 1, 12) < today:
                    kind, day = "session", dt.date(year, 1, 8) + dt.timedelta(days=rng.randint(0, 3))
                else:
                    last = min(dt.date(year, 12, 19), today)
                    first = dt.date(year, 2, 1)
                    if last <= first:
                        kind, day = "session", dt.date(year, 1, 8)
                    else:
                        kind, day = "recess", first + dt.timedelta(days=rng.randrange((last - first).days + 1))
                _plan_one(ctx, rng, batch, c, periods[(c.pk, year, kind)], day, today, now, at, later, texts,
                          topic_category, deputies[c.pk], units[c.pk], leaders.get(c.pk, []), numbers, mains,
                          ct_s, ct_a, policies, scope_token, adapt_datetime, _Row)
            # A suggestion merged into one of this batch points at the id its main item is about to get.
            first_id = tables[Suggestion].next_id
            for idx, row in enumerate(batch["s"]):
                row.planned_id = first_id + idx
            for row in batch["s"]:
                if getattr(row, "merge_main", None) is not None:
                    row.merged_into_id = row.merge_main.planned_id
            with transaction.atomic():
                tables[Suggestion].insert(batch["s"])
                for row, signers in batch["signers"]:
                    for sg in signers:
                        sg.suggestion_id = row.id
                tables[Signer].insert([sg for _r, sgs in batch["signers"] for sg in sgs])
                for row, part in batch["parts"]:
                    part.suggestion_id = row.id
                tables[Assignment].insert([p for _r, p in batch["parts"]])
                for row, part, reply in batch["replies"]:
                    reply.suggestion_id, reply.assignment_id = row.id, part.id
                tables[Reply].insert([r for _r, _p, r in batch["replies"]])
                for reply, rating in batch["ratings"]:
                    rating.reply_id = reply.id
                tables[Rating].insert([r for _p, r in batch["ratings"]])
                events = []
                for obj, kind_ct, ev in batch["events"]:
                    events.append((obj.congress_id, kind_ct, obj.id, *ev[:-1], adapt_datetime(ev[-1])))
                docs = [(ct_s, row.id, row.congress_id, title, f"{tokens} {scope_token(ct_s, row.congress_id)}",
                         adapt_datetime(row.submitted_at)) for row, title, tokens in batch["docs"]]
                deadlines = []
                for part, code, start, due in batch["deadlines"]:
                    pol = policies.get(code)
                    if pol is None:
                        continue
                    deadlines.append(Deadline(
                        congress_id=part.congress_id, content_type_id=ct_a, object_id=part.id, policy=pol,
                        unit=pol.unit, amount=pol.amount, roll_to_workday=pol.roll_to_workday, start=start, due=due,
                        owner_unit_id=part.unit_id,
                        explanation=f"{start:%Y-%m-%d} 起 {pol.amount} {pol.get_unit_display()}，至 {due:%Y-%m-%d}"))
                Deadline.objects.bulk_create(deadlines, batch_size=1000)
                Extension.objects.bulk_create([Extension(assignment_id=part.id, **kw) for part, kw in batch["ext"]])
                KeySupervision.objects.bulk_create([KeySupervision(suggestion_id=row.id, **kw)
                                                    for row, kw in batch["keys"]])
                with connection.cursor() as cursor:
                    cursor.executemany(ev_sql, events)
                    if docs:
                        cursor.executemany(sd_sql, docs)
            counts["suggestions"] += size
            counts["signers"] += sum(len(s) for _r, s in batch["signers"])
            counts["parts"] += len(batch["parts"])
            counts["replies"] += len(batch["replies"])
            counts["ratings"] += len(batch["ratings"])
            counts["events"] += len(events)
            counts["deadlines"] += len(deadlines)
            counts["extensions"] += len(batch["ext"])
            counts["key suggestions"] += len(batch["keys"])
            counts["search documents"] += len(docs)
            done += size
            bar.update(size)
    with ctx.progress(1, "suggestion indexes") as bar:
        for t in tables.values():
            t.finish()
        _resume_indexes(paused)
        for pid, last in numbers.items():
            Period.objects.filter(pk=pid).update(last_number=last)
        bar.update(1)
    for label, value in counts.items():
        ctx.count("suggestions" if label == "suggestions" else f"suggestion {label}", value)
    ctx.count("suggestion periods", len(rows))


def _bisect(cum: list[int], x: float) -> int:
    import bisect

    return bisect.bisect_right(cum, x)


def _plan_one(ctx, rng, batch, congress, period, day, today, now, at, later, texts, topic_category, deputies, units,
              leaders, numbers, mains, ct_s, ct_a, policies, scope_token, adapt, Row) -> None:
    """One suggestion's life up to today: its row, signers, parts, replies, ratings, events and open clocks."""
    from renda.demo.suggestion_texts import CONTACTS, D_REPLY, EXTENSION_REASONS, PROGRESS, RATING_COMMENTS, VIEWS

    author, town = deputies[rng.randrange(len(deputies))]
    topic = rng.randrange(len(texts.topics))
    title, situation, problem, proposal, title_clean, tokens = texts.get(topic, town or congress.short_name,
                                                                      rng.random() < 0.5)
    age = (today - day).days
    status = _weighted(rng, next(mix for limit, mix in STATE_MIX if age <= limit))
    created = at(day - dt.timedelta(days=rng.randint(1, 5)))
    s = Row(congress_id=congress.pk, author_id=author, category_id=topic_category[topic], title=title,
            situation=situation, problem=problem, proposal=proposal, status=status, created_at=created,
            updated_at=created)
    events: list = []

    def ev(obj, kind_ct, action, frm, to, role, note, when):
        events.append((obj, kind_ct, (action, frm, to, role, note, when)))

    ev(s, ct_s, "create", "", "draft", "deputy", "", created)
    # Signers: the author and 0–3 co-signers of the same congress.
    signers = [Row(deputy_id=author, is_author=True, status="confirmed", invited_at=created, responded_at=created)]
    for _n in range(_weighted(rng, [(0, 45), (1, 30), (2, 15), (3, 10)])):
        other, _t = deputies[rng.randrange(len(deputies))]
        if all(sg.deputy_id != other for sg in signers):
            pending = status == "draft" and rng.random() < 0.5
            signers.append(Row(deputy_id=other, is_author=False, status="invited" if pending else "confirmed",
                               invited_at=created, responded_at=None if pending else created + dt.timedelta(hours=20)))
    batch["signers"].append((s, signers))
    raters = [sg.deputy_id for sg in signers if sg.status == "confirmed"]
    if status == "draft":
        batch["s"].append(s)
        batch["events"].extend(events)
        return
    submitted = at(day)
    s.period_id, s.submitted_at = period.pk, submitted
    ev(s, ct_s, "submit", "draft", "submitted", "deputy", "", submitted)
    batch["docs"].append((s, title_clean, tokens))
    reviewed_day = later(day, 5, 20)
    if status == "submitted":
        pass
    elif status in ("revising", "declined", "reference"):
        s.reviewed_at = at(reviewed_day)
        s.review_note = {"revising": "请补充具体情况和数据后重新提交。",
                         "declined": "属于个人具体诉求，不作为代表建议立案。",
                         "reference": "转为参阅件，供有关部门研究参考。"}[status]
        action = {"revising": "send_back", "declined": "decline", "reference": "to_reference"}[status]
        ev(s, ct_s, action, "submitted", status, "staff", s.review_note, s.reviewed_at)
    elif status == "withdrawn":
        ev(s, ct_s, "withdraw", "submitted", "withdrawn", "deputy", "", at(later(day, 1, 3)))
    elif status == "merged" and mains.get(congress.pk):
        main = mains[congress.pk][rng.randrange(len(mains[congress.pk]))]
        s.merged_into_id = main.id if getattr(main, "id", None) else None
        if s.merged_into_id is None:  # the main item is in this batch: ids come at insert time
            s.merge_main = main
        s.reviewed_at = at(reviewed_day)
        ev(s, ct_s, "merge", "submitted", "merged", "staff", "内容相近，并案办理。", s.reviewed_at)
        if main.status == "closed":
            s.status, s.outcome, s.closed_at = "closed", main.outcome, main.closed_at
            ev(s, ct_s, "merged_close", "merged", "closed", "system", "", max(main.closed_at, s.reviewed_at))
        raters = []  # they rate the main item's reply (not generated per merged item)
    else:
        if status == "merged":
            status = s.status = "closed"
        numbers[period.pk] = number = numbers.get(period.pk, 0) + 1
        s.number, s.reviewed_at = number, at(reviewed_day)
        ev(s, ct_s, "accept", "submitted", "accepted", "staff", "", s.reviewed_at)
        if status != "accepted":
            _handle(rng, batch, s, status, reviewed_day, today, now, at, later, ev, units, raters, leaders, ct_s,
                    ct_a, texts.topics[topic], town, Row, CONTACTS, D_REPLY, EXTENSION_REASONS, PROGRESS,
                    RATING_COMMENTS, VIEWS)
        if s.status in ("handling", "closed", "following", "replied") and age < 200:
            lst = mains.setdefault(congress.pk, [])
            lst.append(s)
            if len(lst) > 50:
                lst.pop(0)
    s.version = len([e for e in events if e[1] == ct_s]) - 1
    batch["s"].append(s)
    batch["events"].extend(events)


def _handle(rng, batch, s, status, reviewed_day, today, now, at, later, ev, units, raters, leaders, ct_s, ct_a,
            topic, town, Row, CONTACTS, D_REPLY, EXTENSION_REASONS, PROGRESS, RATING_COMMENTS, VIEWS) -> None:
    """Assignment to units and everything after it, up to `status`."""
    assigned_day = later(reviewed_day, 2, 10)
    assigned = at(assigned_day)
    separate = rng.random() < 0.12 and len(units) > 2
    chosen = rng.sample(units, min(len(units), 2 if separate else 1 + _weighted(rng, [(0, 50), (1, 35), (2, 15)])))
    s.mode, s.assigned_at = ("separate" if separate else "lead"), assigned
    ev(s, ct_s, "assign", "accepted", "handling", "staff", "", assigned)
    reply_due = add_months(assigned_day, 3)
    outcome = _weighted(rng, OUTCOME_MIX)
    parts = []
    for n, unit in enumerate(chosen):
        role = "separate" if separate else ("lead" if n == 0 else "co")
        p = Row(congress_id=s.congress_id, unit_id=unit, role=role, status="assigned", assigned_at=assigned,
                due=add_months(assigned_day, 1) if role == "co" else reply_due, version=0)
        parts.append(p)
        batch["parts"].append((s, p))
        ev(p, ct_a, "assign", "", "assigned", "staff", "", assigned)
    if rng.random() < 0.015 and leaders:
        batch["keys"].append((s, {"leader_id": leaders[rng.randrange(len(leaders))],
                                  "meeting_date": later(assigned_day, 5, 15), "note": "列入主任会议重点督办。"}))
        s.is_key = True
        ev(s, ct_s, "key", "", "", "staff", "", at(later(assigned_day, 5, 15)))
    answering = [p for p in parts if p.role != "co"]
    if status == "handling":
        for p in parts:
            p.status = _weighted(rng, PART_MIX_HANDLING)
            if p.status != "assigned":
                p.signed_at = at(later(assigned_day, 1, 5))
                ev(p, ct_a, "sign" if p.status != "returned" else "return", "assigned", p.status, "unit", "",
                   p.signed_at)
            if p.status == "returned":
                p.return_reason, p.signed_at = "不属于本单位职责范围，建议调整承办单位。", None
            if p.status == "answered":
                p.answered_at = at(later(assigned_day, 20, 60))
                p.on_time = True
                if p.role == "co":
                    batch["replies"].append((s, p, Row(kind="views", outcome="", text=VIEWS[0],
                                                       created_at=p.answered_at)))
                    ev(p, ct_a, "send_views", "signed", "answered", "unit", "", p.answered_at)
                else:
                    p.outcome = outcome if outcome != "B" else "A"
                    batch["replies"].append((s, p, Row(kind="reply", outcome=p.outcome, text=topic.reply.format(
                        town=town), created_at=p.answered_at)))
                    ev(p, ct_a, "reply", "signed", "answered", "unit", "", p.answered_at)
            else:
                if p.status == "assigned":
                    batch["deadlines"].append((p, "suggestion_sign", assigned_day,
                                               assigned_day + dt.timedelta(days=9)))
                batch["deadlines"].append((p, "coop_views" if p.role == "co" else "suggestion_reply",
                                           assigned_day, p.due))
        if all(p.status == "answered" for p in answering):  # keep one answering part open
            p = answering[0]
            p.status, p.outcome, p.answered_at, p.on_time = "signed", "", None, None
            batch["replies"] = [r for r in batch["replies"] if r[1] is not p]
            batch["deadlines"].append((p, "suggestion_reply", assigned_day, p.due))
        open_dues = [p.due for p in answering if p.status != "answered"]
        s.due = min(open_dues) if open_dues else None
        lead = answering[0]
        if rng.random() < 0.04 and lead.status in ("assigned", "signed"):
            months = rng.choice((1, 2, 3))
            batch["ext"].append((lead, {"months": months, "reason": rng.choice(EXTENSION_REASONS),
                                        "status": "approved", "decided_at": at(later(assigned_day, 60, 80))}))
            lead.extended_months, lead.due = months, add_months(assigned_day, 3 + months)
            batch["deadlines"] = [(p, code, start, lead.due if p is lead and code == "suggestion_reply" else due)
                                  for p, code, start, due in batch["deadlines"]]
            s.due = min(p.due for p in answering if p.status != "answered")
        return
    # Every part signed and answered (co-units' views first), after contact with the author.
    replied_day = min(assigned_day + dt.timedelta(days=rng.randint(45, 88)), today)
    late = rng.random() < 0.06
    if late:
        replied_day = min(assigned_day + dt.timedelta(days=rng.randint(95, 130)), today)
    for p in parts:
        p.signed_at = at(later(assigned_day, 1, 5))
        ev(p, ct_a, "sign", "assigned", "signed", "unit", "", p.signed_at)
        p.status = "answered"
        if p.role == "co":
            p.answered_at = at(later(assigned_day, 10, 30))
            p.on_time = True
            batch["replies"].append((s, p, Row(kind="views", outcome="", text=VIEWS[1], created_at=p.answered_at)))
            ev(p, ct_a, "send_views", "signed", "answered", "unit", "", p.answered_at)
    replies = []
    for p in answering:
        ev(p, ct_a, "contact", "", "", "unit", CONTACTS[0][1], at(later(assigned_day, 20, 40)))
        p.outcome = outcome if p is answering[0] else rng.choice(("A", "A", outcome))
        p.answered_at, p.on_time = at(replied_day), not late
        text = {"A": topic.reply, "B": "已列入计划，正在推进：" + topic.reply, "C": topic.limit,
                "D": D_REPLY}[p.outcome]
        r = Row(kind="reply", outcome=p.outcome, text=text.format(town=town), created_at=p.answered_at,
                committed_date=add_months(replied_day, 6) if p.outcome == "B" else None)
        replies.append((p, r))
        batch["replies"].append((s, p, r))
        ev(p, ct_a, "reply", "signed", "answered", "unit", "", p.answered_at)
    s.outcome = max(p.outcome for p in answering)
    s.replied_at, s.on_time = at(replied_day), not late
    ev(s, ct_s, "all_answered", "handling", "replied", "system", "", s.replied_at)
    if status == "replied":
        return
    rated_day = later(replied_day, 3, 20)

    def rate(pairs, day, value=None):
        for p, r in pairs:
            for n, deputy in enumerate(raters):
                v = value or _weighted(rng, RATING_MIX if p.outcome != "C" else [("basic", 60), ("satisfied", 30),
                                                                                   ("unsatisfied", 10)])
                when = at(min(day + dt.timedelta(days=n), today))
                batch["ratings"].append((r, Row(deputy_id=deputy, value=v, created_at=when,
                                                comment=RATING_COMMENTS[v][0])))
                ev(s, ct_s, "rate", "", "", "deputy", "", when)

    unhappy = status == "rehandling" or (status in ("closed", "following") and rng.random() < 0.05)
    if unhappy and raters:
        p, r = replies[0]
        rate([(p, r)], rated_day, value="unsatisfied")
        p.status, p.rehandled, s.rehandled = "rehandling", True, True
        ev(s, ct_s, "reopen", "replied", "rehandling", "system", "", at(rated_day))
        if status == "rehandling":
            s.status = "rehandling"
            p.due = s.due = add_months(rated_day, 1)
            batch["deadlines"].append((p, "suggestion_rehandle", rated_day, p.due))
            return
        again = later(rated_day, 10, 28)
        p.status, p.answered_at = "answered", at(again)
        p.outcome = rng.choice(("A", "C"))
        r2 = Row(kind="rehandle", outcome=p.outcome, text=(topic.reply if p.outcome == "A" else topic.limit)
                 .format(town=town), created_at=p.answered_at)
        batch["replies"].append((s, p, r2))
        ev(s, ct_s, "all_answered", "rehandling", "replied", "system", "", p.answered_at)
        replies[0] = (p, r2)
        s.outcome = max(q.outcome for q in answering)
        rated_day = later(again, 3, 15)
    rate(replies, rated_day)
    finished = at(min(rated_day + dt.timedelta(days=len(raters)), today))
    b_parts = [p for p in answering if p.outcome == "B"]
    if status == "following" or (b_parts and status == "closed"):
        if not b_parts:
            answering[0].outcome = "B"
            b_parts = [answering[0]]
        ev(s, ct_s, "follow_up", "replied", "following", "system", "", finished)
        for p in b_parts:
            p.status = "following"
        day = rated_day
        for _n in range(rng.randint(1, 3)):
            day = day + dt.timedelta(days=60)
            if day >= today:
                break
            for p in b_parts:
                batch["replies"].append((s, p, Row(kind="progress", outcome="B", text=rng.choice(PROGRESS),
                                                   created_at=at(day))))
                ev(p, ct_a, "progress", "", "", "unit", "", at(day))
        if status == "following" or day >= today - dt.timedelta(days=20):
            s.status = "following"
            s.outcome = "B"
            return
        solved_day = later(day, 20, 60)
        solved = []
        for p in b_parts:
            p.status, p.outcome, p.answered_at = "answered", "A", at(solved_day)
            r = Row(kind="solved", outcome="A", text="经持续推进，已全部办结：" + topic.reply.format(town=town),
                    created_at=p.answered_at)
            batch["replies"].append((s, p, r))
            solved.append((p, r))
        ev(s, ct_s, "solved", "following", "replied", "system", "", at(solved_day))
        s.outcome = max(q.outcome for q in answering)
        rated_day = later(solved_day, 3, 15)
        rate(solved, rated_day)
        finished = at(min(rated_day + dt.timedelta(days=len(raters)), today))
    s.status, s.closed_at = "closed", finished
    ev(s, ct_s, "all_rated", "replied", "closed", "system", "", finished)
    if rng.random() < 0.15 and s.outcome in ("A", "B"):
        s.is_published, s.published_at = True, finished
        s.published_title, s.published_text = s.title, s.proposal
        s.published_reply = replies[0][1].text


def main(argv: list[str] | None = None) -> int:
    """Run this step alone on a database that has the foundation (bench/generate.py) already."""
    import argparse
    import time

    from bench import bootstrap

    parser = argparse.ArgumentParser(description="Add the suggestions step's data to a generated bench database.")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--quiet", action="store_true")
    bootstrap.add_database_arguments(parser)
    args = parser.parse_args(argv)
    bootstrap.setup(args.database_url, redis_url=args.redis_url)
    from django.core.management import call_command

    from renda.deputies.models import Deputy
    from renda.suggestions.models import Suggestion

    call_command("migrate", interactive=False, verbosity=0)
    if Suggestion.objects.exists():
        print("the database holds suggestions already: generate it again with bench/generate.py --reset",
              file=sys.stderr)
        return 2
    started = time.perf_counter()
    ctx = Context(deputies=Deputy.objects.count(), seed=args.seed, quiet=args.quiet)
    suggestions(ctx)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    for label, value in ctx.counts.items():
        print(f"  {label:<26} {value:>9,}")
    print(f"suggestions step in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
