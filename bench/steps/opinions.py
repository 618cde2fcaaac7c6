"""Issue 3's data: citizens' opinions, 100 per deputy seat (1,000,000 at the reference 10,000).

Spread evenly over the five years up to today, over every town, village/community and category,
addressed to the active deputies elected there (70%) or to the town's liaison stations (30%); some
from the 12345 hotline (a few of them not routed yet), some entered at offline brand events. The
state follows the age: old items are closed (rated 满意/基本满意/不满意, a few re-handled once, a few
closed unrated), declined or merged; recent ones are still submitted, accepted, forwarded,
replied or being re-handled, so the overdue filter finds real items.

Rows written, in chronological id order, one transaction per batch of 5,000 opinions: Opinion, the
units' Assignment rows of forwarded items, RatingRecord per rating round, the Event rows of every
step (the timelines), open Deadline rows of the items still waiting, and one SearchDocument per
opinion. Events, ratings and index rows go in with `executemany` (the ORM's per-object cost is
most of the time at this volume); the search tokens of a (topic, community) text are computed once.
On SQLite the FTS5 insert trigger is dropped during the load and the index rebuilt once at the
end; on PostgreSQL the two GIN indexes are dropped and rebuilt. Finally the statistics tables are
rebuilt when renda/opinions/stats.py offers `stats_rebuild` (Task H4).

Working days here are Monday–Friday: generated data, not a deadline computation.
"""

import datetime as dt
import inspect
import os
from types import SimpleNamespace

from django.db import connection, transaction
from django.utils import timezone

from bench import names as N
from bench.registry import Context, step
from renda.demo.opinion_texts import DECLINE_REASONS, RATING_COMMENTS

# 100 per deputy seat; BENCH_OPINIONS_PER_DEPUTY makes a smoke database smaller.
PER_DEPUTY = float(os.environ.get("BENCH_OPINIONS_PER_DEPUTY", "100"))
YEARS = 5
OPINION_BATCH = 5000
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # renda.opinions.services.TRACKING_ALPHABET

# (status, weight) by the age of the item in days: the older, the more finished.
STATE_MIX = [
    (2, [("submitted", 70), ("accepted", 20), ("declined", 5), ("merged", 5)]),
    (15, [("submitted", 4), ("accepted", 18), ("forwarded", 40), ("replied", 15), ("closed", 10),
          ("declined", 7), ("merged", 6)]),
    (60, [("accepted", 3), ("forwarded", 12), ("replied", 14), ("rehandling", 4), ("closed", 60),
          ("declined", 7)]),
    (10**6, [("closed", 91), ("declined", 9)]),
]
RATING_MIX = [("satisfied", 70), ("basic", 18), ("unsatisfied", 6), ("", 6)]  # "" = closed unrated
CHANNEL_MIX = [("web", 78), ("open311", 12), ("offline", 8), ("api", 2)]


# --- small pure helpers -------------------------------------------------------------------------------
def tracking_code(i: int) -> str:
    """A unique 10-character code per index: an odd multiplier is a bijection modulo 32**10."""
    n = (i * 0x9E3779B97F4A7C15 + 0x5DEECE66D) % (32**10)
    out = []
    for _ in range(10):
        n, r = divmod(n, 32)
        out.append(ALPHABET[r])
    return "".join(out)


def add_workdays(day: dt.date, n: int) -> dt.date:
    """``n`` Monday–Friday days after ``day`` (a weekend start counts from the next Monday)."""
    if day.weekday() >= 5:
        day += dt.timedelta(days=7 - day.weekday())
        n = max(0, n - 1) if n else 0
    weeks, rest = divmod(n, 5)
    day += dt.timedelta(weeks=weeks)
    wd = day.weekday()
    extra = rest + (2 if wd + rest >= 5 else 0)
    return day + dt.timedelta(days=extra)


def workdays_between(start: dt.date, end: dt.date) -> int:
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    wd = start.weekday()
    for k in range(1, rest + 1):
        if (wd + k) % 7 < 5:
            count += 1
    return count


def _weighted(rng, mix):
    total = sum(w for _v, w in mix)
    x = rng.random() * total
    for value, weight in mix:
        x -= weight
        if x < 0:
            return value
    return mix[-1][0]


