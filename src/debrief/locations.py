"""Every path debrief reads or writes: the data dir, database, backups, config, bundled decks."""

from __future__ import annotations

import os
import re
from pathlib import Path

APP_NAME = "debrief"


def data_dir() -> Path:
    """The directory holding all user data: `DEBRIEF_HOME`, else the platform's user data dir."""
    home = os.environ.get("DEBRIEF_HOME")
    if home:
        return Path(home).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_path() -> Path:
    """The default SQLite database file."""
    return data_dir() / "debrief.db"


def backups_dir() -> Path:
    """Where automatic and manual backups are kept."""
    return data_dir() / "backups"


def own_decks_dir() -> Path:
    """Where the deck files of your own cards live (written by the app's card form)."""
    return data_dir() / "decks"


def config_path() -> Path:
    """The optional TOML config file (scheduling settings, limits)."""
    return data_dir() / "config.toml"


def database_url(explicit: str | None = None) -> str:
    """The SQLAlchemy URL to use: `--db`, else `DEBRIEF_DB`, else SQLite in the data dir."""
    url = explicit or os.environ.get("DEBRIEF_DB")
    if url:
        return url
    return f"sqlite:///{database_path()}"


def redact(url: str) -> str:
    """Database `url` with its password hidden, fit to print."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def bundled_decks_dir() -> Path:
    """The decks shipped with debrief: inside the wheel, or `decks/` of a source checkout."""
    packaged = Path(__file__).parent / "_bundled_decks"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "decks"


def bundled_deck_files() -> list[Path]:
    """The bundled deck files, sorted by name."""
    return sorted(bundled_decks_dir().glob("*.toml"))
