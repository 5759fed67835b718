"""channels accounts (issue 4)

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa
import vidpub.db.base
from sqlalchemy.dialects import postgresql

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
