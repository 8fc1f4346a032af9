"""reviews brought in from Anki carry the id of their Anki revlog row

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 19:00:00

`debrief import` of an Anki package adds the reviews made in Anki to the review log. Anki's
revlog id (the answer's time in milliseconds, unique in a collection) is kept with each one, so
importing the same package, or a later one holding the same reviews, never adds a review twice,
and exporting back to Anki gives each review the id Anki already knows. BIGINT: milliseconds
since 1970 do not fit 32 bits (PostgreSQL's INTEGER).
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anki_revlog_id", sa.BigInteger(), nullable=True))
        batch_op.create_index("ix_reviews_anki_revlog_id", ["anki_revlog_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_reviews_anki_revlog_id")
        batch_op.drop_column("anki_revlog_id")
