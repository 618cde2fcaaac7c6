"""A co-signature's and an extension request's status change only through their transition tables
(SIGNER_FLOW, EXTENSION_FLOW): each change is one event on the row, with the actor."""

import pytest
from django.core.exceptions import PermissionDenied

from renda.core.workflow import ConflictError, events_for
from renda.suggestions import services
from renda.suggestions.models import Extension, Signer
from renda.suggestions.world import act, draft, parts, to_assigned

pytestmark = pytest.mark.django_db


def _invited(world):
    s = draft(world)
    services.signer_invite(actor=act(world, "deputy"), suggestion_id=s.pk, deputy_ids=[world.deputy2.pk])
    return s, Signer.objects.get(suggestion=s, deputy=world.deputy2)


@pytest.mark.parametrize(("confirm", "action", "status"), [(True, "cosign", "confirmed"),
                                                          (False, "cosign_decline", "declined")])
def test_answering_an_invitation_is_a_transition_of_the_signature(world, confirm, action, status):
    s, signer = _invited(world)
    services.signer_respond(actor=act(world, "deputy2"), suggestion_id=s.pk, confirm=confirm)
    signer.refresh_from_db()
    assert signer.status == status and signer.responded_at is not None
    (ev,) = events_for(signer)
    assert (ev.action, ev.from_state, ev.to_state, ev.actor, ev.congress_id) == (
        action, "invited", status, world.users["deputy2"], s.congress_id)
    assert events_for(s).filter(action=action).count() == 1  # the suggestion's timeline entry


def test_nobody_answers_an_invitation_for_the_invited_deputy(world):
    s, signer = _invited(world)
    for role in ("admin", "deputy", "staff"):
        with pytest.raises(PermissionDenied):
            services.signer_respond(actor=act(world, role), suggestion_id=s.pk, confirm=True)
    signer.refresh_from_db()
    assert signer.status == "invited" and not events_for(signer).exists()


def _requested(world):
    s = to_assigned(world, co=False)
    lead, _ = parts(s)
    return lead, services.extension_request(actor=act(world, "unit"), assignment_id=lead.pk, months=1,
                                            reason="需协调市财政安排资金")


@pytest.mark.parametrize(("approve", "action", "status"), [(True, "approve", "approved"),
                                                          (False, "reject", "rejected")])
def test_deciding_an_extension_is_a_transition_of_the_request(world, approve, action, status):
    lead, ext = _requested(world)
    services.extension_decide(actor=act(world, "staff"), extension_id=ext.pk, approve=approve,
                              note="" if approve else "理由不充分")
    ext.refresh_from_db()
    assert ext.status == status and ext.decided_by == world.users["staff"]
    (ev,) = events_for(ext)
    assert (ev.action, ev.from_state, ev.to_state, ev.actor, ev.congress_id) == (
        action, "requested", status, world.users["staff"], lead.congress_id)


def test_an_extension_is_decided_once_and_only_by_the_office(world):
    lead, ext = _requested(world)
    with pytest.raises(PermissionDenied):
        services.extension_decide(actor=act(world, "unit"), extension_id=ext.pk, approve=True)
    services.extension_decide(actor=act(world, "staff"), extension_id=ext.pk, approve=True)
    with pytest.raises(ConflictError):
        services.extension_decide(actor=act(world, "staff"), extension_id=ext.pk, approve=False, note="再议")
    assert Extension.objects.get(pk=ext.pk).status == "approved" and events_for(ext).count() == 1
