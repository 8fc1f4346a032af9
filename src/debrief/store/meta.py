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
            row = session.get(MetaRow, key)
            if row is None:
                session.add(MetaRow(key=key, value=value))
            else:
                row.value = value
