"""Live sticky notes through a real server, on SQLite and PostgreSQL (issue 2's "done when")."""

import asyncio
from typing import Any

from tests.support.client import Api, Peer
from tests.support.server import ServerProcess


async def peers(
    server: ServerProcess, api: Api, workshop: dict[str, Any], room: str, *names: str
) -> list[Peer]:
    """Join and connect participants to one room."""
    result = []
    for name in names:
        member = await api.join(workshop["join_code"], name, room=room)
        result.append(await Peer.connect(server.ws_url, workshop["id"], member["token"], room))
    return result


async def room_board(api: Api, workshop: dict[str, Any], room: str) -> dict[str, Any]:
    """The room's board as the moderator reads it."""
    path = f"/api/workshops/{workshop['id']}/rooms/{room}/board"
    board: dict[str, Any] = (await api.get(workshop["moderator_token"], path)).json()
    return board


async def test_two_participants_see_each_others_notes(
    server: ServerProcess, api: Api, workshop: dict[str, Any]
) -> None:
    room = workshop["rooms"][0]["id"]
    anna, bram = await peers(server, api, workshop, room, "Anna", "Bram")
    ack = await anna.ok("note.add", {"text": "Hybride werken blijft"})
    await anna.wait_seq(room, ack["seq"])
    kinds = [(f["type"], f.get("seq")) for f in anna.frames if f["type"] in ("ack", "event")]
    assert kinds.index(("ack", ack["seq"])) < kinds.index(("event", ack["seq"])), (
        "the sender gets its ack before its own event"
    )
    seen = await bram.wait_seq(room, ack["seq"])
    added = seen[-1]
    assert added["op"] == "note.added"
    assert added["by"] == anna.welcome["participant_id"]
    note = added["data"]["note"]
    assert note["text"] == "Hybride werken blijft"
    assert set(note) >= {
        "id",
        "author",
        "text",
        "lane",
        "color",
        "x",
        "y",
        "cluster_id",
        "version",
        "created_at",
        "updated_at",
    }
    ack2 = await bram.ok("note.add", {"text": "AI schrijft de notulen", "color": "blue"})
    mine = await anna.wait_seq(room, ack2["seq"])
    assert mine[-1]["data"]["note"]["color"] == "blue"
    for peer in (anna, bram):
        await peer.close()


async def test_other_room_sees_nothing(
    server: ServerProcess, api: Api, workshop: dict[str, Any]
) -> None:
    first, second = (r["id"] for r in workshop["rooms"])
    (writer,) = await peers(server, api, workshop, first, "Writer")
    (outsider,) = await peers(server, api, workshop, second, "Outsider")
    ack = await writer.ok("note.add", {"text": "Alleen voor groep 1"})
    await writer.wait_seq(first, ack["seq"])
    await asyncio.sleep(0.3)
    assert [e for e in outsider.events if e["room"] == first] == []
    note_id = writer.events[-1]["data"]["note"]["id"]
    answer = await outsider.send("note.edit", {"id": note_id, "x": 0.5})
    assert answer["type"] == "error" and answer["code"] == "not_found"
    await writer.close()
    await outsider.close()


async def test_edit_with_stale_version_conflicts_and_carries_current_note(
    server: ServerProcess, api: Api, workshop: dict[str, Any]
) -> None:
    room = workshop["rooms"][0]["id"]
    (anna,) = await peers(server, api, workshop, room, "Anna")
    ack = await anna.ok("note.add", {"text": "Eerste versie"})
    note = (await anna.wait_seq(room, ack["seq"]))[-1]["data"]["note"]
    await anna.ok("note.edit", {"id": note["id"], "text": "Tweede versie", "version": 1})
    stale = await anna.send("note.edit", {"id": note["id"], "text": "Botsing", "version": 1})
    assert stale["type"] == "error" and stale["code"] == "conflict"
    assert stale["note"]["text"] == "Tweede versie" and stale["note"]["version"] == 2
    last = await anna.ok("note.edit", {"id": note["id"], "x": 0.25, "y": 0.75})
    edited = (await anna.wait_seq(room, last["seq"]))[-1]["data"]["note"]
    assert (edited["x"], edited["y"], edited["version"]) == (0.25, 0.75, 3)
    await anna.close()


