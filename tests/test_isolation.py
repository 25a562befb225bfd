"""Isolation (issue 13): no participant, workshop or build stalls the others; roles stay fenced.

These go through real servers. Latency bounds here are coarse on purpose (the
machine is shared): they tell "answered at once" from "starved for seconds",
which is what failed before; the fine figures are in docs/reliability.md.
"""

import asyncio
import secrets
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.vocabulary import SMALL_VOCABULARY
from tests.conftest import drop_pg_database, make_pg_database, service_missing
from tests.support.client import Api, Peer
from tests.support.redis_server import RedisProcess
from tests.support.server import ServerProcess, free_port


async def open_workshop(api: Api, **body: Any) -> tuple[dict[str, Any], str]:
    created = await api.create(**body)
    response = await api.control(
        created["moderator_token"], f"/api/workshops/{created['id']}/phase", {"phase": "open"}
    )
    assert response.status_code == 200
    return created, created["rooms"][0]["id"]


async def member(server: ServerProcess, api: Api, created: dict[str, Any], room: str) -> Peer:
    joined = await api.join(created["join_code"], f"P{secrets.token_hex(2)}", room=room)
    return await Peer.connect(server.ws_url, created["id"], joined["token"], room)


class Probe:
    """A participant of another workshop that pings and writes, timing every answer."""

    def __init__(self, peer: Peer) -> None:
        self.peer = peer
        self.pongs: list[float] = []
        self.acks: list[float] = []

    async def ping(self) -> None:
        count = sum(1 for f in self.peer.frames if f["type"] == "pong")
        started = time.perf_counter()
        await self.peer.ws.send('{"type":"ping"}')
        await self.peer.wait_for(
            lambda p: sum(1 for f in p.frames if f["type"] == "pong") > count, timeout=30
        )
        self.pongs.append(time.perf_counter() - started)

    async def write(self, n: int) -> None:
        started = time.perf_counter()
        await self.peer.ok("note.add", {"text": f"probe {n}"})
        self.acks.append(time.perf_counter() - started)

    async def run(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        n = 0
        while time.monotonic() < deadline:
            await self.ping()
            if n % 3 == 0:
                await self.write(n)
            n += 1
            await asyncio.sleep(0.12)  # within the 10 frames a second every socket may send


async def test_the_heaviest_commands_do_not_stall_another_workshop(
    server: ServerProcess, api: Api
) -> None:
    heavy, room = await open_workshop(api)
    writers = [await member(server, api, heavy, room) for _ in range(3)]
    note_ids = []
    for batch in range(5):  # 200 notes from five people, within each one's burst of 40
        author = await member(server, api, heavy, room)
        for n in range(40):
            ack = await author.ok("note.add", {"text": f"note {batch}.{n}"})
            events = await writers[0].wait_seq(room, ack["seq"])
            note_ids.append(events[-1]["data"]["note"]["id"])
        await author.close()
    clusters = []
    for title in ("A", "B"):
        ack = await writers[0].ok("cluster.create", {"title": title, "note_ids": []})
        events = await writers[0].wait_seq(room, ack["seq"])
        clusters.append(events[-1]["data"]["cluster"]["id"])
    # One note over the bound is refused, and nothing changes.
    refused = await writers[0].send(
        "cluster.update", {"id": clusters[0], "note_ids": [*note_ids, note_ids[0] + "x"]}
    )
    assert refused["type"] == "error" and refused["code"] == "invalid"
    assert "200" in refused["message"]

    calm, calm_room = await open_workshop(api)
    probe = Probe(await member(server, api, calm, calm_room))
    await probe.run(0.5)  # the unloaded figures, for the report below
    quiet_pongs = list(probe.pongs)
    probe.pongs.clear()
    probe.acks.clear()

    async def hammer(peer: Peer, offset: int) -> int:
        # Each moves all 200 notes from one cluster to the other, 10 times a second
        # (the default rate limit): the heaviest command a participant may send.
        sent = 0
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            target = clusters[(sent + offset) % 2]
            answer = await peer.send("cluster.update", {"id": target, "note_ids": note_ids})
            assert answer["type"] in ("ack", "error"), answer
            sent += 1
            await asyncio.sleep(0.1)
        return sent

    load = asyncio.gather(*(hammer(peer, n) for n, peer in enumerate(writers)))
    await probe.run(3)
    sent = await load
    # The load really ran: at least 5 heavy commands per writer (about 30 in 3 s on an idle
    # machine's PostgreSQL, fewer while CI runs other servers beside it; 45 was too tight).
    assert sum(sent) >= 15
    assert len(probe.pongs) >= 15 and len(probe.acks) >= 5
    # Before: 3 pongs in 10 s, p50 1.1 s, max 2.8 s. The target is under 50 ms at p99.
    median = statistics.median(probe.pongs)
    assert median < 0.25, (median, quiet_pongs)
    assert max(probe.pongs) < 1.0 and max(probe.acks) < 1.0, (probe.pongs, probe.acks)
    for peer in [*writers, probe.peer]:
        await peer.close()


@pytest.fixture
def split_brain(artifacts: Path) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    """Two processes on one PostgreSQL; B's Redis is unreachable, so B hears no notices."""
    if not RedisProcess.available():
        service_missing("redis-server", "not installed")
    broker = RedisProcess(artifacts / "redis-split.log").start()
    db = make_pg_database()
    prefix = f"t{secrets.token_hex(3)}"
    a = ServerProcess(
        db.url, artifacts / "split-a.log", REDIS_URL=broker.url, PLENARY_REDIS_PREFIX=prefix
    ).start()
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    b = ServerProcess(
        db.url, artifacts / "split-b.log", REDIS_URL=nowhere, PLENARY_REDIS_PREFIX=prefix
    ).start()
    try:
        yield a, b
    finally:
        a.stop()
        b.stop()
        broker.stop()
        drop_pg_database(db)


async def test_a_revoked_or_moved_participant_cannot_write_where_the_notice_never_came(
    split_brain: tuple[ServerProcess, ServerProcess],
) -> None:
    a, b = split_brain
    api = Api(a.base_url)
    created, room = await open_workshop(api, rooms=2)
    other_room = created["rooms"][1]["id"]
    token = created["moderator_token"]
    base = f"/api/workshops/{created['id']}"
    kicked = await member(b, api, created, room)
    moved_member = await api.join(created["join_code"], "Mo", room=room)
    moved = await Peer.connect(b.ws_url, created["id"], moved_member["token"], room)
    await kicked.ok("note.add", {"text": "before"})
    await moved.ok("note.add", {"text": "before"})

    kicked_id = kicked.welcome["participant_id"]
    answer = await api.control(token, f"{base}/participants/{kicked_id}/revoke", {})
    assert answer.status_code == 200
    moved_id = moved_member["participant_id"]
    answer = await api.control(token, f"{base}/participants/{moved_id}/move", {"room": other_room})
    assert answer.status_code == 200
    await asyncio.sleep(0.5)  # B never hears of either: its Redis is not there

    refused = await kicked.send("note.add", {"text": "after revoke"})
    assert refused["type"] == "error" and refused["code"] == "unauthorized"
    assert (await asyncio.wait_for(kicked.closed, 10))[0] == 4401

    refused = await moved.send("note.add", {"text": "in the old room"})
    assert refused["type"] == "error" and refused["code"] == "forbidden"
    await moved.wait_for(lambda p: {"type": "moved", "room": other_room} in p.frames)
    assert (await asyncio.wait_for(moved.closed, 10))[0] == 4409

    board = (await api.get(token, f"{base}/rooms/{room}/board")).json()
    assert sorted(n["text"] for n in board["notes"]) == ["before", "before"]
    await api.close()


VOCABULARY = SMALL_VOCABULARY[:25]


async def test_a_large_synthesis_build_holds_up_nobody(server: ServerProcess, api: Api) -> None:
    big = await api.create(rooms=32, language="nl")
    token, path = big["moderator_token"], f"/api/workshops/{big['id']}"
    assert (await api.control(token, f"{path}/phase", {"phase": "open"})).status_code == 200

    async def fill(room: dict[str, Any], r: int) -> None:
        peer = await member(server, api, big, room["id"])
        for n in range(40):  # one burst per room; few words, so most notes look alike
            words = [VOCABULARY[(r * 7 + n * k) % len(VOCABULARY)] for k in (1, 3, 5)]
            await peer.ok("note.add", {"text": " ".join(words)})
        await peer.close()

    await asyncio.gather(*(fill(room, r) for r, room in enumerate(big["rooms"])))
    calm, calm_room = await open_workshop(api)
    probe = Probe(await member(server, api, calm, calm_room))
    watcher = await Peer.connect(server.ws_url, big["id"], token, "synthesis")
    reads: list[float] = []

    async def read_boards() -> None:
        while True:
            started = time.perf_counter()
            board = await api.get(calm["moderator_token"], f"/api/workshops/{calm['id']}")
            assert board.status_code == 200
            reads.append(time.perf_counter() - started)
            await asyncio.sleep(0.1)

    reader = asyncio.create_task(read_boards())
    prober = asyncio.create_task(probe.run(60))
    started = time.perf_counter()
    builds = await asyncio.gather(*(api.control(token, f"{path}/synthesis", {}) for _ in range(4)))
    build_s = time.perf_counter() - started
    prober.cancel()
    reader.cancel()
    assert all(b.status_code == 200 for b in builds), [b.text for b in builds]
    boards = [b.json() for b in builds]
    assert sum(len(i["notes"]) for i in boards[0]["items"]) == 32 * 40
    # One build per workshop at a time: the four requests shared it.
    assert len({b["seq"] for b in boards}) == 1
    rebuilt = await watcher.wait_for(
        lambda p: [e for e in p.events if e["op"] == "synthesis.rebuilt"]
    )
    await asyncio.sleep(0.3)
    assert len([e for e in watcher.events if e["op"] == "synthesis.rebuilt"]) == len(rebuilt) == 1
    # Before: another workshop's ack waited 35 s for a build, a read 12.5 s.
    everything = probe.acks + probe.pongs + reads
    assert everything and max(everything) < 1.0, (build_s, probe.acks, probe.pongs, reads)
    await watcher.close()
    await probe.peer.close()
