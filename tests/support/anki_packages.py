"""Anki packages made with the official `anki` package, for the importer's tests (unit and app)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from anki.collection import Collection, ExportAnkiPackageOptions
from anki.scheduler.v3 import CardAnswer

if TYPE_CHECKING:
    from anki.cards import Card  # imported at run time only after anki.collection (a cycle)


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


def anki_card(col: Collection, guid: str, ordinal: int = 0) -> Card:
    """The card `ordinal` of the note with `guid`."""
    (nid,) = [nid for nid in col.find_notes("") if col.get_note(nid).guid == guid]
    (card,) = [card for card in col.get_note(nid).cards() if card.ord == ordinal]
    return card


def answer(col: Collection, card: Card, rating: CardAnswer.Rating.V) -> None:
    """Answer `card` with Anki's own scheduler, as the review screen does."""
    card.start_timer()
    states = col._backend.get_scheduling_states(card.id)
    col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=rating))


# (note GUID, card ordinal) -> debrief card id, for the notes `study_in_anki` answers.
STUDIED = {("basic-eat", 0): "anki.basic-eat", ("typed-drink", 0): "anki.typed-drink",
           ("cloze-madrid", 1): "anki.cloze-madrid.c2", ("reversed-dog", 1): "anki.reversed-dog.2"}


def study_in_anki(col: Collection) -> None:
    """Answer some of `third_party_collection`'s cards with Anki's scheduler (to eat Good twice,
    so it graduates; to drink Again; the cloze's second deletion Good; the reversed card's back
    Easy) and reschedule one by hand ("set due date": a revlog row that is no answer)."""
    eat = anki_card(col, "basic-eat")
    answer(col, eat, CardAnswer.GOOD)
    answer(col, col.get_card(eat.id), CardAnswer.GOOD)
    answer(col, anki_card(col, "typed-drink"), CardAnswer.AGAIN)
    answer(col, anki_card(col, "cloze-madrid", 1), CardAnswer.GOOD)
    answer(col, anki_card(col, "reversed-dog", 1), CardAnswer.EASY)
    col.sched.set_due_date([eat.id], "5")


def export_package(col: Collection, out: Path, with_scheduling: bool = True,
                   legacy: bool = False) -> Path:
    """Export all of `col` as a .apkg at `out`, with its scheduling or without."""
    col.export_anki_package(out_path=str(out), limit=None, options=ExportAnkiPackageOptions(
        with_scheduling=with_scheduling, with_deck_configs=with_scheduling, with_media=False,
        legacy=legacy))
    return out
