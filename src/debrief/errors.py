"""The base error: anything a user should see as one clear line, not a traceback."""


class DebriefError(Exception):
    """An error with a message fit to show the user as is."""


class DatabaseBusyError(DebriefError):
    """Another process held the database's write lock longer than the wait allows; trying again
    later can succeed (nothing was written)."""
