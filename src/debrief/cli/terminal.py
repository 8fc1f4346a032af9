"""What the line mode writes to a terminal: card text cleaned, file names and messages escaped."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from debrief.cards import clean_text

# Control characters (but newline and tab) and the characters that reorder or hide text.
_UNPRINTABLE = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u061c\\u180e\\u200b-\\u200f"
                          "\\u202a-\\u202e\\u2060-\\u2069\\ufeff]")


def printable(text: str) -> str:
    """`text` with control and invisible characters shown as escapes (`\\x1b`, `\\u202e`).

    For names the user must recognise, such as a file name: stripping would show another name.
    """
    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNPRINTABLE.sub(escape, text)


class CleanWriter:
    """A text stream that strips escape sequences and invisible characters from what it writes.

    The line mode prints card text as it is stored; a card stored by an older version, or written
    into the database by another program, must still never reach the terminal as control codes.
    """

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(clean_text(text))

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()
