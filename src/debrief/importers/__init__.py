"""Bringing cards and reviews in from other apps' files (Anki packages)."""
