"""abuse reports and their messages; notifications about abuses (issue 5)

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa
import vidpub.db.base
from sqlalchemy.dialects import postgresql

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('abuse',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('predefined_reasons', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=True),
    sa.Column('state', sa.SmallInteger(), nullable=False),
    sa.Column('moderation_comment', sa.Text(), nullable=True),
    sa.Column('processed_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('flagged_type', sa.String(length=10), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('reporter_account_id', sa.Integer(), nullable=True),
    sa.Column('flagged_account_id', sa.Integer(), nullable=True),
    sa.Column('video_id', sa.Integer(), nullable=True),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('start_at', sa.Integer(), nullable=True),
    sa.Column('end_at', sa.Integer(), nullable=True),
    sa.Column('video_snapshot', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=True),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['video_comment.id'], name=op.f('fk_abuse_comment_id_video_comment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['flagged_account_id'], ['account.id'], name=op.f('fk_abuse_flagged_account_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reporter_account_id'], ['account.id'], name=op.f('fk_abuse_reporter_account_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_abuse_video_id_video'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_abuse')),
    sa.UniqueConstraint('url', name=op.f('uq_abuse_url'))
    )
    with op.batch_alter_table('abuse', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_abuse_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index('ix_abuse_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_abuse_flagged_account_id'), ['flagged_account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_abuse_reporter_account_id'), ['reporter_account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_abuse_video_id'), ['video_id'], unique=False)

    op.create_table('abuse_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('by_moderator', sa.Boolean(), nullable=False),
    sa.Column('abuse_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['abuse_id'], ['abuse.id'], name=op.f('fk_abuse_message_abuse_id_abuse'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_abuse_message_account_id_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_abuse_message'))
    )
    with op.batch_alter_table('abuse_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_abuse_message_abuse_id'), ['abuse_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_abuse_message_account_id'), ['account_id'], unique=False)

    with op.batch_alter_table('user_notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('abuse_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_notification_abuse_id'), ['abuse_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_user_notification_abuse_id_abuse'), 'abuse', ['abuse_id'], ['id'], ondelete='CASCADE')



def downgrade() -> None:
    with op.batch_alter_table('user_notification', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_user_notification_abuse_id_abuse'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_notification_abuse_id'))
        batch_op.drop_column('abuse_id')

    with op.batch_alter_table('abuse_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_abuse_message_account_id'))
        batch_op.drop_index(batch_op.f('ix_abuse_message_abuse_id'))

    op.drop_table('abuse_message')
    with op.batch_alter_table('abuse', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_abuse_video_id'))
        batch_op.drop_index(batch_op.f('ix_abuse_reporter_account_id'))
        batch_op.drop_index(batch_op.f('ix_abuse_flagged_account_id'))
        batch_op.drop_index('ix_abuse_created_at')
        batch_op.drop_index(batch_op.f('ix_abuse_comment_id'))

    op.drop_table('abuse')
