"""The moderator's controls through a real server (issue 3's "done when")."""

import asyncio
from typing import Any

import pytest

from tests.support.client import Api, Peer
from tests.support.server import ServerProcess


class Session:
    """A workshop with a moderator and helpers to join and connect."""

    def __init__(self, server: ServerProcess, api: Api, created: dict[str, Any]) -> None:
        self.server, self.api, self.w = server, api, created
        self.rooms = [r["id"] for r in created["rooms"]]
        self.mod = created["moderator_token"]

    @classmethod
    async def start(cls, server: ServerProcess, api: Api, **body: Any) -> "Session":
        return cls(server, api, await api.create(**body))

    async def control(self, path: str, body: dict[str, Any], token: str | None = None) -> Any:
        return await self.api.control(
            token or self.mod, f"/api/workshops/{self.w['id']}{path}", body
        )

    async def member(self, name: str, room: int) -> tuple[dict[str, Any], Peer]:
        joined = await self.api.join(self.w["join_code"], name, room=self.rooms[room])
        peer = await Peer.connect(
            self.server.ws_url, self.w["id"], joined["token"], self.rooms[room]
        )
        return joined, peer

    async def moderator(self, room: str = "*") -> Peer:
        return await Peer.connect(self.server.ws_url, self.w["id"], self.mod, room)


async def test_phases_gate_what_participants_may_do(server: ServerProcess, api: Api) -> None:
    s = await Session.start(server, api, method="scenario", rooms=1)
    _, anna = await s.member("Anna", 0)
    refused = await anna.send("note.add", {"text": "Te vroeg"})
    assert refused["code"] == "phase_forbids" and "lobby" in refused["message"]
    assert (await s.control("/phase", {"phase": "collect"})).status_code == 200
    ack = await anna.ok("note.add", {"text": "Thuiswerken groeit"})
    note = (await anna.wait_seq(s.rooms[0], ack["seq"]))[-1]["data"]["note"]
    assert note["lane"] == "trend"
    vote = {"target": note["id"], "impact": 4, "uncertainty": 2}
    assert (await anna.send("vote.cast", vote))["code"] == "phase_forbids"
    assert (await s.control("/phase", {"phase": "rate"})).status_code == 200
    await anna.ok("vote.cast", vote)
    assert (await anna.send("note.add", {"text": "Te laat"}))["code"] == "phase_forbids"
    # The moderator may always write.
    mod = await s.moderator(s.rooms[0])
    await mod.ok("note.add", {"text": "Van de moderator"})
    await anna.close()
    await mod.close()


async def test_next_and_previous_walk_each_room_from_where_it_is(
    server: ServerProcess, api: Api
) -> None:
    s = await Session.start(server, api, method="backcast", rooms=2)
    await s.control("/phase", {"phase": "path", "rooms": [s.rooms[1]]})
    await s.control("/phase", {"phase": "next"})
    overview = (await api.get(s.mod, f"/api/workshops/{s.w['id']}")).json()
    assert [r["phase"] for r in overview["rooms"]] == ["collect", "closed"]
    await s.control("/phase", {"phase": "next", "rooms": [s.rooms[1]]})  # stays closed
    await s.control("/phase", {"phase": "previous"})
    overview = (await api.get(s.mod, f"/api/workshops/{s.w['id']}")).json()
    assert [r["phase"] for r in overview["rooms"]] == ["lobby", "path"]
    assert overview["rooms"][1]["instruction"].startswith("Reason back")


