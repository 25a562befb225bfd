"""Redis fan-out: one channel per room, a publisher queue, a subscriber that reconnects.

Publishing never blocks a command: events go into a queue that a task drains. When
Redis drops, the subscriber retries with backoff, resubscribes every channel and
asks the hub to catch up from the event log, so no client misses an event.

A message is `<origin> <kind> <rest>`. An event's rest is a header of plain
fields followed by its frames exactly as clients get them, so a receiver
neither parses nor re-encodes the JSON (wrapping a frame inside a JSON message
escaped every quote twice, once each way):

    <origin> e <seq> <committed_at> <visible_to or -> <length of full> <full><redacted>

A run of one room's events (a batch) is one message, `<origin> E` followed by
each event's fields after `e `, a newline before each: JSON frames never hold a
raw newline, so the records cannot be confused.

Control messages are `<origin> c <json>`; `<origin> p` says a room's presence changed.
"""

import asyncio
import contextlib
import json
import logging
import secrets
import time
from typing import Any

import redis.asyncio as aioredis

from app.realtime.broker import PRESENCE_TTL_S, Broker, Online, merge_online
from app.realtime.envelope import Outbound

log = logging.getLogger("plenary.redis")

MAX_BACKOFF_S = 5.0
PUBLISH_QUEUE = 100_000
PUBLISH_BATCH = 500


