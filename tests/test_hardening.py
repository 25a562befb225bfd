"""Protections through real servers: rate limits, socket caps, kicks, deletion, retention, logs."""

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest
import websockets
from sqlalchemy import create_engine, text

from tests.support.client import Api, Peer, raw_socket
from tests.support.server import ServerProcess


async def started(database_url: str, artifacts: Path, name: str, **env: str) -> ServerProcess:
    return ServerProcess(database_url, artifacts / f"{name}.log", **env).start()


async def open_workshop(api: Api) -> tuple[dict[str, Any], str]:
    created = await api.create(rooms=2)
    await api.control(
        created["moderator_token"], f"/api/workshops/{created['id']}/phase", {"phase": "open"}
    )
    return created, created["rooms"][0]["id"]


async def test_a_flooder_is_limited_and_closed_while_others_carry_on(
    database_url: str, artifacts: Path
) -> None:
    server = await started(
        database_url,
        artifacts,
        "rate",
        PLENARY_RATE_PER_S="5",
        PLENARY_RATE_BURST="10",
        PLENARY_RATE_STRIKES="40",
    )
    api = Api(server.base_url)
    try:
        created, room = await open_workshop(api)
        flood_member = await api.join(created["join_code"], "Flood", room=room)
        calm_member = await api.join(created["join_code"], "Calm", room=room)
        flooder = await Peer.connect(server.ws_url, created["id"], flood_member["token"], room)
        calm = await Peer.connect(server.ws_url, created["id"], calm_member["token"], room)
        for n in range(30):
            flooder.answers[f"f{n}"] = asyncio.get_running_loop().create_future()
            await flooder.ws.send(
                json.dumps(
                    {"type": "cmd", "ref": f"f{n}", "op": "note.add", "data": {"text": f"spam {n}"}}
                )
            )
        answers = [await asyncio.wait_for(flooder.answers[f"f{n}"], 10) for n in range(30)]
        codes = [a.get("code", "ack") for a in answers]
        assert 8 <= codes.count("ack") <= 12 and codes.count("rate_limited") >= 18, codes
        assert all(a["message"] for a in answers if a["type"] == "error")
        started_at = time.perf_counter()
        for n in range(3):  # the calm participant in the same room is not slowed
            await calm.ok("note.add", {"text": f"rustig {n}"})
        assert time.perf_counter() - started_at < 5
        for n in range(60):  # persistent abuse closes the socket
            try:
                await flooder.ws.send(
                    json.dumps(
                        {"type": "cmd", "ref": f"g{n}", "op": "note.add", "data": {"text": "x"}}
                    )
                )
            except websockets.ConnectionClosed:
                break
        assert (await asyncio.wait_for(flooder.closed, 10))[0] == 4429
        board = (
            await api.get(
                created["moderator_token"], f"/api/workshops/{created['id']}/rooms/{room}/board"
            )
        ).json()
        assert len([n for n in board["notes"] if n["text"].startswith("spam")]) == codes.count(
            "ack"
        )
        await calm.close()
    finally:
        await api.close()
        server.stop()


async def test_sockets_per_participant_are_capped(database_url: str, artifacts: Path) -> None:
    server = await started(database_url, artifacts, "cap", PLENARY_MAX_SOCKETS="2")
    api = Api(server.base_url)
    try:
        created, room = await open_workshop(api)
        member = await api.join(created["join_code"], "Tabs", room=room)
        tabs = [
            await Peer.connect(server.ws_url, created["id"], member["token"], room)
            for _ in range(2)
        ]
        ws = await raw_socket(server.ws_url, created["id"])
        await ws.send(json.dumps({"type": "hello", "token": member["token"], "room": room}))
        with pytest.raises(websockets.ConnectionClosed):
            while True:
                await asyncio.wait_for(ws.recv(), 10)
        assert ws.close_code == 4429
        for tab in tabs:
            assert not tab.closed.done()
            await tab.close()
    finally:
        await api.close()
        server.stop()


async def test_a_kicked_participant_loses_socket_and_token(
    server: ServerProcess, api: Api, workshop: dict[str, Any]
) -> None:
    room = workshop["rooms"][0]["id"]
    member = await api.join(workshop["join_code"], "Ongewenst", room=room)
    peer = await Peer.connect(server.ws_url, workshop["id"], member["token"], room)
    path = f"/api/workshops/{workshop['id']}/participants/{member['participant_id']}/revoke"
    assert (await api.control(member["token"], path, {})).status_code == 403
    assert (await api.control(workshop["projector_token"], path, {})).status_code == 403
    response = await api.control(workshop["moderator_token"], path, {})
    assert response.status_code == 200
    assert (await asyncio.wait_for(peer.closed, 10))[0] == 4401
    board = f"/api/workshops/{workshop['id']}/rooms/{room}/board"
    assert (await api.get(member["token"], board)).status_code == 401
    ws = await raw_socket(server.ws_url, workshop["id"])
    await ws.send(json.dumps({"type": "hello", "token": member["token"], "room": room}))
    with pytest.raises(websockets.ConnectionClosed):
        await asyncio.wait_for(ws.recv(), 10)
    assert ws.close_code == 4401
    assert (await api.control(workshop["moderator_token"], path, {})).status_code == 404


