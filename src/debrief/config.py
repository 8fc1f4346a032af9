"""User settings from `config.toml` in the data dir: scheduling and daily limits."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from datetime import timedelta
from pathlib import Path
from typing import Any

from debrief.errors import DebriefError


class ConfigError(DebriefError, ValueError):
    """The config file cannot be read or holds an invalid value."""


def parse_duration(text: str) -> timedelta:
    """Parse `90s`, `10m`, `1h30m`, `2d` or a plain number of seconds into a timedelta."""
    value = str(text).strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return timedelta(seconds=float(value))
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*(ms|s|sec|secs|m|min|mins|h|hr|hrs|d)", value)
    if not parts or re.sub(r"[\d.\s]|ms|secs|sec|s|mins|min|m|hrs|hr|h|d", "", value):
        raise ValueError(f"not a duration: {text!r} (try 90s, 10m, 1h)")
    scale = {"ms": 0.001, "s": 1, "sec": 1, "secs": 1, "m": 60, "min": 60, "mins": 60,
             "h": 3600, "hr": 3600, "hrs": 3600, "d": 86400}
    return timedelta(seconds=sum(float(n) * scale[u] for n, u in parts))


@dataclass(frozen=True)
class Settings:
    """Scheduling settings; the defaults are Anki's."""

    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval: int = 36500
    enable_fuzzing: bool = True
    new_per_day: int = 20
    reviews_per_day: int = 200
    day_starts_at: int = 4
    learn_ahead: timedelta = timedelta(minutes=20)
    parameters: tuple[float, ...] = field(default=())


_LIMITS = {
    "desired_retention": (0.7, 0.99),
    "maximum_interval": (1, 36500),
    "new_per_day": (0, 9999),
    "reviews_per_day": (0, 99999),
    "day_starts_at": (0, 23),
}


def load_settings(path: Path) -> Settings:
    """Read settings from `path` (a missing file means all defaults)."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: bad TOML: {exc}") from exc
    section = raw.get("scheduling", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [scheduling] must be a table")
    known = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    for key, value in section.items():
        if key not in known:
            raise ConfigError(f"{path}: unknown setting scheduling.{key}")
        try:
            values[key] = _coerce(key, value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{path}: scheduling.{key}: {exc}") from exc
    return Settings(**values)


def _coerce(key: str, value: object) -> object:
    if key in ("learning_steps", "relearning_steps"):
        if not isinstance(value, list):
            raise TypeError("must be a list like [\"1m\", \"10m\"]")
        return tuple(parse_duration(str(v)) for v in value)
    if key == "learn_ahead":
        return parse_duration(str(value))
    if key == "enable_fuzzing":
        if not isinstance(value, bool):
            raise TypeError("must be true or false")
        return value
    if key == "parameters":
        if not isinstance(value, list) or not all(isinstance(v, int | float) for v in value):
            raise TypeError("must be a list of numbers")
        return tuple(float(v) for v in value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("must be a number")
    low, high = _LIMITS[key]
    if not low <= value <= high:
        raise ValueError(f"must be between {low} and {high}")
    return float(value) if key == "desired_retention" else int(value)
