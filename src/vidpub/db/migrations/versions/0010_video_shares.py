"""video shares (issue 5: Announces of videos)

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa
import vidpub.db.base

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('video_share',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_video_share_actor_id_actor'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_video_share_video_id_video'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_share')),
    sa.UniqueConstraint('actor_id', 'video_id', name=op.f('uq_video_share_actor_id_video_id')),
    sa.UniqueConstraint('url', name=op.f('uq_video_share_url'))
    )
    with op.batch_alter_table('video_share', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_video_share_video_id'), ['video_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('video_share', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_video_share_video_id'))
    op.drop_table('video_share')
