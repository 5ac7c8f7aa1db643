"""reply.body_hash: the spam filter counts a text's repeats of the day by an index

Revision ID: c3d9e5a7f1b2
Revises: b7e3a1c94f20
Create Date: 2026-12-02 06:00:00

"""
import hashlib

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d9e5a7f1b2'
down_revision = 'b7e3a1c94f20'
branch_labels = None
depends_on = None

_BATCH = 1000


def _digest(source):
    # forum.models.reply.body_digest, copied: a migration must not change with the app.
    return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def upgrade():
    # Plain add_column and create_index, not batch mode: a batch table copy on SQLite would drop
    # ix_reply_guest_email_lower (SQLite's reflection cannot read an expression index back).
    op.add_column('reply', sa.Column('body_hash', sa.String(length=16), nullable=True))
    reply = sa.table('reply', sa.column('id', sa.Integer), sa.column('body_source', sa.Text),
                     sa.column('body_hash', sa.String))
    fill = (
        sa.update(reply)
        .where(reply.c.id == sa.bindparam('row_id'))
        .values(body_hash=sa.bindparam('digest'))
    )
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(reply.c.id, reply.c.body_source)
            .where(reply.c.id > last)
            .order_by(reply.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        connection.execute(
            fill, [{'row_id': row_id, 'digest': _digest(source or '')} for row_id, source in rows]
        )
        last = rows[-1][0]
    op.create_index('ix_reply_body_hash_created_at', 'reply', ['body_hash', 'created_at'], unique=False)


def downgrade():
    op.drop_index('ix_reply_body_hash_created_at', table_name='reply')
    op.drop_column('reply', 'body_hash')  # SQLite 3.35+ drops it in place (keeps that index)
