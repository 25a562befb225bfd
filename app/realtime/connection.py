"""One client socket on the sending side: frames straight to the wire, or a bounded queue.

A healthy socket takes each frame at once: an event's frame is encoded to
WebSocket bytes once (per room, per visibility) and written to every socket's
transport as it is, with no per-socket encoding. A socket whose buffer is full
gets a queue and a writer task of its own, created only then (an idle socket
carries neither), so a stalled phone only fills its own queue; when that is
full the client is dropped (it resumes later with `since`) instead of holding
up the room or growing memory.
"""

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from websockets.protocol import State

from app.realtime.envelope import Outbound, RunFrames, ws_text
from app.realtime.gateway import Identity
from app.realtime.metrics import SLOW_DROPS
from app.realtime.tasks import spawn

log = logging.getLogger("plenary.realtime")

RAW_SEND = "plenary.raw_send"  # scope key: the server's own ASGI send (set in app/web.py)
SLOW_CONSUMER_CLOSE = 1013  # "try again later": the client resumes with `since`

# The ASGI `send` of the socket: the server's own where we can get it (see socket.py).
SendMessage = Callable[[dict[str, Any]], Coroutine[Any, Any, None]]
Close = Callable[[int, str], Awaitable[None]]


class Cork:
    """While a batch is delivered, each socket's bytes are held, then written in one go.

    A socket's send is a system call (55 µs on this machine, as much as the rest
    of a delivery): the sender's ack and its own event, or several frames for one
    socket in one batch, then cost one.
    """

    held: list["Connection"] | None = None

    @classmethod
    def hold(cls) -> None:
        """Start holding writes (nested holds are one)."""
        if cls.held is None:
            cls.held = []

    @classmethod
    def release(cls) -> None:
        """Write what every socket holds."""
        held, cls.held = cls.held, None
        for connection in held or ():
            connection._write_held()


def wire_of(send: SendMessage) -> Any:
    """uvicorn's WebSocket protocol behind an ASGI send, when frames may go to its transport.

    Only for its sans-I/O implementation without extensions: then a text frame
    from the server is the same bytes for every socket (unmasked, uncompressed).
    """
    protocol = getattr(send, "__self__", None)
    connection = getattr(protocol, "conn", None)
    if (
        connection is None
        or not hasattr(protocol, "writable")
        or not hasattr(protocol, "transport")
    ):
        return None
    if getattr(connection, "extensions", None):
        return None
    return protocol


