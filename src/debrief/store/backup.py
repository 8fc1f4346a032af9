"""Backups, restore and the database check: never lose a review.

Backups are made with SQLite's online backup API (safe while another debrief writes), named
`debrief-YYYYMMDD-HHMMSS-REASON.db` in the backups dir (for a database elsewhere, given with
`--db`: `NAME-YYYYMMDD-HHMMSS-REASON.db` in a `backups` folder beside it), and pruned with a rolling retention
(recent ones, then one a day, a week and a month). A database that fails `quick_check` is never
backed up, so a damaged file can never push a good backup out of the rotation.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from glob import escape as glob_escape
from pathlib import Path

from debrief import locations
from debrief.errors import DebriefError

DEFAULT_STEM = "debrief"
ANY_NAME = re.compile(r"^(.+)-(\d{8})-(\d{6})-([a-z]+)(?:-(\d+))?\.db$")
PARTIAL_SUFFIX = ".partial"
PARTIAL_NAME = re.compile(r"^.+-\d{8}-\d{6}-[a-z]+-(\d+)\.partial$")
AUTO_INTERVAL = timedelta(hours=3)
RESTORE_COMMAND = "debrief restore"
NOT_SQLITE = ("backups apply to SQLite databases only; for PostgreSQL use its own tools "
              "(pg_dump to back up, pg_restore or psql to restore)")


class BackupError(DebriefError):
    """A backup or restore that cannot be done, with the reason in one line."""


@dataclass(frozen=True)
class Retention:
    """How many backups to keep: all recent ones (up to `recent`, under a day old), then the
    newest of each of the last `daily` days, `weekly` ISO weeks and `monthly` months."""

    recent: int = 12
    daily: int = 7
    weekly: int = 4
    monthly: int = 6


RETENTION = Retention()


@dataclass(frozen=True)
class Backup:
    """One backup file."""

    path: Path
    made_at: datetime  # aware UTC, from the file name
    reason: str

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


@dataclass(frozen=True)
class CheckReport:
    """The result of `check`: the backup made first, what was repaired, and the totals."""

    database: str
    backup: Path | None
    repairs: dict[str, int]
    cards: int
    reviews: int
    foreign_key_problems: int

    @property
    def ok(self) -> bool:
        return self.foreign_key_problems == 0


@dataclass(frozen=True)
class RestoreReport:
    """What `restore` did: the backup restored, the safety copy of the file it replaced."""

    restored: Backup
    database: Path
    safety_backup: Path | None
    moved_aside: Path | None


# -- which database ----------------------------------------------------------------------------

def current_url(url: str | None = None) -> str:
    """`url`, else the default database's (callers pass the database their command opened)."""
    return url or locations.database_url()


def database_file(url: str) -> Path | None:
    """The SQLite file behind `url` (None for PostgreSQL or an in-memory database)."""
    from debrief.store.maintenance import sqlite_path

    return sqlite_path(url)


def shelf(url: str | None = None) -> tuple[Path, str]:
    """Where the backups of the SQLite database at `url` live, and the name they start with: the
    backups dir for the default database, a `backups` folder beside any other database file (so
    two databases never share, and a restore can only pick this database's backups)."""
    path = database_file(current_url(url))
    if path is None or path.expanduser().absolute() == locations.database_path().absolute():
        return locations.backups_dir(), DEFAULT_STEM
    return path.parent / "backups", path.stem


def _resolve(folder: Path | None, stem: str | None, url: str | None = None) -> tuple[Path, str]:
    if folder is not None:
        return folder, stem or (shelf(url)[1] if url else DEFAULT_STEM)
    default_folder, default_stem = shelf(url)
    return default_folder, stem or default_stem


def _utcnow() -> datetime:
    # Backups follow the real clock, not DEBRIEF_NOW: their names and ages are about real history.
    return datetime.now(UTC)


# -- listing and retention ---------------------------------------------------------------------


