"""Write a file whole or not at all: a temporary file beside it, then one rename."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from debrief.export import ExportError


def write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Call `write` with a binary file that becomes `path` only if `write` returns.

    A failed or interrupted export leaves any earlier file at `path` as it was and no
    half-written file behind. Raise ExportError for a path that cannot be written.
    """
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a directory (give a file name inside it)")
    parent = path.parent
    if not parent.is_dir():
        reason = "is not a directory" if parent.exists() else "does not exist"
        raise ExportError(f"cannot write {path}: {parent} {reason}")
    # Our own name with O_EXCL rather than mkstemp: mkstemp makes the file 0600, and an export
    # is meant to get the ordinary permissions (0666 less the umask).
    temp = parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    replaced = False
    try:
        with os.fdopen(fd, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
        replaced = True
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if not replaced:
            temp.unlink(missing_ok=True)
