"""sibling groups, keywords and rubrics on cards; flags on schedules; the user's own right answers

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 18:30:00

Deck files gain `group` (cards about the same fact, kept apart on a day), `keywords` (words an
answer must contain) and `rubric` (points a recall answer covers). Schedules gain Anki's flag
(0 none, 1-4 colours). `user_answers` keeps answers the user marked right ("I was right"), so
they pass for that card from then on; they are not deck content, so re-imports keep them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.add_column(sa.Column("group_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("keywords", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("rubric", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.create_index("ix_cards_group_key", ["group_key"], unique=False)
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("flag", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "user_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], name="fk_user_answers_card_id_cards",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_user_answers"),
        sa.UniqueConstraint("card_id", "answer", name="uq_user_answers_card_id"),
    )
    op.create_index("ix_user_answers_card_id", "user_answers", ["card_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_user_answers_card_id", table_name="user_answers")
    op.drop_table("user_answers")
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.drop_column("flag")
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.drop_index("ix_cards_group_key")
        batch_op.drop_column("rubric")
        batch_op.drop_column("keywords")
        batch_op.drop_column("group_key")
