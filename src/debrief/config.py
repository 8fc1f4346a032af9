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
    # FSRS-6's 21 weights; empty means FSRS's defaults. Written by `debrief optimize` or by hand.
    parameters: tuple[float, ...] = field(default=())
    leech_lapses: int = 8  # Anki's leech threshold: a card failed this often is a leech
    leech_action: str = "suspend"  # suspend | flag | tag: what else happens to a leech
    # Recall to aim for on an interview day (the plan), higher than the everyday retention.
    interview_retention: float = 0.95


_LIMITS = {
    "desired_retention": (0.7, 0.99),
    "interview_retention": (0.7, 0.99),
    "maximum_interval": (1, 36500),
    "new_per_day": (0, 9999),
    "reviews_per_day": (0, 99999),
    "day_starts_at": (0, 23),
    "leech_lapses": (1, 999),
}
LEECH_ACTIONS = ("suspend", "flag", "tag")


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
    if key == "leech_action":
        if value not in LEECH_ACTIONS:
            raise ValueError(f"must be one of {', '.join(LEECH_ACTIONS)}")
        return value
    if key == "parameters":
        return check_parameters(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("must be a number")
    low, high = _LIMITS[key]
    if not low <= value <= high:
        raise ValueError(f"must be between {low} and {high}")
    return float(value) if key.endswith("_retention") else int(value)


PARAMETER_COUNT = 21
# FSRS-5's 19 weights become FSRS-6's 21 with these two (no same-day stability term, FSRS-5's
# fixed forgetting-curve decay), as fsrs-rs fills them.
_FSRS5_TAIL = (0.0, 0.5)


def check_parameters(value: object) -> tuple[float, ...]:
    """FSRS parameters from config: 21 numbers (FSRS-6), or 19 (FSRS-5, filled to 21), each
    within the range py-fsrs accepts. Raises TypeError/ValueError saying what is wrong."""
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    if not isinstance(value, list | tuple) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        raise TypeError("must be a list of numbers (FSRS-6's 21 weights, as `debrief optimize` "
                        "writes them)")
    numbers = [float(v) for v in value]
    if len(numbers) == PARAMETER_COUNT - len(_FSRS5_TAIL):
        numbers += _FSRS5_TAIL
    if len(numbers) != PARAMETER_COUNT:
        raise ValueError(f"must have {PARAMETER_COUNT} numbers (FSRS-6) or 19 (FSRS-5), "
                         f"not {len(value)}")
    for index, (number, low, high) in enumerate(
            zip(numbers, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)):
        if not low <= number <= high:
            raise ValueError(f"weight w[{index}] = {number:g} is outside {low:g} to {high:g}")
    return tuple(numbers)
