"""The in-process broker: several hubs in one process share a bus, as processes share Redis."""

from collections import defaultdict
from typing import Any

from app.realtime.broker import Broker
from app.realtime.envelope import Outbound


class MemoryBus:
    """What the processes would share: who listens to which stream."""

    def __init__(self) -> None:
        self.listeners: dict[str, set[MemoryBroker]] = defaultdict(set)
        self.members: set[MemoryBroker] = set()


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

    def publish_control(self, message: dict[str, Any]) -> None:
        """Hand the message to every other member."""
        for broker in list(self.bus.members):
            if broker is not self:
                broker.on_control(message)