async def test_controls_reach_exactly_the_rooms_named(server: ServerProcess, api: Api) -> None:
    s = await Session.start(server, api, method="free", rooms=3, language="en")
    peers = [(await s.member(f"P{i}", i))[1] for i in range(3)]
    watcher = await s.moderator("*")
    r0, r1, r2 = s.rooms
    assert (await s.control("/phase", {"phase": "open", "rooms": [r0, r1]})).status_code == 200
    timer = await s.control("/timer", {"seconds": 300, "rooms": [r1]})
    assert timer.status_code == 200
    assert (
        await s.control("/broadcast", {"message": "Nog 5 minuten!", "rooms": [r0, r2]})
    ).status_code == 200
    await peers[0].wait_for(lambda p: p.ops() == ["phase.changed", "message"])
    await peers[1].wait_for(lambda p: p.ops() == ["phase.changed", "timer.set"])
    await peers[2].wait_for(lambda p: p.ops() == ["message"])
    ends_at = peers[1].events[1]["data"]["ends_at"]
    message = peers[0].events[1]["data"]
    assert ends_at.endswith("Z") and message["text"] == "Nog 5 minuten!"
    assert message["at"].endswith("Z")
    assert peers[0].events[0]["by"] == "moderator"
    await watcher.wait_for(lambda p: len(p.events) == 5)
    assert sorted((e["room"], e["op"]) for e in watcher.events) == sorted(
        [
            (r0, "phase.changed"),
            (r1, "phase.changed"),
            (r1, "timer.set"),
            (r0, "message"),
            (r2, "message"),
        ]
    )
    await asyncio.sleep(0.2)
    assert [p.ops() for p in peers] == [
        ["phase.changed", "message"],
        ["phase.changed", "timer.set"],
        ["message"],
    ]
    stop = await s.control("/timer", {"seconds": 0, "rooms": [r1]})
    assert stop.status_code == 200
    await peers[1].wait_for(lambda p: p.events[-1]["data"] == {"ends_at": None})
    for peer in [*peers, watcher]:
        await peer.close()


async def test_a_locked_room_refuses_writes_while_another_stays_open(
    server: ServerProcess, api: Api
) -> None:
    s = await Session.start(server, api, method="free", rooms=2)
    await s.control("/phase", {"phase": "open"})
    _, locked = await s.member("L", 0)
    _, free = await s.member("F", 1)
    assert (await s.control(f"/rooms/{s.rooms[0]}/lock", {"locked": True})).status_code == 200
    await locked.wait_for(lambda p: "room.locked" in p.ops())
    assert (await locked.send("note.add", {"text": "dicht"}))["code"] == "locked"
    await free.ok("note.add", {"text": "open"})
    await s.control(f"/rooms/{s.rooms[0]}/lock", {"locked": False})
    await locked.wait_for(lambda p: p.ops().count("room.locked") == 2)
    await locked.ok("note.add", {"text": "weer open"})
    for peer in (locked, free):
        await peer.close()


async def test_private_notes_stay_hidden_from_peers_until_revealed(
    server: ServerProcess, api: Api
) -> None:
    s = await Session.start(server, api, method="scenario", rooms=1, private_notes=True)
    room = s.rooms[0]
    await s.control("/phase", {"phase": "collect"})
    anna_join, anna = await s.member("Anna", 0)
    bram_join, bram = await s.member("Bram", 0)
    mod = await s.moderator(room)
    projector = await Peer.connect(server.ws_url, s.w["id"], s.w["projector_token"], room)
    ack = await anna.ok("note.add", {"text": "Geheim idee"})
    own = (await anna.wait_seq(room, ack["seq"]))[-1]["data"]["note"]
    peer_view = (await bram.wait_seq(room, ack["seq"]))[-1]["data"]["note"]
    mod_view = (await mod.wait_seq(room, ack["seq"]))[-1]["data"]["note"]
    projected = (await projector.wait_seq(room, ack["seq"]))[-1]["data"]["note"]
    assert own["text"] == mod_view["text"] == "Geheim idee"
    assert peer_view["text"] is None and peer_view["hidden"] is True
    assert projected["text"] is None
    assert peer_view["id"] == own["id"]  # the event is there, so the sequence stays gapless
    board = f"/api/workshops/{s.w['id']}/rooms/{room}/board"
    assert (await api.get(bram_join["token"], board)).json()["notes"][0]["text"] is None
    assert (await api.get(anna_join["token"], board)).json()["notes"][0]["text"] == "Geheim idee"
    late = await Peer.connect(server.ws_url, s.w["id"], bram_join["token"], room)
    assert late.welcome["snapshot"]["notes"][0]["text"] is None
    edit = await anna.ok("note.edit", {"id": own["id"], "text": "Nog steeds geheim"})
    assert (await bram.wait_seq(room, edit["seq"]))[-1]["data"]["note"]["text"] is None

    assert (await s.control("/reveal", {})).status_code == 200
    revealed = await bram.wait_for(
        lambda p: p.events[-1] if p.events[-1]["op"] == "notes.revealed" else None
    )
    assert [n["text"] for n in revealed["data"]["notes"]] == ["Nog steeds geheim"]
    assert (await api.get(bram_join["token"], board)).json()["notes"][0][
        "text"
    ] == "Nog steeds geheim"
    after = await anna.ok("note.add", {"text": "Nu openbaar"})
    assert (await bram.wait_seq(room, after["seq"]))[-1]["data"]["note"]["text"] == "Nu openbaar"
    for peer in (anna, bram, mod, projector, late):
        await peer.close()