def rows_of(database_url: str, workshop_id: str, room_ids: list[str]) -> int:
    """How many rows anywhere still belong to the workshop."""
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    rooms = ",".join(f"'{r}'" for r in room_ids)
    queries = [
        f"SELECT count(*) FROM workshop WHERE id = '{workshop_id}'",
        f"SELECT count(*) FROM room WHERE workshop_id = '{workshop_id}'",
        f"SELECT count(*) FROM participant WHERE workshop_id = '{workshop_id}'",
        f"SELECT count(*) FROM credential WHERE workshop_id = '{workshop_id}'",
        f"SELECT count(*) FROM note WHERE room_id IN ({rooms})",
        f"SELECT count(*) FROM event WHERE stream IN ({rooms})"
        f" OR stream = '{workshop_id}/synthesis'",
        f"SELECT count(*) FROM stream WHERE id IN ({rooms}) OR id = '{workshop_id}/synthesis'",
        f"SELECT count(*) FROM synthesis_item WHERE workshop_id = '{workshop_id}'",
    ]
    with engine.connect() as conn:
        total = sum(int(conn.execute(text(q)).scalar() or 0) for q in queries)
    engine.dispose()
    return total


async def test_deleting_a_workshop_removes_everything(database_url: str, artifacts: Path) -> None:
    server = await started(database_url, artifacts, "delete")
    api = Api(server.base_url)
    try:
        created, room = await open_workshop(api)
        member = await api.join(created["join_code"], "Privé Persoon", room=room)
        peer = await Peer.connect(server.ws_url, created["id"], member["token"], room)
        await peer.ok("note.add", {"text": "persoonlijk"})
        await api.control(
            created["moderator_token"], f"/api/workshops/{created['id']}/synthesis", {}
        )
        rooms = [r["id"] for r in created["rooms"]]
        assert rows_of(database_url, created["id"], rooms) > 10
        for token in (member["token"], created["projector_token"]):
            denied = await api.http.delete(
                f"/api/workshops/{created['id']}", headers={"Authorization": f"Bearer {token}"}
            )
            assert denied.status_code == 403
        response = await api.http.delete(
            f"/api/workshops/{created['id']}",
            headers={"Authorization": f"Bearer {created['moderator_token']}"},
        )
        assert response.status_code == 204
        assert (await asyncio.wait_for(peer.closed, 10))[0] == 4401
        assert rows_of(database_url, created["id"], rooms) == 0
        gone = await api.get(created["moderator_token"], f"/api/workshops/{created['id']}")
        assert gone.status_code == 401
        other, _ = await open_workshop(api)  # the server carries on
        assert rows_of(database_url, other["id"], [r["id"] for r in other["rooms"]]) > 0
    finally:
        await api.close()
        server.stop()


async def test_retention_removes_old_workshops(database_url: str, artifacts: Path) -> None:
    server = await started(
        database_url,
        artifacts,
        "retention",
        PLENARY_RETENTION_DAYS="0.00002",
        PLENARY_RETENTION_CHECK_S="0.3",
    )
    api = Api(server.base_url)
    try:
        created = await api.create()
        path = f"/api/workshops/{created['id']}"
        assert (await api.get(created["moderator_token"], path)).status_code == 200
        for _ in range(50):
            await asyncio.sleep(0.2)
            if (await api.get(created["moderator_token"], path)).status_code == 401:
                break
        assert (await api.get(created["moderator_token"], path)).status_code == 401
        assert rows_of(database_url, created["id"], [r["id"] for r in created["rooms"]]) == 0
    finally:
        await api.close()
        server.stop()


async def test_tokens_never_reach_logs_or_errors(database_url: str, artifacts: Path) -> None:
    log_path = artifacts / "tokens.log"
    log_path.unlink(missing_ok=True)
    server = ServerProcess(database_url, log_path).start()
    api = Api(server.base_url)
    try:
        created, room = await open_workshop(api)
        member = await api.join(created["join_code"], "Geheim", room=room)
        secrets_seen = [created["moderator_token"], created["projector_token"], member["token"]]
        peer = await Peer.connect(server.ws_url, created["id"], member["token"], room)
        await peer.ok("note.add", {"text": "hallo"})
        await peer.send("note.add", {"text": "x" * 300})
        await peer.close()
        other = await api.create()
        ws = await raw_socket(server.ws_url, other["id"])
        await ws.send(json.dumps({"type": "hello", "token": member["token"], "room": room}))
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 10)
        assert member["token"] not in (ws.close_reason or "")
        wrong = await api.get(member["token"], f"/api/workshops/{other['id']}")
        bad = await api.http.get(
            f"/api/workshops/{created['id']}", headers={"Authorization": "Bearer " + "Z" * 43}
        )
        for response in (wrong, bad):
            assert member["token"] not in response.text and "Z" * 43 not in response.text
        await api.get(created["moderator_token"], f"/api/workshops/{created['id']}/export.md")
        await asyncio.sleep(0.3)
    finally:
        await api.close()
        server.stop()
    logged = log_path.read_text()
    assert "GET /api/workshops" in logged  # the access log is there
    for secret in [*secrets_seen, "Z" * 43]:
        assert secret not in logged
    for line in logged.splitlines():
        if line.startswith("{"):
            json.loads(line)  # structured: every line of ours is a JSON object
