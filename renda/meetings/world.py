"""A standing committee and its meetings on the shared test world (tests, matrix rows, browser tests)."""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from renda.ballots.world import act, make_people
from renda.org.models import CommitteeMember

from . import services


def committee(w, n: int = 35) -> SimpleNamespace:
    """n committee members of the city (a director, three vice directors, a secretary general, members);
    the world's director user is the director, its deputy user a member. Built once per world."""
    cached = getattr(w, "_committee", None)
    if cached is not None:
        return cached
    from renda.accounts.models import User

    director = make_people(1, prefix="主任")[0]
    User.objects.filter(pk=w.users["director"].pk).update(person=director)
    w.users["director"].person = director
    others = make_people(n - 2)
    members = [director, w.person, *others]
    posts = ["director", "member", "vice_director", "vice_director", "vice_director", "secretary_general"]
    CommitteeMember.objects.bulk_create([
        CommitteeMember(congress=w.city, term=w.city_term, person=p, start_date=dt.date(2021, 12, 1),
                        post=posts[i] if i < len(posts) else "member")
        for i, p in enumerate(members)
    ])
    w._committee = SimpleNamespace(people=members, director=director)
    return w._committee


def session(w, *, starts_at=None, title="太仓市第十七届人大常委会第五次会议", notified: bool = True, convened: bool = False):
    """A standing-committee session today (by default) with the committee as members."""
    c = committee(w)
    starts_at = starts_at or timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    staff = act(w, "staff")
    m = services.schedule(actor=staff, congress=w.city, kind="standing", title=title, starts_at=starts_at,
                          location="市人大常委会会议室", chair_id=c.director.pk)
    if notified:
        m = services.notify(actor=staff, meeting_id=m.pk, short_notice_reason="临时召开", now=starts_at - dt.timedelta(days=1))
    if convened:
        m = services.convene(actor=staff, meeting_id=m.pk)
    return m
