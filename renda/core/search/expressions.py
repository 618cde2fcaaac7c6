"""ORM expressions for the parts of full-text search Django has no field for."""

from django.db.models import BooleanField, Expression, F, FloatField, Func

from .schema import VECTOR_COLUMN


class Unindexed(Func):
    """`+column` on SQLite: the same value, but the planner may not use an index for it.

    SQLite has no statistics unless someone runs ANALYZE, and it guesses that
    `content_type_id = ?` selects a few rows. It then walks every document of that type and
    probes FTS5 once per row instead of letting FTS5 drive the join: on 300,000 documents
    that was 10.9 s instead of 2 ms. Other backends get the plain column.
    """

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


class _VectorExpression(Expression):
    """An SQL template over PostgreSQL's `search_vector` column of SearchDocument.

    The column is created by migration, not declared on the model, so it is reached through
    the table alias of the resolved `tokens` column; that alias follows relabelling when the
    queryset is used as a subquery.
    """

    template = ""

    def __init__(self, tsquery: str, column=None, output_field=None):
        super().__init__(output_field=output_field)
        self.tsquery = tsquery
        self.column = column if column is not None else F("tokens")

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        identifiers = (self.column.alias, VECTOR_COLUMN) if self.column.alias else (VECTOR_COLUMN,)
        vector = ".".join(map(compiler.quote_name, identifiers))
        return self.template % {"vector": vector}, [self.tsquery]


class TsMatch(_VectorExpression):
    template = "%(vector)s @@ to_tsquery('simple'::regconfig, %%s)"

    def __init__(self, tsquery: str, column=None):
        super().__init__(tsquery, column, output_field=BooleanField())


class TsRank(_VectorExpression):
    # Normalisation 1 divides by 1 + log(document length), like bm25 favours focused texts.
    template = "ts_rank(%(vector)s, to_tsquery('simple'::regconfig, %%s), 1)"

    def __init__(self, tsquery: str, column=None):
        super().__init__(tsquery, column, output_field=FloatField())
