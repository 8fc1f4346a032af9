"""index reviews by time; SQL NULL for "no schedule before"; deck titles of any length

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 21:10:00

- `ix_reviews_reviewed_at`: stats by day and `reviews_since` without a mode read the log by time;
  the (mode, reviewed_at) index of 0001 does not serve a query that does not filter on mode.
- `reviews.schedule_before`: 0001 stored Python None as JSON `null`, which `IS NULL` does not
  match, so a later quiz answer counted as a scheduling answer and blocked undo. The model now
  stores SQL NULL; this turns the old JSON nulls into SQL NULL.
- `decks.title`: VARCHAR(200) is enforced by PostgreSQL but not by SQLite, so a long deck title
  imported on one backend and failed on the other. It becomes TEXT (SQLite: no change needed).
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_index("ix_reviews_reviewed_at", "reviews", ["reviewed_at"], unique=False)
    if dialect == "postgresql":
        op.execute("UPDATE reviews SET schedule_before = NULL WHERE schedule_before::text = 'null'")
    else:
        op.execute("UPDATE reviews SET schedule_before = NULL WHERE schedule_before = 'null'")
    if dialect != "sqlite":
        op.alter_column("decks", "title", type_=sa.Text(), existing_type=sa.String(length=200),
                        existing_nullable=False)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect != "sqlite":
        op.alter_column("decks", "title", type_=sa.String(length=200), existing_type=sa.Text(),
                        existing_nullable=False)
    op.drop_index("ix_reviews_reviewed_at", table_name="reviews")
