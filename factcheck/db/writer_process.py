"""A SQLite connection whose statements a process of its own runs: how a large import writes.

An import's Python work (reading and validating records, matching them to the database, building
rows) and SQLite's own (inserting them, the triggers' history rows, the search index) each take
about as long as the other, and one process does them in turn: a thread cannot overlap them, since
SQLite calls the triggers' Python functions for every row and each call waits for the interpreter
lock. So the import's SQLite connection can live in a writer process: `ProcessConnection` stands
in for the sqlite3 connection (SQLAlchemy's engine takes it from its `creator`, db/engine.py), and
every statement is run by the writer, on a connection from db/connection.py, in one transaction,
in the order given. Nothing else changes: the import engine, its look-ups, dry runs, savepoints,
commit and rollback are the same SQL as in one process.

Statements whose results nobody reads (the bulk inserts: `send`) are pipelined: the importer goes
on with the next records while the writer inserts. Any other call waits for its answer, so it
sees every statement sent before it; an error of a sent statement is raised by the next call that
waits (the transaction is then rolled back as for any error). One exception keeps the writer busy
while the importer matches a batch against the answers to its look-ups: the inserts of the batch
before may be `held` behind the next look-ups made `overtaking`, which are answered first (the
importer adds those rows to their answers itself: services/importer.py, `_look_up`).

If the writer dies, or the channel breaks (Ctrl-C in the middle of a message), the writer is
stopped and SQLite discards its uncommitted transaction: nothing is written.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import signal
import sqlite3
import struct
import subprocess
import sys
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection as Channel
from pathlib import Path
from typing import Any

from factcheck.errors import DatabaseProblem

# Seconds to wait for the writer to end after it was asked to, before it is killed.
_STOP_WAIT = 10.0
# Bytes of messages the writer takes in ahead of the one it runs: many batches' inserts, so
# that the importer runs ahead where it is the faster (a dump's claims) and the writer has work
# where it is the slower (their appearances); bounded, so that memory stays flat however large
# the file (the importer then waits for room in the pipe).
_INBOX_BYTES = 32 * 1024 * 1024
# Each message's head: its kind (HELD a statement sent within `held`, OVERTAKING a call made
# `overtaking`, b"-" any other) and the `held` generation it belongs to, read by the writer
# without unpickling the message.
_HEAD = struct.Struct("<cQ")
HELD, OVERTAKING, OTHER = b"H", b"O", b"-"


def _pack(message: tuple[Any, ...], kind: bytes = OTHER, generation: int = 0) -> bytes:
    """A message (the operation, then its arguments) as sent: its head, then itself pickled."""
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEAD.pack(kind, generation) + body


def _unpack(data: bytes) -> tuple[Any, ...]:
    return tuple(pickle.loads(memoryview(data)[_HEAD.size :]))


class _Cursor:
    """The cursor of a ProcessConnection: each execute waits for its rows, which come whole."""

    arraysize = 1

    def __init__(self, connection: ProcessConnection) -> None:
        self.connection = connection
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: list[tuple[Any, ...]] = []
        self._next = 0

    def execute(self, sql: str, parameters: Any = ()) -> _Cursor:
        return self._answer(self.connection.call("execute", sql, parameters))

    def executemany(self, sql: str, seq_of_parameters: Any) -> _Cursor:
        return self._answer(self.connection.call("executemany", sql, list(seq_of_parameters)))

    def _answer(self, answer: tuple[Any, int, int | None, list[tuple[Any, ...]]]) -> _Cursor:
        self.description, self.rowcount, self.lastrowid, self._rows = answer
        self._next = 0
        return self

    def fetchone(self) -> tuple[Any, ...] | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchmany(self, size: int | None = None) -> list[tuple[Any, ...]]:
        start = self._next
        self._next = min(len(self._rows), start + (self.arraysize if size is None else size))
        return self._rows[start : self._next]

    def fetchall(self) -> list[tuple[Any, ...]]:
        start, self._next = self._next, len(self._rows)
        return self._rows[start:]

    def __iter__(self) -> Any:
        return iter(self.fetchall())

    def close(self) -> None:
        self._rows = []


class _Writer:
    """Who writes, for the history (db/connection.py's Writer): set in the writer process."""

    def __init__(self, connection: ProcessConnection) -> None:
        self._connection = connection
        self._actor: str | None = None
        self._recording = True

    @property
    def actor(self) -> str | None:
        return self._actor

    @actor.setter
    def actor(self, value: str | None) -> None:
        self._actor = value
        self._connection.tell("actor", value)

    @property
    def recording(self) -> bool:
        return self._recording

    @recording.setter
    def recording(self, value: bool) -> None:
        self._recording = value
        self._connection.tell("recording", value)


def _widen(pipe: int) -> None:
    """Let the pipe hold as much as the system allows an unprivileged process (Linux: 1 MiB by
    default), so that the importer runs further ahead of the writer."""
    try:
        with open("/proc/sys/fs/pipe-max-size") as limit:
            fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, int(limit.read()))
    except (OSError, ValueError, AttributeError):
        pass  # not Linux: the default size


