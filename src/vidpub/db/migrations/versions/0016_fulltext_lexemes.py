"""full-text vocabulary (PostgreSQL): every lexeme of the full-text indexes, for prefix searches

A search's last word also matches as a prefix (`sun` finds "sunset"). In a GIN index a prefix query
(`sun:*`) gathers the rows of every matching lexeme into a bitmap before intersecting it with the other
words: measured on 100,000 videos, `ocean & sunset:*` took 1.8 ms in the index where `ocean & sunset`
took 0.6 ms. With the vocabulary the search turns the prefix into the few lexemes it stands for
(`ocean & (sunset | sunsets)`), which the index intersects directly (services/search/fulltext.py).

Triggers on the three full-text tables add the lexemes of every document written, in the same
transaction, so the vocabulary always holds every indexed lexeme. Lexemes are never removed: one no
document holds any more only expands a prefix into a word that matches nothing. They are inserted in
order, so two transactions adding the same new words wait for each other instead of deadlocking.

SQLite: nothing (an FTS5 prefix query costs about the same as a word).

Revision ID: 0016
Revises: 0015
"""
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

FULL_TEXT_TABLES = ("video_fts", "video_channel_fts", "video_playlist_fts")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    # byte order (C collation): a prefix is then a range of the primary key's index
    bind.exec_driver_sql('CREATE TABLE fulltext_lexeme (lexeme text COLLATE "C" NOT NULL PRIMARY KEY)')
    bind.exec_driver_sql("""
        CREATE FUNCTION vidpub_fulltext_lexeme_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' THEN
                INSERT INTO fulltext_lexeme (lexeme)
                SELECT lexeme FROM unnest(tsvector_to_array(NEW.document)) AS lexeme
                EXCEPT SELECT unnest(tsvector_to_array(OLD.document))
                ORDER BY 1 ON CONFLICT DO NOTHING;
            ELSE
                INSERT INTO fulltext_lexeme (lexeme)
                SELECT lexeme FROM unnest(tsvector_to_array(NEW.document)) AS lexeme
                ORDER BY 1 ON CONFLICT DO NOTHING;
            END IF;
            RETURN NULL;
        END $$""")
    for table in FULL_TEXT_TABLES:
        bind.exec_driver_sql(f"""
            CREATE TRIGGER {table}_lexemes AFTER INSERT OR UPDATE OF document ON {table}
            FOR EACH ROW EXECUTE FUNCTION vidpub_fulltext_lexeme_trigger()""")
    documents = " UNION ".join(f"SELECT unnest(tsvector_to_array(document)) FROM {table}" for table in FULL_TEXT_TABLES)
    bind.exec_driver_sql(f"INSERT INTO fulltext_lexeme (lexeme) {documents}")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    for table in FULL_TEXT_TABLES:
        bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_lexemes ON {table}")
    bind.exec_driver_sql("DROP FUNCTION IF EXISTS vidpub_fulltext_lexeme_trigger()")
    bind.exec_driver_sql("DROP TABLE IF EXISTS fulltext_lexeme")
