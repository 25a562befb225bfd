"""A phone that stops reading must not hold up its room (bounded queue, own writer per socket)."""

import asyncio
import json
import socket
import statistics
import time
from pathlib import Path

import websockets

from tests.support.client import Api, Peer
from tests.support.server import ServerProcess


async def stalled_socket(server: ServerProcess, workshop_id: str, token: str, room: str) -> object:
    """A client that says hello, then never reads again (with a tiny receive buffer)."""
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.connect(("127.0.0.1", server.port))
    raw.setblocking(False)
    ws = await websockets.connect(
        f"{server.ws_url}/ws/{workshop_id}",
        sock=raw,
        max_queue=1,
        ping_interval=None,
        max_size=2**20,
    )
    await ws.send(json.dumps({"type": "hello", "token": token, "room": room}))
    return ws


async def test_a_stalled_reader_is_dropped_and_the_room_carries_on(
    database_url: str, artifacts: Path
) -> None:
    server = ServerProcess(
        database_url,
        artifacts / "stalled.log",
        PLENARY_SEND_QUEUE="64",
        PLENARY_RATE_PER_S="1000",
        PLENARY_RATE_BURST="1000",
    ).start()
    api = Api(server.base_url)
    try:
        created = await api.create(rooms=1)
        room = created["rooms"][0]["id"]
        await api.control(
            created["moderator_token"], f"/api/workshops/{created['id']}/phase", {"phase": "open"}
        )
        writers = []
        for n in range(4):
            member = await api.join(created["join_code"], f"W{n}", room=room)
            writers.append(await Peer.connect(server.ws_url, created["id"], member["token"], room))
        stuck = await api.join(created["join_code"], "Trein", room=room)
        stalled = await stalled_socket(server, created["id"], stuck["token"], room)
        watcher = await Peer.connect(server.ws_url, created["id"], created["moderator_token"], room)

        latencies: list[float] = []

        # Story edits carry up to 4,000 characters: enough bytes to get past the kernel's
        # socket buffers (loopback autotunes them past a megabyte) and fill the queue.
        async def write(peer: Peer, n: int) -> None:
            for i in range(200):
                started = time.perf_counter()
                text = (f"{n}-{i} " + "x" * 4000)[:4000]
                await peer.ok(
                    "story.edit", {"quadrant": "hhlhhlll"[2 * n : 2 * n + 2], "text": text}
                )
                latencies.append(time.perf_counter() - started)

        await asyncio.wait_for(asyncio.gather(*(write(p, n) for n, p in enumerate(writers))), 90)
        last = max(e["seq"] for e in writers[0].events) if writers[0].events else 0
        board = (
            await api.get(
                created["moderator_token"], f"/api/workshops/{created['id']}/rooms/{room}/board"
            )
        ).json()
        assert board["seq"] == 1 + 800  # the phase change, then every edit
        for peer in [*writers, watcher]:
            events = await peer.wait_seq(room, board["seq"])
            seqs = [e["seq"] for e in events]
            assert seqs == list(range(seqs[0], board["seq"] + 1))
        closed_with = None
        try:
            while True:  # drain what the kernel buffered for the stalled client
                await asyncio.wait_for(stalled.recv(), 5)
        except websockets.ConnectionClosed as closed:
            closed_with = closed.rcvd.code if closed.rcvd else None
        assert closed_with == 1013, "the stalled client was dropped as too slow"
        p50 = statistics.median(latencies) * 1000
        p99 = statistics.quantiles(latencies, n=100)[98] * 1000
        (artifacts / "stalled-latency.txt").write_text(
            "800 acks (4 kB events) with a stalled peer in the room: "
            f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
            f"last seq {last}\n"
        )
        for peer in [*writers, watcher]:
            await peer.close()
    finally:
        await api.close()
        server.stop()
