"""viewer counters across instances (PeerTube's protocol v2 `View` with `expires`): the viewers peers
tell us of, and when peers last heard of each of our viewers

Revision ID: 0014
Revises: 0013
"""
from alembic import op
import sqlalchemy as sa
import vidpub.db.base

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('video_remote_viewer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=False),
    sa.Column('viewer', sa.String(length=64), nullable=False),
    sa.Column('viewer_count', sa.Integer(), nullable=False),
    sa.Column('from_origin', sa.Boolean(), nullable=False),
    sa.Column('expires_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_video_remote_viewer_video_id_video'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_remote_viewer')),
    sa.UniqueConstraint('video_id', 'viewer', name=op.f('uq_video_remote_viewer_video_id_viewer'))
    )
    with op.batch_alter_table('video_remote_viewer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_video_remote_viewer_expires_at'), ['expires_at'], unique=False)

    with op.batch_alter_table('video_viewer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('federated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('video_viewer', schema=None) as batch_op:
        batch_op.drop_column('federated_at')

    with op.batch_alter_table('video_remote_viewer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_video_remote_viewer_expires_at'))

    op.drop_table('video_remote_viewer')
