"""CPU per command: `Realtime.execute` of `note.add`, on SQLite and on PostgreSQL.

    .venv/bin/python -m bench.command_cost            # both databases, 2,000 commands each
    .venv/bin/python -m bench.command_cost sqlite     # one of them

No sockets: this is the durable part of a command (validation, the board's rules,
the transaction with its event and its remembered answer), the part that differs
between the two databases. CPU is this process's, so PostgreSQL's own work is
not counted; its round trips show in the wall time.
"""

import asyncio
import contextlib
import gc
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator

import psycopg
from sqlmodel import Session

from app.config import Settings
from app.group_commit import Outcome
from app.main import create_app
from app.realtime.engine import Realtime
from app.realtime.gateway import Identity
from app.rooms import service

PG_ADMIN = os.environ.get("PLENARY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
COMMANDS = 2000
WARM_UP = 200


@contextlib.contextmanager
def database(kind: str) -> Iterator[str]:
    """A fresh database URL of this kind, removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/cost.db"
        return
    name = f"plenary_cost_{secrets.token_hex(3)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def execute(realtime: Realtime, who: Identity, room: str, ref: str, text: str) -> None:
    """One `note.add`, awaited until its ack (one command at a time: the per-command cost)."""
    answered: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
    realtime.submit_command(who, room, ref, "note.add", {"text": text}, answered.set_result)
    outcome = await answered
    assert outcome.error is None, outcome.error


async def measure(realtime: Realtime) -> tuple[float, float, int]:
    """CPU ms, wall ms and garbage collections per command."""
    db = realtime.db
    db.create_tables()
    db.start()

    def create(session: Session) -> service.Created:
        return service.create_workshop(
            session,
            title="cost",
            question="cost",
            method="free",
            rooms=1,
            language="en",
            private_notes=False,
        )

    created = await db.write(create)
    code, workshop_id = created.workshop.join_code, created.workshop.id
    member, _ = await db.write(lambda s: service.join(s, code=code, name="a", room_id=None))
    await db.write(
        lambda s: service.set_phase(s, workshop_id=workshop_id, phase="next", room_ids=None)
    )
    who = Identity(workshop_id, "participant", member.id, member.room_id, "a")
    room = member.room_id or ""
    for n in range(WARM_UP):
        await execute(realtime, who, room, f"warm-{n}", f"warm {n}")
    collections = sum(generation["collections"] for generation in gc.get_stats())
    cpu, wall = time.process_time(), time.perf_counter()
    for n in range(COMMANDS):
        await execute(realtime, who, room, f"n-{n}", f"note {n}")
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    collections = sum(generation["collections"] for generation in gc.get_stats()) - collections
    return cpu / COMMANDS * 1000, wall / COMMANDS * 1000, collections


def main() -> None:
    """Print one Markdown row per database."""
    print("| database | CPU ms per command | wall ms per command | collections |")
    print("|---|---|---|---|")
    for kind in sys.argv[1:] or ["sqlite", "postgresql"]:
        with database(kind) as url:
            app = create_app(Settings(DATABASE_URL=url))
            realtime: Realtime = app.state.realtime
            try:
                cpu, wall, collections = asyncio.run(measure(realtime))
            finally:
                realtime.db.dispose()
        print(f"| {kind} | {cpu:.3f} | {wall:.3f} | {collections} |", flush=True)


if __name__ == "__main__":
    main()