class _Texts:
    """Title, body, reply and search tokens per (topic, community), computed once each."""

    def __init__(self):
        from renda.core.search.segmentation import clean, index_tokens
        from renda.demo.opinion_texts import TOPICS

        self.topics = [(code, t) for code, topics in TOPICS.items() for t in topics]
        self._index_tokens, self._clean = index_tokens, clean
        self._memo: dict[tuple[int, int], tuple[str, str, str, str]] = {}

    def get(self, topic: int, community) -> tuple[str, str, str, str]:
        key = (topic, community.pk)
        hit = self._memo.get(key)
        if hit is None:
            _code, (title, body, reply) = self.topics[topic]
            town = community.parent_name
            text = body.format(place=community.name, town=town)
            reply = reply.format(place=community.name, town=town)
            title_clean = self._clean(title)[:255]
            tokens = " ".join(self._index_tokens(f"{title_clean}\n{text}"))
            hit = self._memo[key] = (title, text, reply, tokens)
        return hit


# --- the step -------------------------------------------------------------------------------------
@step("opinions", order=300)
def opinions(ctx: Context) -> None:
    """Citizens' opinions with units' parts, ratings, events, open deadlines and the search index."""
    from django.contrib.contenttypes.models import ContentType

    from renda.core.models import Event
    from renda.core.search.models import SearchDocument
    from renda.core.search.segmentation import scope_token
    from renda.core.workdays.models import Deadline, DeadlinePolicy
    from renda.deputies.models import LiaisonStation
    from renda.opinions.models import Assignment, Category, Opinion, RatingRecord

    w = ctx.world
    rng = ctx.rng
    n = ctx.scale(PER_DEPUTY * 1000)
    texts = _Texts()
    categories = {c.code: c.pk for c in Category.objects.all()}
    if not categories:
        from renda.opinions.seed import seed_categories

        seed_categories(Category)
        categories = {c.code: c.pk for c in Category.objects.all()}
    topic_category = [categories.get(code, categories.get("other")) for code, _t in texts.topics]
    policies = {p.code: p for p in DeadlinePolicy.objects.filter(code__startswith="opinion_")}
    ct_opinion = ContentType.objects.get_for_model(Opinion).pk
    ct_part = ContentType.objects.get_for_model(Assignment).pk

    # Where opinions come from: every town's communities, its active deputies and its stations.
    stations_by_town: dict[int, list[tuple[int, int, str]]] = {}
    for sid, congress_id, town_id, brand in LiaisonStation.objects.values_list("id", "congress_id", "town_id",
                                                                               "brand"):
        stations_by_town.setdefault(town_id, []).append((sid, congress_id, brand))
    units_by_congress: dict[int, list] = {}
    for u in w.units:
        units_by_congress.setdefault(u.congress_id, []).append(u)
    towns = []
    for city in w.cities:
        for town in city.towns:
            for c in town.communities:
                c.parent_name = town.place.name
            deputies = [(d.pk, d.congress_id) for d in town.deputies if d.status == "active"]
            towns.append((city, town, deputies, stations_by_town.get(town.place.pk, [])))

    now = timezone.now()
    # A fixed offset equal to the zone's today (Asia/Shanghai has had no DST since 1991): fast to convert.
    tz = dt.timezone(timezone.localtime(now).utcoffset())
    today = timezone.localdate(now)
    start_ts = (now - dt.timedelta(days=365 * YEARS)).timestamp()
    span = now.timestamp() - start_ts - 3600

    opinion_table, part_table = _Table(Opinion, now), _Table(Assignment, now)
    fts_paused = _pause_fulltext()
    paused_indexes = _pause_indexes([Opinion, Assignment, Event, RatingRecord, Deadline])
    last_in_congress: dict[int, int] = {}  # the latest opinion id per congress, for merges
    tables = {m: m._meta.db_table for m in (Event, RatingRecord, SearchDocument)}
    ev_sql = (f"INSERT INTO {tables[Event]} (congress_id, content_type_id, object_id, action, from_state, "
              "to_state, actor_id, actor_role, note, created_at) VALUES (%s, %s, %s, %s, %s, %s, NULL, %s, %s, %s)")
    rr_sql = (f"INSERT INTO {tables[RatingRecord]} (opinion_id, congress_id, round, rating, comment, created_at) "
              "VALUES (%s, %s, %s, %s, %s, %s)")
    sd_sql = (f"INSERT INTO {tables[SearchDocument]} (content_type_id, object_id, congress_id, title, tokens, "
              "updated_at) VALUES (%s, %s, %s, %s, %s, %s)")
    counts = {"opinions": 0, "assignments": 0, "ratings": 0, "events": 0, "deadlines": 0}

    def dtime(ts: float) -> dt.datetime:
        return dt.datetime.fromtimestamp(min(ts, now.timestamp()), tz=tz)

    with ctx.progress(n, "opinions") as bar:
        done = 0
        while done < n:
            size = min(OPINION_BATCH, n - done)
            plans = []
            for k in range(size):
                i = done + k
                ts = start_ts + span * (i + rng.random()) / n
                plans.append(_plan(ctx, rng, i, ts, towns, units_by_congress, texts, topic_category,
                                   last_in_congress, dtime, today, now.timestamp()))
            with transaction.atomic():
                opinion_table.insert([p["opinion"] for p in plans])
                parts, events, ratings, docs, deadlines = [], [], [], [], []
                adapt = adapt_datetime
                for p in plans:
                    o = p["opinion"]
                    last_in_congress[o.congress_id] = o.id
                    for ev in p["events"]:
                        events.append((o.congress_id, ct_opinion, o.id, *ev[:-1], adapt(ev[-1])))
                    for rnd, rating, comment, at in p["ratings"]:
                        ratings.append((o.id, o.congress_id, rnd, rating, comment, adapt(at)))
                    docs.append((ct_opinion, o.id, o.congress_id, p["title_clean"],
                                 f"{p['tokens']} {scope_token(ct_opinion, o.congress_id)}",
                                 adapt(o.submitted_at)))
                    for part, part_events in p["parts"]:
                        part.opinion_id = o.id
                        parts.append((part, part_events))
                    if p["deadline"] and p["deadline"][0] in policies:
                        code, start, due = p["deadline"]
                        pol = policies[code]
                        deadlines.append(Deadline(
                            congress_id=o.congress_id, content_type_id=ct_opinion, object_id=o.id, policy=pol,
                            unit=pol.unit, amount=pol.amount, start=start, due=due,
                            explanation=f"{start:%Y-%m-%d} 起 {pol.amount} 个工作日，至 {due:%Y-%m-%d}"))
                part_table.insert([a for a, _e in parts])
                for a, part_events in parts:
                    for ev in part_events:
                        events.append((a.congress_id, ct_part, a.id, *ev[:-1], adapt(ev[-1])))
                    if a.status in ("assigned", "signed", "returned") and "opinion_reply" in policies:
                        pol = policies["opinion_reply"]
                        start = timezone.localdate(a.assigned_at)
                        deadlines.append(Deadline(
                            congress_id=a.congress_id, content_type_id=ct_part, object_id=a.id, policy=pol,
                            unit=pol.unit, amount=pol.amount, start=start, due=a.due, owner_unit_id=a.unit_id,
                            explanation=f"{start:%Y-%m-%d} 起 {pol.amount} 个工作日，至 {a.due:%Y-%m-%d}"))
                Deadline.objects.bulk_create(deadlines, batch_size=1000)
                with connection.cursor() as cursor:
                    cursor.executemany(ev_sql, events)
                    if ratings:
                        cursor.executemany(rr_sql, ratings)
                    cursor.executemany(sd_sql, docs)
            counts["opinions"] += size
            counts["assignments"] += len(parts)
            counts["ratings"] += len(ratings)
            counts["events"] += len(events)
            counts["deadlines"] += len(deadlines)
            done += size
            bar.update(size)

    with ctx.progress(1, "indexes, search index") as bar:
        opinion_table.finish()
        part_table.finish()
        _resume_indexes(paused_indexes)
        _resume_fulltext(fts_paused)
        bar.update(1)
    for label, value in counts.items():
        ctx.count(label if label == "opinions" else f"opinion {label}", value)
    ctx.count("search documents (opinions)", counts["opinions"])
    _stats_rebuild(ctx)


