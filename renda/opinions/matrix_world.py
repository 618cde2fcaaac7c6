"""Opinions in every interesting state, built on demand on the shared test world (renda/testing.py).

``ow(w)`` builds them once per world and caches them on it, so matrix rows and tests can say
``ow(w).submitted.pk`` without slowing down every other test that uses the world.
"""

from types import SimpleNamespace


def ow(w) -> SimpleNamespace:
    cached = getattr(w, "_opinions", None)
    if cached is not None:
        return cached
    from renda.opinions import services
    from renda.opinions.actors import Citizen
    from renda.opinions.models import Assignment, Category

    def actor(role):
        user = w.users[role]
        user.active_assignment = user.assignments.filter(is_active=True).first()
        return user

    cat = Category.objects.get(code="urban")

    def submit(**kw):
        base = dict(category_id=cat.pk, title="小区电梯坏了", text="新港社区3号楼电梯坏了一个月。",
                    community_id=w.community.pk, citizen_name="王小明", citizen_phone="13811112222")
        base.update(kw)
        if "station_id" not in kw:
            base.setdefault("deputy_id", w.deputy.pk)
        return services.opinion_submit(**base)[0]

    deputy = actor("deputy")
    o = SimpleNamespace(category=cat)
    o.submitted = submit()
    o.anonymous = submit(citizen_phone="", citizen_name="", title="路灯不亮")
    o.station_opinion = submit(station_id=w.station.pk, title="河道有垃圾")
    o.forwarded = submit(title="公交站台破损")
    services.opinion_accept(opinion_id=o.forwarded.pk, actor=deputy)
    services.opinion_forward(opinion_id=o.forwarded.pk, actor=deputy, unit_ids=[w.unit.pk], note="请核实")
    o.part = Assignment.objects.get(opinion=o.forwarded)
    o.replied = submit(title="学校门口拥堵")
    services.opinion_accept(opinion_id=o.replied.pk, actor=deputy)
    services.opinion_answer(opinion_id=o.replied.pk, actor=deputy, reply_text="已协调交警在上下学时段疏导。")
    o.closed = submit(title="菜场卫生差")
    services.opinion_accept(opinion_id=o.closed.pk, actor=deputy)
    services.opinion_answer(opinion_id=o.closed.pk, actor=deputy, reply_text="已督促整改。")
    services.opinion_rate(opinion_id=o.closed.pk, citizen=Citizen(o.closed.pk), rating="satisfied")
    services.opinion_publish(opinion_id=o.closed.pk, actor=actor("staff"), title="菜场卫生差",
                             text="菜场卫生差，希望整改。", reply="已督促整改。")
    o.other_town_opinion = submit(deputy_id=w.other_deputy.pk, community_id=w.other_community.pk, title="浏河镇的意见")
    o.key, o.raw_key = services.api_key_create(actor=actor("staff"), congress=w.city, name="12345 热线")
    for name in ("submitted", "anonymous", "station_opinion", "forwarded", "replied", "closed", "other_town_opinion"):
        getattr(o, name).refresh_from_db()
    o.part.refresh_from_db()
    w.users["deputy"].active_assignment = None
    w.users["unit"].active_assignment = None
    w.users["staff"].active_assignment = None
    w._opinions = o
    return o
