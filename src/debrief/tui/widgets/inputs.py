"""Input boxes that keep a fast typist's keys in order and behave well in headless runs."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class QuietInput(Input):
    """An Input whose own keys (Enter, Backspace, arrows, its control keys) act in the order typed,
    and whose cursor does not blink when nobody can see it (headless: tests, screenshots), so
    two screenshots of the same state are identical.

    Textual's Input inserts a printable key as soon as the key reaches it, but runs a bound key
    (Backspace, Enter) only after the key has bubbled up to the app, by which time the keys
    typed after it may already be in the box: "precx⌫ision" typed fast became "precxisio", and
    the answer submitted by Enter held the keys typed after Enter. Here the box runs its own
    bindings when the key reaches it, in turn with the printable keys.
    """

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.cursor_blink = False

    async def _on_key(self, event: events.Key) -> None:
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if binding.priority:
                continue  # the app ran priority bindings before handing the key over
            if await self.app.run_action(binding.action, self):
                event.prevent_default()  # not Input's own handler
                event.stop()  # nor, bubbling up, the same binding again
                return
