"""The answer box: an Input that keeps the review keys reachable while the user types."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message

from debrief.tui.widgets.inputs import QuietInput


class AnswerBox(QuietInput):
    """Where the answer is typed; Enter submits (`AnswerBox.Submitted`, Input's own message).

    Single-letter review keys (u, s, b) would be typed into the box, so while it has focus the
    same commands sit on control keys instead.
    """

    BINDINGS = [
        Binding("ctrl+z", "card('undo')", "Undo", tooltip="Undo the last saved answer"),
        Binding("ctrl+s", "card('suspend')", "Suspend", tooltip="Suspend this card"),
        Binding("ctrl+b", "card('bury')", "Bury", tooltip="Hide this card until tomorrow"),
    ]

    class CardCommand(Message):
        """The user asked for a card command (undo, suspend, bury) from the answer box."""

        def __init__(self, command: str) -> None:
            super().__init__()
            self.command = command

    def action_card(self, command: str) -> None:
        self.post_message(self.CardCommand(command))
