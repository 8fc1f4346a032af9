"""leech mark on schedules

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 18:30:00

A card failed `leech_lapses` times is a leech (Anki's tag): schedules gain `leech`, kept apart from
the deck file's tags so that re-syncing a deck never clears it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("leech", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.drop_column("leech")
