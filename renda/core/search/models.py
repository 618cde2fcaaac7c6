"""The search index: one row per indexed object, whatever its model.

The full-text structures are not Django fields, they are created by migration 0002 for
the backend in use (see schema.py and docs/search.md):

- SQLite: the FTS5 table `search_fts` (external content over `tokens`, kept in sync by
  triggers), read through the unmanaged model `FullTextEntry` below.
- PostgreSQL: the generated column `search_vector` (`to_tsvector('simple', tokens)`) with a
  GIN index, and a pg_trgm GIN index on the title.

Consequence: a later migration that alters this table must keep those in place. On SQLite
Django rebuilds an altered table, which drops the triggers: run
`schema.sqlite_install(schema_editor)` again after it. On PostgreSQL the type of `tokens`
cannot change while `search_vector` is generated from it.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Lookup
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    congress = models.ForeignKey(
        "org.Congress", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=255, blank=True)
    tokens = models.TextField(_("分词"), blank=True)
    updated_at = models.DateTimeField(_("索引时间"), auto_now=True)

    class Meta:
        verbose_name = _("检索索引")
        verbose_name_plural = _("检索索引")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="search_document_unique_object"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FullTextField(models.TextField):
    """The `tokens` column of the FTS5 table: supports `__fts5=<FTS5 query>` (SQLite only)."""


@FullTextField.register_lookup
class Fts5Match(Lookup):
    lookup_name = "fts5"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class FullTextEntry(models.Model):
    """The SQLite FTS5 table `search_fts`, so that a search is one ORM join.

    Its rowid is the SearchDocument id; `rank` is FTS5's hidden bm25 column (lower is
    better), only defined in a query that has a MATCH on this table. Never queried on
    PostgreSQL, where the table does not exist.
    """

    document = models.OneToOneField(
        SearchDocument,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        related_name="fulltext",
    )
    tokens = FullTextField()
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "search_fts"
        verbose_name = _("全文索引（SQLite）")

    def __str__(self) -> str:
        return str(self.pk)
