"""PostgreSQL: a notice on every change to a member's row, notifications or mail preference, so
app servers can remember a signed-in member between page reads

Revision ID: f1a2b3c4d5e6
Revises: d8f2a4c6e1b3
Create Date: 2026-12-02 18:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f1a2b3c4d5e6'
down_revision = 'd8f2a4c6e1b3'
branch_labels = None
depends_on = None

# As forum.services.version_notices at this revision (porch_notify_pages() is e7a1c9d3b5f2's).
_TABLES = ("user", "notification", "mail_preference")


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in _TABLES:
            op.execute(f'DROP TRIGGER IF EXISTS {table}_changes_notify ON "{table}"')
            op.execute(
                f'CREATE TRIGGER {table}_changes_notify '
                f'AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                "FOR EACH STATEMENT EXECUTE FUNCTION porch_notify_pages()"
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in _TABLES:
            op.execute(f'DROP TRIGGER IF EXISTS {table}_changes_notify ON "{table}"')
