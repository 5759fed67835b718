"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 18:23:31.304786
"""
from alembic import op
import sqlalchemy as sa
import vidpub.db.base
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('secret', sa.String(length=128), nullable=False),
    sa.Column('custom_config', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('custom_config_version', sa.Integer(), nullable=False),
    sa.Column('jobs_paused', sa.Boolean(), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application'))
    )
    op.create_table('job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('run_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lease_expires_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('worker_id', sa.String(length=100), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('pending_children', sa.Integer(), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('error', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=True),
    sa.Column('result', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=True),
    sa.Column('dedupe_key', sa.String(length=255), nullable=True),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('processed_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['job.id'], name=op.f('fk_job_parent_id_job'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_job_dedupe_key'))
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index('ix_job_claim', ['state', 'priority', 'run_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index('ix_job_state_created', ['state', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_type'), ['type'], unique=False)

    op.create_table('oauth_client',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('client_secret', sa.String(length=64), nullable=False),
    sa.Column('grants', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth_client')),
    sa.UniqueConstraint('client_id', name=op.f('uq_oauth_client_client_id'))
    )
    op.create_table('server',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('redundancy_allowed', sa.Boolean(), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_server')),
    sa.UniqueConstraint('host', name=op.f('uq_server_host'))
    )
    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=50), nullable=False),
    sa.Column('email', sa.String(length=400), nullable=False),
    sa.Column('pending_email', sa.String(length=400), nullable=True),
    sa.Column('email_verified', sa.Boolean(), nullable=True),
    sa.Column('email_public', sa.Boolean(), nullable=False),
    sa.Column('password', sa.String(length=255), nullable=True),
    sa.Column('role', sa.SmallInteger(), nullable=False),
    sa.Column('admin_flags', sa.Integer(), nullable=False),
    sa.Column('video_quota', sa.BigInteger(), nullable=False),
    sa.Column('video_quota_daily', sa.BigInteger(), nullable=False),
    sa.Column('nsfw_policy', sa.String(length=20), nullable=False),
    sa.Column('nsfw_flags_displayed', sa.Integer(), nullable=False),
    sa.Column('nsfw_flags_hidden', sa.Integer(), nullable=False),
    sa.Column('nsfw_flags_blurred', sa.Integer(), nullable=False),
    sa.Column('nsfw_flags_warned', sa.Integer(), nullable=False),
    sa.Column('p2p_enabled', sa.Boolean(), nullable=False),
    sa.Column('videos_history_enabled', sa.Boolean(), nullable=False),
    sa.Column('auto_play_video', sa.Boolean(), nullable=False),
    sa.Column('auto_play_next_video', sa.Boolean(), nullable=False),
    sa.Column('auto_play_next_video_playlist', sa.Boolean(), nullable=False),
    sa.Column('video_languages', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=True),
    sa.Column('language', sa.String(length=20), nullable=True),
    sa.Column('theme', sa.String(length=255), nullable=False),
    sa.Column('blocked', sa.Boolean(), nullable=False),
    sa.Column('blocked_reason', sa.Text(), nullable=True),
    sa.Column('no_instance_config_warning_modal', sa.Boolean(), nullable=False),
    sa.Column('no_welcome_modal', sa.Boolean(), nullable=False),
    sa.Column('no_account_setup_warning_modal', sa.Boolean(), nullable=False),
    sa.Column('new_features_info_read', sa.Integer(), nullable=False),
    sa.Column('plugin_auth', sa.String(length=255), nullable=True),
    sa.Column('otp_secret', sa.String(length=255), nullable=True),
    sa.Column('feed_token', sa.String(length=36), nullable=True),
    sa.Column('last_login_date', vidpub.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('feed_token', name=op.f('uq_user_feed_token')),
    sa.UniqueConstraint('username', name=op.f('uq_user_username'))
    )
    op.create_table('actor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('preferred_username', sa.String(length=255), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('public_key', sa.Text(), nullable=True),
    sa.Column('private_key', sa.Text(), nullable=True),
    sa.Column('followers_count', sa.Integer(), nullable=False),
    sa.Column('following_count', sa.Integer(), nullable=False),
    sa.Column('inbox_url', sa.String(length=2000), nullable=False),
    sa.Column('outbox_url', sa.String(length=2000), nullable=True),
    sa.Column('shared_inbox_url', sa.String(length=2000), nullable=True),
    sa.Column('followers_url', sa.String(length=2000), nullable=True),
    sa.Column('following_url', sa.String(length=2000), nullable=True),
    sa.Column('remote_created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('server_id', sa.Integer(), nullable=True),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['server_id'], ['server.id'], name=op.f('fk_actor_server_id_server'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actor')),
    sa.UniqueConstraint('url', name=op.f('uq_actor_url'))
    )
    with op.batch_alter_table('actor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actor_server_id'), ['server_id'], unique=False)
        batch_op.create_index('uq_actor_remote_name', ['preferred_username', 'server_id'], unique=True)

    op.create_table('oauth_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('access_token_hash', sa.String(length=64), nullable=False),
    sa.Column('access_token_expires_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('refresh_token_hash', sa.String(length=64), nullable=False),
    sa.Column('refresh_token_expires_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('oauth_client_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('auth_name', sa.String(length=255), nullable=True),
    sa.Column('login_device', sa.String(length=255), nullable=True),
    sa.Column('login_ip', sa.String(length=64), nullable=True),
    sa.Column('login_date', vidpub.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_activity_device', sa.String(length=255), nullable=True),
    sa.Column('last_activity_ip', sa.String(length=64), nullable=True),
    sa.Column('last_activity_date', vidpub.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['oauth_client_id'], ['oauth_client.id'], name=op.f('fk_oauth_token_oauth_client_id_oauth_client'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_oauth_token_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth_token')),
    sa.UniqueConstraint('access_token_hash', name=op.f('uq_oauth_token_access_token_hash')),
    sa.UniqueConstraint('refresh_token_hash', name=op.f('uq_oauth_token_refresh_token_hash'))
    )
    with op.batch_alter_table('oauth_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oauth_token_refresh_token_expires_at'), ['refresh_token_expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_oauth_token_user_id'), ['user_id'], unique=False)

    op.create_table('user_notification_setting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('new_video_from_subscription', sa.SmallInteger(), nullable=False),
    sa.Column('new_comment_on_my_video', sa.SmallInteger(), nullable=False),
    sa.Column('abuse_as_moderator', sa.SmallInteger(), nullable=False),
    sa.Column('video_auto_blacklist_as_moderator', sa.SmallInteger(), nullable=False),
    sa.Column('blacklist_on_my_video', sa.SmallInteger(), nullable=False),
    sa.Column('my_video_published', sa.SmallInteger(), nullable=False),
    sa.Column('my_video_import_finished', sa.SmallInteger(), nullable=False),
    sa.Column('new_user_registration', sa.SmallInteger(), nullable=False),
    sa.Column('new_follow', sa.SmallInteger(), nullable=False),
    sa.Column('comment_mention', sa.SmallInteger(), nullable=False),
    sa.Column('new_instance_follower', sa.SmallInteger(), nullable=False),
    sa.Column('auto_instance_following', sa.SmallInteger(), nullable=False),
    sa.Column('abuse_state_change', sa.SmallInteger(), nullable=False),
    sa.Column('abuse_new_message', sa.SmallInteger(), nullable=False),
    sa.Column('new_peertube_version', sa.SmallInteger(), nullable=False),
    sa.Column('new_plugin_version', sa.SmallInteger(), nullable=False),
    sa.Column('my_video_studio_edition_finished', sa.SmallInteger(), nullable=False),
    sa.Column('my_video_transcription_generated', sa.SmallInteger(), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_notification_setting_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_notification_setting')),
    sa.UniqueConstraint('user_id', name=op.f('uq_user_notification_setting_user_id'))
    )
    op.create_table('user_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state', sa.SmallInteger(), nullable=False),
    sa.Column('registration_reason', sa.Text(), nullable=False),
    sa.Column('moderation_response', sa.Text(), nullable=True),
    sa.Column('password', sa.String(length=255), nullable=False),
    sa.Column('username', sa.String(length=50), nullable=False),
    sa.Column('email', sa.String(length=400), nullable=False),
    sa.Column('email_verified', sa.Boolean(), nullable=True),
    sa.Column('account_display_name', sa.String(length=255), nullable=True),
    sa.Column('channel_handle', sa.String(length=255), nullable=True),
    sa.Column('channel_display_name', sa.String(length=255), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_registration_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_registration')),
    sa.UniqueConstraint('username', name=op.f('uq_user_registration_username'))
    )
    with op.batch_alter_table('user_registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_registration_state'), ['state'], unique=False)

    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_account_actor_id_actor'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_account_application_id_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_account_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account')),
    sa.UniqueConstraint('actor_id', name=op.f('uq_account_actor_id')),
    sa.UniqueConstraint('user_id', name=op.f('uq_account_user_id'))
    )
    op.create_table('actor_image',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.SmallInteger(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('file_url', sa.String(length=2000), nullable=True),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('on_disk', sa.Boolean(), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_actor_image_actor_id_actor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actor_image')),
    sa.UniqueConstraint('filename', name=op.f('uq_actor_image_filename'))
    )
    with op.batch_alter_table('actor_image', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actor_image_actor_id'), ['actor_id'], unique=False)

    op.create_table('video_channel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('support', sa.Text(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_video_channel_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_video_channel_actor_id_actor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_channel')),
    sa.UniqueConstraint('actor_id', name=op.f('uq_video_channel_actor_id'))
    )
    with op.batch_alter_table('video_channel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_video_channel_account_id'), ['account_id'], unique=False)

    # Expression indexes (autogenerate cannot compare them): case-insensitive unique names and emails.
    op.create_index("uq_actor_local_name", "actor", [sa.text("lower(preferred_username)")], unique=True,
                    sqlite_where=sa.text("server_id IS NULL"), postgresql_where=sa.text("server_id IS NULL"))
    op.create_index("uq_user_email_lower", "user", [sa.text("lower(email)")], unique=True)
    op.create_index("uq_user_registration_email_lower", "user_registration", [sa.text("lower(email)")], unique=True)



def downgrade() -> None:
    for table in ("video_channel", "actor_image", "account", "user_registration", "user_notification_setting",
                  "oauth_token", "actor", "user", "server", "oauth_client", "job", "application"):
        op.drop_table(table)
