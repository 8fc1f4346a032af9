"""when a card's suspension, flag or burial last changed, and Anki's as last imported

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 03:20:00

`debrief import` brings back the suspension, flag and burial a card was given in Anki. To decide
which side changed a card last, schedules gain `marked_at` (when debrief last set them: by hand,
as a leech, or from an import) and `anki_marks` (Anki's suspension and flag as the last import saw
them: flag + 8 when suspended), so an Anki state that has not changed since is never taken as new.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("marked_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("anki_marks", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.drop_column("anki_marks")
        batch_op.drop_column("marked_at")
