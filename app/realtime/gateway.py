"""What the transport needs from the domains, without knowing any sticky notes."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from sqlmodel import Session

from app.realtime.envelope import NewEvent

Role = Literal["moderator", "participant", "projector"]


@dataclass(frozen=True, slots=True)
class Identity:
    """Who holds a token: the role, and for a participant its id, name and room."""

    workshop_id: str
    role: Role
    participant_id: str | None = None
    room_id: str | None = None
    name: str | None = None

    @property
    def by(self) -> str:
        """The `by` of the events this identity causes."""
        return self.participant_id or self.role

    @property
    def actor_key(self) -> str:
        """The scope in which this identity's command refs are unique."""
        return self.participant_id or f"{self.role}:{self.workshop_id}"

    @property
    def privileged(self) -> bool:
        """Sees everything, including private notes and hidden tallies."""
        return self.role == "moderator"


class Gateway(Protocol):
    """The domain side of a WebSocket: who you are, what you may follow, what a room looks like."""

    def authenticate(self, session: Session, workshop_id: str, token: str) -> Identity:
        """The identity of a token in this workshop, or PlenaryError('unauthorized')."""
        ...

    def streams_for(self, session: Session, identity: Identity, room: str) -> list[str]:
        """The streams a hello's `room` stands for, or PlenaryError('forbidden')."""
        ...

    def snapshot(self, session: Session, identity: Identity, stream: str) -> dict[str, Any]:
        """The board of one stream as this identity may see it."""
        ...


CommandHandler = Callable[[Session, Identity, str, dict[str, Any]], list[NewEvent]]
# Runs on the event loop once a command is stored (a poll answer asks for fresh results).
AfterCommit = Callable[[Identity, str, dict[str, Any]], None]


class CommandRegistry:
    """Maps ops to the domain handlers that turn a command into events."""

    def __init__(self) -> None:
        self._handlers: dict[str, CommandHandler] = {}
        self._after: dict[str, AfterCommit] = {}
        self._light: set[str] = set()

    def register(
        self,
        op: str,
        handler: CommandHandler,
        after: AfterCommit | None = None,
        *,
        light: bool = False,
    ) -> None:
        """Route `op` to `handler` (and, once stored, to `after`); each op has exactly one.

        `light`: its work is short and bounded (a row or two), so it may run on the
        event loop where the storage allows; heavy ops always run on a writer thread.
        """
        if op in self._handlers:
            raise ValueError(f"op {op} registered twice")
        self._handlers[op] = handler
        if after is not None:
            self._after[op] = after
        if light:
            self._light.add(op)

    def light(self, op: str) -> bool:
        """Whether `op` was registered as light."""
        return op in self._light

    def get(self, op: str) -> CommandHandler | None:
        """The handler of `op`, if any."""
        return self._handlers.get(op)

    def after(self, op: str) -> AfterCommit | None:
        """What runs once `op` is stored, if anything."""
        return self._after.get(op)

    @property
    def ops(self) -> list[str]:
        """Every registered op, sorted."""
        return sorted(self._handlers)
