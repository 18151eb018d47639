"""`factcheck` commands as processes of their own, forked from one that has already imported
factcheck and its libraries, for batteries of a hundred commands whose start-up (importing
SQLAlchemy, Alembic, the driver: most of a refused command's time) is not what they test.

Each command gets what `python -m factcheck ARGS` started by subprocess gets: its own process,
working directory, environment, file size limit, pipes for stdin, stdout and stderr, the signal
dispositions a terminal gives (SIGINT raises KeyboardInterrupt, SIGTERM and SIGHUP kill), and
its exit status as the interpreter would give it. The launcher runs no command itself and opens
no database, so nothing carries over from one command to the next.

    launcher = Launcher()
    child = launcher.start(["db", "check"], cwd, env)
    code, stdout, stderr = child.communicate(timeout=60)
    launcher.close()
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import selectors
import signal
import socket
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

# Run as `python bench/launcher.py FD`, this file's folder is on sys.path but the repository root
# may not be.
if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# What a command's start-up imports (every command needs some of these), imported once.
PRELOAD = (
    "sqlalchemy",
    "sqlalchemy.orm",
    "alembic.command",
    "alembic.config",
    "alembic.runtime.migration",
    "psycopg",
    "factcheck.cli",
    "factcheck.models",
    "factcheck.db.database",
    "factcheck.db.migrate",
    "factcheck.services.export",
    "factcheck.services.importer",
    "factcheck.services.maintenance",
    "factcheck.services.report",
)


class Child:
    """A started command: its pid, and the parent's ends of its pipes."""

    def __init__(self, launcher: Launcher, pid: int, stdin: int, stdout: int, stderr: int):
        self.launcher, self.pid = launcher, pid
        self.stdin: int | None = stdin
        self._out = {stdout: bytearray(), stderr: bytearray()}
        self._stdout, self._stderr = stdout, stderr
        self.returncode: int | None = None

    def write(self, data: bytes) -> None:
        assert self.stdin is not None
        os.write(self.stdin, data)

    def close_stdin(self) -> None:
        if self.stdin is not None:
            os.close(self.stdin)
            self.stdin = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self.launcher._status(block=False)
        return self.returncode

    def send_signal(self, number: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, number)

    def communicate(self, timeout: float) -> tuple[int, str, str]:
        """Close stdin, read stdout and stderr to their end and wait for the exit status; on
        timeout the command is killed and TimeoutExpired raised."""
        self.close_stdin()
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            for fd in self._out:
                selector.register(fd, selectors.EVENT_READ)
            while selector.get_map():
                left = deadline - time.monotonic()
                ready = selector.select(max(left, 0))
                if not ready and left <= 0:
                    os.kill(self.pid, signal.SIGKILL)
                    self._finish()
                    raise subprocess.TimeoutExpired("factcheck", timeout)
                for key, _ in ready:
                    chunk = os.read(key.fd, 65536)
                    if chunk:
                        self._out[int(key.fd)].extend(chunk)
                    else:
                        selector.unregister(key.fd)
        self._finish()
        assert self.returncode is not None
        out, err = (bytes(self._out[fd]).decode() for fd in self._out)
        return self.returncode, out, err

    def _finish(self) -> None:
        if self.returncode is None:
            self.returncode = self.launcher._status(block=True)
        for fd in self._out:
            os.close(fd)
        self.close_stdin()


class Launcher:
    """The forking process; one command at a time."""

    def __init__(self) -> None:
        self._socket, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        theirs.close()
        if self._socket.recv(64) != b"ready":
            raise RuntimeError(f"the launcher did not start: {self._process.communicate()}")

    def start(
        self, args: list[str], cwd: Path, env: dict[str, str], file_size_limit: int | None = None
    ) -> Child:
        ends = [os.pipe() for _ in range(3)]
        theirs = [ends[0][0], ends[1][1], ends[2][1]]
        request = {"args": args, "cwd": str(cwd), "env": env, "limit": file_size_limit}
        socket.send_fds(self._socket, [json.dumps(request).encode()], theirs)
        for fd in theirs:
            os.close(fd)
        pid = int(json.loads(self._socket.recv(65536))["pid"])
        return Child(self, pid, ends[0][1], ends[1][0], ends[2][0])

    def _status(self, block: bool) -> int | None:
        self._socket.setblocking(block)
        try:
            message = self._socket.recv(65536)
        except BlockingIOError:
            return None
        finally:
            self._socket.setblocking(True)
        return int(json.loads(message)["code"])

    def close(self) -> None:
        self._socket.close()
        self._process.communicate(timeout=60)


# --- the launcher process ----------------------------------------------------------------------


def _run_command(request: dict[str, Any], fds: list[int], channel: socket.socket) -> None:
    """In the forked child: become the command, run it, exit as the interpreter would."""
    channel.close()
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    # The dispositions a command started from a terminal has (see hostile_files: nohup would
    # have SIGHUP ignored), Python's own for SIGINT.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    if request["limit"] is not None:
        # A write past the limit then fails with EFBIG instead of killing the process (SIGXFSZ).
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (request["limit"], request["limit"]))
    import factcheck
    from factcheck.cli import main

    # What `python -m factcheck ARGS` gives.
    sys.argv = [str(Path(factcheck.__file__).parent / "__main__.py"), *request["args"]]

    code = 0
    try:
        main()
    except SystemExit as exc:
        if exc.code is None:
            code = 0
        elif isinstance(exc.code, int):
            code = exc.code
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    except KeyboardInterrupt:
        traceback.print_exc()
        code = -signal.SIGINT
    except BaseException:
        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        code = 120
    if code == -signal.SIGINT:
        # As the interpreter does: killed by the signal, for the parent to see.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    os._exit(code & 0xFF)


def serve(channel: socket.socket) -> None:
    for name in PRELOAD:
        __import__(name)
    channel.send(b"ready")
    while True:
        message, fds, _flags, _address = socket.recv_fds(channel, 1 << 20, 3)
        if not message:
            return
        request = json.loads(message)
        pid = os.fork()
        if pid == 0:
            _run_command(request, fds, channel)
        for fd in fds:
            os.close(fd)
        channel.send(json.dumps({"pid": pid}).encode())
        _, status = os.waitpid(pid, 0)
        channel.send(json.dumps({"code": os.waitstatus_to_exitcode(status)}).encode())


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])))