class RedisBroker(Broker):
    """A Broker over Redis pub/sub."""

    def __init__(self, url: str, *, prefix: str = "plenary") -> None:
        super().__init__()
        self.url = url
        self.prefix = prefix
        self.origin = secrets.token_hex(6)
        self.streams: set[str] = set()
        self._client: aioredis.Redis | None = None
        self._pubsub: Any = None
        self._outbox: asyncio.Queue[tuple[str, str]] = asyncio.Queue(PUBLISH_QUEUE)
        self._tasks: list[asyncio.Task[None]] = []
        self._connected = asyncio.Event()

    def channel(self, stream: str) -> str:
        """The Redis channel of a stream."""
        return f"{self.prefix}:room:{stream}"

    def presence_key(self, stream: str) -> str:
        """The hash holding each process's presence list of a stream."""
        return f"{self.prefix}:presence:{stream}"

    @property
    def control_channel(self) -> str:
        """The channel every process hears for control messages."""
        return f"{self.prefix}:control"

    async def start(self) -> None:
        """Start the subscriber and publisher tasks."""
        self._client = aioredis.from_url(self.url, socket_connect_timeout=2, socket_timeout=None)
        self._tasks = [
            asyncio.create_task(self._listen_forever()),
            asyncio.create_task(self._publish_forever()),
        ]

    async def stop(self) -> None:
        """Stop both tasks and close the connection."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._client is not None:
            with contextlib.suppress(Exception):
                await self._client.aclose()

    async def subscribe(self, stream: str) -> None:
        """Hear one room."""
        self.streams.add(stream)
        if self._pubsub is not None and self._connected.is_set():
            with contextlib.suppress(Exception):
                await self._pubsub.subscribe(self.channel(stream))

    async def unsubscribe(self, stream: str) -> None:
        """Stop hearing one room."""
        self.streams.discard(stream)
        if self._pubsub is not None and self._connected.is_set():
            with contextlib.suppress(Exception):
                await self._pubsub.unsubscribe(self.channel(stream))

    def publish_event(self, out: Outbound) -> None:
        """Queue an event for the other processes."""
        self._enqueue(self.channel(out.room), "e " + _record(out))

    def publish_events(self, outs: list[Outbound]) -> None:
        """Queue a run of one room's events as one message."""
        if len(outs) == 1:
            self.publish_event(outs[0])
            return
        records = "".join("\n" + _record(out) for out in outs)
        self._enqueue(self.channel(outs[0].room), "E" + records)

    def publish_control(self, message: dict[str, Any]) -> None:
        """Queue a control message for every process."""
        self._enqueue(self.control_channel, "c " + json.dumps(message))

    async def put_presence(self, stream: str, online: Online) -> None:
        """Store this process's list (with a time, so a dead process expires) and notify."""
        if self._client is None:
            return
        key = self.presence_key(stream)
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                if online:
                    pipe.hset(key, self.origin, json.dumps({"t": time.time(), "online": online}))
                else:
                    pipe.hdel(key, self.origin)
                pipe.expire(key, int(PRESENCE_TTL_S) * 2)
                await pipe.execute()
        except Exception as exc:
            log.warning("redis presence write failed (%s)", exc)
            return
        self._enqueue(self.channel(stream), "p")

    async def read_presence(self, streams: list[str]) -> dict[str, Online]:
        """Merge the fresh lists of every process."""
        if self._client is None or not streams:
            return {s: [] for s in streams}
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                for stream in streams:
                    pipe.hgetall(self.presence_key(stream))
                rows = await pipe.execute()
        except Exception as exc:
            log.warning("redis presence read failed (%s)", exc)
            return {s: [] for s in streams}
        fresh_after = time.time() - PRESENCE_TTL_S
        merged: dict[str, Online] = {}
        for stream, row in zip(streams, rows, strict=True):
            lists = []
            for raw in row.values():
                entry = json.loads(raw)
                if entry["t"] >= fresh_after:
                    lists.append(entry["online"])
            merged[stream] = merge_online(lists)
        return merged

    def _enqueue(self, channel: str, message: str) -> None:
        # The origin goes first, outside the JSON: a process drops its own
        # messages (every process hears the rooms it serves) without decoding them.
        try:
            self._outbox.put_nowait((channel, f"{self.origin} {message}"))
        except asyncio.QueueFull:
            # Others will find the event in the log when they notice the gap.
            log.warning("redis publish queue full; dropping a message for %s", channel)

    async def _publish_forever(self) -> None:
        outbox = self._outbox
        while True:
            # Whatever queued up meanwhile goes in one pipeline: one round trip.
            batch = [await outbox.get()]
            while not outbox.empty() and len(batch) < PUBLISH_BATCH:
                batch.append(outbox.get_nowait())
            while True:
                try:
                    assert self._client is not None
                    async with self._client.pipeline(transaction=False) as pipe:
                        for channel, message in batch:
                            pipe.publish(channel, message)
                        await pipe.execute()
                    break
                except Exception as exc:
                    log.warning("redis publish failed (%s); retrying", exc)
                    await asyncio.sleep(0.5)
                    if outbox.qsize() > PUBLISH_QUEUE // 2:
                        break  # stale by now: receivers recover from the log

    async def _listen_forever(self) -> None:
        backoff = 0.1
        while True:
            try:
                await self._listen_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._connected.clear()
                log.warning("redis subscriber lost (%s); retrying in %.1fs", exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(MAX_BACKOFF_S, backoff * 2)
            else:
                backoff = 0.1

    async def _listen_once(self) -> None:
        assert self._client is not None
        pubsub = self._client.pubsub(ignore_subscribe_messages=True)
        try:
            channels = [self.control_channel, *(self.channel(s) for s in self.streams)]
            await pubsub.subscribe(*channels)
            self._pubsub = pubsub
            self._connected.set()
            # Whatever was published while we were away is in the log.
            self.on_resync()
            # `listen` parses as messages come; `get_message(timeout=...)` set up a
            # timeout per message, which cost more than the message.
            async for message in pubsub.listen():
                self._dispatch(message)
        finally:
            self._pubsub = None
            self._connected.clear()
            with contextlib.suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    def _dispatch(self, message: dict[str, Any]) -> None:
        data = message["data"]
        data = data.decode() if isinstance(data, bytes) else data
        origin, _, rest = data.partition(" ")
        if origin == self.origin:
            return
        channel = message["channel"]
        channel = channel.decode() if isinstance(channel, bytes) else channel
        kind = rest[:1]
        if kind == "c":
            self.on_control(json.loads(rest[2:]))
            return
        stream = channel[len(self.prefix) + len(":room:") :]
        if kind == "p":
            self.on_presence(stream)
        elif kind == "e":
            self.on_event(parse_event(stream, rest[2:]))
        elif kind == "E":
            self.on_events([parse_event(stream, record) for record in rest[2:].split("\n")])


def _record(out: Outbound) -> str:
    header = f"{out.seq} {out.committed_at!r} {out.visible_to or '-'} {len(out.full)} "
    return header + out.full + (out.redacted or "")


def parse_event(stream: str, rest: str) -> Outbound:
    """An event message's fields after `e `, back into the Outbound it was made from."""
    seq, committed_at, visible_to, length, frames = rest.split(" ", 4)
    size = int(length)
    full, redacted = frames[:size], frames[size:]
    return Outbound(
        stream,
        int(seq),
        full,
        redacted or None,
        None if visible_to == "-" else visible_to,
        float(committed_at),
    )