class ProcessConnection:
    """A SQLite connection (as far as SQLAlchemy and the import engine use one) whose statements
    a writer process runs on a factcheck connection to `path`."""

    # Autocommit, as db/connection.py's connections: factcheck emits BEGIN itself.
    isolation_level = None

    def __init__(self, path: str | Path) -> None:
        to_writer, self._requests = os.pipe()
        _widen(self._requests)
        self._answers, from_writer = os.pipe()
        # A fresh interpreter, not a fork: a forked child would inherit this process's SQLite
        # state (its open connections' locks and shared-memory maps), which SQLite forbids using.
        package_root = str(Path(__file__).resolve().parents[2])
        environment = {**os.environ}
        environment["PYTHONPATH"] = os.pathsep.join(
            p for p in (package_root, environment.get("PYTHONPATH")) if p
        )
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", __name__, str(to_writer), str(from_writer), str(path)],
                pass_fds=(to_writer, from_writer),
                stdin=subprocess.DEVNULL,
                env=environment,
            )
        finally:
            os.close(to_writer)
            os.close(from_writer)
        self._sending = Channel(self._requests, readable=False)
        self._receiving = Channel(self._answers, writable=False)
        self._broken = False
        self.writer = _Writer(self)
        # Statements sent within `held`, passed on to the writer after the next call's request
        # if that call is `overtaking`, else before it; each `held` is a generation of its own.
        self._held: list[tuple[int, tuple[Any, ...]]] = []  # (generation, message)
        self._holding = False
        self._overtaking = False
        self._generation = 0

    # -- the channel -------------------------------------------------------------------------

    def _send(self, message: tuple[Any, ...], kind: bytes = OTHER, generation: int = 0) -> None:
        if self._broken:
            raise self._gone()
        try:
            self._sending.send_bytes(_pack(message, kind, generation))
        except BaseException as exc:
            # Interrupted in the middle of a message, or the writer is gone: nothing more can
            # be said over this channel.
            self._break()
            if isinstance(exc, OSError):
                raise self._gone() from exc
            raise

    def _receive(self) -> Any:
        try:
            kind, value = pickle.loads(self._receiving.recv_bytes())
        except BaseException as exc:
            self._break()
            if isinstance(exc, EOFError | OSError):
                raise self._gone() from exc
            raise
        if kind == "error":
            raise value
        return value

    def _gone(self) -> DatabaseProblem:
        code = self._process.poll()
        how = "" if code is None else f" (exit status {code})"
        return DatabaseProblem(
            f"the import's writer process stopped{how}; nothing was written",
        )

    def _break(self) -> None:
        """Stop the writer: its uncommitted transaction goes with it."""
        self._broken = True
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()

    def _pass_held(self) -> None:
        held, self._held = self._held, []
        for generation, message in held:
            self._send(message, HELD, generation)

    def call(self, operation: str, *arguments: Any) -> Any:
        """Run an operation in the writer and return its answer, once everything sent before
        it is done (raising the error of a sent statement that failed); within `overtaking`,
        before the statements of the newest `held`, whether passed on yet or not."""
        if self._overtaking:
            self._send((operation, *arguments), OVERTAKING, self._generation)
            self._pass_held()
        else:
            self._pass_held()
            self._send((operation, *arguments))
        return self._receive()

    def tell(self, operation: str, *arguments: Any) -> None:
        """An operation with no answer, done in turn."""
        self._pass_held()
        self._send((operation, *arguments))

    @contextmanager
    def held(self) -> Iterator[None]:
        """The statements sent within may run after the next call made `overtaking` (and are
        passed on to the writer right after that call's request), and the writer may answer
        later calls made `overtaking` before them too. What was held before goes on first, and
        is run before any call: only the newest statements wait."""
        self._pass_held()
        self._generation += 1
        self._holding = True
        try:
            yield
        finally:
            self._holding = False

    @contextmanager
    def overtaking(self) -> Iterator[None]:
        """The calls within are answered before the statements `held`, which the writer then
        runs while the caller works on the answer: the caller accounts for those statements
        itself."""
        self._overtaking = True
        try:
            yield
        finally:
            self._overtaking = False

    # -- the sqlite3 connection's methods -------------------------------------------------------

    def send(self, sql: str, parameters: Any = ()) -> None:
        """A statement whose result nobody reads: sent (or `held`), and run while the caller
        goes on."""
        if self._holding:
            self._held.append((self._generation, ("send", sql, parameters)))
        else:
            self.tell("send", sql, parameters)

    def cursor(self) -> _Cursor:
        return _Cursor(self)

    def execute(self, sql: str, parameters: Any = ()) -> _Cursor:
        return self.cursor().execute(sql, parameters)

    def commit(self) -> None:
        self.call("commit")

    def rollback(self) -> None:
        self._held = []  # rolled back before they were written
        if self._broken:
            return  # the writer, and its transaction, are gone already
        self.call("rollback")

    def getlimit(self, category: int) -> int:
        return int(self.call("getlimit", category))

    def create_function(self, *_args: Any, **_kwargs: Any) -> None:
        """SQLAlchemy's functions (regexp, floor) are not carried to the writer, which has
        factcheck's own (db/connection.py); no statement of an import calls them."""

    def close(self) -> None:
        self._held = []  # closing rolls back
        if self._broken:
            return
        try:
            self.call("close")
        except DatabaseProblem:
            return
        finally:
            self._sending.close()
            self._receiving.close()
        try:
            self._process.wait(_STOP_WAIT)
        except subprocess.TimeoutExpired:
            self._break()
        self._broken = True


