"""Which models are searchable, and how to turn one object into a title, a text and a congress."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

ERROR_NOT_REGISTERED = "%s is not registered for search"
ERROR_PK_NOT_INTEGER = "search indexes integer primary keys only; %s has a %s"


@dataclass(frozen=True)
class Registration:
    model: type[models.Model]
    title: Callable[[Any], str]
    text: Callable[[Any], str]
    congress: Callable[[Any], int | None] | None
    # What reindex and automatic indexing read (select_related, or a filter such as "not a
    # draft"); objects outside it are removed from the index. Defaults to all objects.
    queryset: Callable[[], models.QuerySet] | None

    def get_queryset(self) -> models.QuerySet:
        if self.queryset is not None:
            return self.queryset()
        return self.model._default_manager.all()

    def congress_id_of(self, obj) -> int | None:
        if self.congress is not None:
            value = self.congress(obj)
            return value.pk if isinstance(value, models.Model) else value
        return getattr(obj, "congress_id", None)


_registry: dict[type[models.Model], Registration] = {}


def add(registration: Registration) -> None:
    pk = registration.model._meta.pk
    if pk.is_relation:  # multi-table inheritance: the parent's key
        pk = pk.target_field
    if not isinstance(pk, models.IntegerField):
        raise ImproperlyConfigured(
            ERROR_PK_NOT_INTEGER % (registration.model._meta.label, type(pk).__name__)
        )
    _registry[registration.model] = registration


def discard(model: type[models.Model]) -> None:
    _registry.pop(model, None)


def get(model: type[models.Model]) -> Registration:
    try:
        return _registry[model]
    except KeyError:
        raise ImproperlyConfigured(ERROR_NOT_REGISTERED % model._meta.label) from None


def is_registered(model: type[models.Model]) -> bool:
    return model in _registry


def registered_models() -> list[type[models.Model]]:
    return list(_registry)