async def test_only_the_author_rewrites_or_deletes(
    server: ServerProcess, api: Api, workshop: dict[str, Any]
) -> None:
    room = workshop["rooms"][0]["id"]
    anna, bram = await peers(server, api, workshop, room, "Anna", "Bram")
    ack = await anna.ok("note.add", {"text": "Van Anna"})
    note = (await bram.wait_seq(room, ack["seq"]))[-1]["data"]["note"]
    for op, data in (
        ("note.edit", {"id": note["id"], "text": "Van Bram"}),
        ("note.delete", {"id": note["id"]}),
    ):
        answer = await bram.send(op, data)
        assert answer["type"] == "error" and answer["code"] == "forbidden", answer
    moved = await bram.ok("note.edit", {"id": note["id"], "x": 0.1})  # placing is shared
    deleted = await anna.ok("note.delete", {"id": note["id"]})
    events = await bram.wait_seq(room, deleted["seq"])
    assert [e["op"] for e in events][-2:] == ["note.edited", "note.deleted"]
    assert events[-1]["data"] == {"id": note["id"]} and moved["seq"] == deleted["seq"] - 1
    await anna.close()
    await bram.close()


async def test_resent_ref_is_applied_once(
    server: ServerProcess, api: Api, workshop: dict[str, Any]
) -> None:
    room = workshop["rooms"][0]["id"]
    member = await api.join(workshop["join_code"], "Anna", room=room)
    anna = await Peer.connect(server.ws_url, workshop["id"], member["token"], room)
    first = await anna.ok("note.add", {"text": "Eén keer"}, ref="same-ref")
    again = await anna.send("note.add", {"text": "Eén keer"}, ref="same-ref")
    assert again == first
    await anna.close()
    # A reconnecting client resends its unacknowledged command with the original ref.
    back = await Peer.connect(server.ws_url, workshop["id"], member["token"], room)
    assert await back.send("note.add", {"text": "Eén keer"}, ref="same-ref") == first
    board = await room_board(api, workshop, room)
    assert [n["text"] for n in board["notes"]] == ["Eén keer"]
    assert board["seq"] == first["seq"]
    await back.close()


async def test_a_resent_ref_gets_its_first_ack_even_where_applying_again_would_fail(
    server: ServerProcess, api: Api, workshop: dict[str, Any]
) -> None:
    room = workshop["rooms"][0]["id"]
    [anna] = await peers(server, api, workshop, room, "Anna")
    added = await anna.ok("note.add", {"text": "Weg ermee"})
    note_id = (await anna.wait_seq(room, added["seq"]))[-1]["data"]["note"]["id"]
    deleted = await anna.ok("note.delete", {"id": note_id}, ref="delete-once")
    # Applied again, this delete would find no note; the ref answers as it first did.
    assert await anna.send("note.delete", {"id": note_id}, ref="delete-once") == deleted
    refused = await anna.send("note.delete", {"id": note_id}, ref="delete-twice")
    assert refused["type"] == "error" and refused["code"] == "not_found", refused
    await anna.close()


async def test_one_ref_sent_on_two_sockets_at_once_is_applied_once(
    server: ServerProcess, api: Api, workshop: dict[str, Any]
) -> None:
    room = workshop["rooms"][0]["id"]
    member = await api.join(workshop["join_code"], "Anna", room=room)
    laptop = await Peer.connect(server.ws_url, workshop["id"], member["token"], room)
    phone = await Peer.connect(server.ws_url, workshop["id"], member["token"], room)
    for n in range(10):
        data, ref = {"text": f"Dubbel {n}"}, f"twice-{n}"
        answers = await asyncio.gather(
            laptop.send("note.add", data, ref=ref), phone.send("note.add", data, ref=ref)
        )
        assert answers[0]["type"] == "ack" and answers[0] == answers[1], answers
    board = await room_board(api, workshop, room)
    assert sorted(n["text"] for n in board["notes"]) == [f"Dubbel {n}" for n in range(10)]
    events = await laptop.wait_seq(room, board["seq"])
    seqs = [e["seq"] for e in events]
    assert seqs == list(range(seqs[0], board["seq"] + 1))  # the rolled-back twins left no gap
    await laptop.close()
    await phone.close()


