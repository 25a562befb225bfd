"""A server exposed to the public (issue 13, low and medium findings), through real servers."""

import asyncio
import contextlib
import json
import socket
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import httpx
import websockets

from tests.support.client import Api, Peer
from tests.support.server import ServerProcess


def started(url: str, artifacts: Path, name: str, **env: str) -> ServerProcess:
    return ServerProcess(url, artifacts / f"{name}.log", **env).start()


BODY = {"title": "t", "question": "q", "method": "free", "rooms": 1}


async def test_creating_and_joining_are_rate_limited_per_address(
    database_url: str, artifacts: Path
) -> None:
    server = started(
        database_url, artifacts, "rates", PLENARY_CREATE_RATE="3", PLENARY_JOIN_RATE="5"
    )
    try:
        async with httpx.AsyncClient(base_url=server.base_url) as http:
            made = [await http.post("/api/workshops", json=BODY) for _ in range(5)]
            assert [r.status_code for r in made] == [201, 201, 201, 429, 429]
            refused = made[-1].json()["error"]
            assert refused["code"] == "rate_limited" and "3" in refused["message"]
            assert made[-1].headers["retry-after"]
            code = made[0].json()["join_code"]
            joins = [
                await http.post("/api/join", json={"code": code, "name": f"p{n}", "room": None})
                for n in range(7)
            ]
            assert [r.status_code for r in joins] == [201] * 5 + [429] * 2
            overview = await http.get(
                f"/api/workshops/{made[0].json()['id']}",
                headers={"Authorization": f"Bearer {made[0].json()['moderator_token']}"},
            )
            assert sum(len(r["participants"]) for r in overview.json()["rooms"]) == 5
    finally:
        server.stop()


async def test_presence_goes_out_coalesced_when_many_arrive(
    server: ServerProcess, api: Api
) -> None:
    created = await api.create(rooms=1)
    room = created["rooms"][0]["id"]
    first = await api.join(created["join_code"], "Eerste")
    early = await Peer.connect(server.ws_url, created["id"], first["token"], room)
    members = [await api.join(created["join_code"], f"P{n:02}") for n in range(60)]
    peers = await asyncio.gather(
        *(Peer.connect(server.ws_url, created["id"], m["token"], room) for m in members)
    )

    def lists(peer: Peer) -> list[list[dict[str, str]]]:
        return [f["online"] for f in peer.frames if f["type"] == "presence"]

    await early.wait_for(lambda p: lists(p) and len(lists(p)[-1]) == 61)
    # Before: one whole list per arrival, 61 lists of up to 61 names each.
    assert len(lists(early)) <= 15, len(lists(early))
    for peer in [early, *peers]:
        await peer.close()


async def test_moderator_and_projector_sockets_are_capped(
    database_url: str, artifacts: Path
) -> None:
    server = started(database_url, artifacts, "viewer-cap", PLENARY_MAX_VIEWER_SOCKETS="3")
    api = Api(server.base_url)
    try:
        created = await api.create(rooms=2)
        token = created["projector_token"]
        kept = [await Peer.connect(server.ws_url, created["id"], token, "*") for _ in range(3)]
        extra = await websockets.connect(f"{server.ws_url}/ws/{created['id']}")
        await extra.send(json.dumps({"type": "hello", "token": token, "room": "*"}))
        with contextlib.suppress(websockets.ConnectionClosed):
            await asyncio.wait_for(extra.recv(), 10)
        assert extra.close_code == 4429
        moderator = await Peer.connect(
            server.ws_url, created["id"], created["moderator_token"], "*"
        )
        assert not moderator.closed.done()  # another token has its own budget
        for peer in [*kept, moderator]:
            await peer.close()
    finally:
        await api.close()
        server.stop()


async def test_requests_whose_headers_never_finish_are_closed(
    database_url: str, artifacts: Path
) -> None:
    server = started(database_url, artifacts, "slowloris", PLENARY_HEADER_TIMEOUT="1")
    try:
        held = []
        for _ in range(30):
            sock = socket.create_connection(("127.0.0.1", server.port))
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            held.append(sock)
        silent = socket.create_connection(("127.0.0.1", server.port))  # sends nothing at all
        held.append(silent)
        await asyncio.sleep(2.5)
        closed = 0
        for sock in held:
            sock.settimeout(2)
            try:
                closed += sock.recv(1024) == b""
            except (ConnectionResetError, TimeoutError):
                closed += 0 if isinstance(sock.gettimeout(), float) else 1
            sock.close()
        assert closed == len(held)  # before: all 31 held indefinitely
        assert httpx.get(server.base_url + "/healthz").status_code == 200  # others still served
    finally:
        server.stop()


