"""The Taicang demo's citizens' opinions (民意高速通道), made through the real services.

Every item goes through renda/opinions/services.py (submit, accept, forward, sign, reply, answer,
rate, merge, publish…), so its events, deadlines, search index and units' parts are what the app
itself writes. Afterwards each item is moved back to its own date between 2022 and today: its
events are spread over the days after that date in their original order, the item's and its
parts' times are taken from those events, and its deadlines are recomputed from their shifted
start with the real working-day calendar. That move is seed data, not a workflow step.

Idempotent: nothing happens when the demo already has opinions. One item has a known tracking
code holder: the phone DEMO_PHONE (last four digits 1234).
"""

import datetime as dt
import random
import time
from dataclasses import dataclass
from typing import TextIO

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.demo.opinion_texts import DECLINE_REASONS, PROGRESS_NOTES, RATING_COMMENTS, TOPICS

SEED = 2026
DEMO_PHONE = "13912341234"
DEMO_CITIZEN = "陈建华"
YEARS = (2022, 2023, 2024, 2025, 2026)


@dataclass
class DemoOpinionSummary:
    total: int
    code: str
    phone_last4: str


def demo_opinions_exist(city) -> bool:
    from renda.opinions.models import Opinion

    return Opinion.objects.filter(congress__path__startswith=city.path).exists()


def demo_opinion_summary() -> DemoOpinionSummary | None:
    from renda.demo.selectors import demo_city_congress
    from renda.opinions.models import Opinion

    city = demo_city_congress()
    if city is None:
        return None
    qs = Opinion.objects.filter(congress__path__startswith=city.path)
    sample = qs.filter(citizen_phone=DEMO_PHONE).order_by("id").first()
    if sample is None:
        return None
    return DemoOpinionSummary(total=qs.count(), code=sample.tracking_code, phone_last4=DEMO_PHONE[-4:])


def demo_opinions_delete() -> None:
    """Remove the demo's opinions and everything hanging off them (before a demo reset)."""
    from renda.core.models import Event
    from renda.core.search.models import SearchDocument
    from renda.core.workdays.models import Deadline
    from renda.demo.selectors import demo_city_congress
    from renda.opinions.models import Assignment, Opinion

    city = demo_city_congress()
    if city is None:
        return
    with transaction.atomic():
        opinions = Opinion.objects.filter(congress__path__startswith=city.path)
        ids = list(opinions.values_list("id", flat=True))
        part_ids = list(Assignment.objects.filter(opinion_id__in=ids).values_list("id", flat=True))
        ct_o, ct_a = ContentType.objects.get_for_model(Opinion), ContentType.objects.get_for_model(Assignment)
        ct_d = ContentType.objects.get_for_model(Deadline)
        for ct, pks in ((ct_o, ids), (ct_a, part_ids)):
            Event.objects.filter(content_type=ct, object_id__in=pks).delete()
            deadlines = Deadline.objects.filter(content_type=ct, object_id__in=pks)
            # Met and cancelled deadlines have events of their own, which name the demo users.
            Event.objects.filter(content_type=ct_d, object_id__in=deadlines.values("pk")).delete()
            deadlines.delete()
            SearchDocument.objects.filter(content_type=ct, object_id__in=pks).delete()
        opinions.filter(merged_into__isnull=False).update(merged_into=None)
        opinions.delete()


