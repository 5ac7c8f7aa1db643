"""post.version: goes up with every change to what the post's pages show (page cache)

Revision ID: c4a7e1f0b2d3
Revises: a2d1fdc14023
Create Date: 2026-12-01 19:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4a7e1f0b2d3'
down_revision = 'a2d1fdc14023'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.drop_column('version')
