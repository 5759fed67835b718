"""activities received per type, successes and errors (the instance statistics, `GET /server/stats`)

Revision ID: 0015
Revises: 0014
"""
from alembic import op
import sqlalchemy as sa
import vidpub.db.base

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('activitypub_inbox_stat',
    sa.Column('activity_type', sa.String(length=32), nullable=False),
    sa.Column('successes', sa.BigInteger(), nullable=False),
    sa.Column('errors', sa.BigInteger(), nullable=False),
    sa.Column('since', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('activity_type', name=op.f('pk_activitypub_inbox_stat'))
    )


def downgrade() -> None:
    op.drop_table('activitypub_inbox_stat')