class _Actors:
    """Who performs each step: the demo accounts where their scope covers the item, else the administrator."""

    def __init__(self, city):
        from renda.accounts.models import RoleAssignment, User

        users = {u.username: u for u in User.objects.filter(username__in=["admin", "staff", "deputy", "unit",
                                                                            "town_staff"])}
        self.admin = users["admin"]
        self.ras = {}
        for ra in RoleAssignment.objects.filter(user__in=users.values(), is_active=True).select_related("user"):
            self.ras.setdefault(ra.user.username, []).append(ra)
        self.users = users

    def _as(self, username: str, ra):
        user = self.users[username]
        user.active_assignment = ra
        return user

    def handler(self, opinion):
        for ra in self.ras.get("deputy", []):
            if opinion.deputy_id and ra.deputy_id == opinion.deputy_id:
                return self._as("deputy", ra)
        return self.office(opinion)

    def office(self, opinion):
        for username in ("staff", "town_staff"):
            for ra in self.ras.get(username, []):
                if ra.congress_id == opinion.congress_id:
                    return self._as(username, ra)
        return self.admin

    def unit(self, part):
        for ra in self.ras.get("unit", []):
            if ra.unit_id == part.unit_id:
                return self._as("unit", ra)
        return self.admin


def load_demo_opinions(*, stdout: TextIO | None = None) -> DemoOpinionSummary | None:
    """Create the demo's opinions unless there are some already; print one summary line."""
    from renda.demo.selectors import demo_city_congress

    city = demo_city_congress()
    if city is None:
        return None
    if not demo_opinions_exist(city):
        started = time.monotonic()
        with transaction.atomic():
            _Maker(city).run()
        from renda.opinions.stats import stats_rebuild

        stats_rebuild()  # the statistics page reads precomputed months; the nightly job would be too late
        if stdout is not None:
            stdout.write(_("群众意见载入完成，用时 %(s).1f 秒。") % {"s": time.monotonic() - started} + "\n")
    summary = demo_opinion_summary()
    if summary is not None and stdout is not None:
        stdout.write(_("群众意见 %(n)s 条；示例查询码 %(code)s，手机后四位 %(d)s") % {
            "n": summary.total, "code": summary.code, "d": summary.phone_last4} + "\n")
    return summary


