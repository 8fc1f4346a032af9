"""Every command's start syncs the bundled decks: when nothing changed since the last sync it
knows so without parsing the deck files, and anything changed still brings a full sync."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from debrief import locations
from debrief.deckfile import load_decks
from debrief.store import bundled_unchanged, files_fingerprint
from debrief.store.first_card import BUNDLED_KEY, deck_hash
from debrief.workspace import sync_bundled

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def synced(store):
    """A store with the bundled decks synced once, as any command's first start leaves it."""
    sync_bundled(store, NOW)
    return store


def test_a_second_start_reads_no_deck_file(synced, monkeypatch):
    files = locations.bundled_deck_files()
    assert bundled_unchanged(synced, files_fingerprint(files))

    def parse(*_args: object) -> None:
        raise AssertionError("the deck files were parsed although nothing changed")

    monkeypatch.setattr("debrief.deckfile.load_decks", parse)
    sync_bundled(synced, NOW)  # returns without parsing


def test_a_bundled_deck_changed_in_the_database_is_synced_back(synced):
    files = locations.bundled_deck_files()
    original = load_decks(files)[0]
    # Another import under the bundled deck's name (or a sync cut short) changed its content.
    synced.decks.sync_decks([replace(original, cards=original.cards[:1])], NOW)
    assert synced.decks.content_hashes()[original.name] != deck_hash(original)
    assert not bundled_unchanged(synced, files_fingerprint(files))
    sync_bundled(synced, NOW)
    assert synced.decks.content_hashes()[original.name] == deck_hash(original)
    assert bundled_unchanged(synced, files_fingerprint(files))


def test_other_files_or_a_damaged_note_bring_a_full_sync(synced):
    fingerprint = files_fingerprint(locations.bundled_deck_files())
    edited = [[path, size + 1, mtime] for path, size, mtime in fingerprint]
    assert not bundled_unchanged(synced, edited)
    assert not bundled_unchanged(synced, fingerprint[1:])
    synced.meta.set_meta(BUNDLED_KEY, "{not json")
    assert not bundled_unchanged(synced, fingerprint)
    sync_bundled(synced, NOW)  # writes the note afresh
    assert bundled_unchanged(synced, fingerprint)