async def test_leaving_collect_reveals_private_notes(server: ServerProcess, api: Api) -> None:
    s = await Session.start(server, api, method="backcast", rooms=1, private_notes=True)
    await s.control("/phase", {"phase": "collect"})
    _, anna = await s.member("Anna", 0)
    _, bram = await s.member("Bram", 0)
    await anna.ok("note.add", {"text": "Wat blijft: koffie", "lane": "keep"})
    await s.control("/phase", {"phase": "rate"})
    await bram.wait_for(lambda p: p.ops()[-2:] == ["notes.revealed", "phase.changed"])
    assert bram.events[-2]["data"]["notes"][0]["text"] == "Wat blijft: koffie"
    await anna.close()
    await bram.close()


async def test_a_free_break_out_keeps_private_notes_private_while_open(
    server: ServerProcess, api: Api
) -> None:
    """Seventh trial: in a free break-out, starting 'open' revealed every private note."""
    s = await Session.start(server, api, method="free", rooms=1, private_notes=True)
    room = s.rooms[0]
    _, anna = await s.member("Anna", 0)
    bram_join, bram = await s.member("Bram", 0)
    await s.control("/phase", {"phase": "open"})
    ack = await anna.ok("note.add", {"text": "Alleen voor mij"})
    seen = (await bram.wait_seq(room, ack["seq"]))[-1]["data"]["note"]
    assert seen["text"] is None and seen["hidden"] is True
    assert "notes.revealed" not in bram.ops()
    board = f"/api/workshops/{s.w['id']}/rooms/{room}/board"
    assert (await api.get(bram_join["token"], board)).json()["notes"][0]["text"] is None
    # Closing the break-out is leaving its writing phase: the notes come out.
    await s.control("/phase", {"phase": "closed"})
    await bram.wait_for(lambda p: p.ops()[-2:] == ["notes.revealed", "phase.changed"])
    assert bram.events[-2]["data"]["notes"][0]["text"] == "Alleen voor mij"
    await anna.close()
    await bram.close()


async def test_moved_participant_is_closed_4409_and_joins_the_new_room(
    server: ServerProcess, api: Api
) -> None:
    s = await Session.start(server, api, method="free", rooms=2)
    joined, peer = await s.member("Mover", 0)
    _, stayer = await s.member("Stayer", 0)
    response = await s.control(
        f"/participants/{joined['participant_id']}/move", {"room": s.rooms[1]}
    )
    assert response.status_code == 200
    code, _ = await asyncio.wait_for(peer.closed, 10)
    assert code == 4409
    assert {"type": "moved", "room": s.rooms[1]} in peer.frames
    assert not stayer.closed.done()
    moved = await Peer.connect(server.ws_url, s.w["id"], joined["token"], s.rooms[1])
    assert moved.welcome["room"] == s.rooms[1]
    board = f"/api/workshops/{s.w['id']}/rooms/{s.rooms[0]}/board"
    assert (await api.get(joined["token"], board)).status_code == 403
    await moved.close()
    await stayer.close()


