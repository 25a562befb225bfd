"""Clusters, votes, the axis cross and stories through a real server (issue 4's "done when")."""

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tests.support.client import Api, Peer
from tests.support.server import ServerProcess


class Room:
    """One scenario room with a moderator and three participants."""

    def __init__(self, server: ServerProcess, api: Api, w: dict[str, Any]) -> None:
        self.server, self.api, self.w = server, api, w
        self.id = w["rooms"][0]["id"]
        self.peers: list[Peer] = []
        self.members: list[dict[str, Any]] = []

    @classmethod
    async def open(
        cls, server: ServerProcess, api: Api, method: str = "scenario", **body: Any
    ) -> "Room":
        room = cls(server, api, await api.create(method=method, rooms=2, **body))
        for name in ("Anna", "Bram", "Cor"):
            member = await api.join(room.w["join_code"], name, room=room.id)
            room.members.append(member)
            room.peers.append(
                await Peer.connect(server.ws_url, room.w["id"], member["token"], room.id)
            )
        return room

    async def phase(self, phase: str) -> None:
        response = await self.api.control(
            self.w["moderator_token"], f"/api/workshops/{self.w['id']}/phase", {"phase": phase}
        )
        assert response.status_code == 200
        await self.peers[0].wait_for(
            lambda p: (
                p.events
                and p.events[-1]["op"] == "phase.changed"
                and p.events[-1]["data"]["phase"] == phase
            )
        )

    async def board(self, token: str | None = None) -> dict[str, Any]:
        response = await self.api.get(
            token or self.w["moderator_token"],
            f"/api/workshops/{self.w['id']}/rooms/{self.id}/board",
        )
        return dict(response.json())

    async def notes(self, *texts: str) -> list[str]:
        ids = []
        for text in texts:
            ack = await self.peers[0].ok("note.add", {"text": text})
            ids.append(
                (await self.peers[0].wait_seq(self.id, ack["seq"]))[-1]["data"]["note"]["id"]
            )
        return ids

    async def close(self) -> None:
        for peer in self.peers:
            await peer.close()


def last(peer: Peer, op: str) -> dict[str, Any]:
    return [e for e in peer.events if e["op"] == op][-1]


async def test_clusters_created_renamed_emptied_and_deleted(
    server: ServerProcess, api: Api
) -> None:
    room = await Room.open(server, api)
    await room.phase("collect")
    a, b, c = await room.notes("Vergrijzing", "Robotisering", "AI-assistenten")
    await room.phase("cluster")
    bram = room.peers[1]
    ack = await bram.ok("cluster.create", {"title": "Technologie", "note_ids": [b, c]})
    created = (await bram.wait_seq(room.id, ack["seq"]))[-1]["data"]["cluster"]
    assert created["title"] == "Technologie" and created["note_ids"] == [b, c]
    cid = created["id"]
    ack = await bram.ok("cluster.update", {"id": cid, "title": "Tech & AI"})
    assert (await bram.wait_seq(room.id, ack["seq"]))[-1]["data"]["cluster"]["title"] == "Tech & AI"
    ack = await room.peers[2].ok("note.edit", {"id": a, "cluster_id": cid})  # drag a note in
    board = await room.board()
    assert board["clusters"][0]["note_ids"] == [a, b, c]
    ack = await bram.ok("cluster.update", {"id": cid, "note_ids": []})
    board = await room.board()
    assert board["clusters"][0]["note_ids"] == []
    assert all(n["cluster_id"] is None for n in board["notes"])
    await bram.ok("cluster.update", {"id": cid, "note_ids": [a]})
    ack = await bram.ok("cluster.delete", {"id": cid})
    assert (await bram.wait_seq(room.id, ack["seq"]))[-1]["data"] == {"id": cid}
    board = await room.board()
    assert board["clusters"] == [] and len(board["notes"]) == 3
    assert all(n["cluster_id"] is None for n in board["notes"])
    # While clustering, words stay as they are.
    assert (await bram.send("note.edit", {"id": a, "text": "anders"}))["code"] == "phase_forbids"
    await room.close()


