"""Anki packages made with the official `anki` package, for the importer's tests (unit and app)."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection, ExportAnkiPackageOptions


def third_party_collection(path: Path) -> Collection:
    col = Collection(str(path))
    deck = col.decks.id("Spanish::Verbs")
    models = {name: col.models.by_name(name) for name in
              ("Basic", "Basic (type in the answer)", "Cloze", "Basic (and reversed card)")}

    def add(model: str, fields: list[str], tags: list[str], guid: str) -> None:
        note = col.new_note(models[model])
        for index, value in enumerate(fields):
            note.fields[index] = value
        note.tags = tags
        note.guid = guid
        col.add_note(note, deck)

    add("Basic", ["<b>to eat</b>", "comer"], ["verbs", "food"], "basic-eat")
    add("Basic", ["Explain <i>ser</i> vs <i>estar</i>",
                  "<div>ser: permanent traits</div><div>estar: states &amp; places</div>"],
        [], "basic-long")
    add("Basic (type in the answer)", ["to drink", "beber"], ["verbs"], "typed-drink")
    add("Cloze", ["{{c1::Madrid}} is the capital of {{c2::Spain::country}}", "Geography"],
        ["geo"], "cloze-madrid")
    add("Basic", ['<img src="diagram.png">', "an image only"], [], "image-only")
    add("Basic", ["to sleep [sound:dormir.mp3]", "dormir"], ["verbs"], "sound-sleep")
    add("Basic (and reversed card)", ["dog", "perro"], [], "reversed-dog")
    return col


def third_party_package(folder: Path, legacy: bool = False) -> Path:
    """A .apkg of `third_party_collection` (new format, or the legacy one) in `folder`."""
    col = third_party_collection(folder / "theirs.anki2")
    out = folder / "spanish.apkg"
    try:
        col.export_anki_package(out_path=str(out), limit=None, options=ExportAnkiPackageOptions(
            with_scheduling=False, with_deck_configs=False, with_media=False, legacy=legacy))
    finally:
        col.close()
    return out
