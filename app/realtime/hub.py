"""Local fan-out: one channel per followed stream, delivering its events in seq order.

Events can reach a channel out of order (two commits resume on the event loop
in either order; another process's message arrives late) or not at all (the
broker dropped it). The channel holds back what comes early and, when a gap
lasts, reads the missing events from the log, which is the truth.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from app.realtime.broker import Broker
from app.realtime.connection import Connection
from app.realtime.envelope import Outbound, RunFrames, dumps, wire_room
from app.realtime.metrics import DELIVERIES, EVENTS, FANOUT_SECONDS
from app.realtime.ratelimit import TokenBucket
from app.realtime.tasks import spawn

log = logging.getLogger("plenary.realtime")

PRESENCE_REFRESH_S = 15.0
PRESENCE_COALESCE_S = 0.5  # at most two presence lists a second per room
# In a busy stream (an event delivered less than this ago) the next events wait until
# this long after that delivery, to share one `events` frame: at most 100 frames a
# second per stream, each socket writes less. A quiet stream's event goes out at once.
COALESCE_S = 0.01

LogReader = Callable[[str, int, int], Awaitable[list[Outbound]]]
HeadReader = Callable[[str], Awaitable[int]]


class RoomChannel:
    """The local followers of one stream and how far its events have been delivered."""

    def __init__(self, stream: str, hub: "Hub") -> None:
        self.stream = stream
        self.hub = hub
        self.connections: set[Connection] = set()
        self.delivered: int | None = None
        self.pending: dict[int, Outbound] = {}
        self.ready = asyncio.Event()
        self.joining = 0
        self._gap_task: asyncio.Task[None] | None = None
        self._held: list[Outbound] = []  # events waiting for the busy stream's next frame
        self._last_delivery = float("-inf")  # loop time

    def accept(self, out: Outbound) -> None:
        """Take an event from anywhere; deliver it once every earlier one is delivered."""
        if self.delivered is not None and out.seq <= self.delivered:
            return
        self.pending[out.seq] = out
        if self.delivered is not None:
            self._drain()

    def accept_many(self, outs: list[Outbound]) -> None:
        """Take several events of this stream at once (a batch): delivered together."""
        delivered = self.delivered
        for out in outs:
            if delivered is None or out.seq > delivered:
                self.pending[out.seq] = out
        if delivered is not None:
            self._drain()

    def start_at(self, head: int) -> None:
        """Set the baseline: everything up to `head` is already in snapshots."""
        self.delivered = head
        for seq in [s for s in self.pending if s <= head]:
            del self.pending[seq]
        self._drain()

    def _drain(self) -> None:
        assert self.delivered is not None
        pending = self.pending
        run: list[Outbound] = []
        while self.delivered + 1 in pending:
            out = pending.pop(self.delivered + 1)
            self.delivered = out.seq
            run.append(out)
        if run:
            self._pace(run)
        if pending and self._gap_task is None:
            self._gap_task = asyncio.create_task(self._fill_gap())

    def _pace(self, run: list[Outbound]) -> None:
        if self._held:  # a delivery is already due: join it
            self._held.extend(run)
            return
        loop = asyncio.get_running_loop()
        due = self._last_delivery + COALESCE_S
        if loop.time() >= due:
            self._last_delivery = loop.time()
            self._deliver(run)
            return
        self._held = run
        loop.call_at(due, self._deliver_held)

    def _deliver_held(self) -> None:
        run, self._held = self._held, []
        self._last_delivery = asyncio.get_running_loop().time()
        if run:
            self._deliver(run)

    def _deliver(self, run: list[Outbound]) -> None:
        # Several events ready at once go to each socket as one `events` frame, built
        # once for all of them; a lone event goes out at once as its own frame.
        connections = self.connections
        if len(run) == 1:
            out = run[0]
            for connection in connections:
                connection.offer(out)
        else:
            frames = RunFrames(run)
            for connection in connections:
                connection.offer_run(run, frames)
        DELIVERIES.inc(len(connections) * len(run))
        now = time.time()
        for out in run:
            if out.committed_at:
                FANOUT_SECONDS.observe(max(0.0, now - out.committed_at))

    async def _fill_gap(self) -> None:
        try:
            await asyncio.sleep(self.hub.gap_wait_s)
            while self.pending and self.delivered is not None:
                until = max(self.pending)
                missing = await self.hub.read_log(self.stream, self.delivered, until)
                for out in missing:
                    self.accept(out)
                if self.pending:
                    await asyncio.sleep(self.hub.gap_wait_s)
        except Exception:
            log.exception("gap fill failed for %s", self.stream)
        finally:
            self._gap_task = None

    async def catch_up(self) -> None:
        """Read whatever the log has beyond what was delivered (after a broker outage)."""
        if self.delivered is None:
            return
        head = await self.hub.read_head(self.stream)
        if head > self.delivered:
            for out in await self.hub.read_log(self.stream, self.delivered, head):
                self.accept(out)

    def online(self) -> list[dict[str, Any]]:
        """The participants with a socket on this stream, once each."""
        seen: dict[str, str] = {}
        for connection in self.connections:
            ident = connection.identity
            if ident.role == "participant" and ident.participant_id:
                seen[ident.participant_id] = ident.name or ""
        return [
            {"participant_id": pid, "name": name}
            for pid, name in sorted(seen.items(), key=lambda item: (item[1].lower(), item[0]))
        ]


class Hub:
    """Every channel of this process, the broker link, and presence."""

    def __init__(
        self, broker: Broker, read_log: LogReader, read_head: HeadReader, gap_wait_s: float
    ) -> None:
        self.broker = broker
        self.read_log = read_log
        self.read_head = read_head
        self.gap_wait_s = gap_wait_s
        self.channels: dict[str, RoomChannel] = {}
        self.connections: set[Connection] = set()
        self.buckets: dict[str, TokenBucket] = {}
        self.bucket_rate = (10.0, 40.0)
        self.by_participant: dict[str, set[Connection]] = {}
        self.by_viewer: dict[str, set[Connection]] = {}  # moderator and projector sockets
        self._presence_due: dict[str, asyncio.Task[None]] = {}
        self._presence_to_share: set[str] = set()
        self._presence_sent: dict[str, float] = {}
        broker.bind(
            self._on_broker_event,
            self._on_control,
            self._on_resync,
            self._on_presence,
            self._on_broker_events,
        )
        self._heartbeat: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Begin refreshing this process's presence lists (so they never expire while alive)."""
        self._heartbeat = asyncio.create_task(self._refresh_presence_forever())

    async def stop(self) -> None:
        """Stop the refresher."""
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat

    async def attach(self, connection: Connection, streams: list[str]) -> None:
        """Follow streams; events start buffering in the connection until `go_live`."""
        connection.streams = list(streams)
        self.connections.add(connection)
        for stream in streams:
            channel = await self._open_channel(stream)
            channel.connections.add(connection)
            channel.joining -= 1
        pid = connection.identity.participant_id
        if pid:
            self.by_participant.setdefault(pid, set()).add(connection)
        else:
            self.by_viewer.setdefault(connection.identity.actor_key, set()).add(connection)

    async def detach(self, connection: Connection) -> None:
        """Stop following; close channels nobody here follows any more."""
        self.connections.discard(connection)
        pid = connection.identity.participant_id
        viewers = self.by_viewer.get(connection.identity.actor_key)
        if viewers is not None:
            viewers.discard(connection)
            if not viewers:
                del self.by_viewer[connection.identity.actor_key]
        if pid and pid in self.by_participant:
            self.by_participant[pid].discard(connection)
            if not self.by_participant[pid]:
                del self.by_participant[pid]
                self.buckets.pop(pid, None)
        for stream in connection.streams:
            channel = self.channels.get(stream)
            if channel is None:
                continue
            channel.connections.discard(connection)
            if not channel.connections and channel.joining == 0:
                del self.channels[stream]
                self._presence_sent.pop(stream, None)
                with contextlib.suppress(Exception):
                    await self.broker.unsubscribe(stream)

    async def _open_channel(self, stream: str) -> RoomChannel:
        channel = self.channels.get(stream)
        if channel is not None:
            channel.joining += 1
            await channel.ready.wait()
            return channel
        channel = RoomChannel(stream, self)
        channel.joining += 1
        self.channels[stream] = channel
        try:
            # Subscribe before reading the head, so nothing falls between the two.
            await self.broker.subscribe(stream)
            channel.start_at(await self.read_head(stream))
        except BaseException:
            channel.joining -= 1
            self.channels.pop(stream, None)
            raise
        finally:
            channel.ready.set()
        return channel

    def participant_bucket(self, participant_id: str) -> TokenBucket:
        """The command bucket shared by one participant's sockets in this process."""
        bucket = self.buckets.get(participant_id)
        if bucket is None:
            bucket = self.buckets[participant_id] = TokenBucket(*self.bucket_rate)
        return bucket

    def publish(self, outs: list[Outbound]) -> None:
        """Deliver committed events here and tell the other processes."""
        EVENTS.inc(len(outs))
        by_stream: dict[str, list[Outbound]] = {}
        for out in outs:
            by_stream.setdefault(out.room, []).append(out)
        for stream, events in by_stream.items():
            channel = self.channels.get(stream)
            if channel is not None:
                channel.accept_many(events)
            self.broker.publish_events(events)

    def _on_broker_event(self, out: Outbound) -> None:
        channel = self.channels.get(out.room)
        if channel is not None:
            channel.accept(out)

    def _on_broker_events(self, outs: list[Outbound]) -> None:
        channel = self.channels.get(outs[0].room)
        if channel is not None:
            channel.accept_many(outs)

    def _on_resync(self) -> None:
        for channel in list(self.channels.values()):
            spawn(channel.catch_up())

    async def presence_frame(self, stream: str) -> str:
        """The `presence` frame of one stream, across every process."""
        online = (await self.broker.read_presence([stream]))[stream]
        return dumps({"type": "presence", "room": wire_room(stream), "online": online})

    async def online_counts(self, streams: list[str]) -> dict[str, int]:
        """How many participants are connected to each stream, across every process."""
        merged = await self.broker.read_presence(streams)
        return {stream: len(online) for stream, online in merged.items()}

    def announce_presence(self, stream: str) -> None:
        """Someone came or went here: share this process's list, then tell every follower."""
        self._presence_to_share.add(stream)
        self._schedule_presence(stream)

    def _on_presence(self, stream: str) -> None:
        self._schedule_presence(stream)

    def _schedule_presence(self, stream: str) -> None:
        # The first change goes out at once, later ones at most every PRESENCE_COALESCE_S:
        # 400 people arriving then cost a few lists, not 400 (each the whole room).
        if stream not in self._presence_due:
            self._presence_due[stream] = spawn(self._presence_round(stream))

    async def _presence_round(self, stream: str) -> None:
        loop = asyncio.get_running_loop()
        try:
            wait = self._presence_sent.get(stream, -PRESENCE_COALESCE_S) + PRESENCE_COALESCE_S
            if wait > loop.time():
                await asyncio.sleep(wait - loop.time())
        finally:
            del self._presence_due[stream]  # a change from here on schedules another round
        if stream in self._presence_to_share:
            self._presence_to_share.discard(stream)
            channel = self.channels.get(stream)
            await self.broker.put_presence(stream, channel.online() if channel else [])
        self._presence_sent[stream] = loop.time()
        await self._send_presence(stream)

    async def _send_presence(self, stream: str) -> None:
        if stream not in self.channels:
            return
        frame = await self.presence_frame(stream)
        channel = self.channels.get(stream)
        for connection in channel.connections if channel else ():
            if connection.live:  # the others get presence right after their welcome
                connection.send(frame)

    async def _refresh_presence_forever(self) -> None:
        while True:
            await asyncio.sleep(PRESENCE_REFRESH_S)
            for stream, channel in list(self.channels.items()):
                online = channel.online()
                if online:
                    with contextlib.suppress(Exception):
                        await self.broker.put_presence(stream, online)

    def move_participant(self, participant_id: str, room: str | None) -> None:
        """Close a participant's sockets everywhere: `moved` with 4409, or revoked with 4401."""
        message = {"kind": "move", "participant_id": participant_id, "room": room}
        self._on_control(message)
        self.broker.publish_control(message)

    def close_workshop(self, workshop_id: str) -> None:
        """Close every socket of a deleted workshop, in every process."""
        message = {"kind": "workshop_deleted", "workshop_id": workshop_id}
        self._on_control(message)
        self.broker.publish_control(message)

    def _on_control(self, message: dict[str, Any]) -> None:
        if message.get("kind") == "workshop_deleted":
            for connection in list(self.connections):
                if connection.identity.workshop_id == message["workshop_id"]:
                    connection.close_soon(4401, "workshop deleted")
            return
        if message.get("kind") != "move":
            return
        room = message.get("room")
        for connection in list(self.by_participant.get(str(message["participant_id"]), ())):
            if room is None:
                connection.close_soon(4401, "revoked")
                continue
            connection.send(dumps({"type": "moved", "room": room}))
            spawn(connection.flush_and_close(4409, "moved"))
