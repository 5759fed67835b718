"""comments (issue 4)

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa
import vidpub.db.base

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('video_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('held_for_review', sa.Boolean(), nullable=False),
    sa.Column('reply_approval', sa.String(length=2000), nullable=True),
    sa.Column('origin_comment_id', sa.Integer(), nullable=True),
    sa.Column('in_reply_to_comment_id', sa.Integer(), nullable=True),
    sa.Column('video_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('deleted_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', vidpub.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_video_comment_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['in_reply_to_comment_id'], ['video_comment.id'], name=op.f('fk_video_comment_in_reply_to_comment_id_video_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['origin_comment_id'], ['video_comment.id'], name=op.f('fk_video_comment_origin_comment_id_video_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['video_id'], ['video.id'], name=op.f('fk_video_comment_video_id_video'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_comment')),
    sa.UniqueConstraint('url', name=op.f('uq_video_comment_url'))
    )
    with op.batch_alter_table('video_comment', schema=None) as batch_op:
        batch_op.create_index('ix_video_comment_video_origin', ['video_id', 'origin_comment_id'], unique=False)
        batch_op.create_index('ix_video_comment_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_video_comment_in_reply_to_comment_id'), ['in_reply_to_comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_video_comment_account_id'), ['account_id'], unique=False)

    op.create_table('video_comment_mention',
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_video_comment_mention_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['comment_id'], ['video_comment.id'], name=op.f('fk_video_comment_mention_comment_id_video_comment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('comment_id', 'account_id', name=op.f('pk_video_comment_mention'))
    )
    with op.batch_alter_table('video_comment_mention', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_video_comment_mention_account_id'), ['account_id'], unique=False)

    # notifications about comments (user_notification, 0003) go with their comment
    with op.batch_alter_table('user_notification', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_user_notification_comment_id_video_comment'), 'video_comment',
                                    ['comment_id'], ['id'], ondelete='CASCADE')


def downgrade() -> None:
    with op.batch_alter_table('user_notification', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_user_notification_comment_id_video_comment'), type_='foreignkey')
    with op.batch_alter_table('video_comment_mention', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_video_comment_mention_account_id'))
    op.drop_table('video_comment_mention')
    with op.batch_alter_table('video_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_video_comment_account_id'))
        batch_op.drop_index(batch_op.f('ix_video_comment_in_reply_to_comment_id'))
        batch_op.drop_index('ix_video_comment_created_at')
        batch_op.drop_index('ix_video_comment_video_origin')
    op.drop_table('video_comment')
