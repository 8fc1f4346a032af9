"""debrief: terminal flashcards and timed quizzes for AI PM and ML PM interviews."""

__version__ = "0.1.0"
