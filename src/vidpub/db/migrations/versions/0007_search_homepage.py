"""search homepage (issue 4)

The instance's custom homepage; the list index of the default order; full-text indexes of videos,
channels and playlists, kept in step with their tables by triggers (so that every write path, today's
and federation's, indexes what it writes):

- SQLite: FTS5 tables (`unicode61 remove_diacritics 2`: accent- and case-insensitive), rowid = the
  indexed row's id;
- PostgreSQL: one table per kind with a weighted `tsvector` (name A, tags or handle B, description C)
  and the folded name, GIN-indexed; accents folded by `vidpub_unaccent()`, the `unaccent` extension
  when it can be created, else our own `translate()`; a trigram index of names when `pg_trgm` can be
  created (fuzzy matching falls back to nothing without it).

These tables are not ORM models: `vidpub.db.migrate.include_object` keeps autogenerate off them.

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa
import vidpub.db.base

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

TOKENIZER = "unicode61 remove_diacritics 2"
# what `vidpub_unaccent_fallback` folds: Latin letters with diacritics (U+00C0-U+024F) to their base letter
ACCENTED = ("ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪī"
            "ĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨ"
            "ǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳØøĐđŁłĦħı")
UNACCENTED = ("AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIi"
              "IiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzOoUuAaIiOoUuUuUuUuUuAaAaGg"
              "KkOoOojGgNnAaAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAaEeOoOoOoOoYyOoDdLlHhi")
assert len(ACCENTED) == len(UNACCENTED)

# (table, key column, indexed table) of each full-text index
INDEXES = (("video_fts", "video_id", "video"), ("video_channel_fts", "channel_id", "video_channel"),
           ("video_playlist_fts", "playlist_id", "video_playlist"))


def upgrade() -> None:
    op.create_table('actor_custom_page',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_actor_custom_page_actor_id_actor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actor_custom_page')),
    sa.UniqueConstraint('actor_id', 'type', name=op.f('uq_actor_custom_page_actor_id_type'))
    )
    with op.batch_alter_table('video', schema=None) as batch_op:
        batch_op.create_index('ix_video_published_at_id', [sa.literal_column('published_at').desc(), 'id'], unique=False)

    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        _sqlite_full_text(bind)
    else:
        _postgresql_full_text(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        for trigger in _SQLITE_TRIGGERS:
            bind.exec_driver_sql(f'DROP TRIGGER IF EXISTS {trigger}')
        for table, _key, _watched in INDEXES:
            bind.exec_driver_sql(f'DROP TABLE IF EXISTS {table}')
    else:
        bind.exec_driver_sql('DROP TRIGGER IF EXISTS video_tag_fts_insert ON video_tag')
        bind.exec_driver_sql('DROP TRIGGER IF EXISTS video_tag_fts_delete ON video_tag')
        bind.exec_driver_sql('DROP FUNCTION IF EXISTS vidpub_video_tag_fts_trigger()')
        for table, _key, watched in INDEXES:
            bind.exec_driver_sql(f'DROP TRIGGER IF EXISTS {table}_sync ON {watched}')
            bind.exec_driver_sql(f'DROP FUNCTION IF EXISTS vidpub_{table}_trigger()')
            bind.exec_driver_sql(f'DROP FUNCTION IF EXISTS vidpub_{table}_refresh(integer)')
            bind.exec_driver_sql(f'DROP TABLE IF EXISTS {table}')
        bind.exec_driver_sql('DROP FUNCTION IF EXISTS vidpub_unaccent(text)')
        bind.exec_driver_sql('DROP FUNCTION IF EXISTS vidpub_unaccent_fallback(text)')
    with op.batch_alter_table('video', schema=None) as batch_op:
        batch_op.drop_index('ix_video_published_at_id')
    op.drop_table('actor_custom_page')


# -- SQLite: FTS5 ----------------------------------------------------------------------------------

_VIDEO_TAGS = ("(SELECT group_concat(tag.name, ' ') FROM video_tag JOIN tag ON tag.id = video_tag.tag_id "
               "WHERE video_tag.video_id = {id})")
_CHANNEL_HANDLE = "(SELECT preferred_username FROM actor WHERE actor.id = {actor_id})"

_SQLITE_TRIGGERS = {
    'video_fts_insert': f"""
        AFTER INSERT ON video BEGIN
            INSERT INTO video_fts (rowid, name, tags, description)
            VALUES (new.id, new.name, coalesce({_VIDEO_TAGS.format(id='new.id')}, ''), coalesce(new.description, ''));
        END""",
    'video_fts_update': """
        AFTER UPDATE OF name, description ON video BEGIN
            UPDATE video_fts SET name = new.name, description = coalesce(new.description, '') WHERE rowid = new.id;
        END""",
    'video_fts_delete': """
        AFTER DELETE ON video BEGIN
            DELETE FROM video_fts WHERE rowid = old.id;
        END""",
    'video_tag_fts_insert': f"""
        AFTER INSERT ON video_tag BEGIN
            UPDATE video_fts SET tags = coalesce({_VIDEO_TAGS.format(id='new.video_id')}, '')
            WHERE rowid = new.video_id;
        END""",
    'video_tag_fts_delete': f"""
        AFTER DELETE ON video_tag BEGIN
            UPDATE video_fts SET tags = coalesce({_VIDEO_TAGS.format(id='old.video_id')}, '')
            WHERE rowid = old.video_id;
        END""",
    'video_channel_fts_insert': f"""
        AFTER INSERT ON video_channel BEGIN
            INSERT INTO video_channel_fts (rowid, name, display_name, description)
            VALUES (new.id, coalesce({_CHANNEL_HANDLE.format(actor_id='new.actor_id')}, ''), new.name,
                    coalesce(new.description, ''));
        END""",
    'video_channel_fts_update': """
        AFTER UPDATE OF name, description ON video_channel BEGIN
            UPDATE video_channel_fts SET display_name = new.name, description = coalesce(new.description, '')
            WHERE rowid = new.id;
        END""",
    'video_channel_fts_delete': """
        AFTER DELETE ON video_channel BEGIN
            DELETE FROM video_channel_fts WHERE rowid = old.id;
        END""",
    'video_playlist_fts_insert': """
        AFTER INSERT ON video_playlist BEGIN
            INSERT INTO video_playlist_fts (rowid, name, description)
            VALUES (new.id, new.name, coalesce(new.description, ''));
        END""",
    'video_playlist_fts_update': """
        AFTER UPDATE OF name, description ON video_playlist BEGIN
            UPDATE video_playlist_fts SET name = new.name, description = coalesce(new.description, '')
            WHERE rowid = new.id;
        END""",
    'video_playlist_fts_delete': """
        AFTER DELETE ON video_playlist BEGIN
            DELETE FROM video_playlist_fts WHERE rowid = old.id;
        END""",
}


def _sqlite_full_text(bind) -> None:
    bind.exec_driver_sql(f"CREATE VIRTUAL TABLE video_fts USING fts5(name, tags, description, tokenize = '{TOKENIZER}')")
    bind.exec_driver_sql(f"CREATE VIRTUAL TABLE video_channel_fts USING fts5(name, display_name, description, "
                         f"tokenize = '{TOKENIZER}')")
    bind.exec_driver_sql(f"CREATE VIRTUAL TABLE video_playlist_fts USING fts5(name, description, "
                         f"tokenize = '{TOKENIZER}')")
    for name, body in _SQLITE_TRIGGERS.items():
        bind.exec_driver_sql(f"CREATE TRIGGER {name} {body}")
    bind.exec_driver_sql(f"""
        INSERT INTO video_fts (rowid, name, tags, description)
        SELECT id, name, coalesce({_VIDEO_TAGS.format(id='video.id')}, ''), coalesce(description, '') FROM video""")
    bind.exec_driver_sql(f"""
        INSERT INTO video_channel_fts (rowid, name, display_name, description)
        SELECT id, coalesce({_CHANNEL_HANDLE.format(actor_id='video_channel.actor_id')}, ''), name,
               coalesce(description, '')
        FROM video_channel""")
    bind.exec_driver_sql("""
        INSERT INTO video_playlist_fts (rowid, name, description)
        SELECT id, name, coalesce(description, '') FROM video_playlist""")


# -- PostgreSQL: tsvector (+ pg_trgm) --------------------------------------------------------------

def _try_extension(bind, name: str) -> str | None:
    """Create the extension if possible (it needs the contrib package and, before PostgreSQL 13 or
    for untrusted extensions, a superuser); returns the schema it lives in, or None."""
    available = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = :name"), {"name": name}).first()
    if available is not None:
        savepoint = bind.begin_nested()
        try:
            bind.exec_driver_sql(f"CREATE EXTENSION IF NOT EXISTS {name}")
            savepoint.commit()
        except sa.exc.DBAPIError:
            savepoint.rollback()
    row = bind.execute(sa.text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = :name"), {"name": name}).first()
    return row[0] if row else None


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _postgresql_full_text(bind) -> None:
    unaccent_schema = _try_extension(bind, "unaccent")
    trigram_schema = _try_extension(bind, "pg_trgm")
    accented, plain = ACCENTED.replace("'", "''"), UNACCENTED.replace("'", "''")
    bind.exec_driver_sql(f"""
        CREATE FUNCTION vidpub_unaccent_fallback(text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT translate($1, '{accented}', '{plain}') $$""")
    if unaccent_schema is not None:
        schema = _quoted(unaccent_schema)
        body = f"SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1)"
    else:
        body = "SELECT vidpub_unaccent_fallback($1)"
    bind.exec_driver_sql(f"""
        CREATE FUNCTION vidpub_unaccent(text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ {body} $$""")

    for table, key, watched in INDEXES:
        bind.exec_driver_sql(f"""
            CREATE TABLE {table} (
                {key} integer NOT NULL PRIMARY KEY REFERENCES {watched} (id) ON DELETE CASCADE,
                name text NOT NULL,
                document tsvector NOT NULL
            )""")
        bind.exec_driver_sql(f"CREATE INDEX ix_{table}_document ON {table} USING gin (document)")
        if trigram_schema is not None:
            operators = f"{_quoted(trigram_schema)}.gin_trgm_ops"
            bind.exec_driver_sql(f"CREATE INDEX ix_{table}_name_trgm ON {table} USING gin (name {operators})")

    def document(*weighted: tuple[str, str]) -> str:
        return " || ".join(f"setweight(to_tsvector('simple', vidpub_unaccent(coalesce({expression}, ''))), '{weight}')"
                           for expression, weight in weighted)

    tags = ("(SELECT string_agg(tag.name, ' ') FROM video_tag JOIN tag ON tag.id = video_tag.tag_id "
            "WHERE video_tag.video_id = video.id)")
    refreshes = {
        "video_fts": ("video_id", "video", "lower(vidpub_unaccent(video.name))",
                      document(("video.name", "A"), (tags, "B"), ("left(video.description, 20000)", "C")), ""),
        "video_channel_fts": ("channel_id", "video_channel",
                              "lower(vidpub_unaccent(video_channel.name || ' ' || actor.preferred_username))",
                              document(("video_channel.name", "A"), ("actor.preferred_username", "A"),
                                       ("left(video_channel.description, 20000)", "C")),
                              "JOIN actor ON actor.id = video_channel.actor_id"),
        "video_playlist_fts": ("playlist_id", "video_playlist", "lower(vidpub_unaccent(video_playlist.name))",
                               document(("video_playlist.name", "A"), ("left(video_playlist.description, 20000)", "C")),
                               ""),
    }
    for table, (key, watched, name, vector, join) in refreshes.items():
        bind.exec_driver_sql(f"""
            CREATE FUNCTION vidpub_{table}_refresh(target integer) RETURNS void LANGUAGE sql AS $$
                INSERT INTO {table} ({key}, name, document)
                SELECT {watched}.id, {name}, {vector} FROM {watched} {join} WHERE {watched}.id = target
                ON CONFLICT ({key}) DO UPDATE SET name = excluded.name, document = excluded.document
            $$""")
        bind.exec_driver_sql(f"""
            CREATE FUNCTION vidpub_{table}_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM vidpub_{table}_refresh(NEW.id);
                RETURN NULL;
            END $$""")
        bind.exec_driver_sql(f"""
            CREATE TRIGGER {table}_sync AFTER INSERT OR UPDATE OF name, description ON {watched}
            FOR EACH ROW EXECUTE FUNCTION vidpub_{table}_trigger()""")
        bind.exec_driver_sql(f"SELECT vidpub_{table}_refresh(id) FROM {watched}")

    # a video's tags live in video_tag; statement triggers refresh each video once per statement
    # (a video's tags are replaced by one DELETE and one INSERT, a bulk import inserts thousands)
    bind.exec_driver_sql("""
        CREATE FUNCTION vidpub_video_tag_fts_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                PERFORM vidpub_video_fts_refresh(changed.video_id) FROM (SELECT DISTINCT video_id FROM old_rows) AS changed;
            ELSE
                PERFORM vidpub_video_fts_refresh(changed.video_id) FROM (SELECT DISTINCT video_id FROM new_rows) AS changed;
            END IF;
            RETURN NULL;
        END $$""")
    bind.exec_driver_sql("""
        CREATE TRIGGER video_tag_fts_insert AFTER INSERT ON video_tag REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION vidpub_video_tag_fts_trigger()""")
    bind.exec_driver_sql("""
        CREATE TRIGGER video_tag_fts_delete AFTER DELETE ON video_tag REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION vidpub_video_tag_fts_trigger()""")
