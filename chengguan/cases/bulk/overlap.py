"""The bulk import's validation overlapped with its writing: the replay (pass 1b) runs in a forked child, which
pickles each batch of replayed lines into the spool and tells the parent where the batch ends; the parent writes
the batches as they come (`bulk_import` keeps what it writes before the child has validated the whole file in one
open transaction, so a bad line still leaves nothing written).

Database connections and `fork`: the child must never use (or close) a connection of the parent. `mode()` says
how the child reaches the database: `"reconnect"` — the parent closes its connections before forking and the
child opens its own (PostgreSQL, an SQLite file); `"inherit"` — an in-memory SQLite database (the test database)
exists only in this process's memory, so the child reads the copy of it that `fork` gave it (a snapshot of the
moment of the fork, which is all the replay reads; nothing of it is shared with the parent). With a transaction
open in the parent (its rows are not visible to a new connection) there is no overlap: `mode()` is None and the
import validates first, as without a child.
"""

import os
import pickle
import select
import signal
import struct
import time
import traceback
from collections import deque

from django.db import connection, connections

from ..exchange import ExchangeError

_HEADER = struct.Struct("!cQ")  # kind, value: B(atch) end offset, D(one), E(rror)/C(rash) payload length


def mode() -> str | None:
    """How a validating child reaches the database ("inherit", "reconnect"), or None: validate in this process."""
    if not hasattr(os, "fork"):
        return None
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return "inherit"
    if any(c.in_atomic_block for c in connections.all(initialized_only=True)):
        return None
    return "reconnect"


def _send(fd, kind: bytes, value: int = 0, payload: bytes = b"") -> None:
    data = _HEADER.pack(kind, len(payload) if payload else value) + payload
    while data:
        data = data[os.write(fd, data) :]


class Validation:
    """Fork a child running `replay(emit)` (emit: a list of packed lines, in file order); iterate the batches in
    the parent as the child hands them over. `validated` turns True when the child has replayed the whole file
    without an error; the child's ExchangeError is raised by the iteration as soon as it is known."""

    def __init__(self, spool, replay, how: str):
        self.fd, self.offset, self.ends = spool.fileno(), 0, deque()
        self.validated, self.validated_at, self.error, self.eof, self._buffer = False, None, None, False, b""
        if how == "inherit":
            connection.ensure_connection()  # the child's copy of it is the database it reads
        else:
            connections.close_all()  # the child opens its own; the parent reconnects on its next query
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read)
            _child(self.fd, write, replay, how)
        os.close(write)
        self.pid, self.pipe = pid, read

    def __iter__(self):
        while True:
            self._take(block=False)
            if self.error is not None:  # no point writing the batches before it: they are rolled back
                raise self.error
            if self.ends:
                end = self.ends.popleft()
                data = _pread(self.fd, end - self.offset, self.offset)
                self.offset = end
                yield pickle.loads(data)
            elif self.validated:
                return
            elif self.eof:
                raise RuntimeError("the bulk import's validating process ended without an answer")
            else:
                self._take(block=True)

    def ready(self) -> bool:
        """Whether the next batch (or the end) can be had without waiting for the child."""
        self._take(block=False)
        return bool(self.ends) or self.validated or self.error is not None or self.eof

    def close(self) -> None:
        """Reap the child (stopped first if the parent gives up before it has answered)."""
        if self.pid is None:
            return
        if not (self.validated or self.error is not None or self.eof):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.pipe)
        self.pid = None

    def _take(self, *, block: bool) -> None:
        """Read the child's messages that have arrived (waiting for at least one if `block`)."""
        while not self.eof:
            if not block and not select.select([self.pipe], [], [], 0)[0]:
                return
            data = os.read(self.pipe, 1 << 16)
            if not data:
                self.eof = True
                return
            self._buffer += data
            self._parse()
            block = False

    def _parse(self) -> None:
        buf = self._buffer
        while len(buf) >= _HEADER.size:
            kind, value = _HEADER.unpack_from(buf)
            if kind == b"B":
                self.ends.append(value)
            elif kind == b"D":
                self.validated, self.validated_at = True, time.monotonic()
            else:  # an error: a payload of `value` bytes follows
                if len(buf) < _HEADER.size + value:
                    break
                payload = buf[_HEADER.size : _HEADER.size + value]
                if kind == b"E":
                    line, reason, event, cause, source_field = pickle.loads(payload)
                    self.error = ExchangeError(
                        line, reason, event=event, cause=cause, source_field=source_field
                    )
                else:
                    self.error = RuntimeError("the bulk import's validation failed:\n" + payload.decode())
                buf = buf[_HEADER.size + value :]
                continue
            buf = buf[_HEADER.size :]
        self._buffer = buf


def _pread(fd, size: int, offset: int) -> bytes:
    parts = []
    while size > 0:
        data = os.pread(fd, size, offset)
        if not data:
            raise RuntimeError("the bulk import's spool ended early")
        parts.append(data)
        size, offset = size - len(data), offset + len(data)
    return b"".join(parts)


def _child(fd, out, replay, how) -> None:
    """Replay, writing each batch at the spool's end (its own offsets: the file position is shared with the
    parent, which reads with pread), then say how it ended. Leaves by `os._exit`: nothing of the parent's (its
    buffered output, its connections, its temporary files) is flushed, closed or removed from here."""
    status = 0
    try:
        end = 0

        def emit(batch):
            nonlocal end
            data = memoryview(pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL))
            while data:
                written = os.pwrite(fd, data, end)
                data, end = data[written:], end + written
            _send(out, b"B", end)

        try:
            replay(emit)
            _send(out, b"D")
        except ExchangeError as exc:
            _send(
                out,
                b"E",
                payload=pickle.dumps((exc.line, exc.reason, exc.event, exc.cause, exc.source_field)),
            )
        except BaseException:  # noqa: BLE001 - a bug or a database error: the parent raises it
            _send(out, b"C", payload=traceback.format_exc().encode())
    except BaseException:  # noqa: BLE001 - the parent is gone (a broken pipe): nothing to tell
        status = 1
    finally:
        try:
            if how == "reconnect":
                connections.close_all()  # its own connections, opened after the fork
        finally:
            os._exit(status)
