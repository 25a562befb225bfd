"""Run the fan-out scenarios against Plenary and the bare loop in one go; print Markdown.

    .venv/bin/python -m bench.run                # the default scenarios (about 6 minutes)
    .venv/bin/python -m bench.run burst webinar    # some of them
    .venv/bin/python -m bench.run --slow k1000x2   # also: when the notes over 100 ms were sent
    .venv/bin/python -m bench.run k1000x2power     # k1000x2 with an fsync before every ack
    .venv/bin/python -m bench.run k10000idle       # memory of 10,000 idle connections
    .venv/bin/python -m bench.run webinaridle      # CPU of the webinar's clients, idle
    .venv/bin/python -m bench.run --root /tmp/old burst   # another checkout's server, same load

Every scenario runs twice under the same load: the bare uvicorn + Starlette loop
(bench/bare.py, the ceiling) and Plenary. Clients run in separate processes on the
same 2-core machine as the server, so latencies include their CPU contention; the
efficiency figure counts only the server's own CPU time.
"""

import multiprocessing as mp
import os
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

from bench.loadgen import ClientSpec, WorkerResult, worker

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = os.environ.get("PLENARY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("PLENARY_BENCH_REDIS", "redis://127.0.0.1:6379/0")


@dataclass
class Scenario:
    """A load: how many people, in how many rooms, writing how often, for how long."""

    name: str
    title: str
    rooms: int
    clients: int
    interval: float
    duration: float
    workers: int = 1
    shared: bool = False  # PostgreSQL + Redis instead of SQLite
    durability: str = "process"  # PLENARY_DURABILITY
    writers: int | None = None  # how many clients write (None: all)
    env: dict[str, str] = field(default_factory=dict)  # extra settings for Plenary


UNLIMITED = {"PLENARY_RATE_PER_S": "100000", "PLENARY_RATE_BURST": "100000"}
SERVER_ROOT = ROOT  # the checkout whose server runs (--root)

SCENARIOS = {
    "burst": Scenario(
        "burst",
        "burst: one writer, 500 notes a second for 4 s, into a room of 100",
        1,
        100,
        0.002,
        4.0,
        writers=1,
        env=UNLIMITED,
    ),
    "room100": Scenario(
        "room100", "one room of 100 clients, each writing every 1 s", 1, 100, 1.0, 15
    ),
    "webinar": Scenario("webinar", "webinar: 8 rooms x 9, each writing every 2 s", 8, 72, 2.0, 15),
    "k1000": Scenario(
        "k1000", "1,000 clients in 100 rooms, each writing every 5 s", 100, 1000, 5.0, 20
    ),
    "k1000x2": Scenario(
        "k1000x2",
        "the same on 2 workers with PostgreSQL and Redis",
        100,
        1000,
        5.0,
        20,
        workers=2,
        shared=True,
    ),
}
SCENARIOS["k1000x2power"] = replace(
    SCENARIOS["k1000x2"],
    name="k1000x2power",
    title="the same with PLENARY_DURABILITY=power (an fsync before every ack)",
    durability="power",
)
# The webinar's clients connected and nobody writing: the server's own idle CPU.
SCENARIOS["webinaridle"] = replace(
    SCENARIOS["webinar"],
    name="webinaridle",
    title="the webinar's 72 clients connected, nobody writing",
    writers=0,
)
SCENARIOS["k10000idle"] = Scenario(
    "k10000idle", "10,000 idle connections in 1,000 rooms", 1000, 10000, 10.0, 1.0, writers=0
)
DEFAULT = ["burst", "room100", "webinar", "k1000", "k1000x2"]


def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(stat[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its descendants."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / ticks


def rss_bytes(pid: int) -> int:
    """Resident memory of a process and its descendants."""
    total = 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def free_port() -> int:
    """A port nobody listens on."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    kind: str, sc: Scenario, env: dict[str, str]
) -> tuple[subprocess.Popen[bytes], str]:
    """Start Plenary or the bare loop; wait until it answers."""
    port = free_port()
    if kind == "bare":
        cmd = [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.bare:app",
            "--port",
            str(port),
            "--ws-per-message-deflate",
            "false",
            "--log-level",
            "warning",
        ]
    else:
        cmd = [
            sys.executable,
            "-m",
            "app.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(sc.workers),
        ]
    root = ROOT if kind == "bare" else SERVER_ROOT
    proc = subprocess.Popen(
        cmd,
        cwd=root,
        env={**os.environ, **env, "PYTHONPATH": str(root)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            if kind == "bare":
                import socket

                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5).status_code == 200:
                break
        except Exception:
            time.sleep(0.1)
    return proc, f"ws://127.0.0.1:{port}"


def setup_plenary(base: str, sc: Scenario) -> list[ClientSpec]:
    """Create workshops for the rooms (at most 64 a workshop), open them, join every client."""
    rooms: list[tuple[str, str, str]] = []  # (workshop, join code, room)
    with httpx.Client(base_url=base, timeout=30) as http:
        while len(rooms) < sc.rooms:
            count = min(64, sc.rooms - len(rooms))
            w = http.post(
                "/api/workshops",
                json={"title": "bench", "question": "load", "method": "free", "rooms": count},
            ).json()
            http.post(
                f"/api/workshops/{w['id']}/phase",
                json={"phase": "open"},
                headers={"Authorization": f"Bearer {w['moderator_token']}"},
            )
            rooms += [(w["id"], w["join_code"], r["id"]) for r in w["rooms"]]
        # The first phase control starts the synthesis worker (about 3 s of loading): let it
        # settle, so neither the memory baseline nor the writing window counts it.
        time.sleep(5)
        specs = []
        for cid in range(sc.clients):
            workshop, code, room = rooms[cid % len(rooms)]
            joined = http.post(
                "/api/join", json={"code": code, "name": f"c{cid}", "room": room}
            ).json()
            specs.append(ClientSpec(cid, room, joined["token"], writes(sc, cid), workshop))
        return specs


def writes(sc: Scenario, cid: int) -> bool:
    """Whether client `cid` writes in this scenario."""
    return sc.writers is None or cid < sc.writers


def run_once(kind: str, sc: Scenario) -> dict[str, Any]:
    """One scenario against one server."""
    env: dict[str, str] = {
        "PLENARY_SEND_QUEUE": "4096",
        "PLENARY_DURABILITY": sc.durability,
        "PLENARY_JOIN_RATE": "0",
        "PLENARY_CREATE_RATE": "0",
        **sc.env,
    }
    tmp = tempfile.TemporaryDirectory()
    pg_name = None
    if kind == "plenary":
        if sc.shared:
            import psycopg

            pg_name = f"plenary_bench_{secrets.token_hex(3)}"
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{pg_name}"')
            env["DATABASE_URL"] = PG_ADMIN.rsplit("/", 1)[0] + f"/{pg_name}"
            env["REDIS_URL"] = REDIS
            env["PLENARY_REDIS_PREFIX"] = f"bench{secrets.token_hex(3)}"
        else:
            env["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.db"
    proc, url = start_server(kind, sc, env)
    try:
        if kind == "plenary":
            specs = setup_plenary(url.replace("ws://", "http://"), sc)
        else:
            specs = [
                ClientSpec(c, f"r{c % sc.rooms}", "-", writes(sc, c)) for c in range(sc.clients)
            ]
        rooms = len({s.room for s in specs})
        size = {r: sum(1 for s in specs if s.room == r) for r in {s.room for s in specs}}
        rss_before = rss_bytes(proc.pid)
        n_workers = 2 if sc.clients <= 100 else 4
        chunks = [specs[i::n_workers] for i in range(n_workers)]
        ctx = mp.get_context("spawn")
        with ctx.Manager() as manager, ctx.Pool(n_workers) as pool:
            shared = manager.Namespace(welcomed=0, start_at=0.0)
            lock = manager.Lock()
            pending = [
                pool.apply_async(worker, (url, chunk, sc.interval, sc.duration, shared, lock))
                for chunk in chunks
            ]
            # Write only once everyone is welcomed, and the server has settled.
            deadline = time.time() + 180
            while shared.welcomed < sc.clients and time.time() < deadline:
                time.sleep(0.1)
            time.sleep(1.0)
            rss_idle = rss_bytes(proc.pid)
            start_at = time.time() + 0.5
            stop_at = start_at + sc.duration
            shared.start_at = start_at
            cpu_start = cpu_seconds(proc.pid)
            time.sleep(max(0.0, stop_at + 2.0 - time.time()))
            cpu_used = cpu_seconds(proc.pid) - cpu_start
            results: list[WorkerResult] = [p.get(timeout=120) for p in pending]
    finally:
        proc.terminate()
        proc.wait(20)
        if pg_name:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        tmp.cleanup()
    acks = sorted(a for r in results for a in r.acks)
    worst: dict[str, float] = {}
    reached: dict[str, int] = {}
    for r in results:
        for key, (latency, count) in r.fanout.items():
            worst[key] = max(worst.get(key, 0.0), latency)
            reached[key] = reached.get(key, 0) + count
    room_of = {s.cid: s.room for s in specs}
    complete = sum(1 for k, n in reached.items() if n >= size[room_of[int(k.split(":")[0])]])
    fan = sorted(worst.values())
    sent_at = {key: at for r in results for key, at in r.sent_at.items()}
    deliveries = sum(r.deliveries for r in results)
    return {
        "kind": kind,
        "rooms": rooms,
        "connected": sum(r.connected for r in results),
        "notes": len(worst),
        "complete": complete / len(worst) if worst else 0.0,
        "ack_p50": _pct(acks, 50),
        "ack_p99": _pct(acks, 99),
        "fan_p50": _pct(fan, 50),
        "fan_p99": _pct(fan, 99),
        "deliveries": deliveries,
        "cpu": cpu_used,
        "per_cpu": deliveries / cpu_used if cpu_used else 0.0,
        "kb_per_conn": (rss_idle - rss_before) / 1024 / max(1, sc.clients),
        "errors": sum(r.errors for r in results),
        "timeline": sorted((sent_at[k], latency) for k, latency in worst.items() if k in sent_at),
    }


def _pct(values: list[float], pct: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1] * 1000


def slow_moments(timeline: list[tuple[float, float]], over_s: float = 0.1) -> list[str]:
    """The quarter-seconds of the window in which notes took over `over_s` to reach every peer.

    Many slow notes sent in one moment point at a pause (a collector, a lock),
    somewhere; spread out, at saturation.
    """
    if not timeline:
        return []
    start = timeline[0][0]
    moments: dict[float, list[float]] = {}
    for sent, latency in timeline:
        if latency > over_s:
            moments.setdefault(int((sent - start) * 4) / 4, []).append(latency)
    return [
        f"t={at:.2f} s: {len(lats)} notes, slowest {max(lats) * 1000:.0f} ms"
        for at, lats in sorted(moments.items())
    ]


def main() -> None:
    """Run the named scenarios (all by default) and print the table."""
    global SERVER_ROOT
    args = sys.argv[1:]
    if "--root" in args:
        at = args.index("--root")
        SERVER_ROOT = Path(args[at + 1]).resolve()
        del args[at : at + 2]
    # 10,000 sockets need as many descriptors, here and in the servers this starts.
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    slow = "--slow" in args
    names = [a for a in args if a != "--slow"] or DEFAULT
    print(
        "| scenario | server | clients | notes | all peers reached | ack p50 / p99 ms | "
        "fan-out p50 / p99 ms | deliveries | server CPU s | deliveries per CPU-s | "
        "KB per idle connection | errors |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    moments: list[str] = []
    for name in names:
        sc = SCENARIOS[name]
        rows = {kind: run_once(kind, sc) for kind in ("bare", "plenary")}
        for kind, r in rows.items():
            ratio = ""
            if kind == "plenary" and rows["bare"]["per_cpu"]:
                ratio = f" ({r['per_cpu'] / rows['bare']['per_cpu']:.0%} of bare)"
            print(
                f"| {sc.title} | {kind} | {r['connected']} | {r['notes']} | "
                f"{r['complete']:.1%} | {r['ack_p50']:.1f} / {r['ack_p99']:.1f} | "
                f"{r['fan_p50']:.1f} / {r['fan_p99']:.1f} | {r['deliveries']} | "
                f"{r['cpu']:.1f} | {r['per_cpu']:,.0f}{ratio} | {r['kb_per_conn']:.0f} | "
                f"{r['errors']} |",
                flush=True,
            )
            if slow:
                found = slow_moments(r["timeline"]) or ["none"]
                moments += [f"- {name} {kind}, notes over 100 ms: " + "; ".join(found)]
    if moments:
        print("\n" + "\n".join(moments))


if __name__ == "__main__":
    main()
