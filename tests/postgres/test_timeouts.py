"""A PostgreSQL server that does not answer, holds a lock, or is still starting up: the command
ends in one line naming the server and the setting, never hangs, and changes nothing."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.helpers import fails, ok, table_rows

pytestmark = pytest.mark.hostile

# libpq's requests for an encrypted session, answered "N" (not here) before the startup packet.
_SSL_REQUEST, _GSS_REQUEST = 80877103, 80877104


def _read_exactly(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def _starting_up(conn: socket.socket) -> None:
    """Speak the start of PostgreSQL's protocol as a server that is starting up does."""
    while True:
        length, code = struct.unpack("!ii", _read_exactly(conn, 8))
        if code in (_SSL_REQUEST, _GSS_REQUEST):
            conn.sendall(b"N")
            continue
        _read_exactly(conn, length - 8)  # the rest of the startup packet
        break
    fields = b"SFATAL\0VFATAL\0C57P03\0Mthe database system is starting up\0\0"
    conn.sendall(b"E" + struct.pack("!i", 4 + len(fields)) + fields)


def _pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while chunk := source.recv(65536):
            target.sendall(chunk)
    except OSError:
        pass
    finally:
        target.close()


@contextmanager
def _server(handle: object) -> Iterator[int]:
    """A TCP server on loopback, each connection given to `handle` in a thread; its port."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            held.append(conn)
            threading.Thread(target=handle, args=(conn,), daemon=True).start()  # type: ignore[arg-type]

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()
        for conn in held:
            conn.close()


def test_a_server_that_never_answers_fails_within_the_connect_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FACTCHECK_PG_CONNECT_TIMEOUT", "2")
    with _server(lambda conn: None) as port:
        url = f"postgresql+psycopg://alice@127.0.0.1:{port}/newsroom"
        result = fails("--db", url, "claim", "show", "1")
    assert f"cannot connect to the PostgreSQL server {url}: no answer within 2 s" in result.stderr
    assert "FACTCHECK_PG_CONNECT_TIMEOUT" in result.stderr
    assert "db check" not in result.stderr


def test_a_server_that_refuses_is_named_with_its_reason() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
    result = fails("--db", f"postgresql+psycopg://alice@127.0.0.1:{port}/x", "claim", "list")
    assert "cannot connect to the PostgreSQL server" in result.stderr
    assert "Connection refused" in result.stderr
    assert "host, port, user and database" in result.stderr


def test_a_bad_timeout_setting_is_named(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTCHECK_PG_STATEMENT_TIMEOUT", "soon")
    result = fails("claim", "list")
    assert "FACTCHECK_PG_STATEMENT_TIMEOUT must be a number of seconds" in result.stderr


def test_a_locked_table_ends_in_the_statement_timeout(
    seeded_pg: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = table_rows(seeded_pg)
    monkeypatch.setenv("FACTCHECK_PG_STATEMENT_TIMEOUT", "1")
    url = make_url(seeded_pg)
    conninfo = f"host={url.host} port={url.port} user={url.username} dbname={url.database}"
    with psycopg.connect(conninfo) as locker:
        locker.execute("LOCK TABLE claims IN ACCESS EXCLUSIVE MODE")
        for argv in (("claim", "show", "1"), ("claim", "edit", "1", "--kind", "opinion")):
            result = fails(*argv)
            assert "did not finish a statement within 1 s" in result.stderr
            assert "FACTCHECK_PG_STATEMENT_TIMEOUT" in result.stderr
        locker.rollback()
    assert table_rows(seeded_pg) == before
    assert ok("claim", "show", "1", "--json").json()["id"] == 1


def test_a_server_starting_up_is_asked_again(pg_url: str) -> None:
    ok("init")
    url = make_url(pg_url)
    answered = {"starting": 0}

    def handle(conn: socket.socket) -> None:
        if answered["starting"] < 3:  # the first three connections: still starting up
            answered["starting"] += 1
            _starting_up(conn)
            conn.close()
            return
        upstream = socket.create_connection((str(url.host), int(url.port or 5432)))
        threading.Thread(target=_pump, args=(upstream, conn), daemon=True).start()
        _pump(conn, upstream)

    with _server(handle) as port:
        proxied = url.set(port=port).render_as_string(hide_password=False)
        assert ok("--db", proxied, "claim", "list", "--json").json() == []
    assert answered["starting"] == 3