async def test_namesakes_get_labels_that_stay_when_they_move(
    server: ServerProcess, api: Api
) -> None:
    """Eleventh trial: two "Sanne" rows in the console, and one was moved blind."""
    s = await Session.start(server, api, method="free", rooms=2)
    first, a = await s.member("Sanne", 0)
    second, b = await s.member("sanne ", 0)
    third, c = await s.member("Wilma", 1)
    fourth, d = await s.member("Sanne", 1)
    await s.control(f"/participants/{first['participant_id']}/move", {"room": s.rooms[1]})
    overview = (await api.get(s.mod, f"/api/workshops/{s.w['id']}")).json()
    labels = {
        p["participant_id"]: p["label"] for room in overview["rooms"] for p in room["participants"]
    }
    assert labels == {
        first["participant_id"]: "Sanne",
        second["participant_id"]: "sanne (2)",
        third["participant_id"]: "Wilma",
        fourth["participant_id"]: "Sanne (3)",
    }
    for peer in (a, b, c, d):
        await peer.close()


async def test_star_socket_follows_every_room_with_presence(
    server: ServerProcess, api: Api
) -> None:
    s = await Session.start(server, api, method="free", rooms=3)
    await s.control("/phase", {"phase": "open"})
    watcher = await s.moderator("*")
    assert set(watcher.welcome["seq"]) == set(s.rooms)
    assert set(watcher.welcome["snapshot"]) == set(s.rooms)
    members = [await s.member(f"M{i}", i) for i in range(3)]
    for i, (_, peer) in enumerate(members):
        await peer.ok("note.add", {"text": f"in kamer {i}"})
    await watcher.wait_for(
        lambda p: {e["room"] for e in p.events if e["op"] == "note.added"} == set(s.rooms)
    )
    online = await watcher.wait_for(
        lambda p: {f["room"] for f in p.frames if f["type"] == "presence" and f["online"]}
    )
    assert online == set(s.rooms)
    assert any(f["type"] == "events" for f in watcher.frames) or len(watcher.events) == 3
    # Resuming the star socket with maps of since and epoch replays per room.
    seqs = {e["room"]: e["seq"] for e in watcher.events}
    await watcher.close()
    await members[0][1].ok("note.add", {"text": "terwijl weg"})
    back = await Peer.connect(
        server.ws_url, s.w["id"], s.mod, "*", since=seqs, epoch=watcher.welcome["epoch"]
    )
    assert back.welcome["snapshot"] == {}
    replay = await back.wait_for(lambda p: p.events)
    assert [(e["room"], e["data"]["note"]["text"]) for e in replay] == [(s.rooms[0], "terwijl weg")]
    for _, peer in members:
        await peer.close()
    await back.close()


