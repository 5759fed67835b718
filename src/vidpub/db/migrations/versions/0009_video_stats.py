"""video stats (issue 4)

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa
import vidpub.db.base

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('local_video_viewer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=False),
    sa.Column('viewer', sa.String(length=128), nullable=True),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('start_date', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('end_date', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('watch_time', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=255), nullable=True),
    sa.Column('subdivision_name', sa.String(length=255), nullable=True),
    sa.Column('client', sa.String(length=200), nullable=True),
    sa.Column('device', sa.String(length=20), nullable=True),
    sa.Column('operating_system', sa.String(length=200), nullable=True),
    sa.Column('section_count', sa.Integer(), nullable=False),
    sa.Column('section_start', sa.Integer(), nullable=False),
    sa.Column('section_end', sa.Integer(), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_local_video_viewer_video_id_video'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_local_video_viewer')),
    sa.UniqueConstraint('url', name=op.f('uq_local_video_viewer_url')),
    sa.UniqueConstraint('uuid', name=op.f('uq_local_video_viewer_uuid')),
    sa.UniqueConstraint('video_id', 'viewer', name=op.f('uq_local_video_viewer_video_id_viewer'))
    )
    with op.batch_alter_table('local_video_viewer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_local_video_viewer_end_date'), ['end_date'], unique=False)
        batch_op.create_index('ix_local_video_viewer_video_id_start_date', ['video_id', 'start_date'], unique=False)

    op.create_table('local_video_viewer_section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('viewer_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('watch_start', sa.Integer(), nullable=False),
    sa.Column('watch_end', sa.Integer(), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['viewer_id'], ['local_video_viewer.id'], name=op.f('fk_local_video_viewer_section_viewer_id_local_video_viewer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_local_video_viewer_section')),
    sa.UniqueConstraint('viewer_id', 'position', name=op.f('uq_local_video_viewer_section_viewer_id_position'))
    )

    op.create_table('video_download_stat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=False),
    sa.Column('start_date', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('end_date', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('downloads', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_video_download_stat_video_id_video'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_download_stat')),
    sa.UniqueConstraint('video_id', 'start_date', name=op.f('uq_video_download_stat_video_id_start_date'))
    )


def downgrade() -> None:
    op.drop_table('video_download_stat')
    op.drop_table('local_video_viewer_section')
    with op.batch_alter_table('local_video_viewer', schema=None) as batch_op:
        batch_op.drop_index('ix_local_video_viewer_video_id_start_date')
        batch_op.drop_index(batch_op.f('ix_local_video_viewer_end_date'))
    op.drop_table('local_video_viewer')
