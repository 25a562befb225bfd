"""Building the synthesis without holding anyone up.

1. Read a snapshot of the workshop on the readers' pool (no write lock).
2. Group the notes in a worker process (`compute_build`: pure CPU, so it holds
   neither the event loop nor this process's interpreter lock).
3. Store the result in one short write job, which first checks that the
   synthesis did not change meanwhile (a moderator's edit); if it did, build
   again from a fresh snapshot.

One build per workshop at a time: requests that arrive during a build in this
process wait for it and share its answer; across processes a lease row keeps
a second build from starting until the first is stored.
"""

import asyncio
import json
import multiprocessing
import secrets
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.boards.models import SynthesisItem, SynthesisLease, SynthesisPlacement, SynthesisState
from app.boards.polls import polls_for
from app.boards.synthesis import Seed
from app.boards.synthesis_read import gather, stored_items
from app.boards.synthesis_view import Built, Inputs, StoredItem, board, compute_build, warm_up
from app.errors import PlenaryError
from app.rawsql import Sql
from app.realtime.engine import Realtime
from app.realtime.envelope import NewEvent
from app.realtime.gateway import Identity
from app.realtime.log import lock_stream, stream_head
from app.rooms import service as rooms

T = TypeVar("T")
LEASE_S = 120.0  # a build that died leaves its lease behind this long at most
ATTEMPTS = 3  # builds in a row that found the synthesis edited meanwhile


@dataclass
class Snapshot:
    """What a build starts from: the rooms, the stored items, and the synthesis seq."""

    inputs: Inputs
    stored: list[StoredItem]
    head: int


def read_snapshot(session: Session, workshop_id: str) -> Snapshot:
    """The build's starting point, from one read transaction."""
    head, _ = stream_head(session, rooms.synthesis_stream(workshop_id))
    return Snapshot(gather(session, workshop_id), stored_items(session, workshop_id), head)


def synthesis_snapshot(session: Session, identity: Identity) -> dict[str, Any]:
    """The merged board as this identity may see it (the projector: no hidden tallies)."""
    inputs = gather(session, identity.workshop_id)
    hidden = frozenset() if identity.privileged else inputs.hidden_rooms
    stored = stored_items(session, identity.workshop_id)
    shown = board(stored, inputs, hidden, privileged=identity.privileged)
    return {**shown, "polls": polls_for(session, identity)}


def seeds_and_previous(snapshot: Snapshot) -> tuple[list[Seed], dict[str, frozenset[str]]]:
    """The moderator's items (kept whole) and the others (whose ids carry over when most stay)."""
    present = set(snapshot.inputs.notes)
    seeds = [
        Seed(item.id, frozenset(item.note_ids) & present, item.title if item.renamed else None)
        for item in snapshot.stored
        if item.edited
    ]
    previous = {
        item.id: frozenset(item.note_ids) & present for item in snapshot.stored if not item.edited
    }
    return [s for s in seeds if s.note_ids], previous


class _Stale(PlenaryError):
    """The synthesis changed since the snapshot the build started from (found before writing)."""

    def __init__(self) -> None:
        super().__init__("conflict", "The synthesis changed during the build.")


def store(session: Session, workshop_id: str, built: Built, head: int) -> list[NewEvent]:
    """Replace the stored items with a build's, in one short transaction."""
    stream = rooms.synthesis_stream(workshop_id)
    lock_stream(session, stream)
    if stream_head(session, stream)[0] != head:
        raise _Stale
    existing = {
        row.id: row
        for row in session.exec(
            select(SynthesisItem).where(SynthesisItem.workshop_id == workshop_id)
        ).all()
    }
    keep = {item.id for item in built.items}
    session.execute(
        delete(SynthesisPlacement).where(col(SynthesisPlacement.workshop_id) == workshop_id)
    )
    gone = [item_id for item_id in existing if item_id not in keep]
    if gone:
        session.execute(delete(SynthesisItem).where(col(SynthesisItem.id).in_(gone)))
    sql = Sql.of(session)
    fresh = [
        {"id": i.id, "w": workshop_id, "lane": i.lane, "title": i.title}
        for i in built.items
        if i.id not in existing
    ]
    if fresh:
        sql.run_many(
            "INSERT INTO synthesis_item (id, workshop_id, lane, title, renamed, pinned)"
            " VALUES (:id, :w, :lane, :title, false, false)",
            fresh,
        )
    retitled = [
        {"id": i.id, "title": i.title}
        for i in built.items
        if i.id in existing and not existing[i.id].renamed and existing[i.id].title != i.title
    ]
    if retitled:
        sql.run_many("UPDATE synthesis_item SET title = :title WHERE id = :id", retitled)
    placements = [
        {"note": note_id, "w": workshop_id, "item": item.id}
        for item in built.items
        for note_id in item.note_ids
    ]
    if placements:
        sql.run_many(
            "INSERT INTO synthesis_placement (note_id, workshop_id, item_id)"
            " VALUES (:note, :w, :item)",
            placements,
        )
    state = session.get(SynthesisState, workshop_id) or SynthesisState(workshop_id=workshop_id)
    state.suggestions = json.dumps(built.suggestions, ensure_ascii=False)
    session.add(state)
    session.execute(delete(SynthesisLease).where(col(SynthesisLease.workshop_id) == workshop_id))
    # The wall gets its own board: no hidden votes, no suggestions.
    redacted = {"synthesis": built.projector}
    return [NewEvent(stream, "synthesis.rebuilt", {"synthesis": built.full}, redacted=redacted)]


