"""Test support shared by every tier: clocks and timers, the template database, the UI fixtures.

`tests/` is on pytest's `pythonpath`, so tests import `support.clocks`, `support.database`, ...;
the fixtures in `support.tui` are registered as a plugin by tests/conftest.py.
"""
