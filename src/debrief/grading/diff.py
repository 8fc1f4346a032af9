"""Character diffs of a typed answer against the expected one, as segments and in words."""

from __future__ import annotations

from difflib import SequenceMatcher

Segment = tuple[str, str]

MAX_DIFF_CHARS = 200


def char_diff(typed: str, expected: str) -> tuple[Segment, ...]:
    """Segments that turn `typed` into `expected`, compared without regard to case.

    ("equal", text) is common to both (as typed); ("delete", text) is typed but not expected;
    ("insert", text) is expected but missing. A substitution is a "delete" then an "insert",
    so every segment reads on its own without colour. Empty when either side is too long to
    be worth drawing.
    """
    if not typed or not expected or len(typed) > MAX_DIFF_CHARS or len(expected) > MAX_DIFF_CHARS:
        return ()
    a, b = typed.lower(), expected.lower()
    if len(a) != len(typed) or len(b) != len(expected):  # lower() changed a length: compare raw
        a, b = typed, expected
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("equal", typed[i1:i2]))
        elif op == "delete":
            segments.append(("delete", typed[i1:i2]))
        elif op == "insert":
            segments.append(("insert", expected[j1:j2]))
        else:
            segments.append(("delete", typed[i1:i2]))
            segments.append(("insert", expected[j1:j2]))
    return tuple(segments)


def describe(segments: tuple[Segment, ...]) -> str:
    """The differences of a diff in words: 'missing "i"', '"ra" swapped', '"x" for "c"'."""
    notes: list[str] = []
    k = 0
    while k < len(segments):
        op, text = segments[k]
        nxt = segments[k + 1] if k + 1 < len(segments) else None
        if op == "delete" and nxt and nxt[0] == "insert":
            if len(text) == len(nxt[1]) == 2 and text[::-1].lower() == nxt[1].lower():
                notes.append(f'"{nxt[1]}" swapped')
            else:
                notes.append(f'"{text}" for "{nxt[1]}"')
            k += 2
            continue
        if op == "delete" and text.strip():
            notes.append(f'extra "{text}"')
        elif op == "insert" and text.strip():
            notes.append(f'missing "{text}"')
        k += 1
    # Two adjacent letters typed the other way round show as an insert and a delete around one
    # letter ("latnecy"): name it a swap.
    if len(notes) == 2 and notes[0].startswith("missing") and notes[1].startswith("extra"):
        if notes[0][9:] == notes[1][7:]:
            return f"{notes[0][8:]} out of place"
    if len(notes) == 2 and notes[0].startswith("extra") and notes[1].startswith("missing"):
        if notes[0][7:] == notes[1][9:]:
            return f"{notes[0][6:]} out of place"
    return ", ".join(notes[:4]) + ("…" if len(notes) > 4 else "")
