"""The feedback after an answer: the verdict in words and a symbol, a diff, the answer and why."""

from __future__ import annotations

from difflib import SequenceMatcher

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from debrief.session import Feedback
from debrief.tui.format import WORD, plain, verdict_text

# How each diff operation is drawn. Struck-through and underlined text read without colour.
DIFF_STYLES = {
    "equal": "",
    "delete": "strike $text-error",
    "insert": "underline $text-success",
    "replace": "underline $text-warning",
}
TRIVIAL = {word.lower() for word in WORD.values()} | set(WORD)  # feedback that only repeats the verdict
DIFF_LEGEND = "struck: not in the answer · underlined: missing from yours"


def word_diff(typed: str, expected: str) -> tuple[tuple[str, str], ...]:
    """Segments that turn `typed` into `expected` word by word (case aside): a different term
    reads as the words swapped, not as letters struck through inside them."""
    ours, theirs = typed.split(), expected.split()
    if not ours or not theirs:
        return ()
    matcher = SequenceMatcher(None, [w.lower() for w in ours], [w.lower() for w in theirs],
                              autojunk=False)
    segments: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("equal", "delete", "replace"):
            segments.append(("equal" if op == "equal" else "delete", " ".join(ours[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(("insert", " ".join(theirs[j1:j2])))
    spaced: list[tuple[str, str]] = []
    for index, (kind, text) in enumerate(segments):
        spaced.append((kind, text))
        if index < len(segments) - 1:
            spaced.append(("equal", " "))
    return tuple(spaced)


def diff_content(diff: tuple[tuple[str, str], ...]) -> Content:
    """The grader's (op, text) segments as one line, each op styled (never colour alone)."""
    return Content.assemble(*[(str(text), DIFF_STYLES.get(op, "")) for op, text in diff])


def rubric_content(points: tuple[str, ...]) -> Content:
    """A recall card's rubric as a checklist to rate yourself against (card text as data)."""
    lines = [Content.assemble(("A strong answer covers:", "bold"))]
    lines += [Content.assemble(("  ☐ ", "dim"), plain(point)) for point in points]
    return Content("\n").join(lines)


class FeedbackView(Vertical):
    """What the grader said about the answer just given."""

    DEFAULT_CSS = """
    FeedbackView {
        height: auto;
        padding: 0 1;
        #verdict { width: auto; padding: 0 1; text-style: bold; }
        #verdict.-correct { background: $success; color: $text; }
        #verdict.-close { background: $success 60%; color: $text; }
        #verdict.-partial { background: $warning; color: $text; }
        #verdict.-wrong { background: $error; color: $text; }
        #verdict.-recall { background: $primary; color: $text; }
        .label { color: $text-muted; }
        #diff-legend { padding-left: 8; color: $text-muted; display: none; }
        #diff-legend.-shown { display: block; }
        #explanation { margin-top: 1; }
        #rubric { margin-top: 1; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="verdict", markup=False)
        yield Static(id="diff", markup=False)
        yield Static(id="diff-legend", markup=False)
        yield Static(id="expected", markup=False)
        yield Static(id="detail", markup=False)
        yield Static(id="rubric", markup=False)
        yield Static(id="explanation", markup=False)

    def _set(self, selector: str, content: Content | None) -> None:
        widget = self.query_one(selector, Static)
        widget.update(content if content is not None else Content(""))
        widget.display = content is not None and bool(content.plain)

    def show(self, feedback: Feedback) -> None:
        """Fill the view from `feedback` (a graded typed answer or a revealed recall card)."""
        card = feedback.record.card
        verdict = feedback.verdict
        badge = self.query_one("#verdict", Static)
        badge.remove_class("-correct", "-close", "-partial", "-wrong", "-recall")
        diff = None
        detail = None
        segments: tuple[tuple[str, str], ...] = ()
        if verdict is None:
            badge.update(Content("◆ Answer shown: how well did you recall it?"))
            badge.add_class("-recall")
        else:
            name = str(verdict.verdict)
            badge.update(Content(verdict_text(name)))
            badge.add_class(f"-{name}")
            segments = tuple(getattr(verdict, "diff", ()) or ())
            if segments and name != "close" and feedback.answer:
                # Letter by letter only for a typo ("close"): for another term, word by word.
                segments = word_diff(feedback.answer, str(getattr(verdict, "matched", None)
                                                           or card.answer_text))
            if segments and any(op != "equal" for op, _text in segments):
                diff = Content.assemble(("Yours   ", "dim"), diff_content(segments))
            elif feedback.answer:
                diff = Content.assemble(("Yours   ", "dim"), plain(feedback.answer))
            lines = []
            said = str(getattr(verdict, "feedback", "") or "")
            if said and said.strip(" .!").lower() not in TRIVIAL:
                lines.append(plain(said))
            missing = tuple(getattr(verdict, "missing", ()) or ())
            if missing and "missing" not in said.lower():  # say it once
                lines.append(Content.assemble(("Missing ", "dim"), plain(", ".join(missing))))
            detail = Content("\n").join(lines) if lines else None
        self._set("#diff", diff)
        legend = self.query_one("#diff-legend", Static)
        legend.update(Content(DIFF_LEGEND))
        legend.set_class(diff is not None and any(
            op != "equal" for op, _text in (segments if verdict is not None else ())), "-shown")
        expected = Content.assemble(("Answer  ", "dim"), (plain(card.answer_text)))
        matched = getattr(verdict, "matched", None)
        if matched and str(matched) != card.answer_text:
            expected = Content.assemble(expected, ("  (matched ", "dim"), plain(matched), (")", "dim"))
        self._set("#expected", expected)
        self._set("#detail", detail)
        self._set("#rubric", rubric_content(card.rubric) if card.rubric and verdict is None else None)
        self._set("#explanation", Content.assemble(("Why  ", "bold"), plain(card.explanation))
                  if card.explanation else None)
