"""config.toml: FSRS parameters and interview retention are validated at load, one clear line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS

from debrief.config import ConfigError, Settings, load_settings
from debrief.scheduling import Scheduler

DEBRIEF = shutil.which("debrief", path=str(Path(sys.executable).parent)) or "debrief"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    return path


def numbers(values) -> str:
    return "[" + ", ".join(repr(v) for v in values) + "]"


def test_twenty_one_parameters_load_and_reach_the_scheduler(tmp_path):
    mine = list(DEFAULT_PARAMETERS)
    mine[0] = 0.5
    settings = load_settings(write(tmp_path, f"[scheduling]\nparameters = {numbers(mine)}\n"))
    assert settings.parameters == tuple(mine)
    assert Scheduler(settings).parameters == pytest.approx(tuple(mine))


def test_nineteen_fsrs5_parameters_are_filled_to_twenty_one(tmp_path):
    settings = load_settings(write(tmp_path, f"[scheduling]\nparameters = {numbers(DEFAULT_PARAMETERS[:19])}\n"))
    assert settings.parameters == (*DEFAULT_PARAMETERS[:19], 0.0, 0.5)


def test_interview_retention_defaults_and_loads(tmp_path):
    assert Settings().interview_retention == 0.95
    assert load_settings(write(tmp_path, "[scheduling]\ninterview_retention = 0.97\n")).interview_retention == 0.97


@pytest.mark.parametrize(("value", "message"), [
    (numbers(DEFAULT_PARAMETERS[:20]), "must have 21 numbers (FSRS-6) or 19 (FSRS-5), not 20"),
    ("[]", "not 0"),
    ('"0.2, 1.2"', "must be a list of numbers"),
    ('[0.2, "x"]', "must be a list of numbers"),
    (numbers([*DEFAULT_PARAMETERS[:4], 12.0, *DEFAULT_PARAMETERS[5:]]), "w[4] = 12 is outside 1 to 10"),
    (numbers([-1.0, *DEFAULT_PARAMETERS[1:]]), "w[0] = -1 is outside"),
])
def test_bad_parameters_are_refused_naming_file_and_key(tmp_path, value, message):
    path = write(tmp_path, f"[scheduling]\nparameters = {value}\n")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    text = str(info.value)
    assert text.startswith(f"{path}: scheduling.parameters: ") and message in text
    assert "\n" not in text


@pytest.mark.parametrize("value", ["1.2", "0.5", "true", '"high"'])
def test_bad_interview_retention_is_refused(tmp_path, value):
    path = write(tmp_path, f"[scheduling]\ninterview_retention = {value}\n")
    with pytest.raises(ConfigError, match=r"scheduling\.interview_retention"):
        load_settings(path)


@pytest.mark.e2e
def test_the_command_refuses_a_bad_config_in_one_line(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    write(home, "[scheduling]\nparameters = [0.2, 1.3, 2.3]\n")
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DEBRIEF_")}
    environ.update({"DEBRIEF_HOME": str(home), "TZ": "UTC"})
    result = subprocess.run([DEBRIEF, "review", "--plain"], input="", capture_output=True,
                            text=True, env=environ, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"debrief: error: {home / 'config.toml'}: scheduling.parameters: must have 21 numbers "
        "(FSRS-6) or 19 (FSRS-5), not 3"]
