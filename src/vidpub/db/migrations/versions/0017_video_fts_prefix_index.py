"""prefix index of the videos' full-text index (SQLite)

A search's last word also matches as a prefix. FTS5 answers a prefix query by merging, up front, the
rows of every word that starts with it: for a letter or two that is most of the catalogue, in one step
that nothing can interrupt (measured on 100,000 videos: `"the" "s"*` spent 57 ms in it, of 120 ms).
With prefixes of one, two and three characters indexed (`prefix='1 2 3'`), such a prefix reads like a
word: the longest uninterrupted step 2.9 ms, the query 67 ms. Reads of SQLite run in the event loop's
thread until they use INLINE_READ_BUDGET_S (db/sqlite_driver.py), so this bounds how long a search
can hold the loop. The index grows about threefold (19 -> 60 MB for 100,000 videos).

The FTS5 table is built again, same columns and tokenizer, from the videos (as migration 0007 did);
0007's triggers name it and keep it up to date. PostgreSQL: nothing (its prefix searches go through the
vocabulary of migration 0016).

Revision ID: 0017
Revises: 0016
"""
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

TOKENIZER = "unicode61 remove_diacritics 2"
_VIDEO_TAGS = ("(SELECT group_concat(tag.name, ' ') FROM video_tag JOIN tag ON tag.id = video_tag.tag_id "
               "WHERE video_tag.video_id = video.id)")


def _rebuild(bind, options: str) -> None:
    bind.exec_driver_sql("DROP TABLE video_fts")
    bind.exec_driver_sql(f"CREATE VIRTUAL TABLE video_fts USING fts5(name, tags, description, "
                         f"tokenize = '{TOKENIZER}'{options})")
    bind.exec_driver_sql(f"""
        INSERT INTO video_fts (rowid, name, tags, description)
        SELECT id, name, coalesce({_VIDEO_TAGS}, ''), coalesce(description, '') FROM video""")
    bind.exec_driver_sql("INSERT INTO video_fts (video_fts) VALUES ('optimize')")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        _rebuild(bind, ", prefix = '1 2 3'")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        _rebuild(bind, "")