class _Maker:
    def __init__(self, city):
        from renda.deputies.models import Deputy, LiaisonStation
        from renda.opinions.models import Category
        from renda.org.models import Congress, Place, Unit

        self.city = city
        self.rng = random.Random(SEED)
        self.actors = _Actors(city)
        self.categories = {c.code: c for c in Category.objects.filter(is_active=True)}
        tree = Congress.objects.filter(path__startswith=city.path)
        self.towns = list(Place.objects.filter(parent=city.area, kind__in=["town", "street"]).order_by("sort"))
        self.communities = {t.pk: list(Place.objects.filter(parent=t).order_by("sort")) for t in self.towns}
        deputies = (Deputy.objects.filter(congress__in=tree, status="active")
                    .select_related("group").prefetch_related("district__places").order_by("id"))
        self.deputies_by_town: dict[int, list] = {}
        for d in deputies:
            for place in d.district.places.all() if d.district_id else []:
                self.deputies_by_town.setdefault(place.parent_id, []).append((d, place))
        self.stations_by_town: dict[int, list] = {}
        for s in LiaisonStation.objects.filter(congress__in=tree).order_by("id"):
            self.stations_by_town.setdefault(s.town_id, []).append(s)
        self.units = list(Unit.objects.filter(congress=city, is_active=True).order_by("id"))
        self.demo_deputy_seats = [ra.deputy for ra in self.actors.ras.get("deputy", []) if ra.deputy_id]
        self.made = []
        self.topic_cycle = [(code, t) for code, topics in TOPICS.items() for t in topics]
        self.rng.shuffle(self.topic_cycle)
        self.n = 0

    # --- one item -------------------------------------------------------------------------------
    def submit(self, *, town=None, channel="web", phone=None, name=None, deputy=None, station=None,
               offline_event="", offline_date=None, anonymous=False, topic=None):
        from renda.opinions import services
        from renda.opinions.models import Opinion

        rng = self.rng
        town = town or self.towns[self.n % len(self.towns)]
        code, (title, body, _reply) = self.topic_cycle[(self.n if topic is None else topic) % len(self.topic_cycle)]
        self.n += 1
        community = None
        if deputy is None and station is None:
            options = self.deputies_by_town.get(town.pk, [])
            stations = self.stations_by_town.get(town.pk, [])
            if stations and (rng.random() < 0.35 or not options):
                station = rng.choice(stations)
                community = rng.choice(list(station.communities.all()) or self.communities[town.pk])
            elif options:
                deputy, community = rng.choice(options)
        elif deputy is not None:
            community = deputy.district.places.first() if deputy.district_id else None
        else:
            community = station.communities.first() or rng.choice(self.communities[station.town_id])
        place = community or rng.choice(self.communities[town.pk])
        kwargs = dict(category_id=self.categories.get(code, self.categories["other"]).pk, title=title,
                      text=body.format(place=place.name, town=town.name),
                      deputy_id=deputy.pk if deputy else None, station_id=station.pk if station else None,
                      community_id=community.pk if community else None,
                      citizen_name="" if anonymous else (name or self._name()),
                      citizen_phone="" if anonymous else (phone or f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"),
                      address="" if anonymous else f"{town.name}{place.name}")
        if channel == "offline":
            probe = Opinion(congress_id=(deputy or station).congress_id)
            actor = self.actors.office(probe)
            opinion = services.opinion_enter_offline(actor=actor, congress=probe.congress_id,
                                                     offline_event=offline_event, offline_event_date=offline_date,
                                                     **kwargs)
        elif channel == "open311":
            if rng.random() < 0.5:
                kwargs.update(deputy_id=None, station_id=None, community_id=None)
                kwargs["congress"] = self.city
            opinion, _created = services.opinion_submit(channel=Opinion.Channel.OPEN311, **kwargs)
        else:
            opinion, _created = services.opinion_submit(**kwargs)
        self.made.append(opinion.pk)
        return opinion

    def _name(self) -> str:
        return self.rng.choice("王李张刘陈杨黄赵吴周徐孙朱顾陆钱") + self.rng.choice(
            ["建国", "秀英", "志强", "丽华", "海燕", "伟", "敏", "女士", "先生", "阿姨", "师傅"])

    def _reply(self, opinion) -> str:
        for _code, (title, _body, reply) in self.topic_cycle:
            if title == opinion.title:
                town = opinion.town.name if opinion.town_id else ""
                place = opinion.community.name if opinion.community_id else town
                return reply.format(place=place, town=town)
        return "经核实，相关部门已处理，感谢您的反映。"

    def step(self, opinion, to: str, *, units: int = 1, part_states=None, rating=None, final=None,
             publish=False):
        """Walk one submitted item to `to` through the services (and the units' parts to part_states)."""
        from renda.opinions import actors, services
        from renda.opinions.models import Assignment, Opinion

        rng = self.rng
        h = self.actors.handler(opinion)
        if to == "declined":
            services.opinion_decline(opinion_id=opinion.pk, actor=h, reason=rng.choice(DECLINE_REASONS))
            return
        services.opinion_accept(opinion_id=opinion.pk, actor=h)
        if to == "accepted":
            return
        from renda.org.models import Unit

        pool = list(Unit.objects.filter(congress_id=opinion.congress_id, is_active=True).order_by("id"))
        via_units = (to == "forwarded" or units > 0) and bool(pool)
        if via_units:
            chosen = rng.sample(pool, min(max(units, 1), len(pool)))
            services.opinion_forward(opinion_id=opinion.pk, actor=h, unit_ids=[u.pk for u in chosen],
                                     note="请核实情况后答复群众。")
            parts = list(Assignment.objects.filter(opinion_id=opinion.pk).order_by("id"))
            states = part_states or ["replied"] * len(parts)
            for part, state in zip(parts, states + ["replied"] * (len(parts) - len(states)), strict=False):
                u = self.actors.unit(part)
                if state == "assigned":
                    continue
                services.assignment_sign(assignment_id=part.pk, actor=u)
                if state == "returned":
                    services.assignment_return(assignment_id=part.pk, actor=u,
                                               reason="该事项属于属地管理，建议转交所在镇政府办理。")
                    continue
                services.assignment_progress(assignment_id=part.pk, actor=u, text=rng.choice(PROGRESS_NOTES))
                if state == "signed":
                    continue
                services.assignment_reply(assignment_id=part.pk, actor=u, reply_text=self._reply(opinion))
            if to == "forwarded":
                return
        opinion.refresh_from_db()
        services.opinion_answer(opinion_id=opinion.pk, actor=h,
                                reply_text="您好！感谢您的反映。" + self._reply(opinion))
        if to == "replied":
            return
        citizen = actors.Citizen(opinion.pk)
        if rating == "reopen":
            services.opinion_rate(opinion_id=opinion.pk, citizen=citizen, rating="unsatisfied",
                                  comment=rng.choice(RATING_COMMENTS["unsatisfied"]))
            if to == "rehandling":
                return
            services.opinion_answer(opinion_id=opinion.pk, actor=h,
                                    reply_text="经再次协调，" + self._reply(opinion))
            rating = final or "satisfied"
        if rating is None:
            services.opinion_close(opinion_id=opinion.pk, actor=self.actors.office(opinion))
        else:
            services.opinion_rate(opinion_id=opinion.pk, citizen=citizen, rating=rating,
                                  comment=rng.choice(RATING_COMMENTS[rating]))
        if publish:
            office = self.actors.office(opinion)
            if office is self.actors.admin or office.has_perm("opinions.manage", opinion):
                fresh = Opinion.objects.get(pk=opinion.pk)
                copy = services.redaction_suggest(fresh)
                services.opinion_publish(opinion_id=opinion.pk, actor=office, title=copy["title"],
                                         text=copy["text"], reply=copy["reply"])

    # --- the whole demo ---------------------------------------------------------------------------
    def run(self) -> None:
        from renda.opinions import services

        rng = self.rng
        today = timezone.localdate()
        plans = []  # (opinion, date)

        def when(year: int) -> dt.date:
            end = today - dt.timedelta(days=40) if year == today.year else dt.date(year, 12, 20)
            start = dt.date(year, 1, 5)
            return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))

        # The known item: the demo deputy's city seat, answered through a unit, rated 满意, published.
        seat = next((d for d in self.demo_deputy_seats if d.congress_id == self.city.pk), None)
        known = self.submit(deputy=seat, phone=DEMO_PHONE, name=DEMO_CITIZEN) if seat else self.submit(
            phone=DEMO_PHONE, name=DEMO_CITIZEN)
        self.step(known, "closed", units=1, rating="satisfied", publish=True)
        plans.append((known, when(2025)))

        # Closed items over 2022–2026, each rating, some published, some re-handled once.
        ratings = ["satisfied", "satisfied", "satisfied", "basic", "basic", "unsatisfied", None]
        for k, year in enumerate(y for y in YEARS for _n in range(4)):
            o = self.submit()
            rating = ratings[k % len(ratings)]
            self.step(o, "closed", units=(k % 3 != 0) * (1 + (k % 5 == 0)), rating=rating,
                      publish=rating in ("satisfied", "basic") and k % 2 == 0)
            plans.append((o, when(year)))
        for year, final in ((2023, "basic"), (2025, "unsatisfied"), (2026, "satisfied")):
            o = self.submit()
            self.step(o, "closed", units=1, rating="reopen", final=final, publish=final != "unsatisfied")
            plans.append((o, when(year)))
        # Declined.
        for year in (2022, 2024, 2026):
            o = self.submit()
            self.step(o, "declined")
            plans.append((o, when(year)))
        # Offline entries at brand events (民声茶坊 in 浏河, 民生夜话 in 双凤).
        for town_name, event in (("浏河镇", "民声茶坊听民声"), ("双凤镇", "民生夜话"), ("浏河镇", "民声茶坊"),
                                 ("双凤镇", "民生夜话（新湖社区专场）")):
            town = next((t for t in self.towns if t.name == town_name), self.towns[0])
            stations = self.stations_by_town.get(town.pk) or []
            if not stations:
                continue
            date = when(rng.choice((2023, 2024, 2025, 2026)))
            o = self.submit(town=town, channel="offline", station=stations[0], offline_event=event,
                            offline_date=date)
            self.step(o, "closed", units=0, rating="satisfied")
            plans.append((o, date))
        # From the 12345 hotline (Open311): some routed and answered, some waiting to be routed.
        for k in range(4):
            o = self.submit(channel="open311")
            if o.deputy_id or o.station_id:
                self.step(o, "closed" if k % 2 == 0 else "replied", units=1, rating="basic")
                plans.append((o, when(2026 if k % 2 else 2025)))
            else:
                plans.append((o, today - dt.timedelta(days=k)))
        # Open items of this year: every state, every part state; a few overdue.
        recent = [
            ("submitted", {}, 0), ("submitted", {"anonymous": True}, 1), ("submitted", {}, 6),  # 6 days: overdue
            ("accepted", {}, 3), ("accepted", {}, 30),  # overdue
            ("forwarded", {"part_states": ["assigned"]}, 2), ("forwarded", {"part_states": ["signed"]}, 8),
            ("forwarded", {"part_states": ["returned"]}, 5), ("forwarded", {"part_states": ["replied", "signed"],
                                                                             "units": 2}, 10),
            ("forwarded", {"part_states": ["signed"]}, 40),  # overdue
            ("forwarded", {"part_states": ["replied"]}, 12),
            ("replied", {}, 4), ("replied", {"units": 1}, 9),
            ("rehandling", {"rating": "reopen"}, 20), ("rehandling", {"rating": "reopen"}, 45),  # overdue
        ]
        for state, opts, days_ago in recent:
            anonymous = opts.pop("anonymous", False)
            o = self.submit(anonymous=anonymous)
            if state != "submitted":
                self.step(o, state, **{"units": 1 if state == "forwarded" else 0, **opts})
            plans.append((o, today - dt.timedelta(days=days_ago)))
        # Merged: the same request twice; one merged into an answered item, one into an open one.
        for main_state, days_ago in (("closed", 200), ("accepted", 5)):
            topic = self.n
            main = self.submit()
            twin = self.submit(deputy=main.deputy, station=main.station, topic=topic)
            if main_state == "closed":
                self.step(main, "replied", units=1)
            else:
                self.step(main, "accepted")
            services.opinion_merge(opinion_id=twin.pk, into_id=main.pk, actor=self.actors.office(main),
                                   note="与已受理的意见反映同一问题，合并办理。")
            if main_state == "closed":
                from renda.opinions import actors as citizen_actors

                services.opinion_rate(opinion_id=main.pk, citizen=citizen_actors.Citizen(main.pk), rating="satisfied")
            plans.append((main, today - dt.timedelta(days=days_ago)))
            plans.append((twin, today - dt.timedelta(days=days_ago - 1)))
        for opinion, date in plans:
            _backdate(opinion.pk, date, rng)


