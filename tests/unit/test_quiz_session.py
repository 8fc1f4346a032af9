"""The quiz session: both clocks on an injectable timer, scoring, logging, history, misses to review."""

from __future__ import annotations

from datetime import timedelta

import pytest

from debrief.quiz import QuizError, QuizOptions, QuizSession, send_to_review
from debrief.scheduling import Rating
from debrief.session import ReviewSession
from debrief.stats import quiz_trend
from support.quiz_decks import make_deck


@pytest.fixture
def loaded(ws, clock):
    ws.store.decks.sync_decks([make_deck("alpha"), make_deck("beta")], clock())
    return ws


def quiz(ws, timer, **options) -> QuizSession:
    options.setdefault("seed", 1)
    session = QuizSession(ws, QuizOptions(**options), timer=timer)
    session.start()
    return session


# -- the clocks -----------------------------------------------------------------------------------


def test_a_question_whose_time_runs_out_counts_as_unanswered_and_the_quiz_moves_on(loaded, timer):
    session = quiz(loaded, timer, count=3, per_question=10)
    first = session.current
    timer.t += 9.9
    assert session.tick() == [] and session.current is first
    assert session.question_time_left() == pytest.approx(0.1)
    timer.t += 0.1
    [outcome] = session.tick()
    assert outcome.question is first and outcome.status == "timeout" and outcome.seen
    assert session.current is session.questions[1]
    assert session.question_time_left() == pytest.approx(10)  # the next question gets its own time
    history = loaded.store.log.history(first.record.pk)
    assert [(h.mode, h.answer, h.verdict) for h in history] == [("quiz", None, "wrong")]


def test_an_answer_after_the_question_ran_out_is_not_taken(loaded, timer):
    session = quiz(loaded, timer, count=3, per_question=5)
    first = session.current
    timer.t += 6
    outcome = session.answer(first.shortest_right_answer)
    assert outcome.question is first and outcome.status == "timeout"
    assert session.score == 0 and session.current is session.questions[1]


def test_when_the_quiz_time_runs_out_it_ends(loaded, timer):
    session = quiz(loaded, timer, count=5, time_limit=60)
    session.answer(session.current.shortest_right_answer)
    timer.t += 30
    assert session.time_left() == pytest.approx(30)
    timer.t += 31
    resolved = session.tick()
    assert session.over and session.ended == "time" and session.current is None
    assert [o.status for o in session.outcomes] == ["right"] + ["unanswered"] * 4
    assert [o.seen for o in resolved] == [True, False, False, False]
    report = session.report()
    assert (report.score, report.total, report.seconds) == (1, 5, 60)
    with pytest.raises(QuizError, match="over"):
        session.answer("x")


def test_the_quiz_clock_caps_the_question_clock(loaded, timer):
    session = quiz(loaded, timer, count=5, time_limit=12, per_question=10)
    timer.t += 10
    session.tick()
    assert session.question_time_left() == pytest.approx(2)  # 2 s left for the quiz
    timer.t += 2
    session.tick()
    assert session.ended == "time"


def test_default_time_is_thirty_seconds_a_question_and_zero_means_none(loaded, timer):
    assert quiz(loaded, timer, count=4).time_limit == 120
    assert quiz(loaded, timer, count=4, per_question=45).time_limit == 180
    untimed = quiz(loaded, timer, count=4, time_limit=0)
    assert untimed.time_limit is None and untimed.time_left() is None and untimed.deadline() is None
    timer.t += 10_000
    assert untimed.tick() == [] and not untimed.over


def test_stopping_ends_the_quiz_with_the_rest_unanswered(loaded, timer):
    session = quiz(loaded, timer, count=4)
    session.answer("nonsense")
    timer.t += 3
    session.stop()
    report = session.report()
    assert report.ended == "stopped" and report.score == 0
    assert [o.status for o in report.outcomes] == ["wrong", "unanswered", "unanswered", "unanswered"]
    assert [o.question.number for o in report.to_review] == [1, 2]  # the unseen are not sent


# -- scoring and logging --------------------------------------------------------------------------


def test_scoring_and_one_committed_log_row_per_answer(loaded, timer):
    session = quiz(loaded, timer, count=6, time_limit=0)
    plan = []
    for index, question in enumerate(list(session.questions)):
        timer.t += index + 1
        right = index % 2 == 0
        plan.append(right)
        session.answer(question.shortest_right_answer if right else "surely not")
        # committed at once: a second store on the same file sees it before the quiz ends
        assert len(loaded.store.quizzes.quiz_answers([session.quiz_id])) == index + 1
    report = session.report()
    assert report.score == 3 and report.total == 6 and report.seconds == sum(range(1, 7))
    assert [o.is_right for o in report.outcomes] == plan
    assert [o.seconds for o in report.slowest] == [6, 5, 4]
    assert sum(t.total for t in report.by_kind.values()) == 6
    assert sum(t.right for t in report.by_deck.values()) == 3
    assert [o.question.number for o in report.misses] == [2, 4, 6]
    [row] = loaded.store.quizzes.quizzes()
    assert (row.score, row.total, row.seconds) == (3, 6, 21)
    assert row.settings["seed"] == 1 and len(row.settings["plan"]) == 6


def test_choice_answers_log_the_option_text(loaded, timer):
    session = quiz(loaded, timer, count=20, kinds=("role",))
    question = session.current
    session.answer("1")
    [logged] = loaded.store.log.history(question.record.pk)
    assert logged.answer == "AI PM" and logged.mode == "quiz"


def test_quiz_answers_leave_the_schedule_alone(loaded, timer):
    before = {r.pk: r.state for r in loaded.store.decks.cards()}
    session = quiz(loaded, timer, count=5)
    for question in list(session.questions):
        session.answer(question.shortest_right_answer)
    assert {r.pk: r.state for r in loaded.store.decks.cards()} == before


