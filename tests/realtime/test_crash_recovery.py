"""SIGKILL under load: every acknowledged change survives once; clients resume and converge."""

import asyncio
import contextlib
from pathlib import Path
from typing import Any

import websockets

from tests.support.client import Api, Peer
from tests.support.server import ServerProcess

IN_FLIGHT = 4


class Writer:
    """A participant that writes notes until the server dies, remembering what was acked."""

    def __init__(self, name: str, member: dict[str, Any]) -> None:
        self.name = name
        self.member = member
        self.acked: dict[str, int] = {}  # text -> seq
        self.unacked: list[tuple[str, str]] = []  # (ref, text) in flight when it died
        self.last_seq = 0
        self.peer: Peer | None = None

    async def run(self, server: ServerProcess, workshop_id: str, room: str) -> None:
        self.peer = await Peer.connect(server.ws_url, workshop_id, self.member["token"], room)
        # Several commands in flight at once, so the kill lands inside group commits.
        await asyncio.gather(*(self._lane(lane) for lane in range(IN_FLIGHT)))
        if self.peer.events:
            self.last_seq = self.peer.events[-1]["seq"]

    async def _lane(self, lane: int) -> None:
        assert self.peer is not None
        n = 0
        with contextlib.suppress(websockets.ConnectionClosed, TimeoutError):
            while True:
                ref, text = f"{self.name}-{lane}-{n}", f"{self.name} note {lane}.{n}"
                self.unacked.append((ref, text))
                answer = await self.peer.ok("note.add", {"text": text}, ref=ref)
                self.unacked.remove((ref, text))
                self.acked[text] = answer["seq"]
                n += 1


async def test_sigkill_loses_nothing_acknowledged(
    database_url: str, tmp_path: Path, artifacts: Path
) -> None:
    unlimited = {"PLENARY_RATE_PER_S": "1000", "PLENARY_RATE_BURST": "1000"}
    server = ServerProcess(database_url, artifacts / "crash.log", **unlimited).start()
    api = Api(server.base_url)
    try:
        workshop = await api.create(rooms=1)
        room = workshop["rooms"][0]["id"]
        mod = workshop["moderator_token"]
        await api.control(mod, f"/api/workshops/{workshop['id']}/phase", {"phase": "open"})
        writers = [
            Writer(f"w{i}", await api.join(workshop["join_code"], f"W{i}")) for i in range(6)
        ]
        tasks = [asyncio.create_task(w.run(server, workshop["id"], room)) for w in writers]
        while sum(len(w.acked) for w in writers) < 120:
            await asyncio.sleep(0.02)
        server.kill()
        await asyncio.wait_for(asyncio.gather(*tasks), 20)
        acked = {text: seq for w in writers for text, seq in w.acked.items()}
        assert len(acked) >= 120

        server.start()
        board = (await api.get(mod, f"/api/workshops/{workshop['id']}/rooms/{room}/board")).json()
        texts = [n["text"] for n in board["notes"]]
        assert len(texts) == len(set(texts)), "no note twice"
        assert set(acked) <= set(texts), "every acknowledged note survived"
        in_flight = {text for w in writers for _, text in w.unacked}
        assert set(texts) <= set(acked) | in_flight
        assert board["seq"] == 1 + len(texts)  # the phase change, then one event per note

        # Clients resume from where they were and resend what was never acknowledged.
        for w in writers:
            peer = await Peer.connect(
                server.ws_url,
                workshop["id"],
                w.member["token"],
                room,
                since=w.last_seq,
                epoch=w.peer.welcome["epoch"],
            )
            for ref, text in w.unacked:
                answer = await peer.ok("note.add", {"text": text}, ref=ref)
                if text in texts:
                    assert answer["seq"] <= board["seq"], "applied before the crash: not again"
            w.peer = peer
        final = (await api.get(mod, f"/api/workshops/{workshop['id']}/rooms/{room}/board")).json()
        final_texts = sorted(n["text"] for n in final["notes"])
        assert final_texts == sorted(set(acked) | in_flight)
        for w in writers:
            assert w.peer is not None
            events = await w.peer.wait_seq(room, final["seq"])
            seqs = [e["seq"] for e in events]
            assert seqs == list(range(seqs[0], final["seq"] + 1))
            seen_before = w.last_seq
            assert seqs[0] == seen_before + 1 or "snapshot" in w.peer.welcome
        for w in writers:
            with contextlib.suppress(Exception):
                assert w.peer is not None
                await w.peer.close()
    finally:
        await api.close()
        server.stop()
