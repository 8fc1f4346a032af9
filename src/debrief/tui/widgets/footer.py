"""A Footer that rebuilds its keys once per batch of binding changes, and only when they differ."""

from __future__ import annotations

from textual import events
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """Textual's Footer recomposes on every `refresh_bindings` (several per answer: focus moves,
    phase changes); that made each answer cost a tenth of a second. This one coalesces the
    requests and skips the rebuild when the keys shown are the same."""

    NARROW = 80  # below this width the keys are drawn compactly
    TINY = 60  # below this width the palette key (ctrl+p still works) leaves its room to the keys

    _pending = False
    _shown: tuple[tuple[str, str, bool], ...] | None = None

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < self.NARROW
        self.show_command_palette = event.size.width >= self.TINY

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._pending:
            self._pending = True
            self.call_after_refresh(self._update_keys)

    async def _update_keys(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        shown = tuple((binding.key, binding.description, enabled)
                      for _node, binding, enabled, _tooltip in self.screen.active_bindings.values()
                      if binding.show)
        if shown == self._shown:
            return
        self._shown = shown
        await self.recompose()