def _plan(ctx, rng, i, ts, towns, units_by_congress, texts, topic_category, last_in_congress, dtime, today,
          now_ts) -> dict:
    """One opinion's life up to today: the row, its units' parts, ratings, events and open deadline."""
    city, town, deputies, stations = towns[rng.randrange(len(towns))]
    community = town.communities[rng.randrange(len(town.communities))]
    topic = rng.randrange(len(texts.topics))
    title, text, reply, tokens = texts.get(topic, community)
    submitted = dtime(ts)
    age = (now_ts - ts) / 86400
    status = _weighted(rng, next(mix for limit, mix in STATE_MIX if age <= limit))
    channel = _weighted(rng, CHANNEL_MIX)

    deputy_id = station_id = None
    if channel == "open311" and rng.random() < 0.2 and status in ("submitted",):
        congress_id = city.congress.pk  # from the hotline, not yet routed to a deputy or station
    elif stations and (rng.random() < 0.3 or not deputies):
        station_id, congress_id, _brand = stations[rng.randrange(len(stations))]
    else:
        deputy_id, congress_id = deputies[rng.randrange(len(deputies))]
    anonymous = channel == "web" and rng.random() < 0.15
    phone = "" if anonymous else f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
    o = _Row(
        congress_id=congress_id, tracking_code=tracking_code(i), channel=channel, deputy_id=deputy_id,
        station_id=station_id, town_id=town.place.pk, community_id=community.pk, category_id=topic_category[topic],
        title=title, text=text, citizen_name="" if anonymous or rng.random() < 0.3 else N.person_name(rng),
        citizen_phone=phone, address="" if anonymous else f"{community.parent_name}{community.name}",
        status=status, submitted_at=submitted, rating="", reply_text="", closed_at=None,
    )
    if channel == "offline":
        o.offline_event = rng.choice(N.BRANDS) + ("活动" if rng.random() < 0.5 else "")
        o.offline_event_date = submitted.date()
    events = [("enter_offline" if channel == "offline" else "submit", "", "submitted",
               "staff" if channel == "offline" else "public", "", submitted)]
    ratings, parts = [], []
    deadline = None
    role = "deputy" if deputy_id else "town_staff"
    sub_day = submitted.date()

    def ev(action, frm, to, actor_role, note, at):
        events.append((action, frm, to, actor_role, note, at))

    if status == "submitted":
        o.current_due = add_workdays(sub_day, 1)
        deadline = ("opinion_accept", sub_day, o.current_due)
    elif status == "declined":
        at = dtime(ts + rng.uniform(0.1, 1.5) * 86400)
        o.decline_reason = rng.choice(_DECLINES)
        o.closed_at = at
        ev("decline", "submitted", "declined", role, o.decline_reason, at)
    elif status == "merged":
        target = last_in_congress.get(congress_id)
        if target is None:
            o.status = status = "submitted"
            o.current_due = add_workdays(sub_day, 1)
            deadline = ("opinion_accept", sub_day, o.current_due)
        else:
            o.merged_into_id = target
            ev("merge", "submitted", "merged", "staff", "与已有意见反映同一问题，合并办理", dtime(ts + 3600 * 5))
    else:
        accepted = ts + rng.uniform(0.05, 1.2) * 86400
        o.accepted_at = dtime(accepted)
        ev("accept", "submitted", "accepted", role, "", o.accepted_at)
        acc_day = o.accepted_at.date()
        if status == "accepted":
            o.current_due = add_workdays(acc_day, 15)
            deadline = ("opinion_reply", acc_day, o.current_due)
        else:
            via_units = status == "forwarded" or rng.random() < 0.55
            answered_ts = accepted + rng.uniform(1, 12) * 86400
            if via_units:
                pool = units_by_congress.get(congress_id) or city.units
                chosen = rng.sample(pool, 2 if rng.random() < 0.15 and len(pool) > 1 else 1)
                assigned = accepted + rng.uniform(0.05, 1) * 86400
                ev("forward", "accepted", "forwarded", role, "转交：" + "、".join(u.name for u in chosen),
                   dtime(assigned))
                last_reply = assigned
                open_due = None
                for unit in chosen:
                    at = dtime(assigned)
                    due = add_workdays(at.date(), 15)
                    part = _Row(congress_id=congress_id, unit_id=unit.pk, round=1, status="replied",
                                      assigned_at=at, due=due)
                    pev = [("assign", "", "assigned", role, "", at)]
                    pstate = "replied"
                    if status == "forwarded":
                        pstate = _weighted(rng, [("assigned", 25), ("signed", 50), ("returned", 5), ("replied", 20)])
                    if pstate != "assigned":
                        part.signed_at = dtime(assigned + rng.uniform(0.1, 2) * 86400)
                        pev.append(("sign", "assigned", "signed", "unit", "", part.signed_at))
                    if pstate == "returned":
                        part.return_reason = "该事项不属于本单位职责范围，建议转交属地镇政府办理。"
                        pev.append(("return", "signed", "returned", "unit", part.return_reason,
                                    dtime(assigned + 2.5 * 86400)))
                    if pstate == "replied":
                        rts = assigned + rng.uniform(2, 26) * 86400
                        part.replied_at = dtime(rts)
                        part.reply_text = reply
                        part.on_time = part.replied_at.date() <= due
                        pev.append(("reply", "signed", "replied", "unit", "", part.replied_at))
                        ev("unit_replied", "", "", "unit", unit.name, part.replied_at)
                        last_reply = max(last_reply, rts)
                    else:
                        open_due = due if open_due is None else min(open_due, due)
                    part.status = pstate
                    parts.append((part, pev))
                if status == "forwarded":
                    o.current_due = open_due or add_workdays(dtime(last_reply).date(), 3)
                    if open_due is None:
                        deadline = ("opinion_answer", dtime(last_reply).date(), o.current_due)
                answered_ts = last_reply + rng.uniform(0.2, 3) * 86400
            if status != "forwarded":
                if answered_ts >= now_ts:
                    answered_ts = now_ts - 60
                o.replied_at = dtime(answered_ts)
                o.reply_text = "您好！您反映的问题已收到并办理。" + reply
                o.handling_days = workdays_between(sub_day, o.replied_at.date())
                o.on_time = o.handling_days <= 16 and all(getattr(p, "on_time", None) is not False for p, _e in parts)
                ev("answer", "forwarded" if via_units else "accepted", "replied", role, "", o.replied_at)
                if status in ("closed", "rehandling"):
                    rating = "unsatisfied" if status == "rehandling" else _weighted(rng, RATING_MIX)
                    rated_ts = min(answered_ts + rng.uniform(0.5, 10) * 86400, now_ts - 30)
                    rated = dtime(rated_ts)
                    comment = rng.choice(_COMMENTS.get(rating or "basic"))
                    if status == "rehandling":
                        o.rating, o.rating_comment, o.rehandle_count = rating, comment, 1
                        ratings.append((1, rating, comment, rated))
                        ev("rate_unsatisfied", "replied", "rehandling", "public", comment, rated)
                        o.current_due = add_workdays(rated.date(), 10)
                        deadline = ("opinion_rehandle", rated.date(), o.current_due)
                    elif rating == "":
                        o.closed_at = dtime(answered_ts + 21 * 86400)
                        ev("expire", "replied", "closed", "system", "答复后 15 个工作日内未评价", o.closed_at)
                    elif rating == "unsatisfied" and rng.random() < 0.6:
                        # Reopened once, answered again, then rated for good.
                        ratings.append((1, "unsatisfied", comment, rated))
                        ev("rate_unsatisfied", "replied", "rehandling", "public", comment, rated)
                        again = dtime(rated_ts + rng.uniform(2, 14) * 86400)
                        ev("answer", "rehandling", "replied", role, "", again)
                        final = _weighted(rng, [("satisfied", 45), ("basic", 40), ("unsatisfied", 15)])
                        closed = dtime(rated_ts + 16 * 86400)
                        c2 = rng.choice(_COMMENTS[final])
                        ratings.append((2, final, c2, closed))
                        ev("rate_" + {"satisfied": "satisfied", "basic": "basic"}.get(final, "unsatisfied_final"),
                           "replied", "closed", "public", c2, closed)
                        o.rating, o.rating_comment, o.rehandle_count, o.closed_at = final, c2, 1, closed
                        o.replied_at = again
                    else:
                        o.rating, o.rating_comment, o.closed_at = rating, comment, rated
                        ratings.append((1, rating, comment, rated))
                        ev("rate_" + {"satisfied": "satisfied", "basic": "basic"}.get(rating, "unsatisfied_final"),
                           "replied", "closed", "public", comment, rated)
                    if status == "closed" and o.rating in ("satisfied", "basic") and rng.random() < 0.2:
                        o.is_published = True
                        o.published_title, o.published_text = title, text
                        o.published_reply = o.reply_text
                        o.published_at = o.closed_at
                        ev("publish", "", "", "staff", "", o.closed_at)
    o.version = len(events) - 1
    return {"opinion": o, "events": events, "ratings": ratings, "parts": parts, "deadline": deadline,
            "tokens": tokens, "title_clean": title[:255]}


