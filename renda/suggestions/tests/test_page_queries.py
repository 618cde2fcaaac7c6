"""The item page and the unit's part page read a bounded number of queries: one bound for a suggestion
with one part and one signer and for one with five parts and five signers, and no more queries for five
than for two (a page with two parts already reads the replies' ratings, which a single-part page without
replies skips). Keeping the copies of due dates in step is bounded too."""

import pytest
from django.utils import timezone

from renda.suggestions import services
from renda.suggestions.world import act, base, draft

pytestmark = pytest.mark.django_db

# About 20 today; the headroom is for a panel or a block more, not for a query per part, signer or action.
BOUND = {"detail": 26, "part": 26}


def _item(w, n: int):
    """A suggestion with n signers (the author and n-1 co-signers) assigned to n units (a lead and n-1
    co-units); every part signed, the co-units' views sent, the lead has contacted every signer and
    asked for more time."""
    from renda.deputies.models import Deputy, Person
    from renda.org.models import Unit
    from renda.testing import make_user

    base(w)
    tag = f"n{n}"
    deputies, units = [("deputy2", w.deputy2)] if n > 1 else [], [w.unit]
    for i in range(n - 1):
        if i < n - 2:
            person = Person.objects.create(name=f"代表{tag}{i}", phone="13800000000")
            d = Deputy.objects.create(congress=w.city, term=w.city_term, person=person, district=w.city_district)
            w.users[f"dep_{tag}{i}"] = make_user(f"dep_{tag}{i}", role="deputy", congress=w.city, deputy=d)
            deputies.append((f"dep_{tag}{i}", d))
        u = Unit.objects.create(congress=w.city, name=f"单位{tag}{i}")
        w.users[f"unit_{tag}{i}"] = make_user(f"unit_{tag}{i}", role="unit", congress=w.city, unit=u)
        units.append(u)
    s = draft(w, title=f"关于加装电梯的建议（{tag}）")
    if deputies:
        services.signer_invite(actor=act(w, "deputy"), suggestion_id=s.pk, deputy_ids=[d.pk for _r, d in deputies])
        for role, _d in deputies:
            services.signer_respond(actor=act(w, role), suggestion_id=s.pk, confirm=True)
    services.suggestion_submit(actor=act(w, "deputy"), suggestion_id=s.pk)
    services.suggestion_accept(actor=act(w, "staff"), suggestion_id=s.pk)
    services.suggestion_assign(actor=act(w, "staff"), suggestion_id=s.pk, mode="lead", lead_unit_id=w.unit.pk,
                               co_unit_ids=[u.pk for u in units[1:]])
    parts = {p.unit_id: p for p in s.assignments.all()}
    lead = parts[w.unit.pk]
    services.assignment_sign(actor=act(w, "unit"), assignment_id=lead.pk)
    for i, u in enumerate(units[1:]):
        role = f"unit_{tag}{i}"
        services.assignment_sign(actor=act(w, role), assignment_id=parts[u.pk].pk)
        services.views_send(actor=act(w, role), assignment_id=parts[u.pk].pk, text="协办意见")
    for d in [w.deputy, *(d for _r, d in deputies)]:
        services.contact_record(actor=act(w, "unit"), assignment_id=lead.pk, deputy_id=d.pk,
                                contacted_on=timezone.localdate(), form="phone", content="电话沟通")
    services.extension_request(actor=act(w, "unit"), assignment_id=lead.pk, months=1, reason="需协调资金")
    return s, lead


SIZES = (1, 2, 5)


def _counts(client, urls, django_assert_max_num_queries, bound):
    counts = []
    for url in urls:
        client.get(url)  # warm the per-process caches (content types, the calendar)
        with django_assert_max_num_queries(bound) as captured:
            r = client.get(url)
        assert r.status_code == 200
        counts.append(len(captured))
    return counts


@pytest.mark.parametrize("role", ["staff", "deputy", "deputy2", "unit", "admin"])
def test_the_item_page_reads_as_many_queries_for_five_parts_as_for_two(
        world, client_for, django_assert_max_num_queries, role):
    items = [_item(world, n) for n in SIZES]
    if role == "deputy2":  # a co-signer: not on the single-signer item
        items = items[1:]
    counts = _counts(client_for(role), [s.get_absolute_url() for s, _lead in items], django_assert_max_num_queries,
                     BOUND["detail"])
    assert counts[-2] == counts[-1], counts


@pytest.mark.parametrize("role", ["unit", "staff"])
def test_the_part_page_reads_as_many_queries_for_five_parts_as_for_two(
        world, client_for, django_assert_max_num_queries, role):
    items = [_item(world, n) for n in SIZES]
    counts = _counts(client_for(role), [lead.get_absolute_url() for _s, lead in items], django_assert_max_num_queries,
                     BOUND["part"])
    assert counts[-2] == counts[-1], counts


@pytest.mark.parametrize("n", [1, 5])
def test_keeping_due_dates_in_step_is_bounded(world, django_assert_max_num_queries, n):
    """Every part's answer clock moved: the copies follow in the same few queries for one part or five."""
    import datetime as dt

    from django.contrib.contenttypes.models import ContentType

    from renda.core.workdays.models import Deadline
    from renda.org.models import Unit
    from renda.suggestions.models import Assignment
    from renda.suggestions.world import to_accepted

    s = to_accepted(world, title=f"第{n}件")
    cos = [Unit.objects.create(congress=world.city, name=f"协办单位{i}") for i in range(n - 1)]
    services.suggestion_assign(actor=act(world, "staff"), suggestion_id=s.pk, mode="lead", lead_unit_id=world.unit.pk,
                               co_unit_ids=[u.pk for u in cos])
    parts = list(Assignment.objects.filter(suggestion=s))
    assert len(parts) == n
    later = dt.date(2027, 1, 4)
    Deadline.objects.filter(content_type=ContentType.objects.get_for_model(Assignment),
                            object_id__in=[p.pk for p in parts], state="open",
                            policy__code__in=services.ANSWER_CLOCKS).update(due=later)
    with django_assert_max_num_queries(4):
        due = services.sync_due(s.pk)
    assert due == later
    assert set(Assignment.objects.filter(suggestion=s).values_list("due", flat=True)) == {later}
    s.refresh_from_db()
    assert s.due == later
