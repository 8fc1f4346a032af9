"""The store's quiz reads on every backend: finished quizzes, and quiz answers with their decks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from debrief.cards import Card, Deck

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_quizzes_and_quiz_answers(store):
    decks = [Deck(name=name, title=name, cards=tuple(
        Card(id=f"{name}-{i}", deck=name, kind="text", prompt=f"{name} {i}?", answer=f"a{i}")
        for i in range(2))) for name in ("alpha", "beta")]
    store.decks.sync_decks(decks, NOW)
    pks = {r.card.id: r.pk for r in store.decks.cards()}
    first = store.quizzes.start_quiz(NOW, {"seed": 1, "plan": [{"deck": "alpha"}]})
    store.queue.record_review(pks["alpha-0"], NOW, None, mode="quiz", rating=None, answer="a0",
                              verdict="correct", score=1.0, duration_ms=1200, quiz_id=first)
    store.queue.record_review(pks["beta-1"], NOW, None, mode="quiz", rating=None, answer=None,
                              verdict="wrong", score=0.0, duration_ms=5000, quiz_id=first)
    store.queue.record_review(pks["beta-0"], NOW, None, mode="review", rating=3, answer="a0",
                              verdict="correct", score=1.0, duration_ms=900)
    store.quizzes.finish_quiz(first, NOW + timedelta(minutes=1), 1, 2, 60.0)
    unfinished = store.quizzes.start_quiz(NOW + timedelta(hours=1), {})
    store.queue.record_review(pks["alpha-1"], NOW, None, mode="quiz", rating=None, answer="x",
                              verdict="wrong", score=0.0, duration_ms=10, quiz_id=unfinished)

    [quiz] = store.quizzes.quizzes()
    assert (quiz.id, quiz.score, quiz.total, quiz.seconds) == (first, 1, 2, 60.0)
    assert quiz.started_at == NOW and quiz.settings == {"seed": 1, "plan": [{"deck": "alpha"}]}
    assert [q.id for q in store.quizzes.quizzes(finished=False)] == [first, unfinished]

    answers = store.quizzes.quiz_answers([first])
    assert [(a.quiz_id, a.deck, a.answer, a.verdict, a.duration_ms) for a in answers] == [
        (first, "alpha", "a0", "correct", 1200), (first, "beta", None, "wrong", 5000)]
    assert len(store.quizzes.quiz_answers()) == 3 and store.quizzes.quiz_answers([]) == []