_DECLINES = DECLINE_REASONS
_COMMENTS = RATING_COMMENTS


def adapt_datetime(value: dt.datetime):
    """Django's adapt_datetimefield_value without its per-call settings lookups (SQLite: naive UTC text)."""
    if connection.vendor == "sqlite":
        return str(value.astimezone(dt.UTC).replace(tzinfo=None))
    return value


class _Row(SimpleNamespace):
    """A row to insert: attributes named as the model's attnames (congress_id…); others take defaults."""


class _Table:
    """Plain INSERTs of _Row objects with ids assigned here (the ORM's bulk_create is most of the time
    at a million rows). `finish()` moves PostgreSQL's id sequence past the ids used."""

    def __init__(self, model, now):
        self.model = model
        self.table = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.adapters = []
        for f in self.fields:
            kind = f.get_internal_type()
            if kind == "DateTimeField":
                self.adapters.append(adapt_datetime)
            elif kind == "DateField":
                self.adapters.append(connection.ops.adapt_datefield_value)
            else:
                self.adapters.append(None)
        self.defaults = {}
        for f in self.fields:
            default = f.get_default()
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default = now
            self.defaults[f.attname] = default
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {self.table} ({columns}) VALUES ({marks})"
        self.next_id = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def insert(self, rows: list) -> None:
        values = []
        names = [f.attname for f in self.fields]
        pairs = list(zip(names, self.adapters, strict=True))
        for row in rows:
            row.id = self.next_id
            self.next_id += 1
            d = row.__dict__
            values.append(tuple(
                (adapt(v) if adapt and v is not None else v)
                for name, adapt in pairs
                for v in (d.get(name, self.defaults[name]),)))
        if values:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, values)

    def finish(self) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{self.table}', 'id'), "
                               f"COALESCE((SELECT MAX(id) FROM {self.table}), 1))")


