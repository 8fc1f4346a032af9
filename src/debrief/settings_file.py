"""Changing settings in `config.toml` without losing the user's comments or layout."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from debrief.config import ConfigError, Settings, load_settings

SECTION = "scheduling"
_HEADER = re.compile(r"^\s*\[([^\]]+)\]\s*(#.*)?$")


def toml_value(value: int | float | str | list[str]) -> str:
    """`value` as TOML: numbers as they are, text quoted, a list of text as an array."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def updated_text(text: str, changes: dict[str, int | float | str | list[str]]) -> str:
    """`text` (a config.toml) with each key of `changes` set in [scheduling]: a key's line is
    rewritten in place (its trailing comment kept), a new key goes at the end of the section,
    and every other line, comments included, stays as it was."""
    lines = text.splitlines()
    section: str | None = None
    start = end = None
    for index, line in enumerate(lines):
        header = _HEADER.match(line)
        if header:
            if section == SECTION:
                end = index
            section = header.group(1).strip()
            if section == SECTION:
                start = index
    if start is None:
        lines += ([""] if lines and lines[-1].strip() else []) + [f"[{SECTION}]"]
        start, end = len(lines) - 1, len(lines)
    elif end is None or end < start:
        end = len(lines)
    pending = dict(changes)
    for index in range(start + 1, end):
        match = re.match(r"^(\s*)([A-Za-z0-9_]+)(\s*=\s*)(.*)$", lines[index])
        if match and match.group(2) in pending:
            comment = re.search(r"\s+#.*$", match.group(4))
            lines[index] = (f"{match.group(1)}{match.group(2)}{match.group(3)}"
                            f"{toml_value(pending.pop(match.group(2)))}"
                            f"{comment.group(0) if comment else ''}")
    insert_at = end
    while insert_at - 1 > start and not lines[insert_at - 1].strip():
        insert_at -= 1  # new keys go after the section's last setting, not after blank lines
    for key, value in pending.items():
        lines.insert(insert_at, f"{key} = {toml_value(value)}")
        insert_at += 1
    return "\n".join(lines) + "\n"


def read_config(path: Path) -> str:
    """The config file's text ("" when there is none yet); one clear error if it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from exc


def write_config(path: Path, text: str) -> Settings:
    """Replace the config file at `path` with `text` and return the settings it holds.

    The new text is written to a temporary file beside it (flushed to disk, the old file's
    permissions kept) and checked by the same loader the app starts with before it replaces
    the old one atomically: a bad value raises ConfigError and leaves the file as it was, and a
    crash never leaves half a config."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write config: {exc.strerror or exc}") from exc
    temp = Path(temp_name)
    try:
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            if path.exists():
                os.chmod(temp, path.stat().st_mode & 0o777)
        except OSError as exc:
            raise ConfigError(f"{path}: cannot write config: {exc.strerror or exc}") from exc
        try:
            settings = load_settings(temp)
        except ConfigError as exc:
            # Say which setting, not which temporary file.
            raise ConfigError(str(exc).replace(f"{temp}: ", "")) from None
        try:
            os.replace(temp, path)
        except OSError as exc:
            raise ConfigError(f"{path}: cannot write config: {exc.strerror or exc}") from exc
    finally:
        temp.unlink(missing_ok=True)
    return settings


def save_settings(path: Path, changes: dict[str, int | float | str | list[str]]) -> Settings:
    """Write `changes` to the config file at `path` (comments kept) and return the settings it
    now holds; see `write_config` for how the file is replaced."""
    return write_config(path, updated_text(read_config(path), changes))
