"""Two server processes on one PostgreSQL and one Redis: one gapless sequence, shared presence."""

import asyncio
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import drop_pg_database, make_pg_database, service_missing
from tests.support.client import Api, Peer
from tests.support.redis_server import RedisProcess
from tests.support.server import ServerProcess


@pytest.fixture
def cluster(artifacts: Path) -> Iterator[tuple[ServerProcess, ServerProcess, RedisProcess]]:
    if not RedisProcess.available():
        service_missing("redis-server", "not installed")
    broker = RedisProcess(artifacts / "redis.log").start()
    db = make_pg_database()
    prefix = f"t{secrets.token_hex(3)}"
    env = {"REDIS_URL": broker.url, "PLENARY_REDIS_PREFIX": prefix}
    a = ServerProcess(db.url, artifacts / "cluster-a.log", **env).start()
    b = ServerProcess(db.url, artifacts / "cluster-b.log", **env).start()
    try:
        yield a, b, broker
    finally:
        a.stop()
        b.stop()
        broker.stop()
        drop_pg_database(db)


async def open_room(api: Api) -> tuple[dict[str, Any], str]:
    created = await api.create(rooms=2)
    await api.control(
        created["moderator_token"], f"/api/workshops/{created['id']}/phase", {"phase": "open"}
    )
    return created, created["rooms"][0]["id"]


async def connect_both(
    a: ServerProcess, b: ServerProcess, api: Api, created: dict[str, Any], room: str, count: int
) -> list[Peer]:
    peers = []
    for n in range(count):
        member = await api.join(created["join_code"], f"P{n}", room=room)
        server = a if n % 2 == 0 else b
        peers.append(await Peer.connect(server.ws_url, created["id"], member["token"], room))
    return peers


def assert_same_gapless(peers: list[Peer], room: str, last: int) -> None:
    reference = None
    for peer in peers:
        seqs = [e["seq"] for e in peer.events if e["room"] == room]
        assert seqs == list(range(seqs[0], last + 1)), "ordered, gapless, each once"
        ops = {e["seq"]: e["data"] for e in peer.events}
        if reference is None:
            reference = ops
        for seq in set(ops) & set(reference):
            assert ops[seq] == reference[seq]


async def test_writers_on_two_processes_share_one_sequence(cluster: Any) -> None:
    a, b, _broker = cluster
    api = Api(a.base_url)
    created, room = await open_room(api)
    peers = await connect_both(a, b, api, created, room, 6)

    async def write(peer: Peer, n: int) -> list[int]:
        return [(await peer.ok("note.add", {"text": f"{n}-{i}"}))["seq"] for i in range(15)]

    acked = sorted(
        s
        for seqs in await asyncio.gather(*(write(p, n) for n, p in enumerate(peers)))
        for s in seqs
    )
    assert acked == list(range(acked[0], acked[0] + 90)), "unique, gapless seqs across processes"
    for peer in peers:
        await peer.wait_seq(room, acked[-1])
    assert_same_gapless(peers, room, acked[-1])
    board_path = f"/api/workshops/{created['id']}/rooms/{room}/board"
    boards = [
        (await Api(s.base_url).get(created["moderator_token"], board_path)).json() for s in (a, b)
    ]
    assert boards[0] == boards[1] and len(boards[0]["notes"]) == 90
    for peer in peers:
        await peer.close()
    await api.close()


async def test_presence_and_the_star_view_span_processes(cluster: Any) -> None:
    a, b, _broker = cluster
    api = Api(a.base_url)
    created, room = await open_room(api)
    watcher = await Peer.connect(a.ws_url, created["id"], created["moderator_token"], "*")
    member = await api.join(created["join_code"], "Op B", room=room)
    on_b = await Peer.connect(b.ws_url, created["id"], member["token"], room)
    seen = await watcher.wait_for(
        lambda p: [
            f for f in p.frames if f["type"] == "presence" and f["room"] == room and f["online"]
        ]
    )
    assert seen[-1]["online"] == [{"participant_id": member["participant_id"], "name": "Op B"}]
    overview = (await api.get(created["moderator_token"], f"/api/workshops/{created['id']}")).json()
    assert overview["rooms"][0]["online"] == 1
    ack = await on_b.ok("note.add", {"text": "geschreven op B"})
    await watcher.wait_seq(room, ack["seq"])
    # A move asked on A closes the socket held by B.
    await api.control(
        created["moderator_token"],
        f"/api/workshops/{created['id']}/participants/{member['participant_id']}/move",
        {"room": created["rooms"][1]["id"]},
    )
    assert (await asyncio.wait_for(on_b.closed, 10))[0] == 4409
    gone = await watcher.wait_for(
        lambda p: [
            f for f in p.frames if f["type"] == "presence" and f["room"] == room and not f["online"]
        ]
    )
    assert gone
    await watcher.close()
    await api.close()


async def test_a_redis_restart_loses_nothing(cluster: Any) -> None:
    a, b, broker = cluster
    api = Api(a.base_url)
    created, room = await open_room(api)
    peers = await connect_both(a, b, api, created, room, 4)
    first = await peers[0].ok("note.add", {"text": "voor de storing"})
    for peer in peers:
        await peer.wait_seq(room, first["seq"])

    broker.stop()
    during = []
    for n, peer in enumerate(peers):  # writes are still acknowledged, on both processes
        during.append((await peer.ok("note.add", {"text": f"tijdens {n}"}))["seq"])
    await peers[2].wait_seq(room, max(s for i, s in enumerate(during) if i % 2 == 0))
    broker.start()  # same port: the subscribers reconnect and catch up from the log

    last = (await peers[1].ok("note.add", {"text": "na de storing"}))["seq"]
    for peer in peers:
        await peer.wait_seq(room, last, timeout=20)
    assert_same_gapless(peers, room, last)
    texts = [e["data"]["note"]["text"] for e in peers[3].events if e["op"] == "note.added"]
    assert sorted(texts) == sorted(
        ["voor de storing", "na de storing", *(f"tijdens {n}" for n in range(4))]
    )
    for peer in peers:
        await peer.close()
    await api.close()
