"""channels accounts (issue 4)

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa
import vidpub.db.base

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('video_channel_sync',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_channel_url', sa.String(length=2000), nullable=False),
    sa.Column('state', sa.SmallInteger(), nullable=False),
    sa.Column('last_sync_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['video_channel.id'], name=op.f('fk_video_channel_sync_channel_id_video_channel'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_channel_sync'))
    )
    op.create_index(op.f('ix_video_channel_sync_channel_id'), 'video_channel_sync', ['channel_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_video_channel_sync_channel_id'), table_name='video_channel_sync')
    op.drop_table('video_channel_sync')
