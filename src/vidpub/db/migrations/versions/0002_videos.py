"""videos

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 19:25:39.564802
"""
from alembic import op
import sqlalchemy as sa
import vidpub.db.base
from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('tag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tag')),
    sa.UniqueConstraint('name', name=op.f('uq_tag_name'))
    )
    op.create_table('video',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('category', sa.Integer(), nullable=True),
    sa.Column('licence', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=20), nullable=True),
    sa.Column('privacy', sa.SmallInteger(), nullable=False),
    sa.Column('nsfw', sa.Boolean(), nullable=False),
    sa.Column('nsfw_flags', sa.Integer(), nullable=False),
    sa.Column('nsfw_summary', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('support', sa.Text(), nullable=True),
    sa.Column('duration', sa.Integer(), nullable=False),
    sa.Column('aspect_ratio', sa.Double(), nullable=True),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.Column('likes', sa.Integer(), nullable=False),
    sa.Column('dislikes', sa.Integer(), nullable=False),
    sa.Column('comments', sa.Integer(), nullable=False),
    sa.Column('downloads', sa.Integer(), nullable=False),
    sa.Column('remote', sa.Boolean(), nullable=False),
    sa.Column('is_live', sa.Boolean(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.SmallInteger(), nullable=False),
    sa.Column('wait_transcoding', sa.Boolean(), nullable=False),
    sa.Column('comments_policy', sa.SmallInteger(), nullable=False),
    sa.Column('download_enabled', sa.Boolean(), nullable=False),
    sa.Column('published_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('originally_published_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('input_file_updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['video_channel.id'], name=op.f('fk_video_channel_id_video_channel'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video')),
    sa.UniqueConstraint('url', name=op.f('uq_video_url')),
    sa.UniqueConstraint('uuid', name=op.f('uq_video_uuid'))
    )
    with op.batch_alter_table('video', schema=None) as batch_op:
        batch_op.create_index('ix_video_channel_published', ['channel_id', 'published_at'], unique=False)
        batch_op.create_index('ix_video_list', ['privacy', 'state', 'published_at'], unique=False)

    op.create_table('account_video_rate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=10), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_account_video_rate_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_account_video_rate_video_id_video'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_video_rate')),
    sa.UniqueConstraint('account_id', 'video_id', name=op.f('uq_account_video_rate_account_id_video_id')),
    sa.UniqueConstraint('url', name=op.f('uq_account_video_rate_url'))
    )
    with op.batch_alter_table('account_video_rate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_video_rate_video_id'), ['video_id'], unique=False)

    op.create_table('schedule_video_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=False),
    sa.Column('update_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('privacy', sa.SmallInteger(), nullable=True),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_schedule_video_update_video_id_video'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_video_update')),
    sa.UniqueConstraint('video_id', name=op.f('uq_schedule_video_update_video_id'))
    )
    with op.batch_alter_table('schedule_video_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schedule_video_update_update_at'), ['update_at'], unique=False)

    op.create_table('storyboard',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('total_height', sa.Integer(), nullable=False),
    sa.Column('total_width', sa.Integer(), nullable=False),
    sa.Column('sprite_height', sa.Integer(), nullable=False),
    sa.Column('sprite_width', sa.Integer(), nullable=False),
    sa.Column('sprite_duration', sa.Integer(), nullable=False),
    sa.Column('file_url', sa.String(length=2000), nullable=True),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_storyboard_video_id_video'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_storyboard')),
    sa.UniqueConstraint('filename', name=op.f('uq_storyboard_filename')),
    sa.UniqueConstraint('video_id', name=op.f('uq_storyboard_video_id'))
    )
    op.create_table('thumbnail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.SmallInteger(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('file_url', sa.String(length=2000), nullable=True),
    sa.Column('on_disk', sa.Boolean(), nullable=False),
    sa.Column('automatically_generated', sa.Boolean(), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_thumbnail_video_id_video'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_thumbnail')),
    sa.UniqueConstraint('filename', name=op.f('uq_thumbnail_filename')),
    sa.UniqueConstraint('video_id', 'type', name=op.f('uq_thumbnail_video_id_type'))
    )
    op.create_table('upload_session',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('mime_type', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('bytes_written', sa.BigInteger(), nullable=False),
    sa.Column('metadata_json', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=True),
    sa.Column('completed_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('result', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=True),
    sa.Column('expires_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_upload_session_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_upload_session_video_id_video'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upload_session'))
    )
    with op.batch_alter_table('upload_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_upload_session_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_upload_session_user_id'), ['user_id'], unique=False)

    op.create_table('user_video_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=False),
    sa.Column('current_time', sa.Integer(), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_video_history_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_user_video_history_video_id_video'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_video_history')),
    sa.UniqueConstraint('user_id', 'video_id', name=op.f('uq_user_video_history_user_id_video_id'))
    )
    with op.batch_alter_table('user_video_history', schema=None) as batch_op:
        batch_op.create_index('ix_user_video_history_recent', ['user_id', 'updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_video_history_video_id'), ['video_id'], unique=False)

    op.create_table('video_caption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=20), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('m3u8_filename', sa.String(length=255), nullable=True),
    sa.Column('file_url', sa.String(length=2000), nullable=True),
    sa.Column('automatically_generated', sa.Boolean(), nullable=False),
    sa.Column('storage', sa.SmallInteger(), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_video_caption_video_id_video'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_caption')),
    sa.UniqueConstraint('filename', name=op.f('uq_video_caption_filename')),
    sa.UniqueConstraint('video_id', 'language', name=op.f('uq_video_caption_video_id_language'))
    )
    op.create_table('video_chapter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=False),
    sa.Column('timecode', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_video_chapter_video_id_video'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_chapter')),
    sa.UniqueConstraint('video_id', 'timecode', name=op.f('uq_video_chapter_video_id_timecode'))
    )
    op.create_table('video_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_url', sa.String(length=2000), nullable=True),
    sa.Column('magnet_uri', sa.String(length=2000), nullable=True),
    sa.Column('torrent_name', sa.String(length=255), nullable=True),
    sa.Column('state', sa.SmallInteger(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=True),
    sa.Column('attributes', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_video_import_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_video_import_video_id_video'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_import')),
    sa.UniqueConstraint('video_id', name=op.f('uq_video_import_video_id'))
    )
    with op.batch_alter_table('video_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_video_import_user_id'), ['user_id'], unique=False)

    op.create_table('video_password',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=False),
    sa.Column('password', sa.String(length=100), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_video_password_video_id_video'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_password')),
    sa.UniqueConstraint('video_id', 'password', name=op.f('uq_video_password_video_id_password'))
    )
    op.create_table('video_source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=False),
    sa.Column('input_filename', sa.String(length=255), nullable=False),
    sa.Column('kept_original_filename', sa.String(length=255), nullable=True),
    sa.Column('resolution', sa.Integer(), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('fps', sa.Double(), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('metadata_json', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=True),
    sa.Column('storage', sa.SmallInteger(), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_video_source_video_id_video'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_source')),
    sa.UniqueConstraint('kept_original_filename', name=op.f('uq_video_source_kept_original_filename'))
    )
    with op.batch_alter_table('video_source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_video_source_video_id'), ['video_id'], unique=False)

    op.create_table('video_streaming_playlist',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.SmallInteger(), nullable=False),
    sa.Column('playlist_filename', sa.String(length=255), nullable=False),
    sa.Column('segments_sha256_filename', sa.String(length=255), nullable=False),
    sa.Column('playlist_url', sa.String(length=2000), nullable=True),
    sa.Column('segments_sha256_url', sa.String(length=2000), nullable=True),
    sa.Column('p2p_media_loader_infohashes', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('p2p_media_loader_peer_version', sa.Integer(), nullable=False),
    sa.Column('storage', sa.SmallInteger(), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_video_streaming_playlist_video_id_video'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_streaming_playlist')),
    sa.UniqueConstraint('video_id', 'type', name=op.f('uq_video_streaming_playlist_video_id_type'))
    )
    op.create_table('video_tag',
    sa.Column('video_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tag_id'], ['tag.id'], name=op.f('fk_video_tag_tag_id_tag'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_video_tag_video_id_video'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('video_id', 'tag_id', name=op.f('pk_video_tag'))
    )
    with op.batch_alter_table('video_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_video_tag_tag_id'), ['tag_id'], unique=False)

    op.create_table('video_view',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=False),
    sa.Column('start_date', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('end_date', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_video_view_video_id_video'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_view')),
    sa.UniqueConstraint('video_id', 'start_date', name=op.f('uq_video_view_video_id_start_date'))
    )
    with op.batch_alter_table('video_view', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_video_view_start_date'), ['start_date'], unique=False)

    op.create_table('video_viewer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=False),
    sa.Column('viewer', sa.String(length=128), nullable=False),
    sa.Column('expires_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('watch_time', sa.Integer(), nullable=False),
    sa.Column('section_start', sa.Integer(), nullable=False),
    sa.Column('section_end', sa.Integer(), nullable=False),
    sa.Column('counted', sa.Boolean(), nullable=False),
    sa.Column('last_seen_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_video_viewer_video_id_video'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_viewer')),
    sa.UniqueConstraint('video_id', 'viewer', name=op.f('uq_video_viewer_video_id_viewer'))
    )
    with op.batch_alter_table('video_viewer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_video_viewer_expires_at'), ['expires_at'], unique=False)

    op.create_table('video_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=True),
    sa.Column('video_streaming_playlist_id', sa.Integer(), nullable=True),
    sa.Column('resolution', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('fps', sa.Double(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('extname', sa.String(length=10), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('torrent_filename', sa.String(length=255), nullable=True),
    sa.Column('info_hash', sa.String(length=40), nullable=True),
    sa.Column('format_flags', sa.SmallInteger(), nullable=False),
    sa.Column('stream_flags', sa.SmallInteger(), nullable=False),
    sa.Column('metadata_json', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=True),
    sa.Column('storage', sa.SmallInteger(), nullable=False),
    sa.Column('file_url', sa.String(length=2000), nullable=True),
    sa.Column('torrent_url', sa.String(length=2000), nullable=True),
    sa.Column('metadata_url', sa.String(length=2000), nullable=True),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(video_id IS NULL) <> (video_streaming_playlist_id IS NULL)', name=op.f('ck_video_file_one_owner')),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_video_file_video_id_video'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['video_streaming_playlist_id'], ['video_streaming_playlist.id'], name=op.f('fk_video_file_video_streaming_playlist_id_video_streaming_playlist'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_file')),
    sa.UniqueConstraint('filename', name=op.f('uq_video_file_filename')),
    sa.UniqueConstraint('torrent_filename', name=op.f('uq_video_file_torrent_filename'))
    )
    with op.batch_alter_table('video_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_video_file_video_id'), ['video_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_video_file_video_streaming_playlist_id'), ['video_streaming_playlist_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('video_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_video_file_video_streaming_playlist_id'))
        batch_op.drop_index(batch_op.f('ix_video_file_video_id'))

    op.drop_table('video_file')
    with op.batch_alter_table('video_viewer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_video_viewer_expires_at'))

    op.drop_table('video_viewer')
    with op.batch_alter_table('video_view', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_video_view_start_date'))

    op.drop_table('video_view')
    with op.batch_alter_table('video_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_video_tag_tag_id'))

    op.drop_table('video_tag')
    op.drop_table('video_streaming_playlist')
    with op.batch_alter_table('video_source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_video_source_video_id'))

    op.drop_table('video_source')
    op.drop_table('video_password')
    with op.batch_alter_table('video_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_video_import_user_id'))

    op.drop_table('video_import')
    op.drop_table('video_chapter')
    op.drop_table('video_caption')
    with op.batch_alter_table('user_video_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_video_history_video_id'))
        batch_op.drop_index('ix_user_video_history_recent')

    op.drop_table('user_video_history')
    with op.batch_alter_table('upload_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_upload_session_user_id'))
        batch_op.drop_index(batch_op.f('ix_upload_session_expires_at'))

    op.drop_table('upload_session')
    op.drop_table('thumbnail')
    op.drop_table('storyboard')
    with op.batch_alter_table('schedule_video_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schedule_video_update_update_at'))

    op.drop_table('schedule_video_update')
    with op.batch_alter_table('account_video_rate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_video_rate_video_id'))

    op.drop_table('account_video_rate')
    with op.batch_alter_table('video', schema=None) as batch_op:
        batch_op.drop_index('ix_video_list')
        batch_op.drop_index('ix_video_channel_published')

    op.drop_table('video')
    op.drop_table('tag')
