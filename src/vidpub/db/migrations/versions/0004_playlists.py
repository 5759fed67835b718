"""playlists (issue 4)

Revision ID: 0004
Revises: 0003
"""
import uuid
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa
import vidpub.db.base

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

WATCH_LATER_NAME = 'Watch later'
WATCH_LATER_TYPE = 2
PRIVATE = 3


def upgrade() -> None:
    op.create_table('video_playlist',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('privacy', sa.SmallInteger(), nullable=False),
    sa.Column('type', sa.SmallInteger(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('owner_account_id', sa.Integer(), nullable=False),
    sa.Column('video_channel_id', sa.Integer(), nullable=True),
    sa.Column('video_channel_position', sa.Integer(), nullable=True),
    sa.Column('thumbnail_filename', sa.String(length=255), nullable=True),
    sa.Column('thumbnail_width', sa.Integer(), nullable=True),
    sa.Column('thumbnail_height', sa.Integer(), nullable=True),
    sa.Column('thumbnail_generated', sa.Boolean(), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_account_id'], ['account.id'], name=op.f('fk_video_playlist_owner_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['video_channel_id'], ['video_channel.id'], name=op.f('fk_video_playlist_video_channel_id_video_channel'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_playlist')),
    sa.UniqueConstraint('thumbnail_filename', name=op.f('uq_video_playlist_thumbnail_filename')),
    sa.UniqueConstraint('url', name=op.f('uq_video_playlist_url')),
    sa.UniqueConstraint('uuid', name=op.f('uq_video_playlist_uuid')),
    sa.UniqueConstraint('video_channel_id', 'video_channel_position', name=op.f('uq_video_playlist_video_channel_id_video_channel_position'))
    )
    with op.batch_alter_table('video_playlist', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_video_playlist_owner_account_id'), ['owner_account_id'], unique=False)
        batch_op.create_index('ix_video_playlist_privacy_created_at', ['privacy', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_video_playlist_video_channel_id'), ['video_channel_id'], unique=False)

    op.create_table('video_playlist_element',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('start_timestamp', sa.Integer(), nullable=True),
    sa.Column('stop_timestamp', sa.Integer(), nullable=True),
    sa.Column('video_playlist_id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=True),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_video_playlist_element_video_id_video'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['video_playlist_id'], ['video_playlist.id'], name=op.f('fk_video_playlist_element_video_playlist_id_video_playlist'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_playlist_element')),
    sa.UniqueConstraint('url', name=op.f('uq_video_playlist_element_url')),
    sa.UniqueConstraint('video_playlist_id', 'position', name=op.f('uq_video_playlist_element_video_playlist_id_position'))
    )
    with op.batch_alter_table('video_playlist_element', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_video_playlist_element_video_id'), ['video_id'], unique=False)

    _create_watch_later_playlists()


def _create_watch_later_playlists() -> None:
    """Every existing user gets the "Watch later" playlist that new users get at creation. The
    instance URL is not known here: it is the prefix of the account actor's URL (`<url>/accounts/<name>`)."""
    connection = op.get_bind()
    account = sa.table('account', sa.column('id', sa.Integer), sa.column('actor_id', sa.Integer),
                       sa.column('user_id', sa.Integer))
    actor = sa.table('actor', sa.column('id', sa.Integer), sa.column('url', sa.String),
                     sa.column('server_id', sa.Integer))
    playlist = sa.table(
        'video_playlist', sa.column('uuid', sa.String), sa.column('name', sa.String),
        sa.column('privacy', sa.SmallInteger), sa.column('type', sa.SmallInteger), sa.column('url', sa.String),
        sa.column('owner_account_id', sa.Integer), sa.column('thumbnail_generated', sa.Boolean),
        sa.column('created_at', vidpub.db.base.UTCDateTime()), sa.column('updated_at', vidpub.db.base.UTCDateTime()))
    rows = connection.execute(
        sa.select(account.c.id, actor.c.url).join(actor, actor.c.id == account.c.actor_id)
        .where(account.c.user_id.is_not(None), actor.c.server_id.is_(None))).all()
    now = datetime.now(UTC)
    values = []
    for account_id, actor_url in rows:
        base_url = actor_url.rsplit('/accounts/', 1)[0]
        playlist_uuid = str(uuid.uuid4())
        values.append(dict(uuid=playlist_uuid, name=WATCH_LATER_NAME, privacy=PRIVATE, type=WATCH_LATER_TYPE,
                           url=f'{base_url}/video-playlists/{playlist_uuid}', owner_account_id=account_id,
                           thumbnail_generated=False, created_at=now, updated_at=now))
    if values:
        connection.execute(playlist.insert(), values)


def downgrade() -> None:
    with op.batch_alter_table('video_playlist_element', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_video_playlist_element_video_id'))

    op.drop_table('video_playlist_element')
    with op.batch_alter_table('video_playlist', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_video_playlist_video_channel_id'))
        batch_op.drop_index('ix_video_playlist_privacy_created_at')
        batch_op.drop_index(batch_op.f('ix_video_playlist_owner_account_id'))

    op.drop_table('video_playlist')
