"""The in-process broker: several hubs in one process share a bus, as processes share Redis."""

from collections import defaultdict
from typing import Any

from app.realtime.broker import Broker, Online, merge_online
from app.realtime.envelope import Outbound


class MemoryBus:
    """What the processes would share: who listens to which stream."""

    def __init__(self) -> None:
        self.listeners: dict[str, set[MemoryBroker]] = defaultdict(set)
        self.members: set[MemoryBroker] = set()
        self.presence: dict[str, dict[int, Online]] = defaultdict(dict)


class MemoryBroker(Broker):
    """Delivers to the other brokers on its bus, never back to itself."""

    def __init__(self, bus: MemoryBus | None = None) -> None:
        super().__init__()
        self.bus = bus or MemoryBus()

    async def start(self) -> None:
        """Join the bus."""
        self.bus.members.add(self)

    async def stop(self) -> None:
        """Leave the bus and every stream."""
        self.bus.members.discard(self)
        for listeners in self.bus.listeners.values():
            listeners.discard(self)
        for lists in self.bus.presence.values():
            lists.pop(id(self), None)

    async def subscribe(self, stream: str) -> None:
        """Hear this stream's events."""
        self.bus.listeners[stream].add(self)

    async def unsubscribe(self, stream: str) -> None:
        """Stop hearing this stream's events."""
        self.bus.listeners[stream].discard(self)

    def publish_event(self, out: Outbound) -> None:
        """Hand the event to every other listener of its stream."""
        for broker in list(self.bus.listeners.get(out.room, ())):
            if broker is not self:
                broker.on_event(out)

    def publish_events(self, outs: list[Outbound]) -> None:
        """Hand a run of one stream's events to every other listener at once."""
        for broker in list(self.bus.listeners.get(outs[0].room, ())):
            if broker is not self:
                broker.on_events(outs)

    def publish_control(self, message: dict[str, Any]) -> None:
        """Hand the message to every other member."""
        for broker in list(self.bus.members):
            if broker is not self:
                broker.on_control(message)

    async def put_presence(self, stream: str, online: Online) -> None:
        """Record this hub's list and tell the other listeners of the stream."""
        self.bus.presence[stream][id(self)] = online
        for broker in list(self.bus.listeners.get(stream, ())):
            if broker is not self:
                broker.on_presence(stream)

    async def read_presence(self, streams: list[str]) -> dict[str, Online]:
        """Merge every hub's list."""
        return {s: merge_online(list(self.bus.presence.get(s, {}).values())) for s in streams}
