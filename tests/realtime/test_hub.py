"""The hub's ordering, gap filling and slow-consumer rules, with fakes instead of a server."""

import asyncio
import json
from typing import Any

import pytest

from app.realtime import hub as hub_module
from app.realtime.connection import SLOW_CONSUMER_CLOSE, Connection
from app.realtime.envelope import Outbound
from app.realtime.gateway import Identity
from app.realtime.hub import Hub
from app.realtime.memory import MemoryBroker, MemoryBus


def event(seq: int, room: str = "r1") -> Outbound:
    return Outbound(room, seq, f'{{"type":"event","seq":{seq}}}')


class FakeLog:
    """The event log as the hub reads it."""

    def __init__(self) -> None:
        self.events: dict[int, Outbound] = {}
        self.reads = 0

    async def read(self, _stream: str, since: int, until: int) -> list[Outbound]:
        self.reads += 1
        return [self.events[s] for s in range(since + 1, until + 1) if s in self.events]

    async def head(self, _stream: str) -> int:
        return max(self.events, default=0)


class Recorder:
    """A socket that records what it is sent, optionally never finishing a send."""

    def __init__(self, stall: bool = False) -> None:
        self.sent: list[str] = []
        self.closed_with: int | None = None
        self.stall = stall

    async def send(self, text: str) -> None:
        if self.stall:
            await asyncio.Event().wait()
        self.sent.append(text)

    async def send_message(self, message: dict[str, Any]) -> None:
        await self.send(message["text"])

    async def close(self, code: int, _reason: str) -> None:
        self.closed_with = code


def connection(rec: Recorder, max_queue: int = 100) -> Connection:
    ident = Identity(
        workshop_id="w", role="participant", participant_id="p1", room_id="r1", name="P"
    )
    conn = Connection(ident, rec.send_message, rec.close, max_queue=max_queue)
    conn.start()
    return conn


def seqs(rec: "Recorder") -> list[int]:
    """The seqs a socket received, whether one event per frame or several."""
    found = []
    for text in rec.sent:
        frame = json.loads(text)
        events = frame["events"] if frame["type"] == "events" else [frame]
        found += [e["seq"] for e in events]
    return found


async def live_socket(hub: Hub, room: str = "r1") -> Recorder:
    """A socket on `room`, past its snapshot: what the hub sends it lands in the recorder."""
    rec = Recorder()
    conn = connection(rec)
    await hub.attach(conn, [room])
    conn.go_live({room: 0})
    return rec


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_out_of_order_events_are_delivered_in_order_once() -> None:
    log = FakeLog()
    hub = Hub(MemoryBroker(), log.read, log.head, gap_wait_s=0.05)
    rec = await live_socket(hub)
    hub.publish([event(2)])
    hub.publish([event(1), event(1), event(3)])
    await settle()
    assert seqs(rec) == [1, 2, 3]
    assert log.reads == 0
    # 1 alone was early news; 2 made 1..3 deliverable at once: one frame for the run.
    assert len(rec.sent) == 1 and json.loads(rec.sent[0])["type"] == "events"


async def test_a_lasting_gap_is_filled_from_the_log() -> None:
    log = FakeLog()
    hub = Hub(MemoryBroker(), log.read, log.head, gap_wait_s=0.02)
    rec = Recorder()
    conn = connection(rec)
    await hub.attach(conn, ["r1"])
    conn.go_live({"r1": 0})
    log.events = {n: event(n) for n in (1, 2, 3)}  # committed, but 1 and 2 were never heard
    hub.publish([event(3)])
    await asyncio.sleep(0.1)
    assert seqs(rec) == [1, 2, 3]
    assert log.reads == 1


async def test_events_from_another_process_arrive_through_the_broker() -> None:
    bus = MemoryBus()
    log = FakeLog()
    here, there = MemoryBroker(bus), MemoryBroker(bus)
    hub_here = Hub(here, log.read, log.head, gap_wait_s=0.05)
    Hub(there, log.read, log.head, gap_wait_s=0.05)
    await here.start()
    await there.start()
    rec = Recorder()
    conn = connection(rec)
    await hub_here.attach(conn, ["r1"])
    conn.go_live({"r1": 0})
    there.publish_event(event(1))
    await settle()
    assert rec.sent == [event(1).full]


