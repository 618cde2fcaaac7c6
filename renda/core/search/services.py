"""Writes to the search index: registration, indexing one object, removing, reindexing.

Register a model once, in its app's `AppConfig.ready()` (see docs/search.md):

    from renda.core.search.services import register
    register(Suggestion, title=lambda s: s.title, text=lambda s: s.body,
             congress=lambda s: s.congress_id)

With `auto_index=True` (the default) every `save()` and `delete()` of that model updates the
index once the transaction commits. `QuerySet.update()`, `bulk_create()`, `bulk_update()`,
raw SQL and changes to related objects the text is built from send no signal: call
`index_object` for the objects concerned, or `reindex(model)` after a bulk write.
"""

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from . import registry
from .models import SearchDocument
from .schema import FTS_TABLE
from .segmentation import clean, index_tokens, scope_token

logger = logging.getLogger(__name__)

TITLE_MAX_LENGTH = SearchDocument._meta.get_field("title").max_length
_UPSERT_FIELDS = ["congress", "title", "tokens", "updated_at"]


def register(
    model: type[models.Model],
    *,
    title: Callable[[Any], str],
    text: Callable[[Any], str],
    congress: Callable[[Any], Any] | None = None,
    queryset: Callable[[], models.QuerySet] | None = None,
    auto_index: bool = True,
) -> None:
    """Make `model` searchable.

    title/text: callables taking an object and returning strings (both are indexed; the
    title is also stored for display and substring matching). congress: returns the
    congress (object or id) the object belongs to; defaults to `obj.congress_id` when the
    model has one. queryset: returns what `reindex` and automatic indexing read.
    """
    registry.add(
        registry.Registration(
            model=model, title=title, text=text, congress=congress, queryset=queryset
        )
    )
    if auto_index:
        connect_auto_index(model)


def unregister(model: type[models.Model]) -> None:
    disconnect_auto_index(model)
    registry.discard(model)


def _document(
    registration: registry.Registration, content_type: ContentType, obj, now
) -> SearchDocument:
    title = clean(str(registration.title(obj) or ""))[:TITLE_MAX_LENGTH]
    text = str(registration.text(obj) or "")
    congress_id = registration.congress_id_of(obj)
    tokens = index_tokens(f"{title}\n{text}")
    if congress_id is not None:
        tokens.append(scope_token(content_type.pk, congress_id))
    return SearchDocument(
        content_type=content_type,
        object_id=obj.pk,
        congress_id=congress_id,
        title=title,
        tokens=" ".join(tokens),
        updated_at=now,
    )


def _upsert(documents: list[SearchDocument]) -> None:
    # One INSERT … ON CONFLICT DO UPDATE: no read-then-write race between two saves of the
    # same object. On SQLite the UPDATE branch fires the trigger that refreshes FTS5.
    SearchDocument.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["content_type", "object_id"],
        update_fields=_UPSERT_FIELDS,
    )


def index_object(obj: models.Model) -> SearchDocument:
    """Index (or re-index) one object of a registered model, as given."""
    registration = registry.get(type(obj))
    document = _document(registration, ContentType.objects.get_for_model(obj), obj, timezone.now())
    _upsert([document])
    return document


def remove_object(obj: models.Model) -> int:
    """Remove one object from the index; returns how many index rows went (0 or 1)."""
    return _remove(ContentType.objects.get_for_model(obj).pk, obj.pk)


def _remove(content_type_id: int, object_id: int) -> int:
    documents = SearchDocument.objects.filter(content_type_id=content_type_id, object_id=object_id)
    deleted, _ = documents.delete()
    return deleted


def reindex(
    model: type[models.Model],
    *,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Rebuild the index of one registered model; returns how many objects were indexed.

    Reads the registration's queryset in primary-key order, one batch (and one
    transaction) at a time, so memory stays flat and a long run does not hold one huge
    write transaction; `progress(n)` is called after each batch. Index rows of objects no
    longer in the queryset are deleted at the end.
    """
    registration = registry.get(model)
    content_type = ContentType.objects.get_for_model(model)
    queryset = registration.get_queryset().order_by("pk")
    indexed = 0
    last_pk = None
    while True:
        page = queryset if last_pk is None else queryset.filter(pk__gt=last_pk)
        batch = list(page[:batch_size])
        if not batch:
            break
        now = timezone.now()
        documents = [_document(registration, content_type, obj, now) for obj in batch]
        with transaction.atomic():
            _upsert(documents)
        indexed += len(batch)
        last_pk = batch[-1].pk
        if progress is not None:
            progress(len(batch))
    SearchDocument.objects.filter(content_type=content_type).exclude(
        object_id__in=registration.get_queryset().values("pk")
    ).delete()
    return indexed


def fulltext_rebuild() -> None:
    """SQLite: rebuild the FTS5 index from `search_searchdocument` (repairs any drift).

    PostgreSQL needs nothing: `search_vector` is a generated column, always in step.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


# --- automatic indexing -------------------------------------------------------------------


def _index_later(model: type[models.Model], pk: int) -> None:
    if not registry.is_registered(model):
        return
    registration = registry.get(model)
    obj = registration.get_queryset().filter(pk=pk).first()
    if obj is None:
        _remove(ContentType.objects.get_for_model(model).pk, pk)
    else:
        index_object(obj)


def _on_save(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: fixtures are indexed by `search_reindex`, related rows may not exist yet
        return
    # On commit, and re-read then: the index never shows a rolled-back write, and the text
    # callables see the committed related rows. robust: a failing index update is logged,
    # it must not turn an already committed save into an error page.
    transaction.on_commit(
        partial(_index_later, sender, instance.pk), using=kwargs.get("using"), robust=True
    )


def _on_delete(sender, instance, **kwargs) -> None:
    content_type_id = ContentType.objects.get_for_model(sender).pk
    transaction.on_commit(
        partial(_remove, content_type_id, instance.pk), using=kwargs.get("using"), robust=True
    )


def _uid(model: type[models.Model], signal: str) -> str:
    return f"renda.search.{signal}.{model._meta.label_lower}"


def connect_auto_index(model: type[models.Model]) -> None:
    """Index on post_save and remove on post_delete of `model`, each after commit."""
    post_save.connect(_on_save, sender=model, dispatch_uid=_uid(model, "save"))
    post_delete.connect(_on_delete, sender=model, dispatch_uid=_uid(model, "delete"))


def disconnect_auto_index(model: type[models.Model]) -> None:
    post_save.disconnect(sender=model, dispatch_uid=_uid(model, "save"))
    post_delete.disconnect(sender=model, dispatch_uid=_uid(model, "delete"))
