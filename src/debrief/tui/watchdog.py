"""The hang-up watchdog: once the terminal is gone, the app's process ends within seconds.

When the terminal closes (SIGHUP, a tmux kill-session, the pty gone), Textual's shutdown can
block forever: the main thread waits in `WriterThread.write` -> `Queue.put` for a queue that
nothing drains any more. Every answer is committed when it is rated, so there is nothing left
to save: a thread started from the signal handler ends the process with `os._exit` if the normal
shutdown has not finished soon (at once when the terminal is already unusable).
"""

from __future__ import annotations

import os
import signal
import sys
import termios
import threading
import time
from types import FrameType

GRACE_SECONDS = 3.0  # the normal shutdown's time to restore a terminal that is still there
POLL_SECONDS = 0.1

_finished = threading.Event()
_armed = threading.Lock()


def install(signals: tuple[int, ...] = (signal.SIGHUP,)) -> None:
    """Arm the watchdog when one of `signals` arrives, keeping the handler already installed.

    Call it after asyncio's `add_signal_handler`: the loop still gets the signal through its
    wake-up fd (and runs `App.exit`), while this Python-level handler runs in the main thread
    even when that thread is blocked and the loop never turns again.
    """
    for sig in signals:
        previous = signal.getsignal(sig)

        def handler(signum: int, frame: FrameType | None, previous: object = previous) -> None:
            arm(128 + signum)
            if callable(previous):
                previous(signum, frame)

        signal.signal(sig, handler)


def arm(exit_code: int) -> None:
    """Start the watchdog (once): it ends the process with `exit_code` unless `finished()` is
    called within the grace period, and at once if the terminal is no longer usable."""
    if not _armed.acquire(blocking=False):
        return
    threading.Thread(target=_watch, args=(exit_code,), name="debrief-hangup-watchdog",
                     daemon=True).start()


def finished() -> None:
    """The app's run has returned: the watchdog stands down (what follows, such as the exit
    backup, is not Textual's shutdown and finishes on its own)."""
    _finished.set()


def _terminal_gone() -> bool:
    try:
        termios.tcgetattr(sys.__stdout__.fileno() if sys.__stdout__ else 1)
    except (termios.error, OSError, ValueError):
        return True
    return False


def _watch(exit_code: int) -> None:
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline:
        if _finished.wait(POLL_SECONDS):
            return
        if _terminal_gone():
            break
    if not _finished.is_set():
        os._exit(exit_code)