async def test_events_before_the_welcome_wait_and_older_ones_are_dropped() -> None:
    log = FakeLog()
    hub = Hub(MemoryBroker(), log.read, log.head, gap_wait_s=0.05)
    rec = Recorder()
    conn = connection(rec)
    await hub.attach(conn, ["r1"])
    hub.publish([event(1), event(2), event(3)])
    await settle()
    assert rec.sent == []  # not welcomed yet
    conn.go_live({"r1": 2})  # the snapshot already holds 1 and 2
    await settle()
    assert rec.sent == [event(3).full]


async def test_a_busy_streams_events_share_frames_and_a_quiet_ones_go_at_once() -> None:
    log = FakeLog()
    hub = Hub(MemoryBroker(), log.read, log.head, gap_wait_s=0.05)
    rec = await live_socket(hub)
    hub.publish([event(1)])
    await settle()
    assert rec.sent == [event(1).full]  # quiet: at once, its own frame
    for seq in range(2, 12):  # a burst right after: held together, not one frame each
        hub.publish([event(seq)])
        await settle()
    assert len(rec.sent) == 1
    await asyncio.sleep(hub_module.COALESCE_S * 2)
    assert seqs(rec) == list(range(1, 12))
    assert len(rec.sent) == 2 and json.loads(rec.sent[1])["type"] == "events"
    await asyncio.sleep(hub_module.COALESCE_S * 2)
    hub.publish([event(12)])  # quiet again: at once
    await settle()
    assert rec.sent[-1] == event(12).full


async def test_a_stalled_socket_is_dropped_without_holding_up_the_room(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(hub_module, "COALESCE_S", 0.0)  # every event its own frame
    log = FakeLog()
    hub = Hub(MemoryBroker(), log.read, log.head, gap_wait_s=0.05)
    stalled, healthy = Recorder(stall=True), Recorder()
    slow = connection(stalled, max_queue=10)
    fast = connection(healthy, max_queue=10)
    for conn in (slow, fast):
        await hub.attach(conn, ["r1"])
        conn.go_live({"r1": 0})
    for seq in range(1, 31):
        hub.publish([event(seq)])
        await settle()
    assert seqs(healthy) == list(range(1, 31))
    assert len(healthy.sent) == 30  # a lone event is sent at once, as its own frame
    await asyncio.sleep(0.05)  # the close runs in its own task
    assert slow.closed and stalled.closed_with == SLOW_CONSUMER_CLOSE
    assert slow.queue_depth == 0  # nothing kept for a client that is gone


def redacted_event(seq: int, author: str) -> Outbound:
    full = f'{{"type":"event","seq":{seq},"text":"geheim"}}'
    hidden = f'{{"type":"event","seq":{seq},"text":null}}'
    return Outbound("r1", seq, full, hidden, visible_to=author)


async def test_a_batch_is_one_frame_per_socket_and_each_sees_its_own_variant() -> None:
    log = FakeLog()
    hub = Hub(MemoryBroker(), log.read, log.head, gap_wait_s=0.05)
    viewers = {}
    for pid, role in (("p1", "participant"), ("p2", "participant"), (None, "moderator")):
        rec = Recorder()
        ident = Identity(workshop_id="w", role=role, participant_id=pid, room_id="r1")
        conn = Connection(ident, rec.send_message, rec.close, max_queue=100)
        await hub.attach(conn, ["r1"])
        conn.go_live({"r1": 0})
        viewers[pid or role] = rec
    hub.publish([redacted_event(1, "p1"), event(2), redacted_event(3, "p2")])
    await settle()
    texts = {}
    for name, rec in viewers.items():
        assert len(rec.sent) == 1 and seqs(rec) == [1, 2, 3]
        texts[name] = [e.get("text") for e in json.loads(rec.sent[0])["events"]]
    assert texts == {
        "p1": ["geheim", None, None],  # its own note in full, the other's withheld
        "p2": [None, None, "geheim"],
        "moderator": ["geheim", None, "geheim"],
    }
