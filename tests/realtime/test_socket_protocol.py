"""The WebSocket contract through a real server: hello, welcome, close codes, ping, limits."""

import asyncio
import json
from typing import Any

import pytest
import websockets

from tests.support.client import Api, Peer, raw_socket
from tests.support.server import ServerProcess


async def close_code(ws: Any, timeout: float = 10) -> int:
    """Read until the server closes; return its close code."""
    with pytest.raises(websockets.ConnectionClosed):
        while True:
            await asyncio.wait_for(ws.recv(), timeout)
    return int(ws.close_code)


async def test_welcome_carries_epoch_seq_and_snapshot(
    server: ServerProcess, api: Api, workshop: dict[str, Any]
) -> None:
    member = await api.join(workshop["join_code"], "Anna")
    peer = await Peer.connect(server.ws_url, workshop["id"], member["token"], member["room_id"])
    welcome = peer.welcome
    assert welcome["role"] == "participant"
    assert welcome["participant_id"] == member["participant_id"]
    assert welcome["room"] == member["room_id"]
    assert isinstance(welcome["epoch"], str) and welcome["epoch"]
    assert welcome["seq"] == 1  # the phase change to `open`
    snapshot = welcome["snapshot"]
    for key in (
        "room",
        "phase",
        "locked",
        "timer_ends_at",
        "notes",
        "clusters",
        "tallies",
        "my_votes",
        "axes",
        "stories",
    ):
        assert key in snapshot
    assert snapshot["phase"] == "open"
    presence = await peer.wait_for(lambda p: [f for f in p.frames if f["type"] == "presence"])
    assert presence[-1]["online"] == [{"participant_id": member["participant_id"], "name": "Anna"}]
    await peer.close()


async def test_ping_is_answered_with_pong(
    server: ServerProcess, api: Api, workshop: dict[str, Any]
) -> None:
    member = await api.join(workshop["join_code"], "Bo")
    peer = await Peer.connect(server.ws_url, workshop["id"], member["token"], member["room_id"])
    await peer.ws.send(json.dumps({"type": "ping"}))
    await peer.wait_for(lambda p: any(f["type"] == "pong" for f in p.frames))
    await peer.close()


@pytest.mark.parametrize(
    "first_frame",
    [
        "not json",
        json.dumps(["hello"]),
        json.dumps({"type": "cmd", "ref": "x", "op": "note.add", "data": {}}),
        json.dumps({"type": "hello", "room": "r"}),
        json.dumps({"type": "hello", "token": 5, "room": "r"}),
        json.dumps({"type": "hello", "token": "t", "room": "r", "extra": 1}),
    ],
)
async def test_bad_hello_closes_4400(
    server: ServerProcess, api: Api, workshop: dict[str, Any], first_frame: str
) -> None:
    ws = await raw_socket(server.ws_url, workshop["id"])
    await ws.send(first_frame)
    assert await close_code(ws) == 4400


async def test_no_hello_in_time_closes_4408(
    server: ServerProcess, workshop: dict[str, Any]
) -> None:
    ws = await raw_socket(server.ws_url, workshop["id"])
    assert await close_code(ws, timeout=15) == 4408


async def test_bad_or_foreign_token_closes_4401(
    server: ServerProcess, api: Api, workshop: dict[str, Any]
) -> None:
    other = await api.create()
    for token in ("nonsense", other["moderator_token"]):
        ws = await raw_socket(server.ws_url, workshop["id"])
        await ws.send(
            json.dumps({"type": "hello", "token": token, "room": workshop["rooms"][0]["id"]})
        )
        assert await close_code(ws) == 4401


async def test_room_not_allowed_closes_4403(
    server: ServerProcess, api: Api, workshop: dict[str, Any]
) -> None:
    first, second = (r["id"] for r in workshop["rooms"])
    member = await api.join(workshop["join_code"], "Cas", room=first)
    other = await api.create()
    for room in (second, "*", other["rooms"][0]["id"], "no-such-room"):
        ws = await raw_socket(server.ws_url, workshop["id"])
        await ws.send(json.dumps({"type": "hello", "token": member["token"], "room": room}))
        assert await close_code(ws) == 4403, room


async def test_frame_over_64k_closes_4413(
    server: ServerProcess, api: Api, workshop: dict[str, Any]
) -> None:
    member = await api.join(workshop["join_code"], "Dee")
    peer = await Peer.connect(server.ws_url, workshop["id"], member["token"], member["room_id"])
    await peer.ws.send(
        json.dumps({"type": "cmd", "ref": "big", "op": "note.add", "data": {"text": "x" * 70_000}})
    )
    code, _ = await asyncio.wait_for(peer.closed, 10)
    assert code == 4413


async def test_non_json_frame_after_hello_closes_4400_and_spares_others(
    server: ServerProcess, api: Api, workshop: dict[str, Any]
) -> None:
    room = workshop["rooms"][0]["id"]
    a = await api.join(workshop["join_code"], "Eva", room=room)
    b = await api.join(workshop["join_code"], "Fay", room=room)
    rude = await Peer.connect(server.ws_url, workshop["id"], a["token"], room)
    calm = await Peer.connect(server.ws_url, workshop["id"], b["token"], room)
    await rude.ws.send("{not json")
    assert (await asyncio.wait_for(rude.closed, 10))[0] == 4400
    ack = await calm.ok("note.add", {"text": "Nog steeds hier"})
    await calm.wait_seq(room, ack["seq"])
    await calm.close()


async def test_foreign_origin_is_refused(
    server: ServerProcess, api: Api, workshop: dict[str, Any]
) -> None:
    member = await api.join(workshop["join_code"], "Gus")
    with pytest.raises(websockets.InvalidStatus) as refused:
        await Peer.connect(
            server.ws_url,
            workshop["id"],
            member["token"],
            member["room_id"],
            Origin="https://evil.example",
        )
    assert refused.value.response.status_code == 403
    same = await Peer.connect(
        server.ws_url, workshop["id"], member["token"], member["room_id"], Origin=server.base_url
    )
    await same.close()
