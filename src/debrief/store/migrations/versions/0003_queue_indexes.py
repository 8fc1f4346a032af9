"""indexes for today's queue on a large collection

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 21:40:00

Measured on 100,000 cards (benchmarks/review.py): counting today's queue scanned every card
(20-40 ms, once per card shown). With these, each queue is an index range:
- `ix_schedules_queue` (state, due, suspended, buried_until) covers the queue counts and the
  next-card queries; it replaces `ix_schedules_state_due`, its prefix.
- `ix_cards_retired`, a partial index of the few retired cards, so excluding them reads a
  handful of rows instead of every card.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_schedules_queue", "schedules",
                    ["state", "due", "suspended", "buried_until"], unique=False)
    op.drop_index("ix_schedules_state_due", table_name="schedules")
    op.create_index("ix_cards_retired", "cards", ["id"], unique=False,
                    sqlite_where=sa.text("retired = 1"), postgresql_where=sa.text("retired"))


def downgrade() -> None:
    op.drop_index("ix_cards_retired", table_name="cards")
    op.create_index("ix_schedules_state_due", "schedules", ["state", "due"], unique=False)
    op.drop_index("ix_schedules_queue", table_name="schedules")
