"""The Textual face of debrief: the home, review, browse and summary screens."""
