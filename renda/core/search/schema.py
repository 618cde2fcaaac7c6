"""Backend-specific full-text DDL, run by migration 0002 for the backend in use.

Kept out of the migration file so that a later migration which rebuilds the
`search_searchdocument` table on SQLite (Django does that for most AlterField/AddField) can
call `sqlite_install` again: dropping the old table drops its triggers. Every statement is
idempotent, and the FTS5 'rebuild' re-reads the content table, so running it twice is safe.
"""

TABLE = "search_searchdocument"
FTS_TABLE = "search_fts"
VECTOR_COLUMN = "search_vector"

# unicode61, not trigram: the trigram tokenizer cannot match a query shorter than three
# characters, so 电梯 or 小区 would silently find nothing. Tokens are pre-segmented and
# space-joined, unicode61 only has to split on the spaces. Diacritics are kept, as
# PostgreSQL's 'simple' configuration does, so both backends agree.
SQLITE_INSTALL = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        tokens, content='{TABLE}', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    f"""CREATE TRIGGER IF NOT EXISTS search_document_fts_insert AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, tokens) VALUES (new.id, new.tokens);
    END""",
    # An external-content FTS5 table must be told the old tokens to delete them.
    f"""CREATE TRIGGER IF NOT EXISTS search_document_fts_delete AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, tokens) VALUES ('delete', old.id, old.tokens);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS search_document_fts_update
        AFTER UPDATE OF tokens ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, tokens) VALUES ('delete', old.id, old.tokens);
        INSERT INTO {FTS_TABLE}(rowid, tokens) VALUES (new.id, new.tokens);
    END""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_TRIGGERS = [
    "search_document_fts_insert",
    "search_document_fts_delete",
    "search_document_fts_update",
]
SQLITE_UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

# pg_trgm is a trusted extension (PostgreSQL >= 13): the database owner may create it.
# The title index is on UPPER(title::text) because that is the expression Django writes for
# `title__icontains`; an index on plain `title` would not be used by it.
POSTGRESQL_INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"""ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {VECTOR_COLUMN} tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED""",
    f"CREATE INDEX IF NOT EXISTS search_document_vector_gin ON {TABLE} USING gin ({VECTOR_COLUMN})",
    f"""CREATE INDEX IF NOT EXISTS search_document_title_trgm ON {TABLE}
        USING gin ((UPPER(title::text)) gin_trgm_ops)""",
]
# The extension stays: other apps may use it.
POSTGRESQL_UNINSTALL = [
    "DROP INDEX IF EXISTS search_document_title_trgm",
    "DROP INDEX IF EXISTS search_document_vector_gin",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {VECTOR_COLUMN}",
]


def _run(schema_editor, statements: list[str]) -> None:
    for statement in statements:
        schema_editor.execute(statement, params=None)


def sqlite_install(schema_editor) -> None:
    _run(schema_editor, SQLITE_INSTALL)


def install(schema_editor) -> None:
    """Create the full-text structures for the connection's backend (no-op on others)."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_INSTALL)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_INSTALL)


def uninstall(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_UNINSTALL)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_UNINSTALL)
