"""Triggers give the rare rows (staff names, bans, webhooks) a new version on every change,
so each app server can remember them between posts

Revision ID: b5c7d9e1f3a5
Revises: a4b6c8d0e2f4
Create Date: 2026-12-03 07:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b5c7d9e1f3a5'
down_revision = 'a4b6c8d0e2f4'
branch_labels = None
depends_on = None

# As forum.services.rare_rows at this revision.
_KEY = "rare_rows_version"
_STAFF = "'admin', 'moderator'"
_TABLES = ("ban", "webhook")
_USER_CHANGES = (
    ("insert", "INSERT", f"NEW.role IN ({_STAFF})"),
    ("update", "UPDATE OF role, display_name", f"OLD.role IN ({_STAFF}) OR NEW.role IN ({_STAFF})"),
    ("delete", "DELETE", f"OLD.role IN ({_STAFF})"),
)
_SQLITE_NEW = (
    f"INSERT OR REPLACE INTO setting (key, value) SELECT '{_KEY}', "
    "json_object('token', lower(hex(randomblob(8))))"
)
_POSTGRESQL_NEW = (
    f"INSERT INTO setting (key, value) SELECT '{_KEY}', "
    "json_build_object('token', md5(random()::text))"
)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION porch_rare_rows_changed() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN {_POSTGRESQL_NEW} "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value; RETURN NULL; END $$"
        )
        for table in _TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_rare_rows AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION porch_rare_rows_changed()"
            )
        for name, change, when in _USER_CHANGES:
            op.execute(
                f'CREATE TRIGGER user_{name}_rare_rows AFTER {change} ON "user" '
                f"FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION porch_rare_rows_changed()"
            )
        new = _POSTGRESQL_NEW
    else:
        for table in _TABLES:
            for change in ("INSERT", "UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_{change.lower()}_rare_rows AFTER {change} ON {table} "
                    f"BEGIN {_SQLITE_NEW}; END"
                )
        for name, change, when in _USER_CHANGES:
            op.execute(
                f'CREATE TRIGGER user_{name}_rare_rows AFTER {change} ON "user" '
                f"WHEN {when} BEGIN {_SQLITE_NEW}; END"
            )
        new = _SQLITE_NEW
    # A site with people already may have staff: its first version now. A new database stays
    # empty (a restore goes only into an empty one).
    op.execute(f'{new} WHERE EXISTS (SELECT 1 FROM "user")')


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in _TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_rare_rows ON {table}")
        for name, _change, _when in _USER_CHANGES:
            op.execute(f'DROP TRIGGER IF EXISTS user_{name}_rare_rows ON "user"')
        op.execute("DROP FUNCTION IF EXISTS porch_rare_rows_changed()")
    else:
        for table in (*_TABLES, "user"):
            for name in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{name}_rare_rows")
    op.execute(f"DELETE FROM setting WHERE key = '{_KEY}'")
