"""Pilot tests of the Textual app: isolated DEBRIEF_HOME, fixed clock, demo decks."""

from tui_fixtures import (  # noqa: F401 - fixtures
    demo_ws,
    isolated_home,
    template_db,
    timer,
    utc_local_time,
    ws,
)
