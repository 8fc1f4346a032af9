"""Type-ahead: keys typed while a screen changes what keys mean are held, then replayed in order.

Textual hands each key to the widget focused when the app reads the key, but a screen change
(Enter's answer graded and its ratings focused, a rating's next card shown) happens a few
messages later. A fast typist's keys in between went to the wrong place: typed after Enter they
joined the answer just submitted, and a rating followed by the next answer lost the Enter. Here
a key that starts such a change closes a gate; the screen opens it once the change is on screen
(`TypeAheadScreen.keys_ready`), and the keys held meanwhile are replayed in the order typed, each
to where it would have gone had the user waited.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable
from typing import Any, ClassVar, Concatenate, ParamSpec, TypeVar

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen
from textual.timer import Timer

# A safety valve, not a timing: a change that never says it is done (a path that forgot to call
# `keys_ready`) frees the held keys after this many seconds instead of keeping them for ever.
HOLD_LIMIT = 4.0

ResultT = TypeVar("ResultT")
ReturnT = TypeVar("ReturnT")
P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound="TypeAheadScreen[Any]")

TypedEvent = events.Key | events.Paste


class TypeAheadScreen(Screen[ResultT]):
    """A screen some of whose key actions (`CHANGES`) change what the following keys mean.

    Each such action, once its change is on screen (new widgets shown and focused), calls
    `keys_ready`, also when it failed or did nothing."""

    CHANGES: ClassVar[frozenset[str]] = frozenset()  # action names, bound on this screen or its widgets

    def changes(self, namespace: DOMNode, action: str) -> bool:
        """Whether running `action` on `namespace` changes what the next keys mean."""
        return namespace is not self.app and action in self.CHANGES

    def keys_ready(self) -> None:
        """The change a key started is on screen: let the keys typed meanwhile through."""
        app = self.app
        if isinstance(app, TypeAheadApp):
            app.release_keys()


def then_keys_ready(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Decorate a screen's change (an action in its `CHANGES`, or the handler of the message
    that action posts) so that it lets the held keys through when it ends, however it ends."""

    @functools.wraps(method)
    def wrapper(self: S, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        finally:
            self.keys_ready()

    return wrapper


class TypeAheadApp(App[ReturnT]):
    """An app that holds keys typed while a `TypeAheadScreen` changes, and replays them."""

    def __init__(self) -> None:
        super().__init__()
        self._keys_held = False
        self._held_keys: deque[TypedEvent] = deque()
        self._hold_timer: Timer | None = None

    @property
    def keys_held(self) -> bool:
        """Whether keys typed now would wait: a change is under way, or held keys are still
        to be replayed."""
        return self._keys_held or bool(self._held_keys)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            if self._keys_held or self._held_keys:
                self._held_keys.append(event)  # after the change, in the order typed
                return
            self._hold_if_changing(event)
        await super().on_event(event)

    def release_keys(self) -> None:
        """Open the gate and replay the held keys (after what is already queued, such as a focus
        change the screen asked for)."""
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        self._keys_held = False
        if self._held_keys:
            self.call_later(self._replay)

    async def _replay(self) -> None:
        while self._held_keys and not self._keys_held:
            event = self._held_keys.popleft()
            fresh: TypedEvent = (events.Key(event.key, event.character)
                                 if isinstance(event, events.Key) else events.Paste(event.text))
            self._hold_if_changing(fresh)
            await super().on_event(fresh)

    def _hold_if_changing(self, event: TypedEvent) -> None:
        if not isinstance(event, events.Key):
            return
        screen = self.screen
        if not isinstance(screen, TypeAheadScreen):
            return
        found = self._action_for(screen, event.key)
        if found is not None and screen.changes(*found):
            self.hold_keys()

    def hold_keys(self, limit: float = HOLD_LIMIT) -> None:
        """Hold the keys typed from now on until `release_keys` (or, as a safety valve, until
        `limit` seconds have passed)."""
        self._keys_held = True
        if self._hold_timer is not None:
            self._hold_timer.stop()
        self._hold_timer = self.set_timer(limit, self.release_keys, name="type-ahead")

    def _action_for(self, screen: Screen[object], key: str) -> tuple[DOMNode, str] | None:
        """The namespace and action `key` will run on `screen`, found as Textual's own
        `App._check_bindings` finds it: priority bindings from the app down, then the others
        from the focused widget up (keys an Input consumes are already left out)."""
        chains = ((True, list(reversed(screen._binding_chain))),
                  (False, screen._modal_binding_chain))
        for priority, chain in chains:
            for namespace, bindings in chain:
                for binding in bindings.key_to_bindings.get(key, ()):
                    if binding.priority != priority:
                        continue
                    target, name, params = self._parse_action(binding.action, namespace)
                    if target.check_action(name, params):
                        return target, name
        return None
