"""follows notifications history (issue 4)

Follows between actors (subscriptions now, federation later) and users' notifications. The watch
history table came with the videos (0002).

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa
import vidpub.db.base
from sqlalchemy.dialects import postgresql

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('actor_follow',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('target_actor_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_actor_follow_actor_id_actor'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_actor_id'], ['actor.id'], name=op.f('fk_actor_follow_target_actor_id_actor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actor_follow')),
    sa.UniqueConstraint('actor_id', 'target_actor_id', name=op.f('uq_actor_follow_actor_id_target_actor_id')),
    sa.UniqueConstraint('url', name=op.f('uq_actor_follow_url'))
    )
    op.create_index('ix_actor_follow_target_created', 'actor_follow', ['target_actor_id', 'created_at'], unique=False)
    op.create_table('user_notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('type', sa.SmallInteger(), nullable=False),
    sa.Column('read', sa.Boolean(), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=True),
    sa.Column('video_import_id', sa.Integer(), nullable=True),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('actor_follow_id', sa.Integer(), nullable=True),
    sa.Column('user_registration_id', sa.Integer(), nullable=True),
    sa.Column('video_caption_id', sa.Integer(), nullable=True),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_user_notification_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['actor_follow_id'], ['actor_follow.id'], name=op.f('fk_user_notification_actor_follow_id_actor_follow'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_notification_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_registration_id'], ['user_registration.id'], name=op.f('fk_user_notification_user_registration_id_user_registration'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['video_caption_id'], ['video_caption.id'], name=op.f('fk_user_notification_video_caption_id_video_caption'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_user_notification_video_id_video'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['video_import_id'], ['video_import.id'], name=op.f('fk_user_notification_video_import_id_video_import'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_notification'))
    )
    op.create_index(op.f('ix_user_notification_account_id'), 'user_notification', ['account_id'], unique=False)
    op.create_index(op.f('ix_user_notification_actor_follow_id'), 'user_notification', ['actor_follow_id'], unique=False)
    op.create_index(op.f('ix_user_notification_comment_id'), 'user_notification', ['comment_id'], unique=False)
    op.create_index('ix_user_notification_user_created', 'user_notification', ['user_id', 'created_at'], unique=False)
    op.create_index(op.f('ix_user_notification_user_registration_id'), 'user_notification', ['user_registration_id'], unique=False)
    op.create_index('ix_user_notification_user_unread', 'user_notification', ['user_id', 'read'], unique=False)
    op.create_index(op.f('ix_user_notification_video_caption_id'), 'user_notification', ['video_caption_id'], unique=False)
    op.create_index(op.f('ix_user_notification_video_id'), 'user_notification', ['video_id'], unique=False)
    op.create_index(op.f('ix_user_notification_video_import_id'), 'user_notification', ['video_import_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_user_notification_video_import_id'), table_name='user_notification')
    op.drop_index(op.f('ix_user_notification_video_id'), table_name='user_notification')
    op.drop_index(op.f('ix_user_notification_video_caption_id'), table_name='user_notification')
    op.drop_index('ix_user_notification_user_unread', table_name='user_notification')
    op.drop_index(op.f('ix_user_notification_user_registration_id'), table_name='user_notification')
    op.drop_index('ix_user_notification_user_created', table_name='user_notification')
    op.drop_index(op.f('ix_user_notification_comment_id'), table_name='user_notification')
    op.drop_index(op.f('ix_user_notification_actor_follow_id'), table_name='user_notification')
    op.drop_index(op.f('ix_user_notification_account_id'), table_name='user_notification')
    op.drop_table('user_notification')
    op.drop_index('ix_actor_follow_target_created', table_name='actor_follow')
    op.drop_table('actor_follow')
