"""index replies by creation time: the spam filter counts today's repeats of a text

Revision ID: c4a7e2f91d03
Revises: 80daa320beab
Create Date: 2026-12-01 19:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4a7e2f91d03'
down_revision = '80daa320beab'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reply', schema=None) as batch_op:
        batch_op.create_index('ix_reply_created_at', ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('reply', schema=None) as batch_op:
        batch_op.drop_index('ix_reply_created_at')