async def test_votes_give_the_exact_anonymous_tally(server: ServerProcess, api: Api) -> None:
    room = await Room.open(server, api)
    await room.phase("collect")
    (target,) = await room.notes("Krapte op de arbeidsmarkt")
    await room.phase("rate")
    scores = [(5, 2), (4, 4), (2, 3)]
    for peer, (impact, unc) in zip(room.peers, scores, strict=True):
        await peer.ok("vote.cast", {"target": target, "impact": impact, "uncertainty": unc})
    await room.peers[0].wait_for(lambda p: p.ops().count("vote.tally") == 3)
    tally = last(room.peers[0], "vote.tally")
    assert tally["by"] is None
    assert tally["data"]["tally"]["impact"] == {
        "mean": round(11 / 3, 3),
        "n": 3,
        "counts": [0, 1, 0, 1, 1],
        "sd": 1.247,
    }
    assert tally["data"]["tally"]["uncertainty"]["counts"] == [0, 1, 1, 1, 0]
    for member in room.members:
        assert member["participant_id"] not in str(tally)
    # A second cast replaces the first.
    ack = await room.peers[2].ok("vote.cast", {"target": target, "impact": 5, "uncertainty": 5})
    replaced = (await room.peers[0].wait_seq(room.id, ack["seq"]))[-1]["data"]["tally"]
    assert replaced["impact"]["n"] == 3 and replaced["impact"]["mean"] == round(14 / 3, 3)
    snapshot = await room.board(room.members[2]["token"])
    assert snapshot["my_votes"] == [{"target": target, "impact": 5, "uncertainty": 5}]
    assert (await room.board(room.members[0]["token"]))["my_votes"][0]["impact"] == 5
    ack = await room.peers[2].ok("vote.clear", {"target": target})
    cleared = (await room.peers[0].wait_seq(room.id, ack["seq"]))[-1]["data"]["tally"]
    assert cleared["impact"]["n"] == 2
    assert (await room.board(room.members[2]["token"]))["my_votes"] == []
    await room.close()


@pytest.mark.parametrize(
    "data",
    [
        {"impact": 0, "uncertainty": 3},
        {"impact": 6, "uncertainty": 3},
        {"impact": 4.0, "uncertainty": 3},
        {"impact": "4", "uncertainty": 3},
        {"impact": True, "uncertainty": 3},
        {"impact": 4},
        {"impact": 4, "uncertainty": 3, "weight": 2},
    ],
)
async def test_bad_scores_are_refused(
    server: ServerProcess, api: Api, data: dict[str, Any]
) -> None:
    room = await Room.open(server, api)
    await room.phase("collect")
    (target,) = await room.notes("Iets")
    await room.phase("rate")
    answer = await room.peers[1].send("vote.cast", {"target": target, **data})
    assert answer["type"] == "error" and answer["code"] == "invalid", answer
    assert (await room.board())["tallies"] == []
    await room.close()


async def test_targets_and_notes_of_another_room_are_refused(
    server: ServerProcess, api: Api
) -> None:
    room = await Room.open(server, api, method="free")
    await room.phase("open")
    other_room = room.w["rooms"][1]["id"]
    stranger = await api.join(room.w["join_code"], "Elders", room=other_room)
    elsewhere = await Peer.connect(server.ws_url, room.w["id"], stranger["token"], other_room)
    ack = await elsewhere.ok("note.add", {"text": "In de andere kamer"})
    foreign = (await elsewhere.wait_seq(other_room, ack["seq"]))[-1]["data"]["note"]["id"]
    (mine,) = await room.notes("Hier")  # `open` allows everything: only the room check refuses
    anna = room.peers[0]
    for op, data in [
        ("vote.cast", {"target": foreign, "impact": 3, "uncertainty": 3}),
        ("vote.cast", {"target": "n_ghost", "impact": 3, "uncertainty": 3}),
        ("cluster.create", {"title": "Mix", "note_ids": [mine, foreign]}),
        ("axes.set", {"x": mine, "y": foreign}),
        ("note.edit", {"id": mine, "cluster_id": "c_ghost"}),
    ]:
        answer = await anna.send(op, data)
        assert answer["code"] == "not_found", (op, answer)
    board = await room.board()
    assert board["clusters"] == [] and board["tallies"] == []
    assert board["notes"][0]["cluster_id"] is None
    await elsewhere.close()
    await room.close()


async def test_axes_are_suggested_then_set(server: ServerProcess, api: Api) -> None:
    room = await Room.open(server, api)
    await room.phase("collect")
    low, high, mid = await room.notes("Weinig", "Veel", "Midden")
    await room.phase("rate")
    for target, score in ((low, 1), (high, 5), (mid, 3)):
        await room.peers[0].ok(
            "vote.cast", {"target": target, "impact": score, "uncertainty": score}
        )
    assert (await room.board())["axes"]["suggested"] == {"x": high, "y": mid}
    await room.phase("plot")
    ack = await room.peers[1].ok("axes.set", {"x": high, "y": low})
    event = (await room.peers[2].wait_seq(room.id, ack["seq"]))[-1]
    axis_x = {"target": high, "title": "Veel", "low": None, "high": None}
    axis_y = {"target": low, "title": "Weinig", "low": None, "high": None}
    assert event["op"] == "axes.set" and event["data"] == {"x": axis_x, "y": axis_y}
    axes = (await room.board())["axes"]
    assert (axes["x"], axes["y"]) == (axis_x, axis_y)
    assert (await room.peers[1].send("axes.set", {"x": high, "y": high}))["code"] == "invalid"
    await room.close()


