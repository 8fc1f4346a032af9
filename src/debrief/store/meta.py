"""The meta role: small settings kept with the data (the interview date, the theme)."""

from __future__ import annotations

from sqlalchemy import delete

from debrief.store.database import Role
from debrief.store.models import MetaRow


class MetaStore(Role):
    """Small key-value settings (`storage.MetaStore`)."""

    def get_meta(self, key: str) -> str | None:
        """The value kept under `key` (None when there is none)."""
        with self.db.reading() as session:
            row = session.get(MetaRow, key)
            return row.value if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        """Keep `value` under `key`; None removes the key."""
        with self.db.transaction() as session:
            if value is None:
                session.execute(delete(MetaRow).where(MetaRow.key == key))
                return
            # One statement, not read-then-insert: processes starting together on a new
            # PostgreSQL database each write the same key (SQLite serialises the writers).
            from sqlalchemy.dialects import postgresql, sqlite

            if self.db.is_sqlite:
                lite = sqlite.insert(MetaRow).values(key=key, value=value)
                session.execute(lite.on_conflict_do_update(
                    index_elements=[MetaRow.key], set_={"value": lite.excluded.value}))
            else:
                pg = postgresql.insert(MetaRow).values(key=key, value=value)
                session.execute(pg.on_conflict_do_update(
                    index_elements=[MetaRow.key], set_={"value": pg.excluded.value}))
