"""The four rating choices, each with the interval it would give, the suggested one marked."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.widgets import Static

from debrief.scheduling import Rating, format_interval
from debrief.session import Feedback


class RatingChoice(Static):
    """One rating: its key, its name and the next interval it would give."""

    def __init__(self, rating: Rating) -> None:
        super().__init__(markup=False, id=f"rate-{rating.name.lower()}",
                         classes=f"rating -{rating.name.lower()}")
        self.rating = rating

    def show(self, interval: str, suggested: bool) -> None:
        mark = " ⏎" if suggested else ""
        self.update(Content.assemble((f"{int(self.rating)} {self.rating.label}{mark}", "bold"),
                                     "\n", interval))
        self.set_class(suggested, "-suggested")

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(RatingBar.Chosen(self.rating))


class RatingBar(HorizontalGroup, can_focus=True):
    """Again / Hard / Good / Easy with their intervals, as Anki's answer buttons."""

    DEFAULT_CSS = """
    RatingBar {
        height: auto;
        padding: 0 1;
        margin-top: 1;
        RatingChoice {
            width: 1fr;
            height: 2;
            content-align: center middle;
            text-align: center;
            background: $boost;
            margin-right: 1;
            &.-suggested { background: $accent; color: $text; text-style: bold; }
        }
        &:focus RatingChoice.-suggested { background: $accent-lighten-1; }
    }
    """

    class Chosen(Message):
        """A rating was clicked."""

        def __init__(self, rating: Rating) -> None:
            super().__init__()
            self.rating = rating

    def compose(self) -> ComposeResult:
        for rating in Rating:
            yield RatingChoice(rating)

    def show(self, feedback: Feedback) -> None:
        """Show each rating's next interval for this answer, marking the suggested one."""
        for choice in self.query(RatingChoice):
            outcome = feedback.outcomes[choice.rating]
            choice.show(format_interval(outcome.interval), choice.rating == feedback.suggested)
