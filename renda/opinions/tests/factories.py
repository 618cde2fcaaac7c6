"""Test helpers: a submitted opinion, and the world's users acting on it."""

from renda.opinions.models import Category
from renda.opinions.services import opinion_submit


def submit(world, *, to="deputy", phone="13811112222", key=None, title="小区电梯坏了",
           text="新港社区3号楼电梯坏了一个月，老人上下楼困难。", **kwargs):
    category = Category.objects.get(code="urban")
    target = {"deputy": {"deputy_id": world.deputy.pk}, "station": {"station_id": world.station.pk}}[to]
    opinion, _created = opinion_submit(category_id=category.pk, title=title, text=text, community_id=world.community.pk,
                                       citizen_name="王小明", citizen_phone=phone, idempotency_key=key,
                                       **target, **kwargs)
    return opinion


def as_role(world, role: str):
    """The world's user for a role, with the active assignment the middleware would set."""
    user = world.users[role]
    user.active_assignment = user.assignments.filter(is_active=True).first()
    return user
