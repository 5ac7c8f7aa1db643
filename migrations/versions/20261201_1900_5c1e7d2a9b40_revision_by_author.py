"""reply revisions say whether the reply's author made the edit

Revision ID: 5c1e7d2a9b40
Revises: 95fd1124c977
Create Date: 2026-12-01 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e7d2a9b40'
down_revision = '95fd1124c977'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reply_revision', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('by_author', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('reply_revision', schema=None) as batch_op:
        batch_op.drop_column('by_author')
