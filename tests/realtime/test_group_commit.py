"""Group commit and batched frames, seen from the wire: exact acks, refusals alone, gapless runs."""

import asyncio
import json
from typing import Any

from tests.support.client import Api, Peer
from tests.support.server import ServerProcess


async def open_room(api: Api) -> tuple[dict[str, Any], str]:
    workshop = await api.create(rooms=1)
    await api.control(
        workshop["moderator_token"], f"/api/workshops/{workshop['id']}/phase", {"phase": "open"}
    )
    return workshop, workshop["rooms"][0]["id"]


async def writer_and_listener(
    server: ServerProcess, api: Api
) -> tuple[dict[str, Any], str, Peer, Peer, dict[str, Any]]:
    """An open room with a writer and a listener connected (and the listener's membership)."""
    workshop, room = await open_room(api)
    writer_member = await api.join(workshop["join_code"], "Writer")
    listener_member = await api.join(workshop["join_code"], "Listener")
    writer = await Peer.connect(server.ws_url, workshop["id"], writer_member["token"], room)
    listener = await Peer.connect(server.ws_url, workshop["id"], listener_member["token"], room)
    return workshop, room, writer, listener, listener_member


def burst(round_: int) -> list[tuple[str, str, dict[str, Any], str | None]]:
    """30 notes with 6 refused commands among them: (ref, op, data, expected error code)."""
    commands: list[tuple[str, str, dict[str, Any], str | None]] = []
    for i in range(36):
        ref = f"r{round_}-{i}"
        if i % 6 == 3:
            commands.append((ref, "note.add", {"text": ""}, "invalid"))
        elif i % 6 == 5:
            commands.append((ref, "note.delete", {"id": "no-such-note"}, "not_found"))
        else:
            commands.append((ref, "note.add", {"text": f"round {round_} note {i}"}, None))
    return commands


async def send_all(peer: Peer, commands: list[tuple[str, str, dict[str, Any], str | None]]) -> Any:
    # Written back to back without waiting, so the server sees them together.
    futures = {}
    loop = asyncio.get_running_loop()
    for ref, _op, _data, _code in commands:
        futures[ref] = peer.answers[ref] = loop.create_future()
    await asyncio.gather(
        *(
            peer.ws.send(json.dumps({"type": "cmd", "ref": ref, "op": op, "data": data}))
            for ref, op, data, _code in commands
        )
    )
    return {ref: await asyncio.wait_for(f, 10) for ref, f in futures.items()}


async def test_a_burst_keeps_every_ack_seq_and_refusal_exact(
    server: ServerProcess, api: Api
) -> None:
    workshop, room, writer, listener, _ = await writer_and_listener(server, api)
    start = writer.welcome["seq"]
    answers: dict[str, Any] = {}
    expected: list[tuple[str, str, dict[str, Any], str | None]] = []
    for round_ in range(2):
        commands = burst(round_)
        expected += commands
        answers |= await send_all(writer, commands)
        if round_ == 0:
            await asyncio.sleep(3.7)  # the rate limit's bucket (40, 10 a second) refills
    # Each refused command is refused alone, with its own code; its neighbours stand.
    for ref, _op, _data, code in expected:
        if code is None:
            assert answers[ref]["type"] == "ack", answers[ref]
        else:
            assert answers[ref]["type"] == "error" and answers[ref]["code"] == code, answers[ref]
    # Acks carry consecutive seqs in the order the commands were sent: order kept, no gaps.
    acked = [answers[ref]["seq"] for ref, _op, _data, code in expected if code is None]
    assert acked == list(range(start + 1, start + 1 + len(acked)))
    # The listener sees exactly those events, in order, some of them in `events` frames.
    events = await listener.wait_seq(room, acked[-1])
    texts = [e["data"]["note"]["text"] for e in events if e["seq"] > start]
    assert texts == [d["text"] for _r, _op, d, code in expected if code is None]
    assert [e["seq"] for e in events if e["seq"] > start] == acked
    assert any(frame["type"] == "events" for frame in listener.frames)
    # A resent ref is answered with its first seq and applies nothing again.
    first_ref = expected[0][0]
    again = await writer.send("note.add", {"text": "round 0 note 0"}, ref=first_ref)
    assert again["type"] == "ack" and again["seq"] == answers[first_ref]["seq"]
    board = (
        await api.get(
            workshop["moderator_token"], f"/api/workshops/{workshop['id']}/rooms/{room}/board"
        )
    ).json()
    assert board["seq"] == acked[-1] and len(board["notes"]) == len(acked)
    await writer.close()
    await listener.close()


async def test_resume_from_the_middle_of_an_events_frame_is_gapless(
    server: ServerProcess, api: Api
) -> None:
    workshop, room, writer, listener, listener_member = await writer_and_listener(server, api)
    commands = [(f"n{i}", "note.add", {"text": f"note {i}"}, None) for i in range(30)]
    answers = await send_all(writer, commands)
    last = max(a["seq"] for a in answers.values())
    await listener.wait_seq(room, last)
    run = next(f["events"] for f in listener.frames if f["type"] == "events")
    assert len(run) >= 2
    middle = run[len(run) // 2 - 1]["seq"]  # the listener "lost" the frame after this event
    await listener.close()
    resumed = await Peer.connect(
        server.ws_url,
        workshop["id"],
        listener_member["token"],
        room,
        since=middle,
        epoch=listener.welcome["epoch"],
    )
    events = await resumed.wait_seq(room, last)
    assert [e["seq"] for e in events] == list(range(middle + 1, last + 1))
    assert "snapshot" not in resumed.welcome  # a replay, not a fresh board
    await writer.close()
    await resumed.close()
