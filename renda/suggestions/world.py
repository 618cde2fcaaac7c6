"""Suggestions in every interesting state, built on demand on the shared test world (renda/testing.py).

``sw(w)`` adds what suggestion handling needs (an open period, a second deputy and a second unit
with users, a committee member) and the items in each state, once per world, cached on it; the
matrix rows and the tests say ``sw(w).assigned.pk``. The step functions (``draft``, ``to_assigned``…)
are also used by the tests that walk one item through the workflow.
"""

import datetime as dt
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def pdf(name: str = "答复函.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def act(w, role: str):
    """The world's user for `role`, acting in that role's assignment."""
    user = w.users[role]
    user.active_assignment = user.assignments.filter(is_active=True).first()
    return user


def base(w) -> SimpleNamespace:
    """What the tests need beyond the shared world; built once per world."""
    cached = getattr(w, "_suggestion_base", None)
    if cached is not None:
        return cached
    from renda.org.models import CommitteeMember, Unit
    from renda.suggestions import services
    from renda.suggestions.models import Category, Period
    from renda.testing import make_user

    if "deputy2" not in w.users:
        w.users["deputy2"] = make_user("deputy2", role="deputy", congress=w.city, deputy=w.deputy2)
        w.users["unit2"] = make_user("unit2", role="unit", congress=w.city, unit=w.other_unit)
        w.users["town_deputy"] = make_user("town_deputy", role="deputy", congress=w.town, deputy=w.town_deputy)
    b = SimpleNamespace()
    b.category = Category.objects.get(code="urban")
    b.period = Period.objects.create(congress=w.city, kind=Period.Kind.SESSION, year=2026,
                                     name="市十七届人大六次会议", number_prefix="十七届六次")
    services.period_open(actor=act(w, "staff"), period_id=b.period.pk)
    b.period.refresh_from_db()
    b.third_unit = Unit.objects.create(congress=w.city, name="市交通运输局")
    b.leader = CommitteeMember.objects.create(congress=w.city, term=w.city_term, person=w.person2,
                                              post="vice_director", start_date=dt.date(2022, 1, 1))
    w._suggestion_base = b
    return b


def draft(w, *, title: str = "关于加快老旧小区加装电梯的建议", cosigner: bool = False, **kw):
    from renda.suggestions import services

    b = base(w)
    fields = dict(category_id=b.category.pk, title=title, situation="我市老旧小区多为六层以下住宅，无电梯。",
                  problem="老年居民上下楼困难，加装电梯协调难、审批慢。",
                  proposal="一、简化加装电梯审批流程；二、加大财政补贴；三、建立协调机制。",
                  unit_ids=[w.unit.pk])
    fields.update(kw)
    s = services.suggestion_create(actor=act(w, "deputy"), **fields)
    if cosigner:
        services.signer_invite(actor=act(w, "deputy"), suggestion_id=s.pk, deputy_ids=[w.deputy2.pk])
        services.signer_respond(actor=act(w, "deputy2"), suggestion_id=s.pk, confirm=True)
    return s


def to_submitted(w, **kw):
    from renda.suggestions import services

    s = draft(w, **kw)
    return services.suggestion_submit(actor=act(w, "deputy"), suggestion_id=s.pk)


def to_accepted(w, **kw):
    from renda.suggestions import services

    s = to_submitted(w, **kw)
    return services.suggestion_accept(actor=act(w, "staff"), suggestion_id=s.pk)


def to_assigned(w, *, co: bool = True, **kw):
    """Assigned to w.unit as lead and (co=True) w.other_unit as co-unit."""
    from renda.suggestions import services

    s = to_accepted(w, **kw)
    return services.suggestion_assign(actor=act(w, "staff"), suggestion_id=s.pk, mode="lead", lead_unit_id=w.unit.pk,
                                      co_unit_ids=[w.other_unit.pk] if co else [])


def parts(s):
    from renda.suggestions.models import Assignment

    lead = Assignment.objects.filter(suggestion=s, role__in=["lead", "separate"]).exclude(status="withdrawn").first()
    co = Assignment.objects.filter(suggestion=s, role="co").exclude(status="withdrawn").first()
    return lead, co


def to_replied(w, *, outcome: str = "A", **kw):
    """The lead has replied (after contact and the co-unit's views): the deputies may rate."""
    from renda.suggestions import services

    s = to_assigned(w, **kw)
    lead, co = parts(s)
    services.assignment_sign(actor=act(w, "unit"), assignment_id=lead.pk)
    if co is not None:
        services.assignment_sign(actor=act(w, "unit2"), assignment_id=co.pk)
        services.views_send(actor=act(w, "unit2"), assignment_id=co.pk, text="建议将加装电梯纳入城市更新计划。")
    services.contact_record(actor=act(w, "unit"), assignment_id=lead.pk, deputy_id=w.deputy.pk,
                            contacted_on=timezone.localdate(), form="phone", content="电话沟通办理思路。")
    committed = timezone.localdate() + dt.timedelta(days=90) if outcome == "B" else None
    services.reply_send(actor=act(w, "unit"), assignment_id=lead.pk, outcome=outcome, text="已将加装电梯列入年度计划。",
                        pdf=pdf(), committed_date=committed)
    s.refresh_from_db()
    return s


def sw(w) -> SimpleNamespace:
    """One suggestion in each state, for the matrix and the list tests."""
    cached = getattr(w, "_suggestions", None)
    if cached is not None:
        return cached
    from renda.suggestions import services

    b = base(w)
    o = SimpleNamespace(base=b, period=b.period)
    o.draft = draft(w, title="关于增设社区助餐点的建议")
    o.submitted = to_submitted(w, title="关于改善学校周边交通的建议")
    o.accepted = to_accepted(w, title="关于河道综合整治的建议")
    o.assigned = to_assigned(w, title="关于加装电梯的建议")
    o.lead, o.co = parts(o.assigned)
    o.replied = to_replied(w, title="关于公交线路优化的建议", cosigner=True)
    o.reply = o.replied.replies.filter(kind="reply").get()
    o.co_views = o.replied.replies.filter(kind="views").get()
    o.closed = to_replied(w, title="关于菜市场改造的建议")
    services.rating_submit(actor=act(w, "deputy"), reply_id=o.closed.replies.get(kind="reply").pk, value="satisfied")
    services.suggestion_publish(actor=act(w, "staff"), suggestion_id=o.closed.pk, title="关于菜市场改造的建议",
                                text="建议改造菜市场。", reply="已列入计划。")
    for name in ("draft", "submitted", "accepted", "assigned", "replied", "closed", "lead", "co"):
        getattr(o, name).refresh_from_db()
    for user in w.users.values():
        user.active_assignment = None
    w._suggestions = o
    return o