async def test_six_writers_share_one_gapless_sequence(
    server: ServerProcess, api: Api, workshop: dict[str, Any]
) -> None:
    room = workshop["rooms"][0]["id"]
    writers = await peers(server, api, workshop, room, *[f"W{i}" for i in range(6)])

    async def write(peer: Peer, n: int) -> list[int]:
        return [(await peer.ok("note.add", {"text": f"{n}-{i}"}))["seq"] for i in range(10)]

    acked = await asyncio.gather(*(write(p, n) for n, p in enumerate(writers)))
    all_seqs = sorted(s for seqs in acked for s in seqs)
    assert len(set(all_seqs)) == 60
    last = all_seqs[-1]
    start = writers[0].welcome["seq"]
    for peer in writers:
        events = await peer.wait_seq(room, last)
        seqs = [e["seq"] for e in events]
        assert seqs == list(range(seqs[0], last + 1)), "gapless, ordered, each once"
        assert seqs[0] <= start + 1
    texts = [e["data"]["note"]["text"] for e in writers[0].events if e["seq"] > start]
    assert all(e["data"]["note"]["text"] in texts for e in writers[5].events if e["seq"] > start)
    for peer in writers:
        await peer.close()


async def test_resume_replays_exactly_the_missed_events(
    server: ServerProcess, api: Api, workshop: dict[str, Any]
) -> None:
    room = workshop["rooms"][0]["id"]
    member = await api.join(workshop["join_code"], "Resumer", room=room)
    (writer,) = await peers(server, api, workshop, room, "Writer")
    away = await Peer.connect(server.ws_url, workshop["id"], member["token"], room)
    ack = await writer.ok("note.add", {"text": "voor"})
    seen = (await away.wait_seq(room, ack["seq"]))[-1]["seq"]
    epoch = away.welcome["epoch"]
    await away.close()
    missed = [(await writer.ok("note.add", {"text": f"gemist {i}"}))["seq"] for i in range(3)]
    back = await Peer.connect(
        server.ws_url, workshop["id"], member["token"], room, since=seen, epoch=epoch
    )
    assert "snapshot" not in back.welcome and back.welcome["seq"] == missed[-1]
    replay = await back.wait_seq(room, missed[-1])
    assert [e["seq"] for e in replay] == missed
    assert [e["data"]["note"]["text"] for e in replay] == ["gemist 0", "gemist 1", "gemist 2"]
    live = await writer.ok("note.add", {"text": "daarna"})
    assert (await back.wait_seq(room, live["seq"]))[-1]["seq"] == live["seq"]
    await back.close()
    # Another epoch, or a `since` from the future, gets a snapshot instead.
    for since, other_epoch in ((seen, "0000"), (10_000, None)):
        fresh = await Peer.connect(
            server.ws_url, workshop["id"], member["token"], room, since=since, epoch=other_epoch
        )
        assert "snapshot" in fresh.welcome
        assert len(fresh.welcome["snapshot"]["notes"]) == 5
        await fresh.close()
    await writer.close()


async def test_bad_commands_are_refused_and_change_nothing(
    server: ServerProcess, api: Api, workshop: dict[str, Any]
) -> None:
    room = workshop["rooms"][0]["id"]
    (anna,) = await peers(server, api, workshop, room, "Anna")
    cases = [
        ("note.add", {"text": "ok", "mood": "happy"}, "invalid"),
        ("note.add", {"text": 42}, "invalid"),
        ("note.add", {"text": "   "}, "invalid"),
        ("note.add", {"text": "x" * 281}, "invalid"),
        ("note.add", {"text": "ok", "color": "plaid"}, "invalid"),
        ("note.add", {"text": "ok", "lane": "keep"}, "invalid"),
        ("note.add", {"text": "ok", "x": 3}, "invalid"),
        ("note.add", {"text": "nul\x00byte"}, "invalid"),
        ("note.edit", {"id": "n_nope", "text": "x"}, "not_found"),
        ("note.edit", {"id": "n_nope"}, "not_found"),
        ("note.delete", {}, "invalid"),
        ("note.explode", {}, "unknown_op"),
    ]
    for op, data, code in cases:
        answer = await anna.send(op, data)
        assert answer["type"] == "error" and answer["code"] == code, (op, data, answer)
        assert answer["message"]
    await anna.ws.send('{"type": "cmd", "op": "note.add", "data": {"text": "no ref"}}')
    await anna.ws.send('{"type": "cmd", "ref": "r", "op": "note.add", "data": []}')
    await anna.ws.send('{"type": "party"}')
    await anna.wait_for(lambda p: sum(f["type"] == "error" for f in p.frames) >= 15)
    board = await room_board(api, workshop, room)
    assert board["notes"] == [] and board["seq"] == anna.welcome["seq"]
    await anna.close()
