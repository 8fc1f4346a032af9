"""Writing settings to config.toml: values changed in place, comments kept, bad values refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from debrief.config import ConfigError, load_settings
from debrief.settings_file import save_settings, updated_text

COMMENTED = """# my debrief config
[scheduling]
# fewer new cards while I travel
new_per_day = 5   # was 20
enable_fuzzing = false

[other]
x = 1
"""


def test_a_value_changes_in_place_and_every_comment_stays():
    text = updated_text(COMMENTED, {"new_per_day": 12, "desired_retention": 0.85})
    assert "new_per_day = 12   # was 20" in text
    for line in COMMENTED.splitlines():
        if line.startswith("#") or line.startswith("[") or "fuzzing" in line or line == "x = 1":
            assert line in text
    # the new key sits in [scheduling], not under [other]
    assert text.index("desired_retention = 0.85") < text.index("[other]")


def test_a_missing_file_or_section_is_made(tmp_path):
    path = tmp_path / "config.toml"
    settings = save_settings(path, {"learning_steps": ["2m", "15m"], "day_starts_at": 5})
    assert settings.learning_steps == (timedelta(minutes=2), timedelta(minutes=15))
    assert load_settings(path).day_starts_at == 5
    assert updated_text("[other]\nx = 1\n", {"new_per_day": 3}).endswith(
        "[other]\nx = 1\n\n[scheduling]\nnew_per_day = 3\n")


@pytest.mark.parametrize(("changes", "reason"), [
    ({"desired_retention": 1.5}, "between 0.7 and 0.99"),
    ({"day_starts_at": 24}, "between 0 and 23"),
    ({"learning_steps": ["soon"]}, "not a duration"),
    ({"new_per_day": -1}, "between 0 and 9999"),
])
def test_a_bad_value_is_refused_and_the_file_is_untouched(tmp_path, changes, reason):
    path = tmp_path / "config.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    with pytest.raises(ConfigError, match=reason) as raised:
        save_settings(path, changes)
    assert str(tmp_path) not in str(raised.value)  # names the setting, not a temporary file
    assert path.read_text(encoding="utf-8") == COMMENTED
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]  # no temporary file left