async def test_two_writers_lose_no_story_text(server: ServerProcess, api: Api) -> None:
    room = await Room.open(server, api)
    await room.phase("story")
    anna, bram = room.peers[0], room.peers[1]

    async def write(peer: Peer, quadrant: str, field: str, text: str) -> None:
        board = await room.board()
        story = next(s for s in board["stories"] if s["quadrant"] == quadrant)
        while True:
            # Like the board: edit the text as last seen, keeping what others wrote.
            # (Sending only our own words with a fresh version would replace theirs,
            # rightly: the version says we saw them.)
            if story[field] not in text:
                text = f"{story[field]} {text}"
            change = {"quadrant": quadrant, field: text, "version": story["version"]}
            answer = await peer.send("story.edit", change)
            if answer["type"] == "ack":
                return
            assert answer["code"] == "conflict"
            story = answer["story"]  # someone changed this field first: merge, retry

    jobs = []
    for quadrant in ("hh", "hl", "lh", "ll"):
        jobs += [
            write(anna, quadrant, "title", f"Titel {quadrant}"),
            write(bram, quadrant, "metaphor", f"Metafoor {quadrant}"),
            write(anna, quadrant, "text", f"Anna over {quadrant}."),
            write(bram, quadrant, "text", f"Bram over {quadrant}."),
        ]
    await asyncio.gather(*jobs)
    stories = {s["quadrant"]: s for s in (await room.board())["stories"]}
    for quadrant, story in stories.items():
        assert story["title"] == f"Titel {quadrant}"
        assert story["metaphor"] == f"Metafoor {quadrant}"
        assert f"Anna over {quadrant}." in story["text"]
        assert f"Bram over {quadrant}." in story["text"]
    bad = [
        {"quadrant": "xx", "text": "?"},
        {"quadrant": "hh", "text": "x" * 4001},
        {"quadrant": "hh"},
        {"quadrant": "hh", "text": None},
    ]
    for data in bad:
        assert (await anna.send("story.edit", data))["code"] == "invalid", data
    await room.close()


async def test_hidden_tallies_show_when_rating_ends(server: ServerProcess, api: Api) -> None:
    room = await Room.open(server, api, hide_tallies=True)
    await room.phase("collect")
    (target,) = await room.notes("Verborgen score")
    await room.phase("rate")
    mod = await Peer.connect(server.ws_url, room.w["id"], room.w["moderator_token"], room.id)
    ack = await room.peers[0].ok("vote.cast", {"target": target, "impact": 5, "uncertainty": 1})
    seen = (await room.peers[1].wait_seq(room.id, ack["seq"]))[-1]["data"]["tally"]
    assert seen["hidden"] is True and seen["impact"] is None and seen["n"] == 1
    assert (await mod.wait_seq(room.id, ack["seq"]))[-1]["data"]["tally"]["impact"]["mean"] == 5
    assert (await room.board(room.members[1]["token"]))["tallies"][0]["impact"] is None
    await room.phase("plot")
    tally = last(room.peers[1], "vote.tally")["data"]["tally"]
    assert tally["impact"]["mean"] == 5
    assert (await room.board(room.members[1]["token"]))["tallies"][0]["impact"]["mean"] == 5
    await mod.close()
    await room.close()


async def test_group_work_survives_a_restart(database_url: str, artifacts: Path) -> None:
    server = ServerProcess(database_url, artifacts / "restart.log").start()
    api = Api(server.base_url)
    try:
        room = await Room.open(server, api, method="free")
        await room.phase("open")
        a, b = await room.notes("Eén", "Twee")
        anna = room.peers[0]
        await anna.ok("cluster.create", {"title": "Samen", "note_ids": [a, b]})
        await anna.ok("vote.cast", {"target": a, "impact": 4, "uncertainty": 5})
        await room.peers[1].ok("vote.cast", {"target": b, "impact": 2, "uncertainty": 1})
        await anna.ok("axes.set", {"x": a, "y": b})
        await anna.ok(
            "story.edit",
            {"quadrant": "hh", "title": "Zonnig", "metaphor": "Een tuin", "text": "Alles groeit."},
        )
        before = await room.board(room.members[0]["token"])
        await room.close()
        server.stop()
        server.start()
        after = await room.board(room.members[0]["token"])
        assert after == before
        assert after["stories"][0]["title"] == "Zonnig" and after["my_votes"]
    finally:
        await api.close()
        server.stop()
