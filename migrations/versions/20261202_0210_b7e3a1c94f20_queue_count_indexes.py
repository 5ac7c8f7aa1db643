"""index replies by status and held reason, and guests' emails case-insensitively (queue page)

Revision ID: b7e3a1c94f20
Revises: e7a1c9d3b5f2
Create Date: 2026-12-02 02:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e3a1c94f20'
down_revision = 'e7a1c9d3b5f2'
branch_labels = None
depends_on = None


def upgrade():
    # Plain op.create_index, not batch mode: SQLite creates indexes in place, and a batch table
    # copy would drop the expression index (SQLite's reflection cannot read it back).
    op.create_index('ix_reply_status_held_reason', 'reply', ['status', 'held_reason'], unique=False)
    op.create_index(
        'ix_reply_guest_email_lower', 'reply', [sa.func.lower(sa.column('guest_email'))], unique=False
    )


def downgrade():
    op.drop_index('ix_reply_guest_email_lower', table_name='reply')
    op.drop_index('ix_reply_status_held_reason', table_name='reply')
