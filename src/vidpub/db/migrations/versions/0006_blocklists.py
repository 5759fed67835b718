"""blocklists (issue 4)

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa
import vidpub.db.base

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('account_blocklist',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('target_account_id', sa.Integer(), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_account_blocklist_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_account_id'], ['account.id'], name=op.f('fk_account_blocklist_target_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_blocklist')),
    sa.UniqueConstraint('account_id', 'target_account_id', name=op.f('uq_account_blocklist_account_id_target_account_id'))
    )
    with op.batch_alter_table('account_blocklist', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_blocklist_target_account_id'), ['target_account_id'], unique=False)

    op.create_table('server_blocklist',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('target_server_id', sa.Integer(), nullable=False),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_server_blocklist_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_server_id'], ['server.id'], name=op.f('fk_server_blocklist_target_server_id_server'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_server_blocklist')),
    sa.UniqueConstraint('account_id', 'target_server_id', name=op.f('uq_server_blocklist_account_id_target_server_id'))
    )
    with op.batch_alter_table('server_blocklist', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_server_blocklist_target_server_id'), ['target_server_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('server_blocklist', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_server_blocklist_target_server_id'))
    op.drop_table('server_blocklist')
    with op.batch_alter_table('account_blocklist', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_blocklist_target_account_id'))
    op.drop_table('account_blocklist')
