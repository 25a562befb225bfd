"""What psycopg's pipeline mode would save on a `note.add`: its statements, replayed raw.

    .venv/bin/python -m bench.pg_pipeline        # 2,000 commands each way, three rounds

Plenary's ORM paths cannot run inside a pipeline (SQLAlchemy reads a result's
description as soon as a statement is sent), so only the hand-written statements
of the hot path could be pipelined. This replays them on a scratch database the
way Plenary runs them (one round trip each) and pipelined (the begin with the
room read, the note with the seq and event row, the answer with the commit), and
reports this process's CPU and the wall time per command.
"""

import contextlib
import json
import os
import secrets
import time
import uuid
from collections.abc import Callable
from functools import partial

import psycopg

PG_ADMIN = os.environ.get("PLENARY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
COMMANDS = 2000

SCHEMA = """
CREATE TABLE room (id text PRIMARY KEY, workshop_id text, name text, phase text,
                   locked bool, revealed bool, timer_ends_at timestamp);
CREATE TABLE stream (id text PRIMARY KEY, seq int NOT NULL);
CREATE TABLE note (id text PRIMARY KEY, room_id text, author text, text text, lane text,
                   color text, version int, created_at text);
CREATE TABLE event (stream text, seq int, op text, data text, "by" text, at text,
                    PRIMARY KEY (stream, seq));
CREATE TABLE appliedcommand (actor text, ref text, answer text, PRIMARY KEY (actor, ref));
INSERT INTO room VALUES ('r1', 'w1', 'Groep 1', 'open', false, false, NULL);
INSERT INTO stream VALUES ('r1', 0);
"""
ROOM = (
    "SELECT r.workshop_id, r.name, r.phase, r.locked, r.revealed, r.timer_ends_at"
    " FROM room r JOIN stream s ON s.id = r.id WHERE r.id = %(id)s FOR UPDATE OF s"
)
NOTE = "INSERT INTO note VALUES (%(id)s, 'r1', 'p1', %(text)s, 'main', 'yellow', 1, %(at)s)"
APPEND = (
    "WITH taken AS (UPDATE stream SET seq = seq + 1 WHERE id = 'r1' RETURNING seq)"
    " INSERT INTO event SELECT 'r1', taken.seq, 'note.added', %(data)s, 'p1', %(at)s"
    " FROM taken RETURNING seq"
)
ANSWER = (
    "INSERT INTO appliedcommand VALUES ('p1', %(ref)s, %(answer)s)"
    " ON CONFLICT DO NOTHING RETURNING 1"
)


def note_add(conn: psycopg.Connection, n: int, *, together: bool) -> None:
    """One `note.add`'s statements: each waiting for its answer, or sent `together`
    wherever the next one needs no answer (the commit goes with the answer's insert)."""
    ref, at = uuid.uuid4().hex, "2026-11-29T12:00:00"
    with conn.pipeline() if together else contextlib.nullcontext():
        cur = conn.cursor()
        cur.execute(ROOM, {"id": "r1"})
        cur.fetchone()
        cur.execute(NOTE, {"id": ref, "text": f"note {n}", "at": at})
        cur.execute(APPEND, {"data": json.dumps({"text": f"note {n}"}), "at": at})
        seq = cur.fetchone()
        cur.execute(ANSWER, {"ref": ref, "answer": json.dumps({"seq": seq})})
        conn.commit()
        cur.fetchone()


one_by_one = partial(note_add, together=False)  # as Plenary's `Sql` runs them
pipelined = partial(note_add, together=True)


def prepare(url: str) -> None:
    """The scratch tables, one room and its stream."""
    with psycopg.connect(url) as conn:
        conn.execute(SCHEMA)  # type: ignore[arg-type]


def measure(
    url: str,
    command: Callable[[psycopg.Connection, int], None],
    count: int = COMMANDS,
    warm_up: int = 200,
) -> tuple[float, float]:
    """CPU and wall milliseconds per command."""
    with psycopg.connect(url, options="-c synchronous_commit=off") as conn:
        for n in range(warm_up):
            command(conn, n)
        cpu, wall = time.process_time(), time.perf_counter()
        for n in range(count):
            command(conn, n)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return cpu * 1000 / count, wall * 1000 / count


def main() -> None:
    """Three rounds of both ways on a scratch database, dropped afterwards."""
    name = f"plenary_pipe_{secrets.token_hex(3)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    try:
        prepare(url)
        print("| round | way | CPU ms per command | wall ms per command |")
        print("|---|---|---|---|")
        for round_ in range(1, 4):
            for label, command in (("one by one", one_by_one), ("pipelined", pipelined)):
                cpu, wall = measure(url, command)
                print(f"| {round_} | {label} | {cpu:.3f} | {wall:.3f} |", flush=True)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