def parse_name(path: Path, stem: str | None = None) -> Backup | None:
    """A backup described by its file name (of database `stem`, or of any database when None),
    or None if the name is not a backup's."""
    match = ANY_NAME.match(path.name)
    if not match or (stem is not None and match.group(1) != stem):
        return None
    try:
        made = datetime.strptime(match.group(2) + match.group(3), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None
    return Backup(path=path, made_at=made, reason=match.group(4))


def list_backups(folder: Path | None = None, stem: str | None = None) -> list[Backup]:
    """The backups of one database (default: the current one) in `folder`, newest first."""
    folder, stem = _resolve(folder, stem)
    try:
        entries = list(folder.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = [b for b in (parse_name(p, stem) for p in entries if p.is_file()) if b is not None]
    return sorted(found, key=_order, reverse=True)


def _order(backup: Backup) -> tuple:
    # Names have whole seconds; within one second the file written last is the newer backup.
    try:
        written = backup.path.stat().st_mtime_ns
    except OSError:
        written = 0
    return (backup.made_at, written, backup.name)


def plan_retention(backups: Sequence[Backup], now: datetime, policy: Retention = RETENTION,
                   tz: tzinfo | None = None) -> set[Path]:
    """The backups to keep under `policy` (days, weeks and months in time zone `tz`, default local).

    Newest first: up to `recent` backups younger than a day; then the newest backup of each
    earlier day, for `daily` days; then of each earlier ISO week no kept backup falls in, for
    `weekly` weeks; then likewise for `monthly` months.
    """
    keep: set[Path] = set()
    days: set[object] = set()
    weeks: set[object] = set()
    months: set[object] = set()
    recent = daily = weekly = monthly = 0
    for backup in sorted(backups, key=_order, reverse=True):
        local = backup.made_at.astimezone(tz) if tz is not None else backup.made_at.astimezone()
        day, week, month = local.date(), local.isocalendar()[:2], (local.year, local.month)
        # A kept backup covers its day, week and month: the weekly and monthly slots go to
        # older periods that no kept backup covers yet.
        if recent < policy.recent and now - backup.made_at < timedelta(days=1):
            recent += 1
        elif day not in days and daily < policy.daily:
            daily += 1
        elif week not in weeks and weekly < policy.weekly:
            weekly += 1
        elif month not in months and monthly < policy.monthly:
            monthly += 1
        else:
            continue
        keep.add(backup.path)
        days.add(day)
        weeks.add(week)
        months.add(month)
    return keep


def prune(now: datetime | None = None, folder: Path | None = None, keep: Iterable[Path] = (),
          policy: Retention = RETENTION, stem: str | None = None) -> list[Path]:
    """Delete the backups `plan_retention` does not keep (and partial files left by a backup
    that was killed); returns them. The newest sound backup with reviews in it is always kept,
    so backups of an emptied or wiped database can never rotate the last real one out."""
    folder, stem = _resolve(folder, stem)
    now = now or _utcnow()
    backups = list_backups(folder, stem)
    kept = plan_retention(backups, now, policy) | {Path(p) for p in keep}
    anchor = last_good_backup(backups)
    if anchor is not None:
        kept.add(anchor.path)
    removed: list[Path] = []
    for backup in backups:
        if backup.path not in kept:
            try:
                backup.path.unlink()
                removed.append(backup.path)
            except FileNotFoundError:
                pass
    for partial in folder.glob(f"{glob_escape(stem)}-*{PARTIAL_SUFFIX}"):
        if _abandoned(partial, now):
            try:
                partial.unlink()
                removed.append(partial)
            except OSError:
                pass
    return removed


def last_good_backup(backups: Sequence[Backup]) -> Backup | None:
    """The newest of `backups` that passes `quick_check` and holds at least one review."""
    from debrief.store.maintenance import contents, integrity_problems

    for backup in sorted(backups, key=_order, reverse=True):
        try:
            if contents(backup.path).reviews > 0 and not integrity_problems(backup.path):
                return backup
        except Exception:  # noqa: BLE001 - an unreadable backup is not the good one
            continue
    return None


def _abandoned(partial: Path, now: datetime) -> bool:
    """A partial backup file whose writer is gone (its pid is in the name), or an old one."""
    match = PARTIAL_NAME.match(partial.name)
    if match and int(match.group(1)) != os.getpid():
        try:
            os.kill(int(match.group(1)), 0)
        except ProcessLookupError:
            return True
        except OSError:
            pass  # alive, under another user
    try:
        return partial.stat().st_mtime < now.timestamp() - 3600
    except OSError:
        return False


# -- making backups ----------------------------------------------------------------------------


def _damaged_message(path: Path, problems: list[str]) -> str:
    detail = "; ".join(problems[:2])
    return (f"the database {path} is damaged or not a database ({detail}); it was not backed "
            f"up, so your backups are untouched. Run `{RESTORE_COMMAND}` to restore the latest "
            f"good backup")


def make_backup(url: str | None = None, reason: str = "manual", now: datetime | None = None,
                folder: Path | None = None, prune_old: bool = True) -> Backup:
    """Back up the SQLite database at `url` now; raise BackupError when it cannot be done.

    Refused for a non-SQLite URL, a missing file, and a file that fails `quick_check`.
    """
    from debrief.store.maintenance import backup_file, integrity_problems

    if not re.fullmatch(r"[a-z]+", reason):
        raise ValueError(f"backup reason must be lowercase letters: {reason!r}")
    url = current_url(url)
    source = database_file(url)
    if source is None:
        raise BackupError(NOT_SQLITE)
    if not source.exists():
        raise BackupError(f"there is no database at {source} to back up yet")
    readable_in_place(source)
    problems = integrity_problems(source)
    if problems:
        raise BackupError(_damaged_message(source, problems))
    folder, stem = _resolve(folder, None, url)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"cannot create the backups dir {folder}: {exc.strerror or exc}") from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BackupError(f"the backups dir {folder} is not writable, so no backup was made")
    now = now or _utcnow()
    stamp = now.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    partial = folder / f"{stem}-{stamp}-{reason}-{os.getpid()}{PARTIAL_SUFFIX}"
    partial.unlink(missing_ok=True)
    try:
        backup_file(source, partial)
        target = _link_unique(partial, folder, f"{stem}-{stamp}-{reason}")
    except OSError as exc:
        raise BackupError(f"cannot write a backup in {folder}: {exc.strerror or exc}") from exc
    except sqlite3.Error as exc:  # e.g. "database or disk is full" while writing the copy
        raise BackupError(f"cannot write a backup in {folder}: {exc}") from exc
    except DebriefError as exc:
        raise BackupError(str(exc)) from exc
    finally:
        partial.unlink(missing_ok=True)
    backup = Backup(path=target, made_at=now.astimezone(UTC).replace(microsecond=0), reason=reason)
    if prune_old:
        prune(now, folder, keep=[target], stem=stem)
    return backup


def readable_in_place(path: Path) -> None:
    """Refuse, in one line, a database SQLite cannot read safely where it is.

    Reading a WAL database creates its -wal and -shm files beside it: in a folder that is not
    writable that fails (and was misreported as a damaged file), and beside a read-only file
    they would be created read-only and break every later command.
    """
    if path.is_dir():
        raise BackupError(f"the database path {path} is a directory, not a database file")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise BackupError(f"the folder {path.parent} is not writable; SQLite needs to write its "
                          "-wal and -shm files beside the database, even to read it")
    if not os.access(path, os.R_OK | os.W_OK):
        raise BackupError(f"the database {path} is read-only; make it writable first "
                          f"(chmod u+rw {path})")


def _link_unique(partial: Path, folder: Path, stem: str) -> Path:
    """Give `partial` its final name without ever replacing an existing backup."""
    for n in range(1, 1000):
        target = folder / (f"{stem}.db" if n == 1 else f"{stem}-{n}.db")
        try:
            os.link(partial, target)
        except FileExistsError:
            continue
        from debrief.store.maintenance import fsync_path

        fsync_path(folder)
        return target
    raise BackupError(f"too many backups named {stem} in {folder}")


def backup_before(reason: str, url: str | None = None) -> Path | None:
    """Back up the current database before a risky step (`import`, `migration`, `check`, `restore`).

    Returns the backup, or None when there is nothing to back up (not SQLite, no file yet).
    Raises BackupError when the database is damaged: the risky step should not go ahead.
    """
    url = current_url(url)
    source = database_file(url)
    if source is None or not source.exists():
        return None
    return make_backup(url, reason=reason).path


def backup_if_due(url: str | None = None, now: datetime | None = None,
                  interval: timedelta = AUTO_INTERVAL, folder: Path | None = None) -> Path | None:
    """The automatic backup on exit: made when the data changed since the newest backup and that
    backup is older than `interval`. A database with no review yet is not worth a backup."""
    from debrief.store.maintenance import contents

    url = current_url(url)
    source = database_file(url)
    if source is None or not source.is_file():
        return None
    now = now or _utcnow()
    folder, stem = _resolve(folder, None, url)
    backups = list_backups(folder, stem)
    if backups and now - backups[0].made_at < interval:
        return None
    try:
        current = contents(source)
    except Exception:  # noqa: BLE001 - a database that cannot be read is not backed up
        return None
    if not backups:
        if current.reviews == 0:
            return None
    else:
        try:
            if contents(backups[0].path).fingerprint == current.fingerprint:
                return None
        except Exception:  # noqa: BLE001 - an unreadable newest backup: make a fresh one
            pass
    return make_backup(url, reason="auto", now=now, folder=folder).path


def backup_on_exit(url: str | None = None) -> Path | None:
    """`backup_if_due`, never raising: a failed automatic backup is reported on stderr only."""
    try:
        return backup_if_due(url)
    except BackupError as exc:
        _warn(f"automatic backup skipped: {exc}")
    except OSError as exc:
        _warn(f"automatic backup failed: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - it runs on the way out: never mask the real error
        _warn(f"automatic backup failed: {exc}")
    return None


def _warn(message: str) -> None:
    try:
        print(f"debrief: warning: {message}", file=sys.stderr)
    except (OSError, ValueError):  # the terminal is gone (closed window): nothing to tell
        pass


# -- restore -----------------------------------------------------------------------------------


def find_backup(which: str | None, url: str | None = None) -> Backup:
    """The backup named by `which`: None (the newest), a number from the listing (1 = newest),
    a file name in the backups folder, or a path to any debrief backup file."""
    folder, stem = shelf(url)
    backups = list_backups(folder, stem)
    if which is None:
        if not backups:
            raise BackupError(f"there are no backups in {folder}")
        return backups[0]
    if which.isdigit() and not Path(which).exists():
        index = int(which)
        if not 1 <= index <= len(backups):
            raise BackupError(f"no backup number {index} (there are {len(backups)}; "
                              "see `debrief backup --list`)")
        return backups[index - 1]
    for backup in backups:
        if backup.name == which:
            return backup
    path = Path(which).expanduser()
    if path.is_file():
        parsed = parse_name(path)
        made = parsed.made_at if parsed else datetime.fromtimestamp(path.stat().st_mtime, UTC)
        return Backup(path=path, made_at=made, reason=parsed.reason if parsed else "file")
    raise BackupError(f"no backup {which!r}: give a number or a name from `debrief backup --list`, "
                      "or a path to a backup file")


def verify_backup(backup: Backup) -> str:
    """Check that a backup can be restored: a sound SQLite file with a schema this debrief reads.
    Returns its schema revision."""
    from debrief.store import KNOWN_REVISIONS
    from debrief.store.maintenance import integrity_problems, schema_revision

    problems = integrity_problems(backup.path, full=True)
    if problems:
        raise BackupError(f"{backup.path} cannot be restored: it is damaged or not a database "
                          f"({'; '.join(problems[:2])})")
    revision = schema_revision(backup.path)
    if revision is None:
        raise BackupError(f"{backup.path} cannot be restored: it is not a debrief database")
    if revision not in KNOWN_REVISIONS:
        raise BackupError(f"{backup.path} was written by a newer version of debrief (schema "
                          f"{revision}); upgrade debrief to restore it")
    return revision


def restore(backup: Backup, url: str | None = None, now: datetime | None = None) -> RestoreReport:
    """Replace the SQLite database at `url` with `backup`, backing up the current file first.

    A sound current file is backed up (reason `restore`) and replaced in one transaction that
    holds its write lock throughout, so an answer given meanwhile in another debrief is either in
    that backup or in the restored data, never lost. A damaged (or empty) current file is moved
    aside, never into the backup rotation. The restored file is checked.
    """
    from debrief.store.maintenance import integrity_problems, replace_contents, restore_file

    url = current_url(url)
    target = database_file(url)
    if target is None:
        raise BackupError(NOT_SQLITE)
    writable_target(target)
    verify_backup(backup)
    now = now or _utcnow()
    safety: list[Path] = []
    aside: Path | None = None
    folder, stem = shelf(url)
    if target.exists() and target.resolve() == backup.path.resolve():
        raise BackupError("that file is the database itself, not a backup")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() and integrity_problems(target):
            aside = _move_aside(target, now)
        if target.exists() or not restore_file(backup.path, target):
            replace_contents(backup.path, target, before=lambda: safety.append(
                make_backup(url, reason="restore", now=now, prune_old=False).path))
    except OSError as exc:
        raise BackupError(f"cannot write {target}: {exc.strerror or exc}") from exc
    except BackupError:
        raise
    except DebriefError as exc:
        raise BackupError(f"restore failed: {exc}") from exc
    except sqlite3.Error as exc:
        raise BackupError(f"restore failed, the database is unchanged: {exc}") from exc
    prune(now, folder, keep=[backup.path, *safety], stem=stem)
    return RestoreReport(restored=backup, database=target, safety_backup=safety[0] if safety else None,
                         moved_aside=aside)


def writable_target(target: Path) -> None:
    """Refuse, in one line, a database path restore cannot write: a directory, a read-only file
    or a folder without write access (SQLite needs to write its journal beside the file)."""
    if target.is_dir():
        raise BackupError(f"the database path {target} is a directory, not a database file")
    folder = target.parent if target.parent.exists() else None
    if folder is not None and not os.access(folder, os.W_OK | os.X_OK):
        raise BackupError(f"the folder {folder} is not writable, so the database cannot be restored "
                          "there")
    if target.exists() and not os.access(target, os.R_OK | os.W_OK):
        raise BackupError(f"the database {target} is read-only; make it writable first "
                          f"(chmod u+rw {target})")


def _move_aside(target: Path, now: datetime) -> Path:
    """Rename a damaged database (and its -wal/-shm) out of the way, keeping it for inspection."""
    stamp = now.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    aside = target.with_name(f"{target.name}.damaged-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = target.with_name(f"{target.name}.damaged-{stamp}-{n}")
    os.replace(target, aside)
    for suffix in ("-wal", "-shm", "-journal"):
        side = Path(f"{target}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{aside}{suffix}"))
    return aside


# -- check -------------------------------------------------------------------------------------


def check(url: str | None = None, now: datetime | None = None) -> CheckReport:
    """Check the database and repair invalid rows; a damaged SQLite file raises BackupError.

    For SQLite: a full integrity check first (a damaged file is reported, never backed up),
    then a backup, then the repairs in one transaction, then a foreign-key check.
    """
    from debrief.store import open_store
    from debrief.store.maintenance import foreign_key_problems, integrity_problems, repair, totals

    url = current_url(url)
    now = now or _utcnow()
    path = database_file(url)
    saved: Path | None = None
    if path is not None:
        if not path.exists():
            raise BackupError(f"there is no database at {path} yet: nothing to check")
        readable_in_place(path)
        problems = integrity_problems(path, full=True)
        if problems:
            raise BackupError(_damaged_message(path, problems))
        saved = backup_before("check", url)
    store = open_store(url, before_upgrade=lambda _revision: backup_before("migration", url))
    try:
        repairs = repair(store.db.engine, now)
        counts = totals(store.db.engine)
        fk = foreign_key_problems(store.db.engine)
    finally:
        store.close()
    return CheckReport(database=str(path) if path else redact(url), backup=saved,
                       repairs=dict(repairs.counts), cards=counts["cards"],
                       reviews=counts["reviews"], foreign_key_problems=fk)


redact = locations.redact
