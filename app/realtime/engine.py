"""The transport's core: apply commands and changes durably, in batches, then fan them out."""

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.db import Database
from app.errors import PlenaryError
from app.group_commit import Job, Outcome
from app.realtime.broker import Broker
from app.realtime.connection import Cork
from app.realtime.envelope import NewEvent, Outbound, wire_room
from app.realtime.gateway import CommandRegistry, Gateway, Identity
from app.realtime.hub import Hub
from app.realtime.log import append_events, read_since, recall_answer, remember_answer, stream_head

Change = Callable[[Session], list[NewEvent]]
Reply = Callable[[Outcome], None]


@dataclass(slots=True)
class Committed:
    """What a job stored: the answer to its command (if it was one) and its events."""

    answer: dict[str, Any] | None
    outs: list[Outbound]


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
        self._outgoing: list[Outbound] = []
        db.batch_start_hooks.append(Cork.hold)
        db.batch_hooks.append(self._publish_batch)

    async def commit(
        self, change: Change, by: str, *, locks: tuple[str, ...] = ("*",)
    ) -> list[Outbound]:
        """Apply a change with its events in a transaction of its own; publish them."""

        future: asyncio.Future[list[Outbound]] = asyncio.get_running_loop().create_future()

        def work(session: Session) -> Committed:
            return Committed(None, append_events(session, change(session), by))

        def done(outcome: Outcome) -> None:
            # Runs before the batch hook, so these events go out with this batch.
            if outcome.error is not None:
                future.set_exception(outcome.error)
                return
            self._outgoing.extend(outcome.value.outs)
            future.set_result(outcome.value.outs)

        self.db.submit([Job(work, locks=locks, solo=True, done=done)])
        return await future

    def submit_command(
        self,
        identity: Identity,
        stream: str,
        ref: str,
        op: str,
        data: dict[str, Any],
        reply: Reply,
    ) -> None:
        """Queue a command; `reply` gets its ack (or refusal) on the loop, after the commit.

        The batch's events are published after every reply of the batch, so a
        sender always sees its ack before its own event. A resent ref gets its
        first ack and no events.
        """
        handler = self.commands.get(op)
        if handler is None:
            reply(Outcome(error=PlenaryError("unknown_op", f"There is no op called {op!r}.")))
            return
        if identity.role == "projector":
            reply(Outcome(error=PlenaryError("forbidden", "The projector may read, not write.")))
            return
        room = wire_room(stream)

        def work(session: Session) -> Committed:
            events = handler(session, identity, stream, data)
            outs = append_events(session, events, identity.by)
            seq = max((o.seq for o in outs if o.room == stream), default=0)
            answer = {"type": "ack", "ref": ref, "seq": seq, "room": room}
            if not remember_answer(session, identity.actor_key, ref, answer):
                raise _AlreadyApplied  # this second application is rolled back
            return Committed(answer, outs)

        def recover(session: Session, error: BaseException) -> Committed:
            # Resent refs are rare (a client that reconnected), so the first answer
            # is looked up only when applying fails, not before every command.
            if isinstance(error, _AlreadyApplied | PlenaryError | IntegrityError):
                prior = recall_answer(session, identity.actor_key, ref)
                if prior is not None:
                    return Committed(prior, [])
            raise error

        after = self.commands.after(op)

        def done(outcome: Outcome) -> None:
            if outcome.error is None:
                self._outgoing.extend(outcome.value.outs)
            reply(outcome)
            if after is not None and outcome.error is None:
                after(identity, stream, data)

        light = self.commands.light(op)
        self.db.submit([Job(work, locks=(stream,), recover=recover, done=done, light=light)])

    def _publish_batch(self, _batch: list[Job]) -> None:
        # The batch's acks went out (held) before its events; both leave together now.
        outs, self._outgoing = self._outgoing, []
        try:
            if outs:
                _stamp(outs)
                self.hub.publish(outs)
        finally:
            Cork.release()

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
