"""Local fan-out: one channel per followed stream, delivering its events in seq order.

Events can reach a channel out of order (two commits resume on the event loop
in either order; another process's message arrives late) or not at all (the
broker dropped it). The channel holds back what comes early and, when a gap
lasts, reads the missing events from the log, which is the truth.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from app.realtime.broker import Broker
from app.realtime.connection import Connection
from app.realtime.envelope import Outbound, dumps, wire_room
from app.realtime.tasks import spawn

log = logging.getLogger("plenary.realtime")

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

    def accept(self, out: Outbound) -> None:
        """Take an event from anywhere; deliver it once every earlier one is delivered."""
        if self.delivered is not None and out.seq <= self.delivered:
            return
        self.pending[out.seq] = out
        if self.delivered is not None:
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
        while self.delivered + 1 in pending:
            out = pending.pop(self.delivered + 1)
            self.delivered = out.seq
            for connection in self.connections:
                connection.offer(out)
        if pending and self._gap_task is None:
            self._gap_task = asyncio.create_task(self._fill_gap())

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
        self.by_participant: dict[str, set[Connection]] = {}
        broker.bind(self._on_broker_event, self._on_control, self._on_resync)

    async def attach(self, connection: Connection, streams: list[str]) -> None:
        """Follow streams; events start buffering in the connection until `go_live`."""
        connection.streams = list(streams)
        for stream in streams:
            channel = await self._open_channel(stream)
            channel.connections.add(connection)
            channel.joining -= 1
        pid = connection.identity.participant_id
        if pid:
            self.by_participant.setdefault(pid, set()).add(connection)

    async def detach(self, connection: Connection) -> None:
        """Stop following; close channels nobody here follows any more."""
        pid = connection.identity.participant_id
        if pid and pid in self.by_participant:
            self.by_participant[pid].discard(connection)
            if not self.by_participant[pid]:
                del self.by_participant[pid]
        for stream in connection.streams:
            channel = self.channels.get(stream)
            if channel is None:
                continue
            channel.connections.discard(connection)
            if not channel.connections and channel.joining == 0:
                del self.channels[stream]
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

    def publish(self, outs: list[Outbound]) -> None:
        """Deliver committed events here and tell the other processes."""
        for out in outs:
            channel = self.channels.get(out.room)
            if channel is not None:
                channel.accept(out)
            self.broker.publish_event(out)

    def _on_broker_event(self, out: Outbound) -> None:
        channel = self.channels.get(out.room)
        if channel is not None:
            channel.accept(out)

    def _on_resync(self) -> None:
        for channel in list(self.channels.values()):
            spawn(channel.catch_up())

    def presence_frame(self, stream: str) -> str:
        """The `presence` frame of one stream."""
        channel = self.channels.get(stream)
        online = channel.online() if channel else []
        return dumps({"type": "presence", "room": wire_room(stream), "online": online})

    def online_count(self, stream: str) -> int:
        """How many participants are connected to this stream here."""
        channel = self.channels.get(stream)
        return len(channel.online()) if channel else 0

    def announce_presence(self, stream: str) -> None:
        """Tell every follower of the stream who is online now."""
        channel = self.channels.get(stream)
        if channel is None:
            return
        frame = self.presence_frame(stream)
        for connection in channel.connections:
            if connection.live:  # the others get presence right after their welcome
                connection.send(frame)

    def move_participant(self, participant_id: str, room: str | None) -> None:
        """Close a participant's sockets everywhere: `moved` with 4409, or revoked with 4401."""
        message = {"kind": "move", "participant_id": participant_id, "room": room}
        self._on_control(message)
        self.broker.publish_control(message)

    def _on_control(self, message: dict[str, Any]) -> None:
        if message.get("kind") != "move":
            return
        room = message.get("room")
        for connection in list(self.by_participant.get(str(message["participant_id"]), ())):
            if room is None:
                connection.close_soon(4401, "revoked")
                continue
            connection.send(dumps({"type": "moved", "room": room}))
            spawn(connection.flush_and_close(4409, "moved"))
