"""Exports of decks to other apps: Anki packages (.apkg) and Anki's text-import CSV."""

from __future__ import annotations

from debrief.errors import DebriefError


class ExportError(DebriefError):
    """An export that could not be written, with a message fit to show the user."""
