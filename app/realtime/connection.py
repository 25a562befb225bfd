"""One client socket on the sending side: a bounded queue and its own writer task.

Sending through a queue means a stalled phone only fills its own queue; when
that is full the client is dropped (it resumes later with `since`) instead of
holding up the room or growing memory.
"""

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from app.realtime.envelope import Outbound, events_frame
from app.realtime.gateway import Identity
from app.realtime.metrics import SLOW_DROPS
from app.realtime.tasks import spawn

log = logging.getLogger("plenary.realtime")

RAW_SEND = "plenary.raw_send"  # scope key: the server's own ASGI send (set in app/web.py)
SLOW_CONSUMER_CLOSE = 1013  # "try again later": the client resumes with `since`

# The ASGI `send` of the socket: the server's own where we can get it (see socket.py).
SendMessage = Callable[[dict[str, Any]], Coroutine[Any, Any, None]]
Close = Callable[[int, str], Awaitable[None]]


class Connection:
    """A live socket: who it is, which streams it follows, and what it still has to send."""

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
        self.max_queue = max_queue
        self.coalesce_s = coalesce_s
        self.streams: list[str] = []
        self.last_seq: dict[str, int] = {}
        self._early: list[Outbound] | None = []  # events that arrive before the welcome
        self._queue: deque[tuple[bool, str]] = deque()
        self._wake = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None
        # A send that could not finish at once, left for the writer to complete.
        self._unfinished: tuple[Coroutine[Any, Any, None], Any] | None = None
        self._busy = False  # the writer has work: new frames must queue behind it
        self.closed = False

    def start(self) -> None:
        """Start the writer task."""
        self._writer = asyncio.create_task(self._write_loop())

    def send(self, frame: str, *, is_event: bool = False) -> None:
        """Send a frame now if the socket takes it, else queue it; a full queue drops the client."""
        if self.closed:
            return
        if not self._busy and not self.coalesce_s:
            # Run the send up to its first suspension, here and now: a healthy socket
            # takes the frame without suspending, so no task switch is spent on it. A
            # socket whose buffer is full suspends; its writer task finishes that send,
            # and everything after it queues, so only this socket waits.
            coroutine = self._send({"type": "websocket.send", "text": frame})
            try:
                awaited = coroutine.send(None)
            except StopIteration:
                return
            except Exception:
                self.closed = True
                return
            self._unfinished = (coroutine, awaited)
            self._busy = True
            self._wake.set()
            return
        if len(self._queue) >= self.max_queue:
            log.warning("dropping slow consumer %s", self.identity.by)
            SLOW_DROPS.inc()
            self.close_soon(SLOW_CONSUMER_CLOSE, "send queue full")
            return
        self._queue.append((is_event, frame))
        self._busy = True
        self._wake.set()

    @property
    def queue_depth(self) -> int:
        """How many frames wait to be written."""
        return len(self._queue)

    def offer(self, out: Outbound) -> None:
        """Take one event of a followed stream, in seq order; duplicates are dropped."""
        if self._early is not None:
            self._early.append(out)
            return
        if out.seq <= self.last_seq.get(out.room, 0):
            return
        self.last_seq[out.room] = out.seq
        if out.redacted is None:
            self.send(out.full, is_event=True)
            return
        identity = self.identity
        self.send(
            out.frame_for(privileged=identity.privileged, participant_id=identity.participant_id),
            is_event=True,
        )

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
        self._queue.clear()
        spawn(self._close_now(code, reason))

    async def flush_and_close(self, code: int, reason: str = "") -> None:
        """Write what is queued (a `moved` frame, say), then close."""
        if self.closed:
            return
        deadline = asyncio.get_running_loop().time() + 2.0
        while self._queue and asyncio.get_running_loop().time() < deadline:
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
        queue = self._queue
        while not self.closed:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self._finish_unfinished()
            except Exception:
                self.closed = True
                return
            if self.coalesce_s:
                # Followers of many rooms get a burst as one `events` frame.
                await asyncio.sleep(self.coalesce_s)
            while queue:
                is_event, frame = queue.popleft()
                if is_event and self.coalesce_s and queue and queue[0][0]:
                    batch = [frame]
                    while queue and queue[0][0]:
                        batch.append(queue.popleft()[1])
                    frame = events_frame(batch)
                try:
                    await self._send({"type": "websocket.send", "text": frame})
                except Exception:
                    self.closed = True
                    return
            self._busy = False
