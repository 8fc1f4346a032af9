"""SQLAlchemy models: decks, cards, schedules, the review log, quizzes and settings."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC (portable across SQLite and PostgreSQL); returns aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    # Every model here maps one Table (no joins, no views): say so, for Core statements over it.
    __table__: ClassVar[Table]


class DeckRow(Base):
    __tablename__ = "decks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(Text)  # VARCHAR(200) until revision 0002
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CardRow(Base):
    __tablename__ = "cards"
    __table_args__ = (
        # The few retired cards, so queues can leave them out without reading every card (0003).
        # Migration 0003 makes it partial on PostgreSQL too; a postgresql_where here would import
        # the PostgreSQL dialect at every start-up (~50 ms) for nothing.
        Index("ix_cards_retired", "id", sqlite_where=text("retired = 1")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    prompt: Mapped[str] = mapped_column(Text)
    answer: Mapped[object] = mapped_column(JSON)
    accept: Mapped[list[str]] = mapped_column(JSON, default=list)
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_items: Mapped[int | None] = mapped_column(Integer, nullable=True)
    explanation: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    # Sibling group, keywords and rubric (revision 0005).
    group_key: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    rubric: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ScheduleRow(Base):
    __tablename__ = "schedules"
    __table_args__ = (
        # Covers today's queue counts and next-card queries (revision 0003).
        Index("ix_schedules_queue", "state", "due", "suspended", "buried_until"),
        Index("ix_schedules_state_new_position", "state", "new_position"),
    )

    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[str] = mapped_column(String(12), default="new")
    step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    stability: Mapped[float | None] = mapped_column(Float, nullable=True)
    difficulty: Mapped[float | None] = mapped_column(Float, nullable=True)
    due: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    new_position: Mapped[int] = mapped_column(Integer, default=0)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    buried_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # 0 none, 1-4 Anki's flag colours (red, orange, green, blue) (revision 0005).
    flag: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Failed `leech_lapses` times: Anki's `leech` tag, kept off the deck file's tags (revision 0007).
    leech: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # When debrief last set the suspension, flag or burial (by hand, as a leech, from an import),
    # and Anki's suspension and flag as the last import saw them (`importers.marks`) (0008).
    marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    anki_marks: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ReviewRow(Base):
    __tablename__ = "reviews"
    __table_args__ = (
        # Covers the stats' recent-answer counts (retention, answer time): index-only reads.
        Index("ix_reviews_recent", "mode", "reviewed_at", "state_before", "rating", "duration_ms",
              "interval_before"),
        Index("ix_reviews_reviewed_at", "reviewed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), index=True)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    mode: Mapped[str] = mapped_column(String(8), default="review")
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    verdict: Mapped[str | None] = mapped_column(String(8), nullable=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    state_before: Mapped[str] = mapped_column(String(12), default="new")
    # none_as_null: "no schedule change" is SQL NULL (matched by IS NULL), not JSON null.
    schedule_before: Mapped[dict | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    # Days between the card's last review and its due date before this answer (None: not
    # scheduled yet); Anki's "last interval", which tells young answers from mature ones.
    interval_before: Mapped[float | None] = mapped_column(Float, nullable=True)
    quiz_id: Mapped[int | None] = mapped_column(ForeignKey("quizzes.id", ondelete="SET NULL"), nullable=True, index=True)
    # The Anki revlog id of a review made in Anki and brought in by `debrief import` (0006).
    anki_revlog_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, unique=True,
                                                       index=True)


class QuizRow(Base):
    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    score: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)


class UserAnswerRow(Base):
    """An answer the user marked right ("I was right"): it passes for that card from then on."""

    __tablename__ = "user_answers"
    __table_args__ = (UniqueConstraint("card_id", "answer"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), index=True)
    answer: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MetaRow(Base):
    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
