"""Isolation: a probe workshop's ping and ack latency while others do the heaviest things.

    .venv/bin/python -m bench.isolation                      # this code, SQLite
    .venv/bin/python -m bench.isolation --postgres           # this code, PostgreSQL
    .venv/bin/python -m bench.isolation --root /tmp/old      # another checkout, same load

Three phases, one server, the probe running throughout (a ping every 150 ms and
a note every 450 ms, within the 10 frames a second a socket may send):

1. quiet: nothing else runs;
2. heavy commands: three participants each send a `cluster.update` moving 200
   notes (the most a cluster holds), 10 a second (the default rate limit);
3. the largest build: 64 rooms x 40 notes drawn from a 25-word vocabulary,
   built by four concurrent requests, while the probe also reads an overview.
"""

import argparse
import asyncio
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import websockets

from bench.run import PG_ADMIN, free_port
from bench.vocabulary import SMALL_VOCABULARY

ROOT = Path(__file__).resolve().parents[1]
WORDS = SMALL_VOCABULARY[:25]


class Peer:
    """A bare protocol client: commands answered by ref, pongs counted."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.waiting: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.pongs: asyncio.Queue[float] = asyncio.Queue()
        self.events: list[dict[str, Any]] = []
        self.reader = asyncio.create_task(self._read())
        self.n = 0

    @classmethod
    async def join(cls, base: str, wid: str, token: str, room: str) -> "Peer":
        ws = await websockets.connect(f"{base}/ws/{wid}", max_size=2**24)
        await ws.send(json.dumps({"type": "hello", "token": token, "room": room}))
        await ws.recv()
        return cls(ws)

    async def _read(self) -> None:
        async for raw in self.ws:
            frame = json.loads(raw)
            kind = frame["type"]
            if kind == "pong":
                self.pongs.put_nowait(time.perf_counter())
            elif kind in ("ack", "error") and frame.get("ref") in self.waiting:
                self.waiting.pop(frame["ref"]).set_result(frame)
            elif kind == "event":
                self.events.append(frame)
            elif kind == "events":
                self.events.extend(frame["events"])

    async def send(self, op: str, data: dict[str, Any]) -> dict[str, Any]:
        self.n += 1
        ref = f"r{self.n}"
        future = asyncio.get_running_loop().create_future()
        self.waiting[ref] = future
        await self.ws.send(json.dumps({"type": "cmd", "ref": ref, "op": op, "data": data}))
        return await asyncio.wait_for(future, 120)

    async def ping(self) -> float:
        started = time.perf_counter()
        await self.ws.send('{"type":"ping"}')
        return await asyncio.wait_for(self.pongs.get(), 120) - started


class Probe:
    """Pings and writes from a workshop of its own, timing every answer, per phase."""

    def __init__(self, peer: Peer, http: httpx.AsyncClient, overview: str, token: str) -> None:
        self.peer, self.http, self.overview, self.token = peer, http, overview, token
        self.phase = "setup"
        self.samples: dict[str, dict[str, list[float]]] = {}

    def record(self, kind: str, value: float) -> None:
        self.samples.setdefault(self.phase, {}).setdefault(kind, []).append(value)

    async def run(self) -> None:
        n = 0
        while True:
            self.record("ping", await self.peer.ping())
            if n % 3 == 0:
                started = time.perf_counter()
                answer = await self.peer.send("note.add", {"text": f"probe {n}"})
                assert answer["type"] == "ack", answer
                self.record("ack", time.perf_counter() - started)
                started = time.perf_counter()
                read = await self.http.get(self.overview, headers={"Authorization": self.token})
                assert read.status_code == 200
                self.record("read", time.perf_counter() - started)
            n += 1
            await asyncio.sleep(0.15)


async def workshop(http: httpx.AsyncClient, rooms: int) -> dict[str, Any]:
    created = (
        await http.post(
            "/api/workshops",
            json={"title": "iso", "question": "q", "method": "free", "rooms": rooms},
        )
    ).json()
    auth = {"Authorization": f"Bearer {created['moderator_token']}"}
    await http.post(f"/api/workshops/{created['id']}/phase", json={"phase": "open"}, headers=auth)
    return dict(created)


async def member(http: httpx.AsyncClient, base: str, w: dict[str, Any], room: str) -> Peer:
    joined = (
        await http.post("/api/join", json={"code": w["join_code"], "name": "x", "room": room})
    ).json()
    return await Peer.join(base, w["id"], joined["token"], room)


async def heavy_commands(http: httpx.AsyncClient, base: str, seconds: float, probe: "Probe") -> int:
    w = await workshop(http, 1)
    room = w["rooms"][0]["id"]
    writers = [await member(http, base, w, room) for _ in range(3)]
    note_ids: list[str] = []
    for batch in range(5):
        author = await member(http, base, w, room)
        for n in range(40):
            await author.send("note.add", {"text": f"note {batch}.{n}"})
        await asyncio.sleep(0.2)
        note_ids += [e["data"]["note"]["id"] for e in author.events if e["op"] == "note.added"][
            -40:
        ]
    clusters = []
    for title in ("A", "B"):
        await writers[0].send("cluster.create", {"title": title, "note_ids": []})
        await asyncio.sleep(0.2)
        clusters.append(
            [e for e in writers[0].events if e["op"] == "cluster.created"][-1]["data"]["cluster"][
                "id"
            ]
        )

    async def hammer(peer: Peer, offset: int) -> int:
        sent, deadline = 0, time.monotonic() + seconds
        while time.monotonic() < deadline:
            ids = note_ids[: 200 if len(note_ids) >= 200 else len(note_ids)]
            await peer.send(
                "cluster.update", {"id": clusters[(sent + offset) % 2], "note_ids": ids}
            )
            sent += 1
            await asyncio.sleep(0.1)
        return sent

    probe.phase = "heavy commands"
    sent = sum(await asyncio.gather(*(hammer(p, n) for n, p in enumerate(writers))))
    probe.phase = "setup"
    return sent


async def largest_build(http: httpx.AsyncClient, base: str, probe: "Probe") -> tuple[float, int]:
    w = await workshop(http, 64)

    async def fill(room: str, r: int) -> None:
        peer = await member(http, base, w, room)
        for n in range(40):
            words = [WORDS[(r * 7 + n * k) % len(WORDS)] for k in (1, 3, 5)]
            await peer.send("note.add", {"text": " ".join(words)})

    await asyncio.gather(*(fill(room["id"], r) for r, room in enumerate(w["rooms"])))
    auth = {"Authorization": f"Bearer {w['moderator_token']}"}
    probe.phase = "largest build"
    started = time.perf_counter()
    answers = await asyncio.gather(
        *(
            http.post(f"/api/workshops/{w['id']}/synthesis", json={}, headers=auth, timeout=600)
            for _ in range(4)
        )
    )
    took = time.perf_counter() - started
    probe.phase = "setup"
    assert all(a.status_code == 200 for a in answers), [a.text[:200] for a in answers]
    return took, len({a.json()["seq"] for a in answers})


def start(root: Path, url: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PLENARY_CREATE_RATE": "0",
        "PLENARY_JOIN_RATE": "0",
        "PYTHONPATH": str(root),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    return proc, port


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def measure(port: int) -> dict[str, Any]:
    base = f"ws://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120) as http:
        calm = await workshop(http, 1)
        peer = await member(http, base, calm, calm["rooms"][0]["id"])
        probe = Probe(
            peer, http, f"/api/workshops/{calm['id']}", f"Bearer {calm['moderator_token']}"
        )
        task = asyncio.create_task(probe.run())
        probe.phase = "quiet"
        await asyncio.sleep(5)
        probe.phase = "setup"
        sent = await heavy_commands(http, base, 10, probe)
        build_s, builds = await largest_build(http, base, probe)
        task.cancel()
        return {"samples": probe.samples, "heavy_sent": sent, "build_s": build_s, "builds": builds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to run")
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    pg_name = None
    if args.postgres:
        import psycopg

        pg_name = f"plenary_iso_{secrets.token_hex(3)}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{pg_name}"')
        url = f"{PG_ADMIN.rsplit('/', 1)[0]}/{pg_name}"
    else:
        url = f"sqlite:///{tmp.name}/iso.db"
    proc, port = start(args.root, url)
    try:
        result = asyncio.run(measure(port))
    finally:
        proc.terminate()
        proc.wait(30)
        if pg_name:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
    print(f"checkout {args.root}, {'PostgreSQL' if args.postgres else 'SQLite'}")
    print(
        f"heavy commands sent: {result['heavy_sent']}; largest build: {result['build_s']:.1f} s,"
        f" {result['builds']} build(s) for 4 requests"
    )
    print(
        "| phase | pings | ping p50 / p99 / max ms | acks | ack p50 / p99 / max ms |"
        " overview read p50 / max ms |"
    )
    print("|---|---|---|---|---|---|")
    for phase, kinds in result["samples"].items():
        if phase == "setup":
            continue
        pings, acks, reads = kinds.get("ping", []), kinds.get("ack", []), kinds.get("read", [])

        def trio(v: list[float]) -> str:
            return f"{pct(v, 0.5):.1f} / {pct(v, 0.99):.1f} / {max(v) * 1000:.1f}" if v else "–"

        read = f"{pct(reads, 0.5):.1f} / {max(reads) * 1000:.1f}" if reads else "–"
        print(f"| {phase} | {len(pings)} | {trio(pings)} | {len(acks)} | {trio(acks)} | {read} |")


if __name__ == "__main__":
    main()
