"""A protocol client for tests: HTTP helpers and a WebSocket peer that routes frames."""

import asyncio
import contextlib
import itertools
import json
from typing import Any

import httpx
import websockets


class Api:
    """HTTP calls against one server."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.AsyncClient(base_url=base_url, timeout=10)

    async def create(self, **body: Any) -> dict[str, Any]:
        """Create a workshop (defaults: free method, 2 rooms, English)."""
        payload = {
            "title": "Werk in 2030",
            "question": "Hoe ziet mijn werk eruit?",
            "method": "free",
            "rooms": 2,
            "language": "en",
            **body,
        }
        response = await self.http.post("/api/workshops", json=payload)
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def join(self, code: str, name: str, room: str | None = None) -> dict[str, Any]:
        """Join a workshop."""
        response = await self.http.post(
            "/api/join", json={"code": code, "name": name, "room": room}
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def control(self, token: str, path: str, body: dict[str, Any]) -> httpx.Response:
        """POST a moderator control."""
        return await self.http.post(path, json=body, headers={"Authorization": f"Bearer {token}"})

    async def get(self, token: str, path: str) -> httpx.Response:
        """GET with a token."""
        return await self.http.get(path, headers={"Authorization": f"Bearer {token}"})

    async def close(self) -> None:
        """Close the HTTP client."""
        await self.http.aclose()


class Peer:
    """A WebSocket client: sends commands, waits for answers by ref, keeps every event."""

    _refs = itertools.count(1)

    def __init__(self, ws: Any, welcome: dict[str, Any]) -> None:
        self.ws = ws
        self.welcome = welcome
        self.events: list[dict[str, Any]] = []
        self.frames: list[dict[str, Any]] = []
        self.answers: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.changed = asyncio.Event()
        self.closed: asyncio.Future[tuple[int, str]] = asyncio.get_running_loop().create_future()
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def connect(
        cls,
        ws_url: str,
        workshop_id: str,
        token: str,
        room: str,
        since: Any = None,
        epoch: Any = None,
        **headers: str,
    ) -> "Peer":
        """Open, say hello, and wait for the welcome."""
        ws = await websockets.connect(
            f"{ws_url}/ws/{workshop_id}", additional_headers=headers or None
        )
        hello: dict[str, Any] = {"type": "hello", "token": token, "room": room, "since": since}
        if epoch is not None:
            hello["epoch"] = epoch
        await ws.send(json.dumps(hello))
        welcome = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert welcome["type"] == "welcome", welcome
        return cls(ws, welcome)

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                frame = json.loads(raw)
                self.frames.append(frame)
                if frame["type"] == "event":
                    self.events.append(frame)
                elif frame["type"] == "events":
                    self.events.extend(frame["events"])
                elif frame["type"] in ("ack", "error") and frame.get("ref") in self.answers:
                    future = self.answers[frame["ref"]]
                    if not future.done():
                        future.set_result(frame)
                self.changed.set()
        except websockets.ConnectionClosed:
            pass
        finally:
            close = self.ws.close_code or 1006, self.ws.close_reason or ""
            for future in self.answers.values():
                if not future.done():
                    future.set_exception(websockets.ConnectionClosedError(None, None))
            if not self.closed.done():
                self.closed.set_result(close)
            self.changed.set()

    async def send(
        self, op: str, data: dict[str, Any], ref: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        """Send a command and return its ack or error."""
        ref = ref or f"t-{next(self._refs)}"
        future = asyncio.get_running_loop().create_future()
        self.answers[ref] = future
        await self.ws.send(json.dumps({"type": "cmd", "ref": ref, "op": op, "data": data, **extra}))
        answer = await asyncio.wait_for(future, 10)
        del self.answers[ref]
        return answer

    async def ok(self, op: str, data: dict[str, Any], **kw: Any) -> dict[str, Any]:
        """Send a command that must be acked."""
        answer = await self.send(op, data, **kw)
        assert answer["type"] == "ack", answer
        return answer

    async def wait_for(self, predicate: Any, timeout: float = 10) -> Any:
        """Wait until `predicate(self)` is truthy and return it."""

        async def loop() -> Any:
            while True:
                result = predicate(self)
                if result:
                    return result
                self.changed.clear()
                await self.changed.wait()

        return await asyncio.wait_for(loop(), timeout)

    async def wait_seq(self, room: str, seq: int, timeout: float = 10) -> list[dict[str, Any]]:
        """Wait for events of `room` up to `seq`; return that room's events."""

        def reached(peer: "Peer") -> list[dict[str, Any]] | None:
            mine = [e for e in peer.events if e["room"] == room]
            return mine if mine and mine[-1]["seq"] >= seq else None

        return list(await self.wait_for(reached, timeout))

    def ops(self, room: str | None = None) -> list[str]:
        """The ops received so far (of one room)."""
        return [e["op"] for e in self.events if room is None or e["room"] == room]

    async def close(self) -> None:
        """Close the socket."""
        with contextlib.suppress(Exception):
            await self.ws.close()
        self._reader.cancel()
        with contextlib.suppress(BaseException):
            await self._reader


async def raw_socket(ws_url: str, workshop_id: str, **headers: str) -> Any:
    """A bare WebSocket, for tests of hello and close codes."""
    return await websockets.connect(
        f"{ws_url}/ws/{workshop_id}", additional_headers=headers or None
    )
