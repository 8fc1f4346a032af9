"""The base error: anything a user should see as one clear line, not a traceback."""


class DebriefError(Exception):
    """An error with a message fit to show the user as is."""
