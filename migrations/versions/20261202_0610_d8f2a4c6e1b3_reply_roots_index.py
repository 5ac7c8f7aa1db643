"""reply index by post, depth, status, deleted_at and created_at (counts read the index alone)

Revision ID: d8f2a4c6e1b3
Revises: c3d9e5a7f1b2
Create Date: 2026-12-02 06:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd8f2a4c6e1b3'
down_revision = 'c3d9e5a7f1b2'
branch_labels = None
depends_on = None

_COLUMNS = ['post_id', 'depth', 'status', 'deleted_at', 'created_at']


def upgrade():
    # Plain create_index and drop_index, not batch mode: a batch table copy on SQLite would drop
    # ix_reply_guest_email_lower (SQLite's reflection cannot read an expression index back).
    op.create_index('ix_reply_post_id_depth_status_deleted_at_created_at', 'reply', _COLUMNS)
    op.drop_index('ix_reply_post_id_depth_status', table_name='reply')


def downgrade():
    op.create_index('ix_reply_post_id_depth_status', 'reply', ['post_id', 'depth', 'status'])
    op.drop_index('ix_reply_post_id_depth_status_deleted_at_created_at', table_name='reply')
