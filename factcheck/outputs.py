"""Files the user names for factcheck to write (`--output`, `--rejects`, `db backup DEST`, the
generated docs): what may be written over, and writing them whole or not at all.

One rule for every command that writes a file:

- the target's directory must exist, and the target, if it exists, must be a regular file: not
  a directory, device, FIFO or socket, nor a symbolic link (writing through a link lands in a
  file the user did not name);
- never a file the command reads: the database in use (by resolved path or same inode, and its
  -wal, -shm and -journal files) or the file being imported; never a SQLite database or one of
  its journals, whatever its name (recognised by the header), except that `db backup` may
  replace an older backup;
- an existing file only with `--force`;
- the content goes to a new file beside the target (`NAME.XXXXXXXX.partial`), is synced to disk,
  then renamed over the target, so the target is either as it was or complete. A failure,
  Ctrl-C, SIGTERM or SIGHUP removes the new file; only SIGKILL or a power cut can leave one
  behind, and never a half-written NAME.

A directory (`OutputFile.directory`) is filled under a temporary name beside it and swapped in.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import stat
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from factcheck.errors import Conflict, InvalidInput

SQLITE_HEADER = b"SQLite format 3\x00"
# A rollback journal, then a write-ahead log (two byte orders): writing over one of these
# corrupts the database it belongs to, and neither carries the database's header.
_JOURNAL_HEADERS = (
    bytes.fromhex("d9d505f920a163d7"),
    bytes.fromhex("377f0682"),
    bytes.fromhex("377f0683"),
)
# Files SQLite keeps beside a database (and beside a backup's temporary file while it is made).
_SIDE_FILES = ("-wal", "-shm", "-journal")
_KINDS = (
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISFIFO, "named pipe"),
    (stat.S_ISSOCK, "socket"),
)
# Room in a file name for the temporary file's suffix (".XXXXXXXX.partial", 17 characters).
_NAME_ROOM = 200


@dataclass(frozen=True)
class OutputFile:
    """A file a command is about to write, and how it may be written."""

    path: Path
    force: bool = False
    # Files that must never be written over, and what to call them in the error.
    keep: Mapping[Path, str] = field(default_factory=dict)
    # The file is a SQLite database (a backup): with `force`, it may replace an older one.
    database: bool = False

    def check(self) -> None:
        """Raise InvalidInput or Conflict, in the user's words, unless the file may be written."""
        info = self._lstat()
        if info is None:
            parent = self.path.parent
            if not parent.is_dir():
                if parent.exists():
                    raise InvalidInput(f"cannot write {self.path}: {parent} is not a directory")
                raise InvalidInput(f"directory {parent} does not exist (writing {self.path})")
            self._not_kept(None)
            return
        if stat.S_ISLNK(info.st_mode):
            raise InvalidInput(
                f"{self.path} is a symbolic link; factcheck does not write through links",
                hint=f"name the file itself ({self.path.resolve()}) or another file",
            )
        if stat.S_ISDIR(info.st_mode):
            raise InvalidInput(f"{self.path} is a directory; give a file name")
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "special file")
            raise InvalidInput(f"{self.path} is a {kind}, not a regular file; give a file name")
        self._not_kept(info)
        header = self._header()
        if header.startswith(_JOURNAL_HEADERS) or (
            header.startswith(SQLITE_HEADER) and not self.database
        ):
            raise InvalidInput(
                f"{self.path} is a SQLite database file; factcheck never writes over one",
                hint="give another file name",
            )
        if not self.force:
            raise Conflict(f"{self.path} already exists", hint="pass --force to replace it")

    @contextmanager
    def writing(self) -> Iterator[Path]:
        """Check the file may be written, then give the path of a new empty file beside it to
        write (and close); when the block ends without an error, that file replaces the target.
        On any error or interruption, the target is left as it was and the new file removed."""
        self.check()
        with _interruptible():
            temporary: Path | None = None
            try:
                with _signals_held():
                    temporary = self._temporary()
                yield temporary
                _sync(temporary)
                self._place(temporary)
            except OSError as exc:
                raise _cannot_write(self.path, exc) from exc
            finally:
                if temporary is not None:
                    _remove(temporary)

    @contextmanager
    def directory(self) -> Iterator[Path]:
        """A directory written whole: the path of a new empty directory beside the target to
        fill; when the block ends without an error, it takes the target's place (an existing
        directory there is replaced only with `force`)."""
        info = self._lstat()
        if info is not None and not stat.S_ISDIR(info.st_mode):
            raise InvalidInput(f"{self.path} exists and is not a directory")
        if info is not None and not self.force:
            raise Conflict(f"{self.path} already exists", hint="pass --force to replace it")
        if not self.path.parent.is_dir():
            raise InvalidInput(f"directory {self.path.parent} does not exist")
        with _interruptible():
            temporary: Path | None = None
            try:
                with _signals_held():
                    temporary = self._temporary(directory=True)
                yield temporary
                self._swap(temporary, replacing=info is not None)
            except OSError as exc:
                raise _cannot_write(self.path, exc) from exc
            finally:
                if temporary is not None:
                    shutil.rmtree(temporary, ignore_errors=True)

    def _swap(self, temporary: Path, replacing: bool) -> None:
        """Rename the filled directory into place; the one it replaces is removed only once
        the new one is there (two renames: no moment without one or the other on disk)."""
        if not replacing:
            os.rename(temporary, self.path)
            return
        old = temporary.with_name(temporary.name.removesuffix(".partial") + ".old")
        os.rename(self.path, old)
        try:
            os.rename(temporary, self.path)
        except BaseException:
            os.rename(old, self.path)
            raise
        shutil.rmtree(old, ignore_errors=True)

    def _lstat(self) -> os.stat_result | None:
        try:
            return self.path.lstat()
        except FileNotFoundError:
            return None
        except OSError as exc:  # a name too long, a parent that is a file, no permission
            raise _cannot_write(self.path, exc) from exc

    def _not_kept(self, info: os.stat_result | None) -> None:
        resolved = self.path.resolve()
        for kept, what in self.keep.items():
            kept_resolved = kept.resolve()
            if resolved == kept_resolved:
                raise InvalidInput(f"{self.path} is {what}", hint="give another file name")
            if resolved in {Path(f"{kept_resolved}{side}") for side in _SIDE_FILES}:
                raise InvalidInput(f"{self.path} belongs to {what}", hint="give another file name")
            try:
                same = info is not None and os.path.samestat(info, kept.stat())
            except OSError:
                same = False
            if same:  # another name (a hard link) for the same file
                raise InvalidInput(
                    f"{self.path} is {what}, under another name", hint="give another file name"
                )

    def _header(self) -> bytes:
        try:
            with self.path.open("rb") as existing:
                return existing.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise InvalidInput(
                f"cannot read {self.path} to see what it is: {exc.strerror or exc}",
                hint="give another file name",
            ) from exc

    def _temporary(self, directory: bool = False) -> Path:
        """A new file (or directory) beside the target, that nobody else can have made."""
        stem = self.path.name[:_NAME_ROOM]
        try:
            # A replaced file keeps its permissions (a report shared with a group stays so); a
            # new one gets 0o666 less the umask, as any file the user creates.
            mode = stat.S_IMODE(self.path.stat().st_mode) if self.path.is_file() else None
            while True:
                candidate = self.path.with_name(f"{stem}.{secrets.token_hex(4)}.partial")
                try:
                    if directory:
                        candidate.mkdir()
                        return candidate
                    descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
                except FileExistsError:
                    continue
                try:
                    if mode is not None:
                        os.fchmod(descriptor, mode)
                except OSError:
                    candidate.unlink()
                    raise
                finally:
                    os.close(descriptor)
                return candidate
        except OSError as exc:
            raise _cannot_write(self.path, exc) from exc

    def _place(self, temporary: Path) -> None:
        """Put the finished file in the target's place, checking the target once more: it may
        have changed while the content was being made."""
        self.check()
        if os.path.lexists(self.path):
            os.replace(temporary, self.path)
        else:
            try:
                # A hard link never replaces a file that appeared since the check.
                os.link(temporary, self.path)
            except FileExistsError:
                self.check()
                os.replace(temporary, self.path)
            except OSError:  # a file system without hard links
                os.replace(temporary, self.path)
        _sync_directory(self.path.parent)


def _cannot_write(path: Path, exc: OSError) -> InvalidInput:
    return InvalidInput(f"cannot write {path}: {exc.strerror or exc}")


def _sync(path: Path) -> None:
    """Flush the file to disk before it replaces anything: a crash just after the rename must
    not leave an empty file where a complete one was."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sync_directory(path: Path) -> None:
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:  # some file systems cannot sync a directory; the rename stands anyway
        pass
    finally:
        os.close(descriptor)


def _remove(temporary: Path) -> None:
    for path in (temporary, *(Path(f"{temporary}{side}") for side in _SIDE_FILES)):
        path.unlink(missing_ok=True)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Signals wait while the temporary file is made and its name kept, so that one arriving
    then is raised where the file is removed, never in between."""
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _interrupt(_signal: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextmanager
def _interruptible() -> Iterator[None]:
    """SIGTERM and SIGHUP stop the process as Ctrl-C does, so the temporary file is removed.
    Only where they would end it anyway (not under nohup), and only in the main thread, the one
    Python delivers signals to."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    changed = {}
    for number in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(number) is signal.SIG_DFL:
            changed[number] = signal.signal(number, _interrupt)
    try:
        yield
    finally:
        for number, previous in changed.items():
            signal.signal(number, previous)
