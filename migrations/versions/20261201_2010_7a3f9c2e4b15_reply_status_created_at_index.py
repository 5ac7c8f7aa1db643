"""index replies by status and date (moderation tabs)

Revision ID: 7a3f9c2e4b15
Revises: c4a7e2f91d03
Create Date: 2026-12-01 19:58:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '7a3f9c2e4b15'
down_revision = 'c4a7e2f91d03'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reply', schema=None) as batch_op:
        batch_op.create_index(
            'ix_reply_status_created_at', ['status', 'created_at', 'id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('reply', schema=None) as batch_op:
        batch_op.drop_index('ix_reply_status_created_at')
