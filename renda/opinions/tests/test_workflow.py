import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from renda.core.models import Event
from renda.core.workdays.models import Deadline
from renda.core.workflow import ConflictError
from renda.opinions import services
from renda.opinions.actors import Citizen
from renda.opinions.models import Assignment, Opinion, RatingRecord

from .factories import as_role, submit

pytestmark = pytest.mark.django_db


def events(obj):
    return list(Event.objects.filter(object_id=obj.pk, content_type__model=obj._meta.model_name)
                .values_list("action", flat=True))


def test_full_cycle_forward_reply_unsatisfied_rehandle_satisfied(world):
    deputy, unit = as_role(world, "deputy"), as_role(world, "unit")
    op = submit(world)
    assert op.status == "submitted" and op.current_due is not None and len(op.tracking_code) == 10
    op = services.opinion_accept(opinion_id=op.pk, actor=deputy)
    op = services.opinion_forward(opinion_id=op.pk, actor=deputy, unit_ids=[world.unit.pk], note="请核实")
    part = Assignment.objects.get(opinion=op)
    assert part.due is not None and Opinion.objects.get(pk=op.pk).current_due == part.due
    with pytest.raises(ValidationError):
        services.opinion_answer(opinion_id=op.pk, actor=deputy, reply_text="已解决")
    services.assignment_sign(assignment_id=part.pk, actor=unit)
    services.assignment_reply(assignment_id=part.pk, actor=unit, reply_text="已安排维修")
    op = services.opinion_answer(opinion_id=op.pk, actor=deputy, reply_text="单位已安排维修，一周内完成。")
    assert op.status == "replied" and op.on_time is True
    op = services.opinion_rate(opinion_id=op.pk, citizen=Citizen(op.pk), rating="unsatisfied", comment="还没修")
    assert op.status == "rehandling" and op.rehandle_count == 1
    assert Deadline.objects.filter(object_id=op.pk, policy__code="opinion_rehandle", state="open").exists()
    op = services.opinion_forward(opinion_id=op.pk, actor=deputy, unit_ids=[world.unit.pk], note="重新办理")
    part2 = Assignment.objects.get(opinion=op, round=2)
    services.assignment_sign(assignment_id=part2.pk, actor=unit)
    services.assignment_reply(assignment_id=part2.pk, actor=unit, reply_text="已修好")
    op = services.opinion_answer(opinion_id=op.pk, actor=deputy, reply_text="电梯已修好。")
    op = services.opinion_rate(opinion_id=op.pk, citizen=Citizen(op.pk), rating="satisfied")
    assert op.status == "closed" and op.current_due is None
    assert list(RatingRecord.objects.filter(opinion=op).values_list("rating", flat=True)) == [
        "unsatisfied", "satisfied"]
    assert events(op) == ["submit", "accept", "forward", "unit_replied", "answer", "rate_unsatisfied", "forward",
                          "unit_replied", "answer", "rate_satisfied"]


def test_second_unsatisfied_closes(world):
    deputy = as_role(world, "deputy")
    op = submit(world)
    services.opinion_accept(opinion_id=op.pk, actor=deputy)
    services.opinion_answer(opinion_id=op.pk, actor=deputy, reply_text="答复")
    services.opinion_rate(opinion_id=op.pk, citizen=Citizen(op.pk), rating="unsatisfied")
    services.opinion_answer(opinion_id=op.pk, actor=deputy, reply_text="再次答复")
    op = services.opinion_rate(opinion_id=op.pk, citizen=Citizen(op.pk), rating="unsatisfied")
    assert op.status == "closed" and op.rating == "unsatisfied"


def test_idempotent_submit(world):
    a = submit(world, key="k-1")
    b = submit(world, key="k-1")
    assert a.pk == b.pk and Opinion.objects.count() == 1


