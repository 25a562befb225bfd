"""The broker carries committed events and control messages between server processes.

It is not the truth: a message it loses is found again in the event log, since a
room channel that sees a gap, or a broker that reconnects, reads the log.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from app.realtime.envelope import Outbound

EventSink = Callable[[Outbound], None]
EventsSink = Callable[[list[Outbound]], None]
ControlSink = Callable[[dict[str, Any]], None]
ResyncSink = Callable[[], None]
PresenceSink = Callable[[str], None]
Online = list[dict[str, str]]

PRESENCE_TTL_S = 45.0  # a process that stops refreshing its presence is forgotten after this


class Broker(ABC):
    """Publish to, and hear from, the other processes serving the same workshops."""

    def __init__(self) -> None:
        self.on_event: EventSink = lambda _out: None
        self.on_events: EventsSink = self._one_by_one
        self.on_control: ControlSink = lambda _msg: None
        self.on_resync: ResyncSink = lambda: None
        self.on_presence: PresenceSink = lambda _stream: None

    def _one_by_one(self, outs: list[Outbound]) -> None:
        for out in outs:
            self.on_event(out)

    def bind(
        self,
        on_event: EventSink,
        on_control: ControlSink,
        on_resync: ResyncSink,
        on_presence: PresenceSink,
        on_events: EventsSink | None = None,
    ) -> None:
        """Say where incoming messages go (the hub)."""
        self.on_event, self.on_control, self.on_resync = on_event, on_control, on_resync
        self.on_presence = on_presence
        if on_events is not None:
            self.on_events = on_events

    @abstractmethod
    async def start(self) -> None:
        """Connect and begin listening."""

    @abstractmethod
    async def stop(self) -> None:
        """Stop listening and disconnect."""

    @abstractmethod
    async def subscribe(self, stream: str) -> None:
        """Begin hearing events of one stream (one channel per room)."""

    @abstractmethod
    async def unsubscribe(self, stream: str) -> None:
        """Stop hearing events of one stream."""

    @abstractmethod
    def publish_event(self, out: Outbound) -> None:
        """Send a committed event to the other processes; never blocks the caller."""

    def publish_events(self, outs: list[Outbound]) -> None:
        """Send consecutive events of one stream; receivers deliver them together."""
        for out in outs:
            self.publish_event(out)

    @abstractmethod
    def publish_control(self, message: dict[str, Any]) -> None:
        """Send a control message (a moved or revoked participant) to every process."""

    @abstractmethod
    async def put_presence(self, stream: str, online: Online) -> None:
        """Publish who is connected to a stream through this process (and tell the others)."""

    @abstractmethod
    async def read_presence(self, streams: list[str]) -> dict[str, Online]:
        """Who is connected to each stream through any process, once each."""


def merge_online(lists: list[Online]) -> Online:
    """One list of participants from several processes' lists, sorted by name."""
    seen: dict[str, str] = {}
    for online in lists:
        for person in online:
            seen[person["participant_id"]] = person["name"]
    return [
        {"participant_id": pid, "name": name}
        for pid, name in sorted(seen.items(), key=lambda item: (item[1].lower(), item[0]))
    ]
