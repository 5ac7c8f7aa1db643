"""PostgreSQL: a notice on every page-version change, so app servers can remember versions

Revision ID: e7a1c9d3b5f2
Revises: d41e8b7c2a90
Create Date: 2026-12-02 02:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e7a1c9d3b5f2'
down_revision = 'd41e8b7c2a90'
branch_labels = None
depends_on = None

# The same statements as forum.services.version_notices (kept here as they were at this revision).
CREATE = (
    "CREATE OR REPLACE FUNCTION porch_notify_pages() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN PERFORM pg_notify('porch_pages', ''); RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS post_versions_notify ON post",
    "CREATE TRIGGER post_versions_notify AFTER INSERT OR DELETE OR UPDATE OF version ON post "
    "FOR EACH STATEMENT EXECUTE FUNCTION porch_notify_pages()",
)
DROP = (
    "DROP TRIGGER IF EXISTS post_versions_notify ON post",
    "DROP FUNCTION IF EXISTS porch_notify_pages()",
)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in CREATE:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in DROP:
            op.execute(statement)
