"""Partial indexes for a thread's approved count and its check for answers, which
the planner takes even when its statistics know nothing of the thread

Revision ID: a4b6c8d0e2f4
Revises: f1a2b3c4d5e6
Create Date: 2026-12-03 00:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a4b6c8d0e2f4'
down_revision = 'f1a2b3c4d5e6'
branch_labels = None
depends_on = None

_APPROVED_LIVE = sa.text("status = 'approved' AND deleted_at IS NULL")
_ANSWER = sa.text("depth > 0")


def upgrade():
    op.create_index(
        'ix_reply_approved_post_id_depth_created_at',
        'reply',
        ['post_id', 'depth', 'created_at', 'id'],
        postgresql_where=_APPROVED_LIVE,
        sqlite_where=_APPROVED_LIVE,
    )
    op.create_index(
        'ix_reply_answers_post_id',
        'reply',
        ['post_id'],
        postgresql_where=_ANSWER,
        sqlite_where=_ANSWER,
    )


def downgrade():
    op.drop_index('ix_reply_answers_post_id', table_name='reply')
    op.drop_index('ix_reply_approved_post_id_depth_created_at', table_name='reply')
