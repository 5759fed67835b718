"""video redundancies (issue 5: our HLS copies of remote videos, CacheFiles others hold of ours)

Revision ID: 0012
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa
import vidpub.db.base

revision = '0012'
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('video_redundancy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('video_streaming_playlist_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('file_url', sa.String(length=2000), nullable=False),
    sa.Column('expires_on', vidpub.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('strategy', sa.String(length=20), nullable=True),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_video_redundancy_actor_id_actor'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['video_streaming_playlist_id'], ['video_streaming_playlist.id'], name=op.f('fk_video_redundancy_video_streaming_playlist_id_video_streaming_playlist'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_redundancy')),
    sa.UniqueConstraint('actor_id', 'video_streaming_playlist_id', name=op.f('uq_video_redundancy_actor_id_video_streaming_playlist_id')),
    sa.UniqueConstraint('url', name=op.f('uq_video_redundancy_url'))
    )
    with op.batch_alter_table('video_redundancy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_video_redundancy_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_video_redundancy_expires_on'), ['expires_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_video_redundancy_video_streaming_playlist_id'), ['video_streaming_playlist_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('video_redundancy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_video_redundancy_video_streaming_playlist_id'))
        batch_op.drop_index(batch_op.f('ix_video_redundancy_expires_on'))
        batch_op.drop_index(batch_op.f('ix_video_redundancy_actor_id'))
    op.drop_table('video_redundancy')