class Connection:
    """A live socket: who it is, which streams it follows, and what it still has to send."""

    __slots__ = (
        "_busy",
        "_close",
        "_early",
        "_held",
        "_queue",
        "_queued",
        "_send",
        "_unfinished",
        "_wire",
        "_writer",
        "closed",
        "coalesce_s",
        "identity",
        "last_seq",
        "max_queue",
        "streams",
    )

    def __init__(
        self,
        identity: Identity,
        send: SendMessage,
        close: Close,
        *,
        max_queue: int,
        coalesce_s: float = 0.0,
    ) -> None:
        self.identity = identity
        self._send = send
        self._close = close
        self._wire = wire_of(send)
        self.max_queue = max_queue
        self.coalesce_s = coalesce_s
        self.streams: list[str] = []
        self.last_seq: dict[str, int] = {}
        self._early: list[Outbound] | None = []  # events that arrive before the welcome
        self._queue: deque[tuple[bool, str, int]] | None = None  # only while backed up
        self._queued = 0  # events in the queue
        self._writer: asyncio.Task[None] | None = None
        # A send that could not finish at once, left for the writer to complete.
        self._unfinished: tuple[Coroutine[Any, Any, None], Any] | None = None
        self._busy = False  # the writer has work: new frames must queue behind it
        self._held: list[bytes] | None = None  # frames held while a batch is delivered
        self.closed = False

    def start(self) -> None:
        """Nothing to start: the writer task exists only while the socket is backed up."""

    def _writable(self) -> bool:
        wire = self._wire
        return (
            wire is not None
            and wire.writable.is_set()
            and not wire.close_sent
            and wire.conn.state is State.OPEN
            and not wire.transport.is_closing()
        )

    def send(
        self, frame: str, *, is_event: bool = False, encoded: bytes | None = None, count: int = 1
    ) -> None:
        """Send a frame now if the socket takes it, else queue it; a full queue drops the client.

        `encoded` is the frame as WebSocket bytes, when the caller has it (events:
        encoded once for every socket); `count` is how many events the frame holds.
        """
        if self.closed:
            return
        if not self._busy and not self.coalesce_s:
            if self._writable():
                data = encoded if encoded is not None else ws_text(frame.encode())
                held = Cork.held
                if held is None:
                    self._wire.transport.write(data)
                elif self._held is None:
                    self._held = [data]
                    held.append(self)
                else:
                    self._held.append(data)
                return
            if self._wire is None and self._send_eagerly(frame):
                return
        self._enqueue(is_event, frame, count)

    def _write_held(self) -> None:
        frames, self._held = self._held, None
        wire = self._wire
        if frames and not self.closed and wire is not None and not wire.transport.is_closing():
            wire.transport.write(b"".join(frames))

    def _send_eagerly(self, frame: str) -> bool:
        # Another server's socket: run its send up to its first suspension, here and
        # now. A healthy socket takes the frame without suspending; one whose buffer
        # is full suspends, its writer finishes that send, and later frames queue.
        coroutine = self._send({"type": "websocket.send", "text": frame})
        try:
            awaited = coroutine.send(None)
        except StopIteration:
            return True
        except Exception:
            self.closed = True
            return True
        self._unfinished = (coroutine, awaited)
        self._busy = True
        self._start_writer()
        return True

    def _enqueue(self, is_event: bool, frame: str, count: int = 1) -> None:
        # The bound counts events, not frames: a run of events travels as one frame.
        queue = self._queue
        if queue is None:
            queue = self._queue = deque()
        if self._queued + count > self.max_queue:
            log.warning("dropping slow consumer %s", self.identity.by)
            SLOW_DROPS.inc()
            self.close_soon(SLOW_CONSUMER_CLOSE, "send queue full")
            return
        queue.append((is_event, frame, count))
        self._queued += count
        self._busy = True
        self._start_writer()

    def _start_writer(self) -> None:
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write_loop())

    @property
    def queue_depth(self) -> int:
        """How many events wait to be written."""
        return self._queued

    def offer(self, out: Outbound) -> None:
        """Take one event of a followed stream, in seq order; duplicates are dropped."""
        if self._early is not None:
            self._early.append(out)
            return
        if out.seq <= self.last_seq.get(out.room, 0):
            return
        self.last_seq[out.room] = out.seq
        identity = self.identity
        if out.redacted is None or identity.privileged:
            self.send(out.full, is_event=True, encoded=out.wire_full())
            return
        if identity.participant_id is not None and identity.participant_id == out.visible_to:
            self.send(out.full, is_event=True, encoded=out.wire_full())
            return
        self.send(
            out.frame_for(privileged=False, participant_id=identity.participant_id), is_event=True
        )

    def offer_run(self, run: list[Outbound], frames: RunFrames) -> None:
        """Take consecutive events of one stream at once: one `events` frame, built once."""
        if self._early is not None:
            self._early.extend(run)
            return
        last = self.last_seq.get(run[0].room, 0)
        if run[0].seq <= last:  # just welcomed: part of the run is in its snapshot
            for out in run:
                self.offer(out)
            return
        self.last_seq[run[0].room] = run[-1].seq
        text, encoded = frames.for_identity(self.identity)
        self.send(text, is_event=True, encoded=encoded, count=len(run))

    @property
    def live(self) -> bool:
        """Welcomed: from now on it receives events and presence."""
        return self._early is None

    def go_live(self, seqs: dict[str, int]) -> None:
        """After the welcome: stop buffering, send what arrived meanwhile and is newer."""
        self.last_seq.update(seqs)
        early, self._early = self._early or [], None
        for out in early:
            self.offer(out)

    def close_soon(self, code: int, reason: str = "") -> None:
        """Close from outside the writer: stop sending, then close the socket."""
        if self.closed:
            return
        self.closed = True
        if self._queue is not None:
            self._queue.clear()
            self._queued = 0
        spawn(self._close_now(code, reason))

    async def flush_and_close(self, code: int, reason: str = "") -> None:
        """Write what is queued (a `moved` frame, say), then close."""
        if self.closed:
            return
        deadline = asyncio.get_running_loop().time() + 2.0
        while self._busy and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.01)
        self.closed = True
        await self._close_now(code, reason)

    async def _close_now(self, code: int, reason: str) -> None:
        if self._writer is not None and self._writer is not asyncio.current_task():
            self._writer.cancel()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._close(code, reason), timeout=2.0)

    async def stop(self) -> None:
        """Stop the writer (the socket is gone)."""
        self.closed = True
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._writer

    async def _finish_unfinished(self) -> None:
        coroutine, awaited = self._unfinished or (None, None)
        self._unfinished = None
        if coroutine is None:
            return
        while True:
            try:
                if awaited is None:
                    await asyncio.sleep(0)  # a bare `yield`: just give the loop a turn
                else:
                    # What a Task does with a yielded future: clear the flag its first
                    # yield set, or awaiting it again raises "await wasn't used with future".
                    awaited._asyncio_future_blocking = False
                    await awaited
            except BaseException as exc:  # the awaited future failed: let the send see it
                try:
                    awaited = coroutine.throw(exc)
                except StopIteration:
                    return
                continue
            try:
                awaited = coroutine.send(None)
            except StopIteration:
                return

    async def _write_loop(self) -> None:
        # Runs while the socket is backed up, then ends; the next backlog starts it anew.
        try:
            await self._finish_unfinished()
            if self.coalesce_s:
                # Followers of many rooms get a burst as one `events` frame.
                await asyncio.sleep(self.coalesce_s)
            queue = self._queue
            while queue:
                is_event, frame, count = queue.popleft()
                self._queued -= count
                if is_event and self.coalesce_s and queue and queue[0][0]:
                    batch = [frame]
                    while queue and queue[0][0]:
                        _, more, more_count = queue.popleft()
                        self._queued -= more_count
                        batch.append(more)
                    frame = _join_events(batch)
                await self._send({"type": "websocket.send", "text": frame})
        except asyncio.CancelledError:
            raise
        except Exception:
            self.closed = True
            return
        finally:
            self._busy = bool(self._queue)
        if self._queue is not None and not self._queue:
            self._queue = None  # an idle socket keeps no queue


def _join_events(frames: list[str]) -> str:
    # Each queued frame is an `event` or an `events` frame: flatten into one `events`.
    parts = []
    for frame in frames:
        if frame.startswith('{"type":"events","events":['):
            parts.append(frame[len('{"type":"events","events":[') : -2])
        else:
            parts.append(frame)
    return '{"type":"events","events":[' + ",".join(parts) + "]}"
