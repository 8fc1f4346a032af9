"""A Footer that shows only the keys that fit, rebuilt once per batch of binding changes."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

HELP_ACTIONS = ("app.help", "help")  # the `?` key: it stays when others are dropped


class Footer(TextualFooter):
    """Textual's Footer lets keys run off the right edge at narrow widths, where they are cut
    mid-word and the palette key is drawn over them. This one lays out the keys itself: it shows
    as many as fit, in binding order, and always keeps `? Keys`, which lists the rest.

    It also coalesces rebuild requests and skips the rebuild when nothing shown changed: Textual's
    Footer recomposes on every `refresh_bindings` (several per answer), which once made each answer
    cost a tenth of a second."""

    DEFAULT_CSS = """
    Footer.-compact FooterLabel { margin: 0 1 0 0; }
    """

    NARROW = 80  # below this width the keys are drawn compactly
    TINY = 60  # below this width the palette key (ctrl+p still works) leaves its room to the keys

    _pending = False
    _shown: tuple[object, ...] | None = None

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < self.NARROW
        self.show_command_palette = event.size.width >= self.TINY
        self._request()

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self._request()

    def _request(self) -> None:
        if not self._pending and self.is_attached:
            self._pending = True
            self.call_after_refresh(self._update_keys)

    async def _update_keys(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        shown = (self.size.width, self.compact, self.show_command_palette,
                 tuple((binding.key, binding.description, enabled)
                       for _node, binding, enabled, _tooltip in self.screen.active_bindings.values()
                       if binding.show))
        if shown == self._shown:
            return
        self._shown = shown
        await self.recompose()

    # -- layout ----------------------------------------------------------------------------------

    def _entries(self) -> list[tuple[list[tuple[Binding, bool, str]], int, bool]]:
        """The footer's items in order: (bindings, width in cells, kept whatever the width)."""
        by_action: dict[str, list[tuple[Binding, bool, str]]] = {}
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action != "app.command_palette":
                by_action.setdefault(binding.action, []).append((binding, enabled, tooltip))
        entries = []
        for group, grouped in groupby(by_action.values(), lambda b: b[0][0].group):
            items = list(grouped)
            if group is not None and len(items) > 1:
                keys = sum(len(self.app.get_key_display(b[0][0])) for b in items)
                width = keys + len(group.description) + 3 + (0 if self.compact else 2 * len(items))
                entries.append(([b[0] for b in items], width, False))
            else:
                for bindings in items:
                    binding = bindings[0][0]
                    width = len(self.app.get_key_display(binding)) + len(binding.description)
                    width += 2 if self.compact else 3
                    entries.append(([bindings[0]], width, binding.action in HELP_ACTIONS))
        return entries

    def _fitting(self) -> list[tuple[list[tuple[Binding, bool, str]], int, bool]]:
        entries = self._entries()
        room = (self.size.width or self.app.size.width) - (14 if self._palette_shown() else 0)
        total = sum(width for _b, width, _k in entries)
        while total > room:
            # Drop the last key that is not kept (`?` stays: it lists every key of the screen).
            for index in range(len(entries) - 1, -1, -1):
                if not entries[index][2]:
                    total -= entries.pop(index)[1]
                    break
            else:
                break
        return entries

    def _palette_shown(self) -> bool:
        return bool(self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE
                    and self.app.COMMAND_PALETTE_BINDING in self.screen.active_bindings)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        for bindings, _width, _kept in self._fitting():
            if len(bindings) > 1:
                group = bindings[0][0].group
                assert group is not None
                with KeyGroup(classes="-compact" if group.compact else ""):
                    yield from self._keys(bindings, grouped=True)
                yield FooterLabel(group.description)
            else:
                yield from self._keys(bindings, grouped=False)
        if self._palette_shown():
            _node, binding, enabled, tooltip = self.screen.active_bindings[
                self.app.COMMAND_PALETTE_BINDING]
            yield FooterKey(binding.key, self.app.get_key_display(binding), binding.description,
                            binding.action, classes="-command-palette", disabled=not enabled,
                            tooltip=binding.tooltip or binding.description)

    def _keys(self, bindings: list[tuple[Binding, bool, str]], grouped: bool) -> Iterator[Widget]:
        for binding, enabled, tooltip in bindings:
            yield FooterKey(binding.key, self.app.get_key_display(binding),
                            "" if grouped else binding.description, binding.action,
                            disabled=not enabled, tooltip=tooltip or binding.description,
                            classes="-grouped" if grouped else "").data_bind(
                                compact=TextualFooter.compact)