def _backdate(opinion_id: int, day: dt.date, rng: random.Random) -> None:
    """Move one item (its events, times, parts, ratings, notes and deadlines) to start on `day`."""
    from renda.core.models import Event
    from renda.core.workdays.calendar import compute_due
    from renda.core.workdays.models import Deadline
    from renda.core.workdays.selectors import calendar_load
    from renda.opinions.models import Assignment, Note, Opinion, RatingRecord
    from renda.opinions.services import opinion_sync_due

    now = timezone.now()
    tz = timezone.get_current_timezone()
    opinion = Opinion.objects.get(pk=opinion_id)
    start = dt.datetime.combine(day, dt.time(rng.randrange(8, 20), rng.randrange(60)), tzinfo=tz)
    if start >= now:
        start = now - dt.timedelta(hours=2)
    delta = start - opinion.submitted_at
    ct_o = ContentType.objects.get_for_model(Opinion)
    ct_a = ContentType.objects.get_for_model(Assignment)
    part_ids = list(Assignment.objects.filter(opinion_id=opinion_id).values_list("id", flat=True))
    events = list(Event.objects.filter(Q(content_type=ct_o, object_id=opinion_id)
                                       | Q(content_type=ct_a, object_id__in=part_ids)).order_by("id"))
    # Spread the steps over the following days, in their order; never past now.
    span = (now - start).total_seconds()
    gaps = [0.0] + [rng.uniform(0.15, 3.0) * 86400 for _e in events[1:]]
    total = sum(gaps)
    scale = min(1.0, span * 0.9 / total) if total else 1.0
    at, times = start, {}
    for event, gap in zip(events, gaps, strict=True):
        at = at + dt.timedelta(seconds=gap * scale)
        times[event.pk] = at
        Event.objects.filter(pk=event.pk).update(created_at=at)
    by_action: dict[str, list] = {}
    for event in events:
        by_action.setdefault((event.content_type_id, event.object_id, event.action), []).append(times[event.pk])

    def last(action, ct=ct_o.pk, pk=opinion_id):
        found = by_action.get((ct, pk, action))
        return found[-1] if found else None

    updates = {"submitted_at": start}
    for field, actions in (("accepted_at", ["accept"]), ("replied_at", ["answer", "merged_reply"]),
                           ("closed_at", ["rate_satisfied", "rate_basic", "rate_unsatisfied_final", "close", "expire",
                                          "decline", "merged_decline"]), ("published_at", ["publish"])):
        if getattr(opinion, field):
            found = [t for a in actions if (t := last(a))]
            updates[field] = max(found) if found else getattr(opinion, field) + delta
    if opinion.offline_event_date:
        updates["offline_event_date"] = day
    if opinion.replied_at and updates.get("replied_at"):
        updates["handling_days"] = calendar_load().working_days_after(day, timezone.localdate(updates["replied_at"]))
    Opinion.objects.filter(pk=opinion_id).update(**updates)
    for part in Assignment.objects.filter(pk__in=part_ids):
        fields = {"assigned_at": last("assign", ct_a.pk, part.pk) or part.assigned_at + delta}
        if part.signed_at:
            fields["signed_at"] = last("sign", ct_a.pk, part.pk) or part.signed_at + delta
        if part.replied_at:
            fields["replied_at"] = last("reply", ct_a.pk, part.pk) or part.replied_at + delta
        Assignment.objects.filter(pk=part.pk).update(**fields)
    for rr in RatingRecord.objects.filter(opinion_id=opinion_id).order_by("round"):
        rated = [t for a in ("rate_satisfied", "rate_basic", "rate_unsatisfied", "rate_unsatisfied_final")
                 for t in by_action.get((ct_o.pk, opinion_id, a), [])]
        rated.sort()
        RatingRecord.objects.filter(pk=rr.pk).update(
            created_at=rated[rr.round - 1] if len(rated) >= rr.round else rr.created_at + delta)
    for note in Note.objects.filter(opinion_id=opinion_id):
        Note.objects.filter(pk=note.pk).update(created_at=note.created_at + delta)
    # Deadlines: restart each from its shifted start with the real calendar (explanations included).
    calendar = calendar_load()
    for d in Deadline.objects.filter(Q(content_type=ct_o, object_id=opinion_id)
                                     | Q(content_type=ct_a, object_id__in=part_ids)).select_related("policy"):
        new_start = d.start + dt.timedelta(days=delta.days)
        due, explanation = compute_due(start=new_start, unit=d.unit, amount=d.amount,
                                       roll_to_workday=d.roll_to_workday, calendar=calendar)
        fields = {"start": new_start, "due": due, "explanation": str(explanation)}
        if d.met_on:
            fields["met_on"] = min(d.met_on + dt.timedelta(days=delta.days), timezone.localdate(now))
        Deadline.objects.filter(pk=d.pk).update(**fields)
        if d.content_type_id == ct_a.pk:
            Assignment.objects.filter(pk=d.object_id, due=d.due).update(due=due)
    opinion_sync_due(opinion_id)
