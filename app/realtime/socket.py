"""The `/ws/{wid}` endpoint: hello, access, welcome with resume, then commands in, events out.

Close codes (PROTOCOL.md): 4400 bad hello or frame, 4401 bad token, 4403 room not
allowed (or foreign Origin), 4408 no hello in time, 4409 moved, 4413 frame too large.
"""

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import MutableMapping
from typing import Any

from fastapi import WebSocket
from pydantic import ValidationError
from sqlmodel import Session
from starlette.websockets import WebSocketDisconnect

from app.config import Settings
from app.errors import PlenaryError
from app.group_commit import Outcome
from app.realtime.connection import RAW_SEND, Connection
from app.realtime.engine import Realtime
from app.realtime.envelope import Command, Hello, Outbound, dumps, error_frame
from app.realtime.gateway import Identity
from app.realtime.metrics import ACK_SECONDS, COMMANDS, CONNECTIONS
from app.realtime.origin import origin_allowed
from app.realtime.ratelimit import Strikes, TokenBucket
from app.realtime.tasks import spawn

log = logging.getLogger("plenary.realtime")

MAX_IN_FLIGHT = 64  # commands of one socket waiting for their commit


class CloseSocket(Exception):
    """Ends the session with a close code."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _frame_text(message: MutableMapping[str, Any], limit: int) -> str:
    raw = message.get("text")
    if raw is None:
        data = message.get("bytes") or b""
        if len(data) > limit:
            raise CloseSocket(4413, "frame too large")
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CloseSocket(4400, "frames are UTF-8 JSON") from exc
    if len(raw) > limit and len(raw.encode("utf-8")) > limit:
        raise CloseSocket(4413, "frame too large")
    return str(raw)


def _parse_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: nested past the parser's depth
        raise CloseSocket(4400, "a frame must be a JSON object") from exc
    if not isinstance(value, dict):
        raise CloseSocket(4400, "a frame must be a JSON object")
    return value


def _as_map(value: Any, streams: list[str], name: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise CloseSocket(4400, f"for room '*', {name} is a map by room id")
    return {k: v for k, v in value.items() if k in streams}


class SocketSession:
    """One accepted WebSocket from hello to close."""

    def __init__(self, ws: WebSocket, workshop_id: str, rt: Realtime, settings: Settings) -> None:
        self.ws = ws
        self.workshop_id = workshop_id
        self.rt = rt
        self.settings = settings
        self.connection: Connection | None = None
        self.bucket = TokenBucket(settings.rate_per_s, settings.rate_burst)
        self.strikes = Strikes(settings.rate_strikes)
        self.in_flight = 0  # commands sent on, not yet answered
        self.room_for_more = asyncio.Event()

    async def run(self) -> None:
        """Serve the socket until it closes."""
        settings = self.settings
        if not origin_allowed(self.ws.headers, settings.allowed_origins, settings.public_url):
            await self.ws.close(code=4403, reason="origin not allowed")
            return
        await self.ws.accept()
        CONNECTIONS.inc()
        try:
            hello = await self._receive_hello()
            identity, streams = await self._admit(hello)
            await self._serve(hello, identity, streams)
        except CloseSocket as stop:
            with contextlib.suppress(Exception):
                await self.ws.close(code=stop.code, reason=stop.reason)
        except WebSocketDisconnect:
            pass
        finally:
            CONNECTIONS.dec()
            await self._leave()

    async def _receive_hello(self) -> Hello:
        try:
            message = await asyncio.wait_for(self.ws.receive(), self.settings.hello_timeout_s)
        except TimeoutError as exc:
            raise CloseSocket(4408, "no hello in time") from exc
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        data = _parse_object(_frame_text(message, self.settings.max_frame_bytes))
        try:
            return Hello.model_validate(data)
        except ValidationError as exc:
            raise CloseSocket(4400, "the first frame must be a valid hello") from exc

    async def _admit(self, hello: Hello) -> tuple[Identity, list[str]]:
        gateway = self.rt.gateway

        def check(session: Session) -> tuple[Identity, list[str]]:
            try:
                identity = gateway.authenticate(session, self.workshop_id, hello.token)
            except PlenaryError as exc:
                raise CloseSocket(4401, "bad token") from exc
            try:
                return identity, gateway.streams_for(session, identity, hello.room)
            except PlenaryError as exc:
                raise CloseSocket(4403, exc.message) from exc

        return await self.rt.db.read(check)

    async def _serve(self, hello: Hello, identity: Identity, streams: list[str]) -> None:
        pid = identity.participant_id
        if pid and len(self.rt.hub.by_participant.get(pid, ())) >= (
            self.settings.max_sockets_per_participant
        ):
            raise CloseSocket(4429, "too many connections for this participant")
        if not pid and len(self.rt.hub.by_viewer.get(identity.actor_key, ())) >= (
            self.settings.max_viewer_sockets
        ):
            # A "*" welcome carries every room: without a cap, many at once starve the rest.
            raise CloseSocket(4429, "too many connections for this token")
        many = hello.room == "*"
        coalesce = self.settings.coalesce_ms / 1000 if many or hello.room == "synthesis" else 0.0
        connection = Connection(
            identity,
            self.ws.scope.get(RAW_SEND) or self.ws.send,
            self._close,
            max_queue=self.settings.send_queue_frames,
            coalesce_s=coalesce,
        )
        self.connection = connection
        connection.start()
        await self.rt.hub.attach(connection, streams)
        welcome, missed, seqs = await self._welcome(hello, identity, streams, many)
        connection.send(dumps(welcome))
        for out in missed:
            connection.send(
                out.frame_for(
                    privileged=identity.privileged, participant_id=identity.participant_id
                ),
                is_event=True,
            )
        connection.go_live(seqs)
        for stream in streams:
            if identity.role == "participant":
                self.rt.hub.announce_presence(stream)
            else:
                connection.send(await self.rt.hub.presence_frame(stream))
        await self._read_loop(identity, streams, many)

    async def _welcome(
        self, hello: Hello, identity: Identity, streams: list[str], many: bool
    ) -> tuple[dict[str, Any], list[Outbound], dict[str, int]]:
        if many:
            since_map = _as_map(hello.since, streams, "since")
            epoch_map = _as_map(hello.epoch, streams, "epoch")
        elif isinstance(hello.since, dict) or isinstance(hello.epoch, dict):
            raise CloseSocket(4400, "since and epoch are maps only for room '*'")

        def read(session: Session) -> tuple[dict[str, Any], list[Outbound], dict[str, int]]:
            seqs: dict[str, int] = {}
            epochs: dict[str, str] = {}
            snapshots: dict[str, Any] = {}
            missed: list[Outbound] = []
            for stream in streams:
                since = since_map.get(stream) if many else hello.since
                epoch = epoch_map.get(stream) if many else hello.epoch
                seq, epoch_now, snapshot, events = self.rt.welcome_part(
                    session,
                    identity,
                    stream,
                    since if isinstance(since, int) else None,
                    epoch if isinstance(epoch, str) else None,
                )
                seqs[stream], epochs[stream] = seq, epoch_now
                missed.extend(events)
                if snapshot is not None:
                    snapshots[stream] = snapshot
            welcome: dict[str, Any] = {
                "type": "welcome",
                "role": identity.role,
                "participant_id": identity.participant_id,
                "name": identity.name,
                "room": hello.room,
            }
            if many:
                welcome.update(epoch=epochs, seq=seqs, snapshot=snapshots)
            else:
                only = streams[0]
                welcome.update(epoch=epochs[only], seq=seqs[only])
                if only in snapshots:
                    welcome["snapshot"] = snapshots[only]
            return welcome, missed, seqs

        return await self.rt.db.read(read)

    async def _read_loop(self, identity: Identity, streams: list[str], many: bool) -> None:
        connection = self.connection
        assert connection is not None
        while True:
            message = await self.ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            data = _parse_object(_frame_text(message, self.settings.max_frame_bytes))
            kind = data.get("type")
            if not self._within_rate(identity, kind == "cmd"):
                if kind == "cmd":
                    ref = data.get("ref") if isinstance(data.get("ref"), str) else None
                    connection.send(
                        error_frame(ref, "rate_limited", "Too many commands; slow down.")
                    )
                    COMMANDS.labels("rate_limited").inc()
                if self.strikes.record(refused=True):
                    raise CloseSocket(4429, "rate limited")
                continue
            self.strikes.record(refused=False)
            if kind == "ping":
                connection.send('{"type":"pong"}')
            elif kind == "pong":
                continue
            elif kind == "cmd":
                while self.in_flight >= MAX_IN_FLIGHT:  # each socket has a bounded pipeline
                    self.room_for_more.clear()
                    await self.room_for_more.wait()
                self._command(data, identity, streams, many)
            else:
                ref = data.get("ref") if isinstance(data.get("ref"), str) else None
                connection.send(error_frame(ref, "invalid", f"Unknown frame type {kind!r}."))

    def _command(
        self, data: dict[str, Any], identity: Identity, streams: list[str], many: bool
    ) -> None:
        connection = self.connection
        assert connection is not None
        raw_ref = data.get("ref")
        ref = raw_ref if isinstance(raw_ref, str) and 0 < len(raw_ref) <= 64 else None
        try:
            cmd = Command.model_validate(data)
        except ValidationError as exc:
            connection.send(error_frame(ref, "invalid", _first_problem(exc, "command")))
            COMMANDS.labels("invalid").inc()
            return
        stream = cmd.room if cmd.room is not None else (None if many else streams[0])
        if stream is None or stream not in streams:
            connection.send(error_frame(cmd.ref, "invalid", "Name a room this socket follows."))
            COMMANDS.labels("invalid").inc()
            return
        started = time.perf_counter()
        self.in_flight += 1
        command_ref, op = cmd.ref, cmd.op

        def reply(outcome: Outcome) -> None:
            self.in_flight -= 1
            self.room_for_more.set()
            ACK_SECONDS.observe(time.perf_counter() - started)
            COMMANDS.labels(self._answer(connection, command_ref, op, outcome)).inc()

        self.rt.submit_command(identity, stream, cmd.ref, cmd.op, cmd.data, reply)

    @staticmethod
    def _answer(connection: Connection, ref: str, op: str, outcome: Outcome) -> str:
        if outcome.error is None:
            connection.send(dumps(outcome.value.answer))
            return "ack"
        error = outcome.error
        if not isinstance(error, PlenaryError):
            log.error("command %s failed", op, exc_info=error)
            connection.send(error_frame(ref, "internal", "The server failed; try again."))
            return "internal"
        moved_to = error.extra.pop("moved_to", None)
        connection.send(error_frame(ref, error.code, error.message, **error.extra))
        # The database says this token lost its right here (revoked or moved through
        # another process whose notice never came): close as that notice would have.
        if moved_to is not None:
            connection.send(dumps({"type": "moved", "room": moved_to}))
            spawn(connection.flush_and_close(4409, "moved"))
        elif error.code == "unauthorized":
            spawn(connection.flush_and_close(4401, "revoked"))
        return error.code

    def _within_rate(self, identity: Identity, is_command: bool) -> bool:
        # One bucket per socket for every frame, and for commands one more per
        # participant, shared by its sockets, so opening tabs does not multiply it.
        now = time.monotonic()
        if not self.bucket.take(now):
            return False
        if is_command and identity.participant_id:
            return self.rt.hub.participant_bucket(identity.participant_id).take(now)
        return True

    async def _close(self, code: int, reason: str) -> None:
        await self.ws.close(code=code, reason=reason)

    async def _leave(self) -> None:
        connection = self.connection
        if connection is None:
            return
        await connection.stop()
        await self.rt.hub.detach(connection)
        if connection.identity.role == "participant":
            for stream in connection.streams:
                self.rt.hub.announce_presence(stream)


def _first_problem(exc: ValidationError, what: str) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ())) or what
    return f"Invalid {what}: {where}: {first.get('msg', 'invalid value')}."


async def websocket_endpoint(ws: WebSocket, workshop_id: str) -> None:
    """Serve one socket of a workshop."""
    app = ws.app
    await SocketSession(ws, workshop_id, app.state.realtime, app.state.settings).run()
