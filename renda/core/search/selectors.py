"""Reads from the search index.

`search` answers "which objects match" across models; `search_queryset` narrows a queryset
the caller has already scoped to what the user may see, so search never widens access.

Ranking (higher is better): SQLite's bm25 (negated) or PostgreSQL's ts_rank, plus
TITLE_BOOST when the title contains the query as typed, so title hits come first.
"""

import math
from collections.abc import Iterable
from dataclasses import replace
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router
from django.db.models import Case, F, FloatField, IntegerField, OuterRef, Q, Subquery, Value, When

from .expressions import TsMatch, TsRank, Unindexed
from .models import SearchDocument
from .segmentation import ParsedQuery, Term, keywords, parse_query, scope_token

TITLE_BOOST = 1000.0
# pg_trgm cannot use its index for a pattern shorter than three characters.
TRIGRAM_MIN_CHARS = 3
MAX_LIMIT = 1000
# similar_ids reads at most this many matches of each keyword.
SIMILAR_PER_TERM = 500

ERROR_WRONG_QUERYSET = "search_queryset: the queryset is of %s, not %s"
ERROR_BACKEND = "search supports SQLite and PostgreSQL, not %s"


class SearchHit(NamedTuple):
    content_type_id: int
    object_id: int
    rank: float


def _vendor() -> str:
    return connections[router.db_for_read(SearchDocument)].vendor


def _matches(parsed: ParsedQuery) -> models.QuerySet[SearchDocument]:
    """Documents matching the query, unranked (the full-text index alone drives it)."""
    vendor = _vendor()
    if vendor == "sqlite":
        return SearchDocument.objects.filter(fulltext__tokens__fts5=parsed.fts5())
    if vendor == "postgresql":
        condition = Q(TsMatch(parsed.tsquery()))
        if len(parsed.phrase) >= TRIGRAM_MIN_CHARS:
            # Substring search in titles through the pg_trgm index (a part of a latin word,
            # say). SQLite has no index for that, so it finds tokens only.
            condition |= Q(title__icontains=parsed.phrase)
        return SearchDocument.objects.filter(condition)
    raise ImproperlyConfigured(ERROR_BACKEND % vendor)


def _matching_documents(parsed: ParsedQuery) -> models.QuerySet[SearchDocument]:
    """Documents matching every term, annotated with `search_rank`."""
    documents = _matches(parsed)
    if _vendor() == "sqlite":
        documents = documents.annotate(text_rank=-F("fulltext__rank"))
    else:
        documents = documents.annotate(text_rank=TsRank(parsed.tsquery()))
    title_hit = Value(0.0)
    if parsed.phrase:
        title_hit = Case(
            When(title__icontains=parsed.phrase, then=Value(TITLE_BOOST)), default=Value(0.0)
        )
    return documents.annotate(search_rank=F("text_rank") + title_hit)


def _scoped(
    documents: models.QuerySet[SearchDocument],
    *,
    content_type_id: int | None,
    congress_ids: Iterable[int] | models.QuerySet | None,
) -> models.QuerySet[SearchDocument]:
    # Unindexed: the full-text index must drive the query, see expressions.Unindexed.
    if content_type_id is not None:
        documents = documents.alias(
            _content_type=Unindexed("content_type_id", output_field=IntegerField())
        ).filter(_content_type=content_type_id)
    if congress_ids is not None:
        if not isinstance(congress_ids, models.QuerySet):
            congress_ids = [int(pk) for pk in congress_ids]
        documents = documents.alias(
            _congress=Unindexed("congress_id", output_field=IntegerField())
        ).filter(_congress__in=congress_ids)
    return documents


