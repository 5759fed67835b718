"""blocklists (issue 4)

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa
import vidpub.db.base
from sqlalchemy.dialects import postgresql

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