# --- the writer process ---------------------------------------------------------------------


class _Server:
    """The writer process: runs what it receives, in order; answers what waits for an answer."""

    def __init__(self, requests: Channel, answers: Channel, path: str) -> None:
        from factcheck.db.connection import connect

        self.requests, self.answers = requests, answers
        self.connection = connect(path)
        self.cursor = self.connection.cursor()
        self.failed: Exception | None = None  # a sent statement's, for the next answer

    def answer(self, operation: str, arguments: list[Any]) -> Any:
        if operation == "rollback":
            self.failed = None
            self.connection.rollback()
            return None
        if self.failed is not None:
            error, self.failed = self.failed, None
            raise error
        if operation == "commit":
            self.connection.commit()
            return None
        if operation == "getlimit":
            return self.connection.getlimit(*arguments)
        if operation == "execute":
            self.cursor.execute(*arguments)
        else:
            self.cursor.executemany(*arguments)
        cursor = self.cursor
        return (cursor.description, cursor.rowcount, cursor.lastrowid, cursor.fetchall())

    @staticmethod
    def next_message(inbox: deque[bytes]) -> bytes:
        """The message to run next: the first, but for a call made `overtaking` that only
        held statements of its own generation are ahead of (the importer accounts for them)."""
        kind, generation = _HEAD.unpack_from(inbox[0])
        if kind == HELD:
            for index, data in enumerate(inbox):
                head = _HEAD.unpack_from(data)
                if head != (HELD, generation):
                    if head == (OVERTAKING, generation):
                        del inbox[index]
                        return data
                    break
        return inbox.popleft()

    def serve(self) -> None:
        """Until told to close, or the importer is gone (closing rolls back)."""
        inbox: deque[bytes] = deque()
        size = 0  # of the messages in the inbox
        while True:
            try:
                # Take in what was sent, up to _INBOX_BYTES, so that the importer's sending
                # seldom waits for the statements before to be run (a pipe holds little); wait
                # only when there is nothing to do.
                if not inbox:
                    inbox.append(self.requests.recv_bytes())
                    size += len(inbox[-1])
                while size < _INBOX_BYTES and self.requests.poll():
                    inbox.append(self.requests.recv_bytes())
                    size += len(inbox[-1])
            except (EOFError, OSError):
                self.connection.close()  # the importer is gone: roll back
                return
            data = self.next_message(inbox)
            size -= len(data)
            operation, *arguments = _unpack(data)
            if operation == "send":  # no answer: a failure is told to the next that waits
                if self.failed is None:
                    try:
                        self.cursor.execute(*arguments)
                    except Exception as exc:
                        self.failed = exc
                continue
            if operation in ("actor", "recording"):
                setattr(self.connection.writer, operation, arguments[0])
                continue
            if operation == "close":
                self.connection.close()
                self.answers.send_bytes(pickle.dumps(("ok", None)))
                return
            try:
                answer = self.answer(operation, arguments)
                message = pickle.dumps(("ok", answer), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:
                message = pickle.dumps(("error", _picklable(exc)))
            self.answers.send_bytes(message)


def _picklable(error: BaseException) -> BaseException:
    """The error as the importer can receive it: sqlite3's errors are raised as they are (so
    SQLAlchemy reports them as from any connection); anything else as a sqlite3 error saying
    what it was."""
    if isinstance(error, sqlite3.Error):
        copy = type(error)(*error.args)
        for name in ("sqlite_errorcode", "sqlite_errorname"):
            if hasattr(error, name):
                setattr(copy, name, getattr(error, name))
        return copy
    return sqlite3.OperationalError(f"{type(error).__name__}: {error}")


def main(argv: list[str]) -> None:
    # Ctrl-C reaches every process of the terminal's job: the importer decides (it rolls back,
    # and the writer's transaction with it).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    requests_fd, answers_fd, path = argv
    requests = Channel(int(requests_fd), writable=False)
    answers = Channel(int(answers_fd), readable=False)
    _Server(requests, answers, path).serve()
    # The connection is closed and the last answer sent: leaving at once spares the importer,
    # which waits for this process to end, the interpreter's teardown.
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
