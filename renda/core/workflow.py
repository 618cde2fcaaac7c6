"""The workflow engine: transition tables as data, one event per transition.

A domain app declares its table once::

    DEPUTY_FLOW = Workflow(Deputy, transitions=[
        Transition("suspend", source=["active"], target="suspended", permission="deputies.change_status",
                   label=_("暂停代表资格"), needs_note=True),
        ...
    ])

and calls ``DEPUTY_FLOW.apply(obj_id=…, action="suspend", actor=user, note=…, expected_version=…)``.
The same table answers ``DEPUTY_FLOW.actions_for(obj, user)``, which drives the buttons a page shows,
so a button is shown exactly when the action would be accepted.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import rules
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from .models import Event

ERR_CONFLICT = _("该事项已被他人处理（状态已变化），请刷新后重试。")
ERR_NOT_ALLOWED_FROM_STATE = _("当前状态下不能执行此操作。")
ERR_UNKNOWN_ACTION = _("未知的操作。")
ERR_NOTE_REQUIRED = _("请填写理由。")


class WorkflowError(Exception):
    code = "workflow_error"

    def __init__(self, message, *, code: str | None = None):
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code


class ConflictError(WorkflowError):
    """Somebody else changed the item first: exactly one of two concurrent actions wins."""

    code = "conflict"


class InvalidTransition(WorkflowError):
    code = "invalid_transition"


@dataclass(frozen=True)
class Transition:
    action: str
    source: Sequence[str]
    target: str
    permission: str
    label: str
    style: str = "primary"
    needs_note: bool = False
    # A personal act (a deputy submitting their own suggestion): only the permission's rule itself
    # decides, so a superuser or another backend cannot do it on the person's behalf.
    personal: bool = False


@dataclass(frozen=True)
class SystemActor:
    """The actor of automatic steps (an item following its main item, closing when all have rated).

    It holds exactly the permissions it is built with, so ``Workflow.apply`` checks it like anybody;
    its events carry ``actor_role="system"`` and no user.
    """

    permissions: frozenset[str]
    pk = None
    active_role = "system"
    is_authenticated = False

    def has_perm(self, perm: str, obj=None) -> bool:
        return perm in self.permissions


@dataclass(frozen=True)
class TimelineEntry:
    event: Event
    action_label: str
    from_label: str
    to_label: str
    subject: str = ""  # whose entry it is, on a timeline that mixes an item's parts (a unit's name)


SideEffect = Callable[[models.Model, Transition, Event], None]


@dataclass
class Workflow:
    model: type[models.Model]
    transitions: list[Transition]
    state_field: str = "status"
    on_transition: list[SideEffect] = field(default_factory=list)
    # Labels for events that are not transitions of this table (an import, a deadline change).
    event_labels: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self._by_action = {t.action: t for t in self.transitions}
        if len(self._by_action) != len(self.transitions):
            raise ValueError("duplicate action in transition table")

    # --- reading the table -----------------------------------------------------------
    def transition(self, action: str) -> Transition:
        try:
            return self._by_action[action]
        except KeyError:
            raise InvalidTransition(ERR_UNKNOWN_ACTION, code="unknown_action") from None

    def states(self) -> set[str]:
        out: set[str] = set()
        for t in self.transitions:
            out.update(t.source)
            out.add(t.target)
        return out

    def actions_for(self, obj: models.Model, user) -> list[Transition]:
        """The actions this user may take on this object now (drives the buttons)."""
        state = getattr(obj, self.state_field)
        return [t for t in self.transitions if state in t.source and self.permits(t, user, obj)]

    def permits(self, t: Transition | str, user, obj: models.Model) -> bool:
        """May this actor take the transition on this object (its state aside)? The one test that
        apply() and actions_for() make, for a service that must refuse before its own checks."""
        t = self.transition(t) if isinstance(t, str) else t
        return has_permission(user, t.permission, obj, personal=t.personal)

    def timeline(self, obj: models.Model, *, events=None) -> list["TimelineEntry"]:
        """The item's events with Chinese labels for actions and states, oldest first.

        events: other events of this table's model to label instead (e.g. all the parts of one item,
        read in one query)."""
        choices = dict(self.model._meta.get_field(self.state_field).flatchoices)
        out = []
        for e in events_for(obj) if events is None else events:
            t = self._by_action.get(e.action)
            out.append(TimelineEntry(
                event=e,
                action_label=str(t.label) if t else str(self.event_labels.get(e.action, e.action)),
                from_label=str(choices.get(e.from_state, e.from_state)),
                to_label=str(choices.get(e.to_state, e.to_state)),
            ))
        return out

    # --- changing state ------------------------------------------------------------------
    def apply(
        self,
        *,
        obj_id: int,
        action: str,
        actor,
        note: str = "",
        expected_version: int | None = None,
        extra_updates: dict | None = None,
        queryset: models.QuerySet | None = None,
    ) -> models.Model:
        """Apply one transition atomically and append its event.

        Invariants: the row is locked (select_for_update; on SQLite the IMMEDIATE transaction
        serialises writers), the source state is checked against the table, the permission is
        checked with the explicit actor (by the rule alone for a personal transition), the status is
        written with update_fields, and exactly one Event row is written in the same transaction.
        Side effects run on commit.
        """
        t = self.transition(action)
        if t.needs_note and not (note or "").strip():
            raise InvalidTransition(ERR_NOTE_REQUIRED, code="note_required")
        with transaction.atomic():
            qs = queryset if queryset is not None else self.model._default_manager.all()
            obj = qs.select_for_update().get(pk=obj_id)
            state = getattr(obj, self.state_field)
            if expected_version is not None and getattr(obj, "version", None) != expected_version:
                raise ConflictError(ERR_CONFLICT)
            if state not in t.source:
                # The usual cause is a concurrent action that already moved the item on.
                raise ConflictError(ERR_NOT_ALLOWED_FROM_STATE, code="invalid_state")
            if not self.permits(t, actor, obj):
                raise PermissionDenied
            setattr(obj, self.state_field, t.target)
            update_fields = [self.state_field]
            if hasattr(obj, "version"):
                obj.version = (obj.version or 0) + 1
                update_fields.append("version")
            for name, value in (extra_updates or {}).items():
                setattr(obj, name, value)
                update_fields.append(name)
            obj.save(update_fields=update_fields)
            event = Event.objects.create(
                congress_id=getattr(obj, "congress_id", None),
                content_type=ContentType.objects.get_for_model(self.model),
                object_id=obj.pk,
                action=t.action,
                from_state=state,
                to_state=t.target,
                actor=actor if getattr(actor, "pk", None) else None,
                actor_role=getattr(actor, "active_role", "") or "",
                note=note or "",
            )
            for effect in self.on_transition:
                transaction.on_commit(lambda effect=effect: effect(obj, t, event))
        return obj


def has_permission(user, permission: str, obj=None, *, personal: bool = False) -> bool:
    """The permission test of the workflow, also for a domain's writes that are not transitions.

    personal: test the named rule itself (``rules.has_perm``) instead of ``user.has_perm``, which
    lets a superuser (and any other authentication backend) through: acts that are a person's own,
    like submitting one's suggestion, are not delegable."""
    if personal:
        return rules.has_perm(permission, user, obj)
    return user.has_perm(permission, obj)


def events_for(obj: models.Model) -> models.QuerySet:
    """The timeline of one item, oldest first."""
    return (
        Event.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
        .select_related("actor")
        .order_by("id")
    )


def record_event(*, obj: models.Model, action: str, actor=None, note: str = "", from_state: str = "",
                 to_state: str = "") -> Event:
    """An event for a change that is not a status transition (an import, an edit of a deadline)."""
    return Event.objects.create(
        congress_id=getattr(obj, "congress_id", None),
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_role=getattr(actor, "active_role", "") or "",
        note=note,
    )


def state_labels(choices: Iterable[tuple[str, str]]) -> dict[str, str]:
    return dict(choices)
