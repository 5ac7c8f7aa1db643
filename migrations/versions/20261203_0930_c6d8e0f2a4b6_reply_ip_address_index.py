"""An index for the flood rule's "same address in the last seconds", which read every
reply the site got in those seconds

Revision ID: c6d8e0f2a4b6
Revises: b5c7d9e1f3a5
Create Date: 2026-12-03 09:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c6d8e0f2a4b6'
down_revision = 'b5c7d9e1f3a5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_reply_ip_address_created_at', 'reply', ['ip_address', 'created_at'])


def downgrade():
    op.drop_index('ix_reply_ip_address_created_at', table_name='reply')