def _take_lease(session: Session, workshop_id: str, owner: str) -> bool:
    now = time.time()
    lease = session.get(SynthesisLease, workshop_id)
    if lease is not None and lease.until > now and lease.owner != owner:
        return False
    if lease is None:
        lease = SynthesisLease(workshop_id=workshop_id, owner=owner, until=now + LEASE_S)
    lease.owner, lease.until = owner, now + LEASE_S
    session.add(lease)
    return True


def _lease_holder(session: Session, workshop_id: str) -> bool:
    lease = session.get(SynthesisLease, workshop_id)
    return lease is not None and lease.until > time.time()


class SynthesisBuilder:
    """Builds workshops' syntheses in a worker process, one build per workshop at a time."""

    def __init__(self, realtime: Realtime, workers: int = 1) -> None:
        self.rt = realtime
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._warming: Future[bool] | None = None
        self._running: dict[str, asyncio.Task[dict[str, Any]]] = {}
        self.owner = secrets.token_hex(8)

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: this process has threads (writers, readers) a fork would copy.
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                max_tasks_per_child=50,
                initializer=warm_up,  # a worker that replaces a retired one starts warm too
            )
        return self._pool

    def warm(self) -> None:
        """Start the worker ahead of the first build (called once the moderator moves phases)."""
        if self._warming is None:
            self._warming = self._executor().submit(warm_up)

    @property
    def warming(self) -> "Future[bool] | None":
        """The warm-up under way or done, if one was started."""
        return self._warming

    async def offload(self, work: Callable[..., T], *args: Any) -> T:
        """Run pure CPU work in the worker process (a large poll's results, say)."""
        return await asyncio.get_running_loop().run_in_executor(self._executor(), work, *args)

    async def build(self, workshop_id: str) -> dict[str, Any]:
        """(Re)build the merged board; the moderator's board with its seq and epoch."""
        running = self._running.get(workshop_id)
        if running is None:
            running = asyncio.create_task(self._build(workshop_id))
            self._running[workshop_id] = running
            running.add_done_callback(lambda _t: self._running.pop(workshop_id, None))
        return await asyncio.shield(running)

    async def _build(self, workshop_id: str) -> dict[str, Any]:
        db = self.rt.db
        await db.read(lambda s: rooms.get_workshop(s, workshop_id))  # 404 before anything
        while not await db.write(lambda s: _take_lease(s, workshop_id, self.owner)):
            # Another process is building this workshop: its result will do.
            while await db.read(lambda s: _lease_holder(s, workshop_id)):
                await asyncio.sleep(0.25)
            return await db.read(lambda s: self._answer(s, workshop_id))
        try:
            for _ in range(ATTEMPTS):
                snapshot = await db.read(lambda s: read_snapshot(s, workshop_id))
                seeds, previous = seeds_and_previous(snapshot)
                built = await asyncio.get_running_loop().run_in_executor(
                    self._executor(), compute_build, snapshot.inputs, seeds, previous
                )
                try:
                    outs = await self.rt.commit(
                        partial(store, workshop_id=workshop_id, built=built, head=snapshot.head),
                        "moderator",
                        locks=(rooms.synthesis_stream(workshop_id),),
                    )
                except _Stale:
                    continue
                epoch = await db.read(
                    lambda s: stream_head(s, rooms.synthesis_stream(workshop_id))[1]
                )
                return {**built.full, "seq": outs[0].seq, "epoch": epoch}
            raise PlenaryError("conflict", "The synthesis kept changing during the build.")
        finally:
            await db.write(
                lambda s: s.execute(
                    delete(SynthesisLease).where(
                        col(SynthesisLease.workshop_id) == workshop_id,
                        col(SynthesisLease.owner) == self.owner,
                    )
                )
            )

    @staticmethod
    def _answer(session: Session, workshop_id: str) -> dict[str, Any]:
        moderator = Identity(workshop_id=workshop_id, role="moderator")
        seq, epoch = stream_head(session, rooms.synthesis_stream(workshop_id))
        return {**synthesis_snapshot(session, moderator), "seq": seq, "epoch": epoch}

    def close(self) -> None:
        """Stop the worker processes."""
        if self._pool is not None:
            # A build still running is of no use once the server stops (its result would be
            # written by nobody): end the workers, then wait for the pool, so its queues and
            # semaphores are released instead of reported as leaked at exit.
            processes = dict(getattr(self._pool, "_processes", None) or {})
            for process in processes.values():
                process.terminate()
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
