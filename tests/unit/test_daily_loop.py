"""The daily loop (issue 14): suggestions that say why, collection-wide limits, study more,
siblings, leeches, undo of any action, graded answers never dropped, quiz misses and interview."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from debrief.allowance import study_more, today_allowance, today_counts
from debrief.cards import Card, Deck
from debrief.config import ConfigError, Settings, load_settings
from debrief.plan import set_interview_date
from debrief.quiz import QuizOptions
from debrief.quiz.results import review_state, send_to_review
from debrief.quiz.session import QuizSession, build_questions, interview_ranking
from debrief.scheduling import CardState, Rating, suggestion
from debrief.search import search
from debrief.session import ReviewSession, leech_action


def text_deck(name: str, n: int, groups: dict[int, str] | None = None) -> Deck:
    groups = groups or {}
    cards = tuple(Card(id=f"{name}-{i}", deck=name, kind="text", prompt=f"{name} prompt {i}?",
                       answer=f"{name}answer{i}", group=groups.get(i)) for i in range(n))
    return Deck(name=name, title=name.title(), cards=cards)


def answer(session: ReviewSession, rating: Rating | None = Rating.GOOD, right: bool = True):
    record = session.current
    session.submit(record.card.answer if right else "zzz")
    return session.rate(rating)


# -- 1. the suggestion says why ------------------------------------------------------------


@pytest.mark.parametrize(("verdict", "seconds", "chars", "options", "rating", "reason"), [
    ("correct", 10.0, 8, 0, Rating.GOOD, ""),
    ("correct", 27.4, 0, 0, Rating.HARD, "slow: 27 s"),
    ("correct", 2.0, 4, 0, Rating.EASY, "fast"),
    ("correct", 1.0, 1, 2, Rating.GOOD, ""),  # a fast coin toss is not mastery
    ("correct", 1.0, 1, 4, Rating.EASY, "fast"),
    ("close", 6.0, 8, 0, Rating.HARD, "close, not exact"),
    ("wrong", 6.0, 8, 0, Rating.AGAIN, "wrong"),
    (None, 3.0, 0, 0, Rating.GOOD, ""),
])
def test_the_suggestion_says_why_when_it_is_not_good(verdict, seconds, chars, options, rating, reason):
    assert suggestion(verdict, seconds, chars, options) == (rating, reason)


def test_a_fast_answer_to_a_two_option_choice_never_suggests_easy(ws, clock, timer):
    card = Card(id="pick", deck="d", kind="choice", prompt="AI PM or ML PM?", answer="AI PM",
                options=("AI PM", "ML PM"))
    ws.store.decks.sync_decks([Deck(name="d", title="D", cards=(card,))], clock())
    session = ReviewSession(ws, timer=timer)
    assert session.current is not None
    timer.t += 1.0
    feedback = session.submit("1")
    assert feedback.is_right and feedback.suggested == Rating.GOOD


def test_a_slow_right_answer_is_hard_and_the_feedback_says_why(ws, clock, timer):
    ws.store.decks.sync_decks([text_deck("a", 1)], clock())
    session = ReviewSession(ws, timer=timer)
    assert session.current is not None
    timer.t += 31
    feedback = session.submit("aanswer0")
    assert feedback.suggestion_text == "Hard (slow: 31 s)"


# -- 2. limits for the whole collection ------------------------------------------------------


@pytest.fixture
def two_decks(ws, clock):
    ws.store.decks.sync_decks([text_deck("a", 30), text_deck("b", 30)], clock())
    return ws


def test_the_new_card_limit_holds_for_the_whole_collection(two_decks, timer):
    everything = ReviewSession(two_decks, timer=timer)
    for _ in range(20):
        assert everything.current is not None and everything.current.state.is_new
        answer(everything, Rating.EASY)
    assert everything.counts()["new"] == 0
    for deck in ("a", "b"):
        # Enter on one deck after 20 new cards from "All decks": nothing more today.
        one = ReviewSession(two_decks, decks=[deck], timer=timer)
        assert one.counts()["new"] == 0
        assert one.current is None or not one.current.state.is_new


def test_new_cards_from_one_deck_count_against_the_others(two_decks, timer):
    first = ReviewSession(two_decks, decks=["a"], timer=timer, limit=12)
    for _ in range(12):
        answer(first, Rating.EASY)
    assert ReviewSession(two_decks, decks=["b"], timer=timer).counts()["new"] == 8
    allowance = today_allowance(two_decks)
    assert (allowance.new_done, allowance.new_left) == (12, 8)


def test_the_review_limit_holds_for_the_whole_collection(two_decks, clock, timer):
    two_decks.settings = Settings(enable_fuzzing=False, new_per_day=60, reviews_per_day=5)
    session = ReviewSession(two_decks, timer=timer)
    while session.current is not None and session.current.state.is_new:
        answer(session, Rating.EASY)
    clock.advance(days=60)
    first = ReviewSession(two_decks, decks=["a"], timer=timer, limit=3)
    for _ in range(3):
        answer(first, Rating.GOOD)
    assert ReviewSession(two_decks, decks=["b"], timer=timer).counts()["review"] == 2
    assert today_counts(two_decks).review == 2


def test_new_cards_are_interleaved_across_decks(two_decks, timer):
    session = ReviewSession(two_decks, timer=timer)
    decks = []
    for _ in range(6):
        decks.append(session.current.card.deck)
        answer(session, Rating.EASY)
    assert decks == ["a", "b", "a", "b", "a", "b"]


# -- 3. study more today ---------------------------------------------------------------------


def test_study_more_raises_todays_new_limit_for_today_only(two_decks, clock, timer):
    session = ReviewSession(two_decks, timer=timer)
    for _ in range(20):
        answer(session, Rating.EASY)
    assert session.counts()["new"] == 0
    raised = study_more(two_decks, 10)
    assert (raised.new_limit, raised.new_left, raised.raised) == (30, 10, True)
    assert session.counts()["new"] == 10 and session.current.state.is_new
    clock.advance(days=1)
    assert today_allowance(two_decks).new_limit == 20  # the config's limit is back


def test_review_new_n_is_todays_limit_for_every_later_session_today(two_decks, clock, timer):
    ReviewSession(two_decks, timer=timer, new_limit=25)
    assert ReviewSession(two_decks, timer=timer).counts()["new"] == 25
    clock.advance(days=1)
    assert ReviewSession(two_decks, timer=timer).counts()["new"] == 20


# -- 4. siblings -----------------------------------------------------------------------------


def test_siblings_never_meet_on_the_same_day(ws, clock, timer):
    ws.store.decks.sync_decks([text_deck("a", 6, {0: "pair", 1: "pair", 2: "pair"})], clock())
    session = ReviewSession(ws, timer=timer)
    first = answer(session, Rating.EASY)
    assert first.record.card.id == "a-0"
    assert len(first.buried_siblings) == 2
    seen = []
    while session.current is not None:
        seen.append(session.current.card.id)
        answer(session, Rating.EASY)
    assert "a-1" not in seen and "a-2" not in seen
    _start, day_end = ws.day_bounds()
    sibling = next(r for r in ws.store.decks.cards() if r.card.id == "a-1")
    assert sibling.buried_until == day_end
    clock.now = day_end + timedelta(hours=1)
    tomorrow = ReviewSession(ws, timer=timer)
    ids = []
    while tomorrow.current is not None and len(ids) < 5:
        ids.append(tomorrow.current.card.id)
        answer(tomorrow, Rating.EASY)
    assert ids.count("a-1") + ids.count("a-2") == 1  # one of the pair tomorrow, never both


def test_undoing_an_answer_unburies_its_siblings(ws, clock, timer):
    ws.store.decks.sync_decks([text_deck("a", 3, {0: "pair", 1: "pair"})], clock())
    session = ReviewSession(ws, timer=timer)
    answer(session)
    session.undo()
    assert all(r.buried_until is None for r in ws.store.decks.cards())


# -- 5. leeches ------------------------------------------------------------------------------


def lapsing(ws, clock, lapses: int):
    """One review card with `lapses` lapses, due now."""
    ws.store.decks.sync_decks([text_deck("a", 1)], clock())
    [record] = ws.store.decks.cards()
    state = CardState(state="review", stability=3.0, difficulty=6.0, due=clock(),
                      last_review=clock() - timedelta(days=3), reps=10, lapses=lapses)
    ws.store.queue.reschedule(record.pk, state)
    return record.pk


def test_a_card_failed_eight_times_is_a_suspended_leech(ws, clock, timer):
    pk = lapsing(ws, clock, 7)
    session = ReviewSession(ws, timer=timer)
    answered = answer(session, None, right=False)
    assert answered.rating == Rating.AGAIN and answered.leech == "suspend"
    record = ws.store.decks.card(pk)
    assert record.leech and record.suspended and record.state.lapses == 8
    assert [r.pk for r in search(ws.store.decks.cards(), "is:leech", clock())] == [pk]
    assert [r.pk for r in search(ws.store.decks.cards(), "tag:leech", clock())] == [pk]
    session.undo()  # undo takes the leech back too
    record = ws.store.decks.card(pk)
    assert not record.leech and not record.suspended and record.state.lapses == 7


def test_the_leech_threshold_and_action_are_configurable(ws, clock, timer):
    ws.settings = Settings(enable_fuzzing=False, leech_lapses=3, leech_action="flag")
    pk = lapsing(ws, clock, 2)
    answered = answer(ReviewSession(ws, timer=timer), Rating.AGAIN, right=False)
    assert answered.leech == "flag"
    record = ws.store.decks.card(pk)
    assert record.leech and not record.suspended


@pytest.mark.parametrize(("lapses", "expected"), [(6, None), (7, "suspend"), (8, None), (10, None),
                                                  (11, "suspend")])
def test_a_leech_is_flagged_again_every_half_threshold(lapses, expected):
    before = CardState(state="review", lapses=lapses)
    assert leech_action(before, replace(before, lapses=lapses + 1), Settings()) == expected


def test_a_bad_leech_action_in_config_is_one_clear_error(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[scheduling]\nleech_action = "delete"\n')
    with pytest.raises(ConfigError, match="leech_action"):
        load_settings(path)


# -- 6 and 7. undo of any action; graded answers never dropped -----------------------------------


def test_undo_takes_back_a_suspend_and_a_bury(two_decks, timer):
    session = ReviewSession(two_decks, timer=timer)
    first = session.current
    session.suspend()
    second = session.current
    session.bury()
    assert session.undo_kind == "bury"
    undone = session.undo_last()
    assert (undone.kind, undone.record.pk) == ("bury", second.pk)
    assert session.current.pk == second.pk and two_decks.store.decks.card(second.pk).buried_until is None
    session.current  # noqa: B018 - on screen
    assert session.undo_last().kind == "suspend"
    assert session.current.pk == first.pk and not two_decks.store.decks.card(first.pk).suspended


def test_bury_after_the_feedback_saves_the_answer_with_the_suggestion(two_decks, timer):
    session = ReviewSession(two_decks, timer=timer)
    record = session.current
    timer.t += 10
    session.submit(record.card.answer)
    saved = session.bury()
    assert saved is not None and saved.rating == Rating.GOOD
    assert [r.rating for r in two_decks.store.log.history(record.pk)] == [3]
    assert two_decks.store.decks.card(record.pk).buried_until is not None
    undone = session.undo_last()  # one undo takes back both
    assert undone.answer_too and two_decks.store.log.history(record.pk) == []
    assert two_decks.store.decks.card(record.pk).buried_until is None


def test_save_pending_keeps_a_graded_answer_and_nothing_else(two_decks, timer):
    session = ReviewSession(two_decks, timer=timer)
    assert session.save_pending() is None  # nothing graded yet
    session.submit("zzz")
    saved = session.save_pending()
    assert saved is not None and saved.rating == Rating.AGAIN and session.done == 1


# -- 8. quiz misses and the interview drill ----------------------------------------------------


def test_a_never_studied_miss_sent_to_review_is_a_valid_learning_card_due_now(two_decks, clock, timer):
    quiz = QuizSession(two_decks, QuizOptions(count=3, kinds=("typed",), seed=4), timer=timer)
    quiz.start()
    for _ in range(3):
        quiz.answer("x")
    assert send_to_review(two_decks, quiz.report().to_review) == 3
    for outcome in quiz.report().to_review:
        state = two_decks.store.decks.card(outcome.question.record.pk).state
        assert state.state == "learning" and state.due == clock()
        assert state.stability is not None and state.difficulty is not None
    assert ReviewSession(two_decks, timer=timer).counts()["learning"] == 3


def test_review_state_keeps_a_studied_card_and_only_moves_its_due(clock):
    studied = CardState(state="review", stability=5.0, difficulty=5.0, due=clock() + timedelta(days=4),
                        last_review=clock() - timedelta(days=1), reps=3)
    assert review_state(studied, clock()) == replace(studied, due=clock())


def test_the_interview_drill_ranks_unstudied_cards_by_deck_weakness_and_the_seed(ws, clock, timer):
    ws.store.decks.sync_decks([text_deck("strong", 12), text_deck("weak", 12)], clock())
    session = ReviewSession(ws, decks=["strong"], timer=timer, new_limit=8)
    for _ in range(8):
        answer(session, Rating.EASY)
    set_interview_date(ws, (clock() + timedelta(days=20)).date().isoformat())
    records = [r for r in ws.store.decks.cards() if not r.suspended]
    ranked = interview_ranking(ws, records, seed=1)
    new_ranked = [r for r in ranked if r.state.is_new]
    # The weak deck (nothing studied) comes before the strong deck's unstudied cards.
    assert {r.card.deck for r in new_ranked[:12]} == {"weak"}
    ids = [r.card.id for r in new_ranked[:12]]
    assert ids != sorted(ids) and ids != [f"weak-{i}" for i in range(12)]
    other = [r.card.id for r in interview_ranking(ws, records, seed=2) if r.state.is_new][:12]
    assert other != ids and sorted(other) == sorted(ids)  # the seed shuffles the same cards
    questions = build_questions(ws, QuizOptions(count=5, interview=True, kinds=("typed",)), seed=1)
    assert len(questions) == 5 and {q.record.card.deck for q in questions} == {"weak"}


def test_a_quiz_with_fewer_cards_than_asked_says_why(ws, clock, timer):
    ws.store.decks.sync_decks([text_deck("a", 3)], clock())
    quiz = QuizSession(ws, QuizOptions(count=10, kinds=("typed",), seed=1), timer=timer)
    assert quiz.total == 3 and "only 3 of the 10 questions" in quiz.fewer


def test_the_trend_leaves_out_quizzes_ended_early(two_decks, timer):
    from debrief.quiz.results import past_quizzes
    from debrief.stats import stats_report
    from debrief.stats.plain import quiz_lines

    full = QuizSession(two_decks, QuizOptions(count=3, kinds=("typed",), seed=1), timer=timer)
    full.start()
    for _ in range(3):
        full.answer("x")
    early = QuizSession(two_decks, QuizOptions(count=5, kinds=("typed",), seed=2), timer=timer)
    early.start()
    early.answer(early.current.shortest_right_answer)
    early.stop()
    report = early.report()
    assert report.ended_early and (report.score, report.total) == (1, 2)
    assert "ended early" in report.trend_text()
    assert [q.id for q in past_quizzes(two_decks)] == [full.quiz_id]
    assert len(past_quizzes(two_decks, include_ended_early=True)) == 2
    stats = stats_report(two_decks)
    assert [q["ended_early"] for q in stats["quizzes"]] == [False, True]
    assert quiz_lines(stats)[0] == "Quiz scores, latest 1 (oldest first)"


def test_a_lower_review_new_n_caps_only_that_session(two_decks, timer):
    assert ReviewSession(two_decks, timer=timer, new_limit=0).counts()["new"] == 0
    assert ReviewSession(two_decks, timer=timer).counts()["new"] == 20


def test_a_fast_right_role_round_in_a_rescheduling_quiz_is_good_not_easy(ws, clock, timer):
    card = Card(id="role", deck="d", kind="choice", prompt="Who owns the model's accuracy?",
                answer="ML PM", options=("AI PM", "ML PM"))
    ws.store.decks.sync_decks([Deck(name="d", title="D", cards=(card,))], clock())
    quiz = QuizSession(ws, QuizOptions(count=1, seed=1, reschedule=True), timer=timer)
    quiz.start()
    timer.t += 1.0
    assert quiz.answer(quiz.current.shortest_right_answer).is_right
    [log] = ws.store.log.history(quiz.questions[0].record.pk)
    assert log.rating == int(Rating.GOOD)
