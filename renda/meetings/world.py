"""A standing committee and its meetings on the shared test world (tests, matrix rows, browser tests)."""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from renda.ballots.world import act, make_people, voter
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


def run_vote(staff, vote, people, mark="yes", *, publish: bool = True):
    """Open a one-option vote (a motion or an appointment), let `people` cast `mark` on it (or
    `mark(i)` for the i-th of them), close it and, unless told not to, publish it. The vote after."""
    from renda.ballots import services as ballots

    services.open_vote(actor=staff, vote_id=vote.pk)
    key = str(vote.options.get().pk)
    for i, p in enumerate(people):
        ballots.cast(user=voter(p), vote_id=vote.pk, marks={key: mark(i) if callable(mark) else mark})
    vote = services.close_vote(actor=staff, vote_id=vote.pk)
    return services.publish_vote(actor=staff, vote_id=vote.pk) if publish else vote


def session(w, *, starts_at=None, title="太仓市第十七届人大常委会第五次会议", notified: bool = True,
            convened: bool = False):
    """A standing-committee session today (by default) with the committee as members."""
    c = committee(w)
    starts_at = starts_at or timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    staff = act(w, "staff")
    m = services.schedule(actor=staff, congress=w.city, kind="standing", title=title, starts_at=starts_at,
                          location="市人大常委会会议室", chair_id=c.director.pk)
    if notified:
        m = services.notify(actor=staff, meeting_id=m.pk, short_notice_reason="临时召开",
                            now=starts_at - dt.timedelta(days=1))
    if convened:
        m = services.convene(actor=staff, meeting_id=m.pk)
    return m


def mw(w) -> SimpleNamespace:
    """What the matrix rows and page tests need, built once per world:

    session: today's standing-committee session, convened, 20 of 35 members checked in (the world's
    deputy user is a member, checked in; the director user chairs it), with three agenda items:
    item_open holding vote_open (a secret motion, open), item_done holding vote_published (a named
    motion, published), vote_draft (an appointment, draft) and vote_paper (a paper motion, open,
    no totals yet); a published document `document` and
    an unpublished `draft_document`.
    planned: a standing-committee session in 20 days, in draft (not yet notified).
    town_meeting: a presidium meeting of the town congress (outside the city's scope: 404).
    """
    cached = getattr(w, "_meetings", None)
    if cached is not None:
        return cached
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = committee(w)
    staff = act(w, "staff")
    m = session(w, convened=True)
    for p in c.people[:20]:
        services.staff_check_in(actor=staff, meeting_id=m.pk, person_id=p.pk)
    item_open = services.add_item(actor=staff, meeting_id=m.pk, title="关于批准2022年市级财政决算的决议（草案）",
                                  presenter="市财政局局长")
    item_done = services.add_item(actor=staff, meeting_id=m.pk, title="人事任免事项")
    vote_open = services.add_vote(actor=staff, item_id=item_open.pk, kind="motion", secret=True)
    vote_published = services.add_vote(actor=staff, item_id=item_done.pk, kind="motion", secret=False,
                                       title="关于接受辞职的决定")
    vote_draft = services.add_vote(actor=staff, item_id=item_done.pk, kind="appointment", secret=True,
                                   title="任命审判员", options=[{"label": "任命王建国为市人民法院审判员"}])
    vote_published = run_vote(staff, vote_published, c.people[2:20])
    vote_open = services.open_vote(actor=staff, vote_id=vote_open.pk)
    vote_paper = services.add_vote(actor=staff, item_id=item_done.pk, kind="motion", method="paper",
                                   title="关于表决办法的决定（纸质票）")
    vote_paper = services.open_vote(actor=staff, vote_id=vote_paper.pk)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    document = services.add_document(actor=staff, meeting_id=m.pk, title="财政决算报告", item_id=item_open.pk,
                                     upload=SimpleUploadedFile("决算报告.pdf", pdf, content_type="application/pdf"))
    services.publish_documents(actor=staff, meeting_id=m.pk)
    draft_document = services.add_document(actor=staff, meeting_id=m.pk, title="审议意见（草稿）",
                                           upload=SimpleUploadedFile("草稿.pdf", pdf, content_type="application/pdf"))
    planned = services.schedule(actor=staff, congress=w.city, kind="standing",
                                title="太仓市第十七届人大常委会第六次会议",
                                starts_at=timezone.now() + dt.timedelta(days=20), location="市人大常委会会议室",
                                chair_id=c.director.pk)
    town_meeting = services.schedule(actor=act(w, "town_staff"), congress=w.town, kind="presidium",
                                     title="沙溪镇人大主席团会议", starts_at=timezone.now() + dt.timedelta(days=5))
    w._meetings = SimpleNamespace(
        session=m, item_open=item_open, item_done=item_done, vote_open=vote_open, vote_published=vote_published,
        vote_draft=vote_draft, vote_paper=vote_paper, document=document, draft_document=draft_document, planned=planned,
        town_meeting=town_meeting, committee=c,
    )
    return w._meetings


def adjourned(w) -> SimpleNamespace:
    """An adjourned standing-committee session of today, built once per world: 22 of the 35 members
    checked in (the deputy user's person among them, the director user chairs), one member on leave
    (因公出差), one agenda item with a published named motion (20 yes, 1 no: the deputy user's person,
    1 not voting: passed) and a closed appointment whose result is not published (7 no), the minutes
    text and the item's decision."""
    cached = getattr(w, "_minutes_meeting", None)
    if cached is not None:
        return cached

    staff = act(w, "staff")
    c = committee(w)
    m = session(w, title="太仓市第十七届人大常委会第四次会议",
                starts_at=timezone.localtime().replace(hour=8, minute=30, second=0, microsecond=0))
    services.reply(user=voter(c.people[-1]), meeting_id=m.pk, attending=False, reason="因公出差")
    m = services.convene(actor=staff, meeting_id=m.pk)
    for p in c.people[:22]:
        services.staff_check_in(actor=staff, meeting_id=m.pk, person_id=p.pk)
    item = services.add_item(actor=staff, meeting_id=m.pk, title="关于接受辞职请求的审议",
                             presenter="市人大常委会人事代表工作委员会主任")
    motion = services.add_vote(actor=staff, item_id=item.pk, kind="motion", secret=False,
                               title="关于接受张某某辞去市人大代表职务的决定")
    hidden = services.add_vote(actor=staff, item_id=item.pk, kind="appointment", secret=True,
                               title="任命人民陪审员", options=[{"label": "任命李秀英为市人民法院人民陪审员"}])
    motion = run_vote(staff, motion, c.people[:21], lambda i: "no" if i == 1 else "yes")
    hidden = run_vote(staff, hidden, c.people[1:8], "no", publish=False)
    services.set_minutes(actor=staff, meeting_id=m.pk, minutes="会议听取了有关辞职请求的说明。\n会议依法进行了表决。",
                         decisions={item.pk: "同意接受张某某辞去市人大代表职务。"})
    m = services.adjourn(actor=staff, meeting_id=m.pk)
    w._minutes_meeting = SimpleNamespace(meeting=m, item=item, motion=motion, hidden=hidden, committee=c)
    return w._minutes_meeting