async def test_every_control_needs_the_moderator(server: ServerProcess, api: Api) -> None:
    s = await Session.start(server, api, method="free", rooms=2)
    joined, peer = await s.member("Sneaky", 0)
    controls = [
        ("/phase", {"phase": "open"}),
        ("/timer", {"seconds": 60}),
        ("/broadcast", {"message": "hoi"}),
        ("/reveal", {}),
        (f"/rooms/{s.rooms[0]}/lock", {"locked": True}),
        (f"/participants/{joined['participant_id']}/move", {"room": s.rooms[1]}),
    ]
    for path, body in controls:
        for token in (joined["token"], s.w["projector_token"]):
            response = await s.control(path, body, token=token)
            assert response.status_code == 403, (path, response.text)
            assert response.json()["error"]["code"] == "forbidden"
        response = await api.http.post(f"/api/workshops/{s.w['id']}{path}", json=body)
        assert response.status_code == 401
    projector = await Peer.connect(server.ws_url, s.w["id"], s.w["projector_token"], s.rooms[0])
    assert (await projector.send("note.add", {"text": "x"}))["code"] == "forbidden"
    await asyncio.sleep(0.1)
    assert peer.events == []
    await peer.close()
    await projector.close()


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/phase", {"phase": "plot"}, 422),
        ("/phase", {"phase": "open", "rooms": ["r_elsewhere"]}, 404),
        ("/phase", {"phase": "open", "extra": 1}, 422),
        ("/timer", {"seconds": 7201}, 422),
        ("/timer", {"seconds": -1}, 422),
        ("/timer", {"seconds": 1.5}, 422),
        ("/broadcast", {"message": ""}, 422),
        ("/broadcast", {"message": "   "}, 422),
        ("/reveal", {"rooms": ["r_elsewhere"]}, 404),
    ],
)
async def test_bad_control_input_changes_nothing(
    server: ServerProcess, api: Api, path: str, body: dict[str, Any], status: int
) -> None:
    s = await Session.start(server, api, method="free", rooms=2)
    response = await s.control(path, body)
    assert response.status_code == status, response.text
    assert response.json()["error"]["message"]
    for room in s.rooms:
        board = (await api.get(s.mod, f"/api/workshops/{s.w['id']}/rooms/{room}/board")).json()
        assert board["seq"] == 0 and board["phase"] == "lobby"


async def test_moving_across_workshops_is_refused(server: ServerProcess, api: Api) -> None:
    s = await Session.start(server, api, method="free", rooms=2)
    other = await Session.start(server, api, method="free", rooms=2)
    stranger, _peer = await other.member("Stranger", 0)
    response = await s.control(
        f"/participants/{stranger['participant_id']}/move", {"room": s.rooms[1]}
    )
    assert response.status_code == 404
    mine, _mine_peer = await s.member("Mine", 0)
    response = await s.control(
        f"/participants/{mine['participant_id']}/move", {"room": other.rooms[1]}
    )
    assert response.status_code == 404
    await _peer.close()
    await _mine_peer.close()


async def test_a_broadcast_reaches_late_joiners_until_the_phase_changes(
    server: ServerProcess, api: Api
) -> None:
    s = await Session.start(server, api, method="free", rooms=2, language="nl")
    await s.control("/phase", {"phase": "open"})
    await s.control("/broadcast", {"message": "Kies je top 5", "rooms": [s.rooms[0]]})
    _joined, late = await s.member("Laat", 0)
    message = late.welcome["snapshot"]["message"]
    assert message["text"] == "Kies je top 5" and message["at"].endswith("Z")
    _joined, other = await s.member("Elders", 1)
    assert other.welcome["snapshot"]["message"] is None  # not sent to that room
    await s.control("/phase", {"phase": "closed", "rooms": [s.rooms[0]]})
    _joined, later = await s.member("Later", 0)
    assert later.welcome["snapshot"]["message"] is None  # it belonged to the earlier phase
    for peer in (late, other, later):
        await peer.close()


async def test_a_timer_ends_with_its_phase_whether_or_not_it_ran_out(
    server: ServerProcess, api: Api
) -> None:
    s = await Session.start(server, api, method="scenario", rooms=2, language="nl")
    await s.control("/phase", {"phase": "collect"})
    ended, running = s.rooms
    await s.control("/timer", {"seconds": 1, "rooms": [ended]})
    await s.control("/timer", {"seconds": 300, "rooms": [running]})
    _joined, peer = await s.member("Anna", 0)
    await asyncio.sleep(1.2)
    await s.control("/phase", {"phase": "cluster"})
    await peer.wait_for(lambda p: p.ops(ended)[-2:] == ["phase.changed", "timer.set"])
    assert peer.events[-1]["data"] == {"ends_at": None}  # "time's up" stays in collect
    _joined, late = await s.member("Bram", 0)
    assert late.welcome["snapshot"]["timer_ends_at"] is None
    _joined, other = await s.member("Cor", 1)
    assert other.welcome["snapshot"]["timer_ends_at"] is None  # a phase's time, not the next's
    for p in (peer, late, other):
        await p.close()
