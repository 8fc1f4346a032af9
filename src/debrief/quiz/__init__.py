"""Timed quizzes: questions made from cards, a timed session, results and history. No UI code."""

from __future__ import annotations

from debrief.quiz.questions import (
    KIND_TITLES,
    QUESTION_KINDS,
    Question,
    QuizError,
    chosen_option,
    distractors,
    grade,
    make_questions,
    parse_kinds,
)
from debrief.quiz.results import QuizReport, Tally, miss_answer, send_to_review
from debrief.quiz.session import (
    QuestionOutcome,
    QuizOptions,
    QuizSession,
    QuizStatus,
    build_questions,
    missed_card_pks,
)

__all__ = [
    "KIND_TITLES", "QUESTION_KINDS", "QuestionOutcome", "Question", "QuizError", "QuizOptions",
    "QuizReport", "QuizSession", "QuizStatus", "Tally", "build_questions", "chosen_option", "distractors",
    "grade", "make_questions", "miss_answer", "missed_card_pks", "parse_kinds", "send_to_review",
]
