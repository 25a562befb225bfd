"""Protocol clients in worker processes: connect, write notes on a schedule, time every receipt.

Each note's text carries its writer, number and send time, so every receiver can
tell how long the note took to reach it; the runner then takes, per note, the
slowest receiver (send-to-every-peer latency).
"""

import asyncio
import gc
import json
import random
import time
from dataclasses import dataclass, field
from typing import Any

import websockets


@dataclass
class ClientSpec:
    """One simulated person."""

    cid: int
    room: str
    token: str
    writes: bool
    workshop: str = "bare"


@dataclass
class WorkerResult:
    """What one worker process measured."""

    acks: list[float] = field(default_factory=list)
    fanout: dict[str, tuple[float, int]] = field(default_factory=dict)  # note -> (max s, count)
    sent_at: dict[str, float] = field(default_factory=dict)  # note -> when it was sent
    deliveries: int = 0
    errors: int = 0
    connected: int = 0


async def _client(
    url: str,
    spec: ClientSpec,
    interval: float,
    window: "Window",
    result: WorkerResult,
) -> None:
    ws = await websockets.connect(
        f"{url}/ws/{spec.workshop}",
        compression=None,
        max_size=2**22,
        open_timeout=60,
        ping_interval=None,
    )
    await ws.send(
        json.dumps({"type": "hello", "token": spec.token, "room": spec.room, "since": None})
    )
    json.loads(await ws.recv())
    window.welcomed()
    start_at, stop_at = await window.opened()
    sent: dict[str, float] = {}

    def on_event(event: dict[str, Any]) -> None:
        if event.get("op") != "note.added":
            return
        text = event["data"]["note"]["text"]
        if not text.startswith("b:"):
            return
        _, key_cid, key_n, t_sent = text.split(":")
        latency = time.time() - float(t_sent)
        key = f"{key_cid}:{key_n}"
        worst, count = result.fanout.get(key, (0.0, 0))
        result.fanout[key] = (max(worst, latency), count + 1)
        result.deliveries += 1

    async def read() -> None:
        async for raw in ws:
            frame = json.loads(raw)
            kind = frame["type"]
            if kind == "event":
                on_event(frame)
            elif kind == "events":
                for event in frame["events"]:
                    on_event(event)
            elif kind == "ack":
                started = sent.pop(frame["ref"], None)
                if started is not None:
                    result.acks.append(time.time() - started)
            elif kind == "error":
                result.errors += 1

    reader = asyncio.create_task(read())
    try:
        await asyncio.sleep(max(0.0, start_at - time.time()) + random.uniform(0, interval))
        n = 0
        while spec.writes and time.time() < stop_at:
            now = time.time()
            ref = f"{spec.cid}-{n}"
            sent[ref] = now
            result.sent_at[f"{spec.cid}:{n}"] = now
            await ws.send(
                json.dumps(
                    {
                        "type": "cmd",
                        "ref": ref,
                        "op": "note.add",
                        "data": {"text": f"b:{spec.cid}:{n}:{now:.6f}"},
                    }
                )
            )
            n += 1
            await asyncio.sleep(max(0.0, now + interval - time.time()))
        await asyncio.sleep(max(0.0, stop_at - time.time()) + 2.0)  # let the last notes land
    finally:
        reader.cancel()
        await ws.close()


class Window:
    """The writing window, opened by the runner once every client of every worker is welcomed.

    Writing while others still connect would measure the setup (1,000 welcomes
    with their snapshots), not the steady load.
    """

    def __init__(self, shared: Any, lock: Any, duration: float) -> None:
        self.shared = shared  # a Manager namespace: welcomed (int), start_at (float)
        self.lock = lock
        self.duration = duration
        self.count = 0
        self._open = asyncio.Event()
        self.start_at = 0.0

    def welcomed(self) -> None:
        """One more client of this worker has its welcome."""
        self.count += 1

    async def opened(self) -> tuple[float, float]:
        """Wait for the runner's start time; return the window."""
        await self._open.wait()
        return self.start_at, self.start_at + self.duration

    async def watch(self, expected: int) -> None:
        """Report this worker's welcomes, then wait for the start time."""
        reported = 0
        while True:
            if self.count != reported:
                with self.lock:
                    self.shared.welcomed += self.count - reported
                reported = self.count
            start_at = self.shared.start_at
            if start_at:
                # The clients' own collector pauses (up to 140 ms with 250 sockets
                # here) would count as server latency: none while writing.
                gc.collect()
                gc.disable()
                self.start_at = start_at
                self._open.set()
                return
            await asyncio.sleep(0.05 if reported < expected else 0.02)


async def _run(
    url: str, specs: list[ClientSpec], interval: float, duration: float, shared: Any, lock: Any
) -> WorkerResult:
    result = WorkerResult()
    window = Window(shared, lock, duration)
    watcher = asyncio.create_task(window.watch(len(specs)))
    tasks = []
    for spec in specs:  # connect gradually, as people arrive
        tasks.append(asyncio.create_task(_client(url, spec, interval, window, result)))
        await asyncio.sleep(0.002)
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    gc.enable()
    watcher.cancel()
    result.errors += sum(1 for o in outcomes if isinstance(o, BaseException))
    result.connected = window.count
    return result


def worker(
    url: str, specs: list[ClientSpec], interval: float, duration: float, shared: Any, lock: Any
) -> WorkerResult:
    """Entry point of one worker process."""
    return asyncio.run(_run(url, specs, interval, duration, shared, lock))