def test_other_deputy_and_citizen_cannot_act(world):
    op = submit(world)
    with pytest.raises(PermissionDenied):
        services.opinion_accept(opinion_id=op.pk, actor=as_role(world, "unit"))
    services.opinion_accept(opinion_id=op.pk, actor=as_role(world, "deputy"))
    services.opinion_answer(opinion_id=op.pk, actor=as_role(world, "deputy"), reply_text="答复")
    with pytest.raises(PermissionDenied):
        services.opinion_rate(opinion_id=op.pk, citizen=Citizen(op.pk + 1), rating="satisfied")


def test_stale_version_conflicts(world):
    op = submit(world)
    services.opinion_reassign(opinion_id=op.pk, actor=as_role(world, "staff"), deputy_id=world.deputy2.pk,
                              note="按选区改派", expected_version=0)
    with pytest.raises(ConflictError):
        services.opinion_accept(opinion_id=op.pk, actor=as_role(world, "staff"), expected_version=0)


def test_merge_then_both_replied(world):
    deputy = as_role(world, "deputy")
    staff = as_role(world, "staff")
    main, dup = submit(world), submit(world, phone="13833334444")
    services.opinion_merge(opinion_id=dup.pk, into_id=main.pk, actor=staff, note="同一部电梯")
    services.opinion_accept(opinion_id=main.pk, actor=deputy)
    services.opinion_answer(opinion_id=main.pk, actor=deputy, reply_text="已修好")
    dup.refresh_from_db()
    assert dup.status == "replied" and dup.reply_text == "已修好"
    dup = services.opinion_rate(opinion_id=dup.pk, citizen=Citizen(dup.pk), rating="basic")
    assert dup.status == "closed"


def test_return_and_reassign(world):
    deputy, unit, staff = as_role(world, "deputy"), as_role(world, "unit"), as_role(world, "staff")
    op = submit(world)
    services.opinion_accept(opinion_id=op.pk, actor=deputy)
    services.opinion_forward(opinion_id=op.pk, actor=deputy, unit_ids=[world.unit.pk])
    part = Assignment.objects.get(opinion=op)
    services.assignment_return(assignment_id=part.pk, actor=unit, reason="不属于本单位职责")
    new = services.assignment_reassign(assignment_id=part.pk, actor=staff, unit_id=world.other_unit.pk,
                                       note="改由教育局办理")
    part.refresh_from_db()
    assert part.status == "withdrawn" and part.return_reason == "不属于本单位职责"
    assert new.unit_id == world.other_unit.pk and new.status == "assigned"


def test_extend_moves_current_due(world):
    op = submit(world)
    before = op.current_due
    op = services.opinion_extend(opinion_id=op.pk, actor=as_role(world, "staff"), extra_days=3, reason="节前人手不足")
    assert op.current_due > before


def test_unrated_items_close_only_after_the_rating_period(world):
    import datetime

    deputy = as_role(world, "deputy")
    op = submit(world)
    services.opinion_accept(opinion_id=op.pk, actor=deputy)
    op = services.opinion_answer(opinion_id=op.pk, actor=deputy, reply_text="答复")
    day = op.replied_at.date()
    assert services.opinions_expire_unrated(today=day + datetime.timedelta(days=7), days=15) == 0
    assert Opinion.objects.get(pk=op.pk).status == "replied"
    assert services.opinions_expire_unrated(today=day + datetime.timedelta(days=40), days=15) == 1
    op = Opinion.objects.get(pk=op.pk)
    assert op.status == "closed" and op.rating == ""


def test_erase_contact_keeps_the_item(world):
    from renda.opinions.selectors import opinion_track

    op = submit(world)
    with pytest.raises(PermissionDenied):
        services.opinion_erase_contact(opinion_id=op.pk, actor=as_role(world, "deputy"), reason="本人要求")
    op = services.opinion_erase_contact(opinion_id=op.pk, actor=as_role(world, "staff"), reason="本人电话要求删除")
    op.refresh_from_db()
    assert (op.citizen_name, op.citizen_phone, op.status) == ("", "", "submitted")
    assert "erase_contact" in events(op)
    assert opinion_track(code=op.tracking_code) == op