# --- secondary indexes: dropped for the load, built once at the end (a sort, not 1M B-tree inserts) ----
def _pause_indexes(models) -> list[str]:
    """Drop the plain (non-unique, non-constraint) indexes of these tables; return their DDL."""
    ddl: list[str] = []
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            if connection.vendor == "sqlite":
                cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                               "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'", [table])
            elif connection.vendor == "postgresql":
                cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                               "AND indexdef NOT LIKE 'CREATE UNIQUE%%' "
                               "AND indexname NOT IN (SELECT conname FROM pg_constraint)", [table])
            else:
                continue
            for name, sql in cursor.fetchall():
                ddl.append(sql)
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return ddl


def _resume_indexes(ddl: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in ddl:
            cursor.execute(sql)


# --- full-text maintenance around the bulk load -------------------------------------------------
def _pause_fulltext() -> str:
    """Stop the per-row full-text upkeep during the load; return what to restore."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS search_document_fts_insert")
            return "sqlite"
        if connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS search_document_vector_gin")
            cursor.execute("DROP INDEX IF EXISTS search_document_title_trgm")
            return "postgresql"
    return ""


def _resume_fulltext(paused: str) -> None:
    from renda.core.search import schema
    from renda.core.search.services import fulltext_rebuild

    with connection.cursor() as cursor:
        if paused == "sqlite":
            for statement in schema.SQLITE_INSTALL[:-1]:  # the triggers; the rebuild follows
                cursor.execute(statement)
        elif paused == "postgresql":
            for statement in schema.POSTGRESQL_INSTALL:
                cursor.execute(statement)
    fulltext_rebuild()


def _stats_rebuild(ctx: Context) -> None:
    """renda/opinions/stats.py's full rebuild (Task H4), one progress step per month, if it exists."""
    try:
        from renda.opinions import stats
    except ImportError:
        return
    rebuild = getattr(stats, "stats_rebuild", None)
    if rebuild is None:
        return
    params = inspect.signature(rebuild).parameters
    months = getattr(stats, "stats_months", None)
    total = len(months()) if months is not None else 1
    with ctx.progress(total, "opinion statistics") as bar:
        if "progress" in params:
            rebuild(progress=bar.update)
        else:
            rebuild()
            bar.update(total)
    ctx.count("opinion statistics months", total)
