"""the origin URL of a remote playlist's miniature (fetched on its first request, as a video's)

Revision ID: 0013
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('video_playlist', schema=None) as batch_op:
        batch_op.add_column(sa.Column('thumbnail_url', sa.String(length=2000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('video_playlist', schema=None) as batch_op:
        batch_op.drop_column('thumbnail_url')