def test_reschedule_moves_the_cards(loaded, timer):
    session = quiz(loaded, timer, count=2, reschedule=True)
    first, second = session.questions
    session.answer(first.shortest_right_answer)
    session.answer("wrong on purpose")
    states = {r.pk: r.state for r in loaded.store.decks.cards()}
    assert states[first.record.pk].reps == 1 and states[second.record.pk].reps == 1
    assert [h.rating for h in loaded.store.log.history(second.record.pk)] == [int(Rating.AGAIN)]


def test_no_cards_is_a_clear_error(loaded, timer):
    with pytest.raises(QuizError, match="no cards missed in the last 14 days"):
        QuizSession(loaded, QuizOptions(missed=True), timer=timer)


def test_suspended_cards_are_left_out(loaded, timer):
    for record in loaded.store.decks.cards():
        if record.card.deck == "beta":
            loaded.store.decks.set_suspended(record.pk, True, loaded.now())
    session = quiz(loaded, timer, count=50)
    assert {q.deck for q in session.questions} == {"alpha"}


# -- --missed -------------------------------------------------------------------------------------


def test_missed_takes_cards_whose_latest_answer_was_wrong(loaded, timer, clock):
    first = quiz(loaded, timer, count=4, time_limit=0)
    wrong = []
    for index, question in enumerate(list(first.questions)):
        if index < 2:
            wrong.append(question.card.id)
            first.answer("no idea")
        else:
            first.answer(question.shortest_right_answer)
    again = quiz(loaded, timer, missed=True, seed=5)
    assert sorted(q.card.id for q in again.questions) == sorted(wrong)
    fixed = again.questions[0]
    for question in list(again.questions):
        again.answer(question.shortest_right_answer if question is fixed else "still no")
    third = quiz(loaded, timer, missed=True)
    assert fixed.card.id not in {q.card.id for q in third.questions}
    clock.advance(days=15)
    with pytest.raises(QuizError):
        quiz(loaded, timer, missed=True)


# -- seed ----------------------------------------------------------------------------------------


def test_the_seed_reproduces_the_quiz(loaded, timer):
    def shape(session):
        return [(q.card.id, q.kind, q.options) for q in session.questions]

    assert shape(quiz(loaded, timer, seed=99)) == shape(quiz(loaded, timer, seed=99))
    assert shape(quiz(loaded, timer, seed=99)) != shape(quiz(loaded, timer, seed=100))
    random_seed = QuizSession(loaded, QuizOptions(), timer=timer)
    assert random_seed.seed > 0
    assert shape(random_seed) == shape(quiz(loaded, timer, seed=random_seed.seed))


# -- history and trend ----------------------------------------------------------------------------


def test_quiz_history_for_stats(loaded, timer, clock):
    session = quiz(loaded, timer, count=4, time_limit=60)
    decks = [q.deck for q in session.questions]
    session.answer(session.current.shortest_right_answer)
    timer.t += 61
    session.tick()
    unfinished = quiz(loaded, timer, count=3)  # started, never finished: not in the history
    unfinished.answer("x")
    [entry] = quiz_trend(loaded)
    assert set(entry) == {"date", "day", "score", "total", "seconds", "accuracy", "accuracy_per_deck",
                          "ended_early"}
    assert entry["ended_early"] is False  # time ran out: not ended early, every question counts
    assert entry["date"] == clock().isoformat()
    assert (entry["score"], entry["total"], entry["seconds"]) == (1, 4, 60)
    expected = {d: (1 if d == decks[0] else 0) / decks.count(d) for d in set(decks)}
    assert entry["accuracy_per_deck"] == pytest.approx(expected)


def test_the_trend_compares_with_previous_quizzes(loaded, timer):
    scores = []
    for n_right in (1, 3, 2):
        session = quiz(loaded, timer, count=4, seed=n_right)
        for index, question in enumerate(list(session.questions)):
            session.answer(question.shortest_right_answer if index < n_right else "x")
        scores.append(session.report())
    last = scores[-1]
    assert [p.score for p in last.previous] == [1, 3]
    assert last.trend_points == [0.25, 0.75, 0.5]
    assert last.trend_text() == ("50%: down 25 points from 75% last time; average 50% and best 75% "
                                 "over the previous 2 quizzes.")
    assert scores[0].trend_text().startswith("25%: your first quiz")


# -- misses to review -----------------------------------------------------------------------------


def test_misses_go_into_todays_review(loaded, timer, clock):
    # make one card a review card due in weeks, so both a new and a review card are sent
    review = ReviewSession(loaded, timer=timer)
    studied = review.current
    review.submit(studied.card.answer_text)
    review.rate(Rating.EASY)
    loaded.store.decks.bury(studied.pk, clock() + timedelta(hours=20), clock())
    session = quiz(loaded, timer, count=36, time_limit=0)
    missed = []
    for question in list(session.questions):
        if question.record.pk == studied.pk or len(missed) < 2:
            missed.append(question.record.pk)
            session.answer("wrong")
        else:
            session.answer(question.shortest_right_answer)
    report = session.report()
    assert {o.question.record.pk for o in report.to_review} == set(missed)
    assert send_to_review(loaded, report.to_review) == len(missed)
    now = clock()
    for pk in missed:
        record = loaded.store.decks.card(pk)
        assert record.state.state in ("learning", "review", "relearning")
        assert record.state.due <= now and record.buried_until is None
    seen = set()
    today = ReviewSession(loaded, timer=timer, new_limit=0)
    while today.current is not None:
        seen.add(today.current.pk)
        today.submit(today.current.card.answer_text)
        today.rate(Rating.GOOD)
    assert set(missed) <= seen