async def test_the_public_origin_decides_and_the_host_header_is_never_reflected(
    database_url: str, artifacts: Path
) -> None:
    public = "https://plenary.example.org"
    server = started(database_url, artifacts, "public", PLENARY_PUBLIC_URL=public)
    try:
        async with httpx.AsyncClient(base_url=server.base_url) as http:
            rebinding = {"Host": "evil.example", "Origin": "http://evil.example"}
            refused = await http.post("/api/workshops", json=BODY, headers=rebinding)
            assert refused.status_code == 403  # before: Host == Origin passed
            ours = await http.post("/api/workshops", json=BODY, headers={"Origin": public})
            assert ours.status_code == 201
            code = ours.json()["join_code"]
            page = await http.get(f"/join/{code}", headers={"Host": "evil.example"})
            assert "evil.example" not in page.text and "/static/js/join.js" in page.text
            qr = await http.get(f"/join/{code}/qr.svg", headers={"Host": "evil.example"})
            titles = [e.text for e in ET.fromstring(qr.text).iter() if e.tag.endswith("title")]
            assert titles == [f"{public}/join/{code}"]
        try:
            await websockets.connect(
                f"{server.ws_url}/ws/x", additional_headers={"Origin": "http://evil.example"}
            )
            raise AssertionError("a foreign origin was let in")
        except websockets.InvalidStatus as exc:
            assert exc.response.status_code == 403
    finally:
        server.stop()


async def test_a_chunked_body_over_the_limit_is_413(server: ServerProcess) -> None:
    def chunks() -> Any:
        for _ in range(20):
            yield b" " * 8192  # 160 KiB, without a Content-Length

    async with httpx.AsyncClient(base_url=server.base_url) as http:

        async def body() -> Any:
            for chunk in chunks():
                yield chunk

        response = await http.post(
            "/api/workshops", content=body(), headers={"content-type": "application/json"}
        )
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "too_large"

        async def small() -> Any:
            yield json.dumps(BODY).encode()

        fine = await http.post(
            "/api/workshops", content=small(), headers={"content-type": "application/json"}
        )
        assert fine.status_code == 201  # a chunked body within the limit still works


async def test_an_ack_names_the_room_of_its_seq(server: ServerProcess, api: Api) -> None:
    created = await api.create(rooms=2)
    first, second = (r["id"] for r in created["rooms"])
    mod = await Peer.connect(server.ws_url, created["id"], created["moderator_token"], "*")
    ack = await mod.ok("note.add", {"text": "een"}, ref="same", room=first)
    assert ack["room"] == first
    again = await mod.send("note.add", {"text": "twee"}, ref="same", room=second)
    # The ref was applied in the first room: its answer says so, and nothing else happened.
    assert again == ack
    board = (
        await api.get(
            created["moderator_token"], f"/api/workshops/{created['id']}/rooms/{second}/board"
        )
    ).json()
    assert board["notes"] == []
    await mod.close()


async def test_client_provoked_lines_are_json_warnings_and_rate_limited(
    database_url: str, artifacts: Path
) -> None:
    log = artifacts / "noise.log"
    log.unlink(missing_ok=True)
    server = ServerProcess(database_url, log).start()
    api = Api(server.base_url)
    try:
        created = await api.create(rooms=1)
        room = created["rooms"][0]["id"]
        for _ in range(30):
            ws = await websockets.connect(f"{server.ws_url}/ws/{created['id']}")
            hello = {"type": "hello", "token": created["moderator_token"], "room": room}
            await ws.send(json.dumps(hello))
            await ws.recv()
            await ws.send(b"\xff\xfe{}", text=True)  # a text frame that is not UTF-8
            with contextlib.suppress(websockets.ConnectionClosed, TimeoutError):
                await asyncio.wait_for(ws.recv(), 5)
        time.sleep(0.5)
    finally:
        await api.close()
        server.stop()
    lines = [line for line in log.read_text().splitlines() if line.startswith("{")]
    others = [line for line in log.read_text().splitlines() if line and not line.startswith("{")]
    assert others == ["Plenary is running at " + server.base_url + "/"]
    entries = [json.loads(line) for line in lines]
    utf8 = [e for e in entries if "UTF-8" in e["msg"]]
    assert 1 <= len(utf8) <= 20, len(utf8)  # before: 30 error tracebacks
    assert all(e["level"] == "warning" and "error" not in e for e in utf8)


async def test_api_answers_are_never_cached_and_the_docs_pages_are_off(
    server: ServerProcess, api: Api
) -> None:
    created = await api.http.post("/api/workshops", json=BODY)
    assert created.headers["cache-control"] == "no-store"
    joined = await api.http.post(
        "/api/join", json={"code": created.json()["join_code"], "name": "A", "room": None}
    )
    assert joined.headers["cache-control"] == "no-store"
    assert (await api.http.get("/static/css/app.css")).headers.get("cache-control") != "no-store"
    assert (await api.http.get("/docs")).status_code == 404
    assert (await api.http.get("/redoc")).status_code == 404
    assert (await api.http.get("/openapi.json")).status_code == 200  # the contract stays public
