"""Every screen at 100x30, 80x24, 60x20 and 40x12: no line cut mid-word, no focused list hidden.

A word is "cut" when it runs into a border, a scrollbar or the screen's edge and the word shown is
only the start of a word the screen holds (its texts, cells, titles and keys). An ellipsis is a
deliberate cut and passes.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, OptionList

from support.screen_states import STATES
from support.tui import make_app

SIZES = [(100, 30), (80, 24), (60, 20), (40, 12)]
# Box drawing, block elements and the scrollbar glyphs: what a widget's text can run into.
EDGE = re.compile(r"[\u2500-\u259f]")
WORD = re.compile(r"[A-Za-z]+")


def widget_words(screen: Any) -> set[str]:
    """Every word the screen means to show, whole: widget texts, table cells, titles, keys."""
    texts: list[str] = [str(screen.app.title), str(screen.sub_title or "")]
    for widget in screen.query("*"):
        for title in (widget.border_title, widget.border_subtitle):
            if title:
                texts.append(str(title))
        if isinstance(widget, DataTable):
            for row in range(widget.row_count):
                texts += [getattr(c, "plain", str(c)) for c in widget.get_row_at(row)]
            texts += [str(getattr(c.label, "plain", c.label)) for c in widget.columns.values()]
            continue
        if isinstance(widget, Input):
            texts += [widget.value, widget.placeholder]
            continue
        try:
            visual = widget.render()
        except Exception:  # noqa: BLE001 - a widget that cannot render alone has no words
            continue
        texts.append(getattr(visual, "plain", str(visual)))
    for _node, binding, _enabled, _tooltip in screen.active_bindings.values():
        texts.append(binding.description)
    return {w for text in texts for w in WORD.findall(text)}


def cut_words(screen: Any, lines: list[str]) -> list[str]:
    """Lines where a word stops at an edge although the screen holds a longer word it starts."""
    words = widget_words(screen)
    problems = []
    for number, line in enumerate(lines):
        for match in WORD.finditer(line):
            end = match.end()
            at_edge = end == len(line.rstrip("\n")) and end >= screen.size.width
            if end < len(line) and EDGE.match(line[end]):
                at_edge = True
            fragment = match.group()
            if not at_edge or len(fragment) < 2 or fragment in words:
                continue
            if any(w.startswith(fragment) and w != fragment for w in words):
                problems.append(f"line {number}: {line.rstrip()!r} (cut: {fragment!r})")
    return problems


def hidden_focused_list(screen: Any) -> str | None:
    focused = screen.focused
    if isinstance(focused, DataTable | OptionList):
        rows = focused.row_count if isinstance(focused, DataTable) else focused.option_count
        visible = focused.scrollable_content_region.height - (
            focused.header_height if isinstance(focused, DataTable) and focused.show_header else 0)
        if rows and (visible <= 0 or not focused.display or focused.region.height == 0):
            return f"{focused!r} has {rows} rows but shows none"
    return None


def screen_lines(app: Any) -> list[str]:
    """The screen's lines; for a modal, only its dialog (the screen under it shows through,
    crossed by the dialog's edges, and is not the dialog's to lay out)."""
    lines = [strip.text for strip in app.screen._compositor.render_strips()]
    if isinstance(app.screen, ModalScreen) and app.screen.children:
        box = app.screen.children[0].region
        lines = [line[box.x:box.right] for line in lines[box.y:box.bottom]]
    return lines


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("state", list(STATES))
async def test_screen_fits(ws, timer, state: str, size: tuple[int, int]) -> None:
    app = make_app(ws, timer)
    async with app.run_test(size=size) as pilot:
        await STATES[state](pilot)
        lines = screen_lines(app)
        problems = cut_words(app.screen, lines)
        if isinstance(app.screen, ModalScreen):
            # and the dialog itself must fit: cut at the screen's edge is cut all the same
            box = app.screen.children[0].region
            if box.right > size[0] or box.bottom > size[1]:
                problems.append(f"the dialog {box} does not fit in {size}")
        hidden = hidden_focused_list(app.screen)
        if hidden:
            problems.append(hidden)
        assert not problems, "\n" + "\n".join(lines) + "\n\n" + "\n".join(problems)
