"""File-system trouble gives one clear line, never an internal error (exit 70): a read-only
database or data dir, a backups dir that is not writable, a database path that is a directory,
and a full disk (whose exit-time backup must not mask the real error).

Read-only and full file systems are real ones: small tmpfs mounts (root only; skipped otherwise),
since root ignores file permission bits."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.commands import run_debrief as run

pytestmark = pytest.mark.e2e

NOW = "2026-03-02T09:00:00Z"




def error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one error line of a failed command (warnings may precede it), never exit 70."""
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("debrief: error:")]
    assert len(errors) == 1, result.stderr
    return errors[0]


class Mount:
    """A small tmpfs at `path`, unmounted at the end."""

    def __init__(self, path: Path, size: str) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")

    def read_only(self, flag: bool = True) -> None:
        subprocess.run(["mount", "-o", f"remount,{'ro' if flag else 'rw'}", str(self.path)],
                       check=True)

    def close(self) -> None:
        subprocess.run(["umount", "-l", str(self.path)], check=False)


@pytest.fixture
def tmpfs(tmp_path) -> Iterator[callable]:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    mounts: list[Mount] = []

    def make(path: Path, size: str = "4m") -> Mount:
        mount = Mount(path, size)
        mounts.append(mount)
        return mount

    yield make
    for mount in reversed(mounts):
        mount.close()


def test_restore_into_a_database_path_that_is_a_directory(debrief_bin, debrief_env, tmp_path):
    env = {**debrief_env, "DEBRIEF_NOW": NOW}
    assert run(debrief_bin, env, "review", "--plain", "--limit", "1", stdin="x\n3\n").returncode == 0
    assert run(debrief_bin, env, "backup").returncode == 0
    backup = sorted((Path(env["DEBRIEF_HOME"]) / "backups").glob("*.db"))[-1]
    folder = tmp_path / "adir"
    folder.mkdir()
    line = error_line(run(debrief_bin, env, "--db", f"sqlite:///{folder}", "restore", "--yes",
                          str(backup)))
    assert "is a directory" in line


def test_a_read_only_data_dir_is_named_as_such_never_as_damaged(debrief_bin, debrief_env, tmpfs):
    home = Path(debrief_env["DEBRIEF_HOME"])
    mount = tmpfs(home)
    env = {**debrief_env, "DEBRIEF_NOW": NOW}
    assert run(debrief_bin, env, "review", "--plain", "--limit", "1", stdin="x\n3\n").returncode == 0
    assert run(debrief_bin, env, "backup").returncode == 0
    backup = sorted((home / "backups").glob("*.db"))[-1]
    mount.read_only()
    for args in (("backup",), ("check",), ("restore", "--yes", str(backup))):
        line = error_line(run(debrief_bin, env, *args))
        assert "damaged" not in line and ("not writable" in line or "read-only" in line), (args, line)
    mount.read_only(False)
    # Nothing was left behind that breaks the next command.
    result = run(debrief_bin, env, "review", "--plain", "--limit", "1", stdin="x\n3\n")
    assert result.returncode == 0 and "Saved:" in result.stdout, result.stderr


def test_a_backups_dir_that_is_not_writable(debrief_bin, debrief_env, tmpfs):
    home = Path(debrief_env["DEBRIEF_HOME"])
    env = {**debrief_env, "DEBRIEF_NOW": NOW}
    assert run(debrief_bin, env, "review", "--plain", "--limit", "1", stdin="x\n3\n").returncode == 0
    tmpfs(home / "backups").read_only()
    line = error_line(run(debrief_bin, env, "backup"))
    assert "backups dir" in line and "not writable" in line and "damaged" not in line
    # The exit-time backup only warns: the review itself works and exits 0.
    result = run(debrief_bin, env, "review", "--plain", "--limit", "1", stdin="x\n3\n")
    assert result.returncode == 0 and "Saved:" in result.stdout, result.stderr
    line = error_line(run(debrief_bin, env, "import", str(home / "nowhere.toml")))
    assert "internal" not in line


def test_a_full_disk_gives_the_real_error_not_the_exit_backups(debrief_bin, debrief_env, tmpfs):
    home = Path(debrief_env["DEBRIEF_HOME"])
    tmpfs(home, "3m")
    env = {**debrief_env, "DEBRIEF_NOW": NOW}
    (home / "config.toml").write_text("[scheduling]\nnew_per_day = 500\n", encoding="utf-8")
    first = run(debrief_bin, env, "review", "--plain", "--limit", "1", stdin="x\n3\n")
    assert first.returncode == 0, first.stderr
    # No backup yet: the failing review's exit will try one (and find the disk full too).
    shutil.rmtree(home / "backups", ignore_errors=True)
    filler = home / "filler"
    # Unbuffered: a buffered file would fail again when closed, with its last chunk still held.
    with filler.open("wb", buffering=0) as out:  # fill the disk to the last block
        try:
            while True:
                out.write(b"\0" * 65536)
        except OSError:
            pass
    for _ in range(64):
        try:
            with (home / f"crumb-{_}").open("wb", buffering=0) as crumb:
                crumb.write(b"\0" * 1024)
        except OSError:
            break
    result = run(debrief_bin, env, "review", "--plain", stdin="x\n3\n" * 200)
    assert result.returncode == 1, (result.stdout[-300:], result.stderr)
    line = error_line(result)
    assert "full" in line, line
    # A later command says the same real problem in one line (with the disk this full, SQLite
    # cannot even make the shared-memory file a read needs), never an internal error.
    stats = run(debrief_bin, env, "stats", "--json")
    assert "internal error" not in stats.stderr and "Traceback" not in stats.stderr
    assert stats.returncode == 0 or "full" in error_line(stats), stats.stderr
    filler.unlink()
    again = run(debrief_bin, env, "review", "--plain", "--limit", "1", stdin="x\n3\n")
    assert again.returncode == 0 and "Saved:" in again.stdout, again.stderr
