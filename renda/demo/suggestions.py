"""The Taicang demo's deputies' suggestions (代表建议办理), made through the real services.

Every step goes through renda/suggestions/services.py (create, co-sign, submit, accept, merge,
assign, sign, return, contact, views, extension, reply, rate, follow-up, key supervision, publish),
so the events, numbers, deadlines and the search index are what the app itself writes.

The dates: the services read the time from ``django.utils.timezone.now()``; each step runs under
``demo_clock(when)``, which sets that clock to the step's day between 2022 and today. So the 2022
session's suggestions were submitted in January 2022, their 3-month reply clocks started on their
assignment day and were counted with the real working-day calendar, and their events carry those
times, without editing a row afterwards. Notifications go out as each step commits (at the step's
time), which is why the load is not one transaction: if it fails half-way, what it made is deleted
before the error goes up, so the marker "the demo city has suggestions" stays reliable.

Periods: for the city, the session (大会期间, a week in January) and the recess (闭会期间, the rest of
the year) of 2022–2026, the 2026 recess still open; for 城厢镇 the sessions of 2024–2026 and its
2026 recess. Idempotent: nothing happens when the demo city already has suggestion periods.
"""

import datetime as dt
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.demo import suggestion_texts as T

SEED = 2027
YEARS = (2022, 2023, 2024, 2025, 2026)
TOWN_NAME = "城厢镇"
UNIT_USER_PREFIX = "demo-unit-"  # the units' liaison accounts the load creates (no usable password)
TOWN_YEARS = (2024, 2025, 2026)
# A one-page signed and sealed reply letter (答复函) as the units upload it.
REPLY_PDF = (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
             b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
# Town governments' offices answering the town congress's suggestions, by category.
TOWN_UNIT_FOR = {"economy": "经济发展局", "welfare": "社会事业局", "education": "社会事业局",
                 "health": "社会事业局", "culture": "社会事业局"}
TOWN_UNIT_DEFAULT = "综合行政执法局"


def _cn(n: int) -> str:
    return "零一二三四五六七八九十"[n] if n <= 10 else str(n)


@contextmanager
def demo_clock(at: dt.datetime):
    """Run the services as if it were `at`: timezone.now() (and so localdate(), auto_now) return it."""
    from django.utils import timezone as tz

    real = tz.now
    tz.now = lambda: at
    try:
        yield
    finally:
        tz.now = real


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("答复函.pdf", REPLY_PDF, content_type="application/pdf")


# --- presence, summary, deletion -----------------------------------------------------------------------------
def _tree(city):
    from renda.org.models import Congress

    return Congress.objects.filter(path__startswith=city.path)


def demo_suggestions_exist(city) -> bool:
    from renda.suggestions.models import Period, Suggestion

    return (Period.objects.filter(congress__in=_tree(city)).exists()
            or Suggestion.objects.filter(congress__in=_tree(city)).exists())


def demo_suggestions_delete() -> None:
    """Remove the demo's suggestions, periods and everything hanging off them (before a demo reset)."""
    from renda.accounts.models import User
    from renda.core.attachments import Attachment
    from renda.core.models import Event
    from renda.core.search.models import SearchDocument
    from renda.core.workdays.models import Deadline
    from renda.demo.selectors import demo_city_congress
    from renda.suggestions.models import Assignment, Extension, Period, Reply, Signer, Suggestion

    city = demo_city_congress()
    if city is None:
        return
    with transaction.atomic():
        items = Suggestion.objects.filter(congress__in=_tree(city))
        ids = list(items.values_list("id", flat=True))
        part_ids = list(Assignment.objects.filter(suggestion_id__in=ids).values_list("id", flat=True))
        reply_ids = list(Reply.objects.filter(suggestion_id__in=ids).values_list("id", flat=True))
        signer_ids = list(Signer.objects.filter(suggestion_id__in=ids).values_list("id", flat=True))
        extension_ids = list(Extension.objects.filter(assignment_id__in=part_ids).values_list("id", flat=True))
        cts = {m: ContentType.objects.get_for_model(m)
               for m in (Suggestion, Assignment, Reply, Deadline, Signer, Extension)}
        deadline_ids = list(Deadline.objects.filter(content_type=cts[Assignment], object_id__in=part_ids)
                            .values_list("id", flat=True))
        for model, pks in ((Suggestion, ids), (Assignment, part_ids), (Deadline, deadline_ids), (Signer, signer_ids),
                           (Extension, extension_ids)):
            Event.objects.filter(content_type=cts[model], object_id__in=pks).delete()
        Deadline.objects.filter(pk__in=deadline_ids).delete()
        SearchDocument.objects.filter(content_type=cts[Suggestion], object_id__in=ids).delete()
        Attachment.objects.filter(content_type=cts[Suggestion], object_id__in=ids).delete()
        Attachment.objects.filter(content_type=cts[Reply], object_id__in=reply_ids).delete()
        items.filter(merged_into__isnull=False).update(merged_into=None)
        items.delete()
        Period.objects.filter(congress__in=_tree(city)).delete()
        User.objects.filter(username__startswith=UNIT_USER_PREFIX).delete()


@dataclass
class DemoSuggestionSummary:
    total: int
    by_status: dict[str, int]


def demo_suggestion_summary(city) -> DemoSuggestionSummary:
    from django.db.models import Count

    from renda.suggestions.models import Suggestion

    rows = Suggestion.objects.filter(congress__in=_tree(city)).values("status").annotate(n=Count("id"))
    by_status = {r["status"]: r["n"] for r in rows}
    return DemoSuggestionSummary(total=sum(by_status.values()), by_status=by_status)


def load_demo_suggestions(*, stdout: TextIO | None = None) -> DemoSuggestionSummary | None:
    """Create the demo's suggestions unless there are some already; print one summary line."""
    from renda.demo.selectors import demo_city_congress

    city = demo_city_congress()
    if city is None:
        return None
    if not demo_suggestions_exist(city):
        started = time.monotonic()
        try:
            _Maker(city).run()
        except BaseException:
            demo_suggestions_delete()  # no half-built demo: the next run starts again
            raise
        if stdout is not None:
            stdout.write(_("代表建议载入完成，用时 %(s).1f 秒。") % {"s": time.monotonic() - started} + "\n")
    summary = demo_suggestion_summary(city)
    if stdout is not None:
        stdout.write(_("代表建议 %(n)s 件（办理中 %(h)s 件，已办结 %(c)s 件）") % {
            "n": summary.total, "h": summary.by_status.get("handling", 0),
            "c": summary.by_status.get("closed", 0)} + "\n")
    return summary


# --- who acts -------------------------------------------------------------------------------------------------
class _Actors:
    """The demo accounts where one holds the role (staff, town_staff, director, deputy, unit). Every
    other deputy acts as an unsaved user in that seat: the permission checks are the real ones, and the
    events record the role without a user account. Every other unit acts through a stored liaison
    account (see `unit`)."""

    def __init__(self):
        from renda.accounts.models import RoleAssignment, User

        self.users = {u.username: u for u in User.objects.filter(
            username__in=["staff", "town_staff", "director", "deputy", "unit"])}
        self.ras: dict[str, list] = {}
        for ra in RoleAssignment.objects.filter(user__in=self.users.values(), is_active=True):
            self.ras.setdefault(ra.user.username, []).append(ra)
        self._cache: dict[tuple, object] = {}

    def _real(self, username: str, match) -> object | None:
        for ra in self.ras.get(username, []):
            if match(ra):
                user = self.users[username]
                user.active_assignment = ra
                return user
        return None

    def _transient(self, key: tuple, **ra_fields):
        from renda.accounts.models import RoleAssignment, User

        user = self._cache.get(key)
        if user is None:
            user = User(username=f"demo-{key[0]}-{key[1]}", display_name="", is_active=True)
            user.active_assignment = RoleAssignment(**ra_fields)
            self._cache[key] = user
        return user

    def office(self, congress_id: int):
        return (self._real("staff", lambda ra: ra.congress_id == congress_id)
                or self._real("town_staff", lambda ra: ra.congress_id == congress_id))

    def director(self, congress_id: int):
        return self._real("director", lambda ra: ra.congress_id == congress_id) or self.office(congress_id)

    def deputy(self, seat):
        return (self._real("deputy", lambda ra: ra.deputy_id == seat.pk)
                or self._transient(("deputy", seat.pk), role="deputy", congress_id=seat.congress_id, deputy=seat))

    def unit(self, unit):
        """The demo `unit` account for its unit; for the others a stored account of the unit's liaison
        (no usable password): the services record the unit's user on replies, contacts and requests."""
        from renda.accounts.models import RoleAssignment, User
        from renda.org.models import UnitContact

        real = self._real("unit", lambda ra: ra.unit_id == unit.pk)
        if real is not None:
            return real
        user = self._cache.get(("unit", unit.pk))
        if user is None:
            contact = UnitContact.objects.filter(unit=unit).order_by("id").first()
            user = User(username=f"{UNIT_USER_PREFIX}{unit.pk}", display_name=contact.name if contact else unit.name)
            user.set_unusable_password()
            user.save()
            user.active_assignment = RoleAssignment.objects.create(user=user, role="unit", congress_id=unit.congress_id,
                                                                   unit=unit)
            self._cache[("unit", unit.pk)] = user
        return user


# --- one suggestion's life ----------------------------------------------------------------------------------------
@dataclass
class Plan:
    """How far one suggestion gets, and how. `end` is its final state."""

    end: str
    topic: int
    day: dt.date  # submitted on (created a few days before)
    mode: str = "lead"
    co: int = 1  # co-units (lead mode)
    units: int = 2  # units (separate mode)
    outcome: str = "A"
    cosigners: int = 1
    unhappy: str = ""  # the outcome of the re-handled reply after a first 不满意
    b_solved: bool = False  # a B item under follow-up that was solved and closed
    progress: int = 0  # follow-up progress reports
    late: bool = False
    extension: int = 0  # months, approved
    returned: str = ""  # "reassigned" | "pending": a unit asked to give its part back
    key: bool = False
    publish: bool = False
    staff_finish: bool = False  # not every deputy rated: staff close it
    twins: int = 0  # suggestions on the same matter merged into this one
    part_state: str = "replied"  # for end == "handling": "assigned", "signed", "contacted", "views_pending"
    author: object = None
    resubmit: bool = False  # sent back, revised and submitted again before being accepted


@dataclass
class _Period:
    congress: object
    period: object
    opens: dt.date
    closes: dt.date | None
    plans: list[Plan] = field(default_factory=list)


class _Maker:
    def __init__(self, city):
        from renda.deputies.models import Deputy
        from renda.org.models import CommitteeMember, Congress, Unit
        from renda.suggestions.models import Category

        self.city = city
        self.rng = random.Random(SEED)
        self.actors = _Actors()
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.tz = timezone.get_current_timezone()
        self.categories = {c.code: c for c in Category.objects.all()}
        if not self.categories:
            from renda.suggestions.seed import seed_categories

            seed_categories(Category)
            self.categories = {c.code: c for c in Category.objects.all()}
        self.town = Congress.objects.filter(parent=city, area__name=TOWN_NAME).first()
        self.units = {(u.congress_id, u.name): u for u in Unit.objects.filter(
            congress__in=[c for c in (city, self.town) if c is not None], is_active=True)}
        self.deputies: dict[int, list] = {}
        for d in (Deputy.objects.filter(congress__in=[c for c in (city, self.town) if c is not None],
                                        status=Deputy.Status.ACTIVE).select_related("person").order_by("id")):
            self.deputies.setdefault(d.congress_id, []).append(d)
        self.leaders = list(CommitteeMember.objects.filter(
            congress=city, post__in=[CommitteeMember.Post.VICE_DIRECTOR, CommitteeMember.Post.DIRECTOR],
            end_date__isnull=True).order_by("post", "id"))
        demo_seats = [ra.deputy for ra in self.actors.ras.get("deputy", []) if ra.deputy_id]
        self.demo_seat = {s.congress_id: s for s in demo_seats}
        self.k = 0  # a counter for cycling the phrase lists
        self.last: dt.datetime | None = None  # the previous step's time within one suggestion's life

    # --- clock ------------------------------------------------------------------------------------------
    def at(self, day: dt.date, hour: int | None = None) -> dt.datetime:
        """A working-hours moment of `day`, after the previous step (the timeline keeps its order when
        two steps fall on one day), never later than a minute ago."""
        h = hour if hour is not None else self.rng.randrange(9, 17)
        moment = dt.datetime.combine(day, dt.time(h, self.rng.randrange(60)), tzinfo=self.tz)
        if self.last is not None and moment <= self.last:
            moment = self.last + dt.timedelta(minutes=self.rng.randrange(5, 40))
        moment = min(moment, self.now - dt.timedelta(minutes=1))
        self.last = moment
        return moment

    def cycle(self, items: list):
        self.k += 1
        return items[self.k % len(items)]

    # --- periods ----------------------------------------------------------------------------------------
    def periods(self) -> list[_Period]:
        from renda.suggestions import services
        from renda.suggestions.models import Period

        out = []
        bodies = [(self.city, YEARS, "市十七届人大{n}次会议", "十七届{n}次", 2020)]
        if self.town is not None:
            bodies.append((self.town, TOWN_YEARS, TOWN_NAME + "第十八届人民代表大会第{n}次会议", "镇十八届{n}次", 2020))
        for congress, years, name, prefix, base in bodies:
            staff = self.actors.office(congress.pk)
            for year in years:
                n = _cn(year - base)
                opens = dt.date(year, 1, 6 + (year % 3))
                closes = opens + dt.timedelta(days=4)
                for kind, pname, pprefix, o, c in (
                        (Period.Kind.SESSION, name.format(n=n), prefix.format(n=n), opens, closes),
                        (Period.Kind.RECESS, f"{year}年闭会期间", f"{year}年闭会期间", dt.date(year, 2, 1),
                         None if year == self.today.year else dt.date(year, 12, 20))):
                    if kind == Period.Kind.RECESS and congress != self.city and year != self.today.year:
                        continue
                    self.last = None
                    with demo_clock(self.at(o - dt.timedelta(days=20))):
                        p = services.period_create(actor=staff, congress=congress, kind=kind, year=year, name=pname,
                                                   number_prefix=pprefix)
                    out.append(_Period(congress=congress, period=p, opens=o, closes=c))
        return out

    # --- the whole demo ---------------------------------------------------------------------------------
    def run(self) -> None:
        from renda.suggestions import services

        periods = self.periods()
        self.assign_plans(periods)
        for pp in sorted(periods, key=lambda p: p.opens):
            staff = self.actors.office(pp.congress.pk)
            self.last = None
            with demo_clock(self.at(pp.opens, 8)):
                services.period_open(actor=staff, period_id=pp.period.pk)
            for plan in pp.plans:
                self.live(pp, plan)
            if pp.closes is not None:
                self.last = None
                with demo_clock(self.at(pp.closes, 18)):
                    services.period_close(actor=staff, period_id=pp.period.pk)

    def assign_plans(self, periods: list[_Period]) -> None:
        """Which suggestions each period gets; the older, the more of them are finished."""
        today = self.today
        rng = self.rng

        def day(year: int, lo: int, hi: int) -> dt.date:
            """A submission day between `lo` and `hi` days after the period opened."""
            return dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(lo, hi))

        def session_day(pp: _Period) -> dt.date:
            return pp.opens + dt.timedelta(days=rng.randint(0, 3))

        topics = iter(range(10**6))

        def t() -> int:
            return next(topics) % len(T.TOPICS)

        for pp in periods:
            y = pp.period.year
            city = pp.congress == self.city
            session = pp.period.kind == "session"
            P = []
            if city and session and y < today.year:
                s = session_day
                P += [
                    Plan("closed", t(), s(pp), outcome="A", co=2, key=y in (2023, 2025), publish=True, cosigners=3),
                    Plan("closed", t(), s(pp), outcome="A", co=1, publish=True),
                    Plan("closed", t(), s(pp), outcome="C", co=0, cosigners=2),
                    Plan("closed", t(), s(pp), mode="separate", units=2, outcome="A", publish=y % 2 == 0),
                    Plan("closed", t(), s(pp), outcome="B", b_solved=True, progress=2, co=1, publish=True),
                    Plan("closed", t(), s(pp), outcome="C", unhappy="A", co=1, cosigners=2),
                ]
                if y == 2022:
                    P += [Plan("reference", t(), s(pp)), Plan("closed", t(), s(pp), outcome="D", co=0)]
                if y == 2023:
                    P += [Plan("declined", t(), s(pp)), Plan("closed", t(), s(pp), outcome="A", late=True),
                          Plan("closed", t(), s(pp), outcome="A", extension=2, key=True, publish=True)]
                if y == 2024:
                    P += [Plan("withdrawn", t(), s(pp)), Plan("closed", t(), s(pp), twins=2, co=1, publish=True),
                          Plan("following", t(), s(pp), outcome="B", progress=3, co=1, key=True),
                          Plan("closed", t(), s(pp), outcome="B", unhappy="C", co=0, cosigners=2)]
                if y == 2025:
                    P += [Plan("reference", t(), s(pp)), Plan("following", t(), s(pp), outcome="B", progress=1),
                          Plan("following", t(), s(pp), mode="separate", units=2, outcome="B", progress=1),
                          Plan("closed", t(), s(pp), outcome="A", staff_finish=True, cosigners=3),
                          Plan("closed", t(), s(pp), outcome="D", returned="reassigned", co=0)]
            elif city and not session and y < today.year:
                P += [Plan("closed", t(), day(y, 60, 200), outcome="A", co=1, publish=True),
                      Plan("closed", t(), day(y, 120, 240), outcome="B", b_solved=True, progress=1, co=0)]
                if y == 2024:
                    P += [Plan("declined", t(), day(y, 150, 250))]
            elif city and session:  # this year's session: most of them still in hand
                s = session_day
                P += [
                    Plan("closed", t(), s(pp), outcome="A", co=1, publish=True, cosigners=2),
                    Plan("closed", t(), s(pp), outcome="A", mode="separate", units=2),
                    Plan("following", t(), s(pp), outcome="C", unhappy="B", co=1),  # re-handled as B, finished by staff
                    Plan("following", t(), s(pp), outcome="B", progress=1, co=1, key=True),
                    Plan("closed", t(), s(pp), outcome="D", co=0),
                    Plan("replied", t(), s(pp), outcome="A", co=1, extension=3, cosigners=2, key=True),
                    Plan("declined", t(), s(pp)),
                    Plan("handling", t(), s(pp), extension=3, part_state="signed", co=1, key=True, twins=1),
                ]
                P[2].staff_finish = True
            elif city:  # this year's recess: every early state, and handling in each of its steps
                near = lambda lo, hi: today - dt.timedelta(days=rng.randint(lo, hi))  # noqa: E731
                seat = self.demo_seat.get(self.city.pk)
                P += [
                    Plan("replied", 0, near(120, 130), outcome="A", co=1, author=seat, cosigners=1),
                    Plan("draft", t(), near(1, 2), author=seat, cosigners=1),
                    Plan("draft", t(), near(1, 3), cosigners=0),
                    Plan("submitted", t(), near(2, 5), cosigners=2),
                    Plan("submitted", t(), near(3, 8)),
                    Plan("revising", t(), near(15, 25)),
                    Plan("withdrawn", t(), near(20, 30)),
                    Plan("accepted", t(), near(10, 20), cosigners=2),
                    Plan("closed", t(), near(150, 200), outcome="A", co=0, resubmit=True),
                    Plan("handling", 0, near(30, 35), part_state="assigned", co=1),
                    Plan("handling", t(), near(40, 60), part_state="contacted", co=2, cosigners=2),
                    Plan("handling", t(), near(50, 70), part_state="views_pending", co=1),
                    Plan("handling", t(), near(170, 180), part_state="signed", co=0),  # overdue
                    Plan("handling", t(), near(35, 45), mode="separate", units=3, part_state="signed"),
                    Plan("handling", t(), near(30, 40), returned="pending", co=1, part_state="signed"),
                    Plan("handling", t(), near(60, 80), returned="reassigned", co=0, part_state="contacted"),
                    Plan("rehandling", t(), near(140, 160), outcome="C", unhappy="-", co=1, cosigners=2),
                    Plan("replied", t(), near(130, 150), outcome="B", mode="separate", units=2),
                ]
            else:  # the town congress
                if session:
                    s = session_day
                    P += [Plan("closed", t(), s(pp), outcome="A", co=1, publish=y < today.year),
                          Plan("closed" if y < today.year else "replied", t(), s(pp), outcome="C", co=0),
                          Plan("following" if y < today.year else "handling", t(), s(pp), outcome="B", progress=1,
                               co=0, part_state="contacted")]
                else:
                    P += [Plan("submitted", t(), today - dt.timedelta(days=3)),
                          Plan("accepted", t(), today - dt.timedelta(days=12))]
            pp.plans = P

    # --- the steps of one item --------------------------------------------------------------------------
    def live(self, pp: _Period, plan: Plan) -> None:
        from renda.suggestions import services
        from renda.suggestions.models import Assignment, Suggestion

        rng = self.rng
        self.last = None
        congress = pp.congress
        staff = self.actors.office(congress.pk)
        pool = self.deputies[congress.pk]
        author = plan.author or pool[rng.randrange(len(pool))]
        topic = T.TOPICS[plan.topic]
        town_name = self._town_of(author)
        day = plan.day
        main = self._draft(author, topic, town_name, day, cosigners=plan.cosigners, congress=congress,
                           pending=plan.end == "draft" and plan.author is not None)
        if plan.end == "draft":
            return
        self._submit(main, author, pp, day)
        twins = []
        for _n in range(plan.twins):
            other = pool[rng.randrange(len(pool))]
            twin = self._draft(other, topic, self._town_of(other), day, cosigners=0, congress=congress,
                               title=self._twin_title(topic.title))
            self._submit(twin, other, pp, day)
            twins.append(twin)
        if plan.end == "submitted":
            return
        review = self._after(day, 6, 14)
        if plan.end in ("withdrawn",):
            with demo_clock(self.at(day + dt.timedelta(days=1))):
                services.suggestion_withdraw(actor=self.actors.deputy(author), suggestion_id=main.pk)
            return
        if plan.end in ("declined", "reference", "revising") or plan.resubmit:
            with demo_clock(self.at(review)):
                if plan.end == "declined":
                    services.suggestion_decline(actor=staff, suggestion_id=main.pk,
                                                reason=self.cycle(T.DECLINE_REASONS))
                elif plan.end == "reference":
                    services.suggestion_to_reference(actor=staff, suggestion_id=main.pk,
                                                     reason=self.cycle(T.REFERENCE_REASONS))
                else:
                    services.suggestion_send_back(actor=staff, suggestion_id=main.pk,
                                                  note=self.cycle(T.SEND_BACK_NOTES))
            if plan.end != "closed":
                return
            fixed = review + dt.timedelta(days=3)
            with demo_clock(self.at(fixed)):
                services.suggestion_update(actor=self.actors.deputy(author), suggestion_id=main.pk,
                                           category_id=main.category_id, title=main.title,
                                           situation=main.situation + "（已补充近三年的相关数据。）",
                                           problem=main.problem, proposal=main.proposal,
                                           unit_ids=[u.pk for u in self._units_for(congress, topic, 0)[:1]])
                services.suggestion_submit(actor=self.actors.deputy(author), suggestion_id=main.pk,
                                           period_id=pp.period.pk)
            review = self._after(fixed, 4, 8)
        with demo_clock(self.at(review)):
            services.suggestion_accept(actor=staff, suggestion_id=main.pk)
            for twin in twins:
                services.suggestion_merge(actor=staff, suggestion_id=twin.pk, into_id=main.pk,
                                          note=self.cycle(T.MERGE_NOTES))
        if plan.end == "accepted":
            return
        assigned = self._after(review, 3, 8)
        units = self._units_for(congress, topic, plan.co if plan.mode == "lead" else plan.units - 1)
        with demo_clock(self.at(assigned)):
            if plan.mode == "lead":
                services.suggestion_assign(actor=staff, suggestion_id=main.pk, mode="lead", lead_unit_id=units[0].pk,
                                           co_unit_ids=[u.pk for u in units[1:]], note=self.cycle(T.ASSIGN_NOTES))
            else:
                services.suggestion_assign(actor=staff, suggestion_id=main.pk, mode="separate",
                                           unit_ids=[u.pk for u in units], note=self.cycle(T.ASSIGN_NOTES))
        if plan.key and self.leaders and congress == self.city:
            meeting = self._after(assigned, 5, 12)
            with demo_clock(self.at(meeting)):
                key = services.key_mark(
                    actor=self.actors.director(congress.pk), suggestion_id=main.pk,
                    leader_id=self.leaders[self.k % len(self.leaders)].pk, meeting_date=meeting,
                    note=self.cycle(T.KEY_NOTES),
                    milestones=[(meeting + dt.timedelta(days=d), text) for d, text in T.MILESTONES])
            for m in key.milestones.all():
                if m.due < self.today:
                    with demo_clock(self.at(m.due)):
                        services.milestone_done(actor=self.actors.director(congress.pk), milestone_id=m.pk,
                                                done_on=m.due)
        parts = list(Assignment.objects.filter(suggestion=main).select_related("unit").order_by("id"))
        if plan.returned:
            parts = self._return(main, parts, plan, assigned, staff)
            if parts is None:
                return
        answering = [p for p in parts if p.role != "co"]
        cos = [p for p in parts if p.role == "co"]
        if plan.end == "handling" and plan.part_state == "assigned":
            return
        for p in parts:
            with demo_clock(self.at(self._after(assigned, 1, 4))):
                services.assignment_sign(actor=self.actors.unit(p.unit), assignment_id=p.pk)
        if plan.extension:
            lead = answering[0]
            asked = assigned + dt.timedelta(days=70)
            with demo_clock(self.at(asked)):
                ext = services.extension_request(actor=self.actors.unit(lead.unit), assignment_id=lead.pk,
                                                 months=plan.extension, reason=self.cycle(T.EXTENSION_REASONS))
            with demo_clock(self.at(asked + dt.timedelta(days=2))):
                services.extension_decide(actor=staff, extension_id=ext.pk, approve=True,
                                          note="同意延期，请在延长期限内答复代表。")
        for n, p in enumerate(cos):
            if plan.end == "handling" and plan.part_state == "views_pending" and n == 0:
                continue
            with demo_clock(self.at(self._after(assigned, 12, 26))):
                services.views_send(actor=self.actors.unit(p.unit), assignment_id=p.pk, text=self.cycle(T.VIEWS))
        if plan.end == "handling" and plan.part_state == "signed":
            if (self.today - assigned).days > 95:
                with demo_clock(self.at(self.today - dt.timedelta(days=2))):
                    services.note_add(actor=staff, suggestion_id=main.pk, kind="remind",
                                      text="该建议已超过答复期限，请抓紧办理并尽快答复代表。")
            return
        raters = services.signer_deputy_ids(main.pk)
        contacted = self._after(assigned, 28, 45)
        for p in answering:
            form, content = self.cycle(T.CONTACTS)
            with demo_clock(self.at(contacted)):
                services.contact_record(actor=self.actors.unit(p.unit), assignment_id=p.pk, deputy_id=main.author_id,
                                        contacted_on=contacted, form=form, content=content)
        if plan.end == "handling":
            return
        replied = assigned + dt.timedelta(days=rng.randint(60, 85))
        if plan.late:
            replied = assigned + dt.timedelta(days=rng.randint(100, 110))
        if plan.extension:
            replied = assigned + dt.timedelta(days=85 + 30 * plan.extension - 10)
        if plan.end in ("replied", "rehandling"):
            replied = min(replied, self.today - dt.timedelta(days=rng.randint(12, 20)))
        outcomes = [plan.outcome] + ["A"] * (len(answering) - 1)
        replies = []
        for p, outcome in zip(answering, outcomes, strict=True):
            replies.append(self._reply(p, outcome, topic, town_name, replied))
        if plan.end == "replied":
            if plan.author is None:  # one deputy has rated, the others not yet
                self._rate(replies[0], raters[:1], self._after(replied, 3, 6), value="basic")
            return
        rated = self._after(replied, 5, 15)
        if plan.unhappy:
            lead = answering[0]
            self._rate(replies[0], [main.author_id], rated, value="unsatisfied")
            if plan.unhappy == "-":  # still being re-handled
                return
            again = self._after(rated, 6, 10)
            form, content = self.cycle(T.CONTACTS)
            with demo_clock(self.at(again)):
                services.contact_record(actor=self.actors.unit(lead.unit), assignment_id=lead.pk,
                                        deputy_id=main.author_id, contacted_on=again, form=form,
                                        content="重新办理：" + content)
            replies[0] = self._reply(lead, plan.unhappy, topic, town_name, self._after(again, 10, 20))
            rated = self._after(again, 25, 32)
        if plan.staff_finish:
            for reply in replies:
                self._rate(reply, raters[:1], rated)
            main.refresh_from_db()
            if main.status == Suggestion.Status.REPLIED:
                with demo_clock(self.at(min(rated + dt.timedelta(days=20), self.today))):
                    services.suggestion_finish(actor=staff, suggestion_id=main.pk)
        else:
            for reply in replies:
                self._rate(reply, raters, rated)
        main.refresh_from_db()
        if main.status == Suggestion.Status.FOLLOWING:
            self._follow_up(main, plan, rated, raters)
        main.refresh_from_db()
        if plan.publish and main.status in (Suggestion.Status.CLOSED, Suggestion.Status.FOLLOWING):
            when = (timezone.localdate(main.closed_at) if main.closed_at else rated) + dt.timedelta(days=10)
            with demo_clock(self.at(min(when, self.today))):
                copy = services.redaction_suggest(main)
                services.suggestion_publish(actor=staff, suggestion_id=main.pk, title=copy["title"],
                                            text=copy["text"], reply=copy["reply"])

    # --- helpers ----------------------------------------------------------------------------------------
    def _after(self, day: dt.date, lo: int, hi: int) -> dt.date:
        return min(day + dt.timedelta(days=self.rng.randint(lo, hi)), self.today)

    def _town_of(self, deputy) -> str:
        from renda.org.models import Place

        if not hasattr(self, "_towns"):
            self._towns = {}
        if deputy.district_id not in self._towns:
            place = Place.objects.filter(districts__id=deputy.district_id).select_related("parent").first() \
                if deputy.district_id else None
            self._towns[deputy.district_id] = place.parent.name if place and place.parent_id else TOWN_NAME
        return self._towns[deputy.district_id]

    def _twin_title(self, title: str) -> str:
        core = title.removeprefix("关于").removesuffix("的建议")
        return f"建议{core}"

    def _units_for(self, congress, topic: T.Topic, extra: int) -> list:
        if congress == self.city:
            names = [topic.lead, *topic.co]
            chosen = [self.units[(congress.pk, n)] for n in names if (congress.pk, n) in self.units]
            others = [u for (cid, _n), u in sorted(self.units.items(), key=lambda kv: kv[1].pk)
                      if cid == congress.pk and u not in chosen]
            chosen += others
            return chosen[:1 + extra]
        town = congress.area.name if congress.area_id else TOWN_NAME
        lead = TOWN_UNIT_FOR.get(topic.category, TOWN_UNIT_DEFAULT)
        names = [lead] + [n for n in ("党政办公室", "社会事业局", "经济发展局", "综合行政执法局") if n != lead]
        return [self.units[(congress.pk, town + n)] for n in names if (congress.pk, town + n) in self.units][:1 + extra]

    def _draft(self, author, topic: T.Topic, town: str, day: dt.date, *, cosigners: int, congress, pending=False,
               title: str | None = None):
        from renda.suggestions import services

        me = self.actors.deputy(author)
        units = self._units_for(congress, topic, 0)
        with demo_clock(self.at(day - dt.timedelta(days=3))):
            s = services.suggestion_create(
                actor=me, category_id=self.categories.get(topic.category, self.categories.get("other")).pk,
                title=title or topic.title, situation=topic.situation.format(town=town),
                problem=topic.problem, proposal=topic.proposal, unit_ids=[u.pk for u in units[:1]])
        if cosigners:
            pool = [d for d in self.deputies[congress.pk] if d.pk != author.pk]
            chosen = self.rng.sample(pool, min(cosigners, len(pool)))
            with demo_clock(self.at(day - dt.timedelta(days=2))):
                services.signer_invite(actor=me, suggestion_id=s.pk, deputy_ids=[d.pk for d in chosen])
            if not pending:
                for d in chosen:
                    with demo_clock(self.at(day - dt.timedelta(days=1))):
                        services.signer_respond(actor=self.actors.deputy(d), suggestion_id=s.pk, confirm=True)
        return s

    def _submit(self, s, author, pp: _Period, day: dt.date) -> None:
        from renda.suggestions import services

        with demo_clock(self.at(day)):
            services.suggestion_submit(actor=self.actors.deputy(author), suggestion_id=s.pk, period_id=pp.period.pk)

    def _return(self, main, parts, plan: Plan, assigned: dt.date, staff):
        """A unit asks to give its part back (within 7 working days); staff give it to another unit."""
        from renda.suggestions import services
        from renda.suggestions.models import Assignment

        part = parts[-1]
        with demo_clock(self.at(assigned + dt.timedelta(days=2))):
            services.assignment_return(actor=self.actors.unit(part.unit), assignment_id=part.pk,
                                       reason=self.cycle(T.RETURN_REASONS))
        if plan.returned == "pending":
            for p in parts[:-1]:
                with demo_clock(self.at(assigned + dt.timedelta(days=3))):
                    services.assignment_sign(actor=self.actors.unit(p.unit), assignment_id=p.pk)
            return None
        taken = {p.unit_id for p in parts}
        spare = next(u for (cid, _n), u in sorted(self.units.items(), key=lambda kv: kv[1].pk)
                     if cid == main.congress_id and u.pk not in taken)
        with demo_clock(self.at(assigned + dt.timedelta(days=4))):
            services.assignment_reassign(actor=staff, assignment_id=part.pk, unit_id=spare.pk,
                                         note=self.cycle(T.REASSIGN_NOTES))
        return list(Assignment.objects.filter(suggestion=main).exclude(status="withdrawn")
                    .select_related("unit").order_by("id"))

    def _reply(self, part, outcome: str, topic: T.Topic, town: str, day: dt.date):
        from renda.suggestions import services

        text = {"A": topic.reply, "B": "该事项已列入计划，正在推进：" + topic.reply, "C": topic.limit,
                "D": T.D_REPLY}[outcome].format(town=town)
        committed = day + dt.timedelta(days=180) if outcome == "B" else None
        with demo_clock(self.at(day)):
            return services.reply_send(actor=self.actors.unit(part.unit), assignment_id=part.pk, outcome=outcome,
                                       text=text, pdf=_pdf(), committed_date=committed)

    def _rate(self, reply, deputy_ids: list[int], day: dt.date, value: str | None = None) -> None:
        from renda.deputies.models import Deputy
        from renda.suggestions import services

        for n, deputy in enumerate(Deputy.objects.filter(pk__in=deputy_ids).order_by("id")):
            v = value or ("satisfied" if (self.k + n) % 4 else "basic")
            with demo_clock(self.at(min(day + dt.timedelta(days=n), self.today))):
                services.rating_submit(actor=self.actors.deputy(deputy), reply_id=reply.pk, value=v,
                                       comment=self.cycle(T.RATING_COMMENTS[v]))

    def _follow_up(self, s, plan: Plan, since: dt.date, raters: list[int]) -> None:
        """B parts under follow-up: progress reports every two months; solved ones are rated and closed."""
        from renda.suggestions import services
        from renda.suggestions.models import Assignment

        parts = list(Assignment.objects.filter(suggestion=s, status="following").select_related("unit"))
        day = since
        for _n in range(plan.progress):
            day = day + dt.timedelta(days=60)
            if day >= self.today:
                break
            for p in parts:
                with demo_clock(self.at(day)):
                    services.progress_report(actor=self.actors.unit(p.unit), assignment_id=p.pk,
                                             text=self.cycle(T.PROGRESS))
        if not plan.b_solved:
            return
        solved = min(day + dt.timedelta(days=45), self.today - dt.timedelta(days=10))
        replies = []
        topic = T.TOPICS[plan.topic]
        for p in parts:
            with demo_clock(self.at(solved)):
                replies.append(services.followup_solve(
                    actor=self.actors.unit(p.unit), assignment_id=p.pk, pdf=_pdf(),
                    text=T.SOLVED.format(reply=topic.reply.format(town=self._town_of(s.author)))))
        for reply in replies:
            self._rate(reply, raters, self._after(solved, 3, 8))