def search(
    query: str,
    *,
    model: type[models.Model] | None = None,
    congress_ids: Iterable[int] | models.QuerySet | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[SearchHit]:
    """Best matches first, as (content_type_id, object_id, rank).

    model: only objects of that model. congress_ids: only documents of those congresses
    (documents without a congress are then left out); None means no congress filter.
    An empty or unsearchable query (only punctuation, emoji…) gives no results.
    """
    parsed = parse_query(query)
    limit = max(0, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    if parsed is None or limit == 0:
        return []
    content_type_id = ContentType.objects.get_for_model(model).pk if model is not None else None
    documents = _scoped(
        _matching_documents(parsed), content_type_id=content_type_id, congress_ids=congress_ids
    )
    rows = documents.order_by("-search_rank", "-id").values_list(
        "content_type_id", "object_id", "search_rank"
    )
    return [SearchHit(*row) for row in rows[offset : offset + limit]]


def search_queryset(
    model: type[models.Model],
    query: str,
    base_qs: models.QuerySet,
    *,
    congress_ids: Iterable[int] | None = None,
    ranked: bool = True,
) -> models.QuerySet:
    """`base_qs` narrowed to the objects matching `query`, best first, with `search_rank`.

    The caller scopes `base_qs` to what the user may see; this only filters it further, so
    permission scoping, select_related and the like are kept. Empty query: no objects.

    congress_ids: the caller's scope is within these congresses; the full-text index then
    narrows by congress itself (scope tokens), so a common word's matches in other congresses
    are never read. ranked=False: no `search_rank` and no ordering (the caller orders, e.g.
    newest first with keyset pagination), which spares ranking every match.
    """
    if base_qs.model._meta.concrete_model is not model._meta.concrete_model:
        raise ImproperlyConfigured(
            ERROR_WRONG_QUERYSET % (base_qs.model._meta.label, model._meta.label)
        )
    parsed = parse_query(query)
    if parsed is None:
        return base_qs.none()
    content_type_id = ContentType.objects.get_for_model(model).pk
    if congress_ids is not None:
        scopes = tuple(scope_token(content_type_id, pk) for pk in sorted({int(pk) for pk in congress_ids}))
        if not scopes:
            return base_qs.none()
        parsed = replace(parsed, scopes=scopes)
    matching = _scoped(
        _matching_documents(parsed), content_type_id=content_type_id, congress_ids=None
    )
    narrowed = base_qs.filter(pk__in=matching.values("object_id"))
    if not ranked:
        return narrowed
    # Correlated per row, through the (content_type, object_id) unique index: only rows that
    # already passed the caller's filters and the match are ranked.
    rank = (
        _matching_documents(parsed)
        .filter(content_type_id=content_type_id, object_id=OuterRef("pk"))
        .values("search_rank")[:1]
    )
    return narrowed.annotate(search_rank=Subquery(rank, output_field=FloatField())).order_by(
        "-search_rank", "-pk"
    )


def similar_ids(
    text: str,
    *,
    model: type[models.Model],
    congress_ids: Iterable[int],
    limit: int = 20,
    per_term: int = SIMILAR_PER_TERM,
) -> list[int]:
    """Ids of `model` objects in these congresses that share the most, and the rarest, of `text`'s
    keywords, best first (ties: newest first): the candidates of a "similar items" list.

    One unranked match per keyword inside the congresses' scope, each read up to `per_term` ids;
    a keyword weighs log(1 + per_term / its matches), so a word found in few documents counts for
    much and a word found in more than `per_term` for little. Ranking every match of the ORed
    keywords in the database instead read the whole index of a common word (社区: half a million
    opinions and suggestions), 26 ms a lookup; this reads only the scope's matches
    (docs/performance.md, issue 4).
    """
    words = keywords(text)
    content_type_id = ContentType.objects.get_for_model(model).pk
    scopes = tuple(scope_token(content_type_id, pk) for pk in sorted({int(pk) for pk in congress_ids}))
    if not words or not scopes:
        return []
    scores: dict[int, float] = {}
    for word in words:
        parsed = ParsedQuery(terms=(Term(word),), phrase="", scopes=scopes)
        ids = list(_matches(parsed).values_list("object_id", flat=True)[:per_term])
        if not ids:
            continue
        weight = math.log(1 + per_term / len(ids))
        for pk in ids:
            scores[pk] = scores.get(pk, 0.0) + weight
    ranked = sorted(scores, key=lambda pk: (-scores[pk], -pk))
    return ranked[: max(0, min(int(limit), MAX_LIMIT))]
