"""A member's own language for pages and email (issue 13)

Revision ID: d41e8b7c2a90
Revises: a9f3c2d1e7b4
Create Date: 2026-12-01 22:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd41e8b7c2a90'
down_revision = 'a9f3c2d1e7b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('locale')
