"""The transport's core: apply a command or a change durably, then fan it out."""

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.db import Database
from app.errors import PlenaryError
from app.realtime.broker import Broker
from app.realtime.envelope import NewEvent, Outbound
from app.realtime.gateway import CommandRegistry, Gateway, Identity
from app.realtime.hub import Hub
from app.realtime.log import append_events, read_since, recall_answer, remember_answer, stream_head

Change = Callable[[Session], list[NewEvent]]


class Realtime:
    """Holds the storage, the hub, the domain gateway and the command handlers together."""

    def __init__(
        self,
        db: Database,
        broker: Broker,
        gateway: Gateway,
        commands: CommandRegistry,
        *,
        replay_limit: int,
        gap_wait_s: float,
        rate_per_s: float = 10.0,
        rate_burst: float = 40.0,
    ) -> None:
        self.db = db
        self.hub = Hub(broker, self.read_log, self.read_head, gap_wait_s)
        self.hub.bucket_rate = (rate_per_s, rate_burst)
        self.gateway = gateway
        self.commands = commands
        self.replay_limit = replay_limit

    async def commit(self, change: Change, by: str) -> list[Outbound]:
        """Apply a change with its events in one transaction, then publish them."""

        def work(session: Session) -> list[Outbound]:
            return append_events(session, change(session), by)

        outs = await self.db.write(work)
        _stamp(outs)
        self.hub.publish(outs)
        return outs

    async def execute(
        self, identity: Identity, stream: str, ref: str, op: str, data: dict[str, Any]
    ) -> tuple[dict[str, Any], list[Outbound]]:
        """Apply a command once; return its ack and the events to publish once it is sent.

        A resent ref returns its first ack and no events. The caller sends the ack
        first, then publishes, so the sender always sees its ack before its event.
        """
        handler = self.commands.get(op)
        if handler is None:
            raise PlenaryError("unknown_op", f"There is no op called {op!r}.")
        if identity.role == "projector":
            raise PlenaryError("forbidden", "The projector may read, not write.")

        def work(session: Session) -> tuple[dict[str, Any], list[Outbound]]:
            events = handler(session, identity, stream, data)
            outs = append_events(session, events, identity.by)
            seq = max((o.seq for o in outs if o.room == stream), default=0)
            answer = {"type": "ack", "ref": ref, "seq": seq}
            if not remember_answer(session, identity.actor_key, ref, answer):
                raise _AlreadyApplied  # roll this second application back
            return answer, outs

        # Resent refs are rare (a client that reconnected), so the answer is
        # looked up only when this application fails or meets an earlier one,
        # not before every command.
        try:
            answer, outs = await self.db.write_short(work)
        except (_AlreadyApplied, PlenaryError, IntegrityError):
            prior = await self.db.read(lambda s: recall_answer(s, identity.actor_key, ref))
            if prior is None:
                raise
            return prior, []
        _stamp(outs)
        return answer, outs

    async def read_log(self, stream: str, since: int, until: int) -> list[Outbound]:
        """Events of a stream in `(since, until]` from the log."""
        return await self.db.read(lambda s: read_since(s, stream, since, until))

    async def read_head(self, stream: str) -> int:
        """The last seq of a stream."""
        return (await self.db.read(lambda s: stream_head(s, stream)))[0]

    def welcome_part(
        self,
        session: Session,
        identity: Identity,
        stream: str,
        since: int | None,
        epoch: str | None,
    ) -> tuple[int, str, dict[str, Any] | None, list[Outbound]]:
        """For one stream: seq, epoch, and either a snapshot or the events missed since `since`."""
        seq, current_epoch = stream_head(session, stream)
        if (
            since is not None
            and (epoch is None or epoch == current_epoch)
            and 0 <= since <= seq
            and seq - since <= self.replay_limit
        ):
            missed = read_since(session, stream, since, seq)
            if len(missed) == seq - since:  # nothing pruned from the log
                return seq, current_epoch, None, missed
        return seq, current_epoch, self.gateway.snapshot(session, identity, stream), []


class _AlreadyApplied(Exception):
    """This ref already has an answer; the transaction that found out rolls back."""


def _stamp(outs: list[Outbound]) -> None:
    now = time.time()
    for out in outs:
        out.committed_at = now
