"""Frames on the wire: client frames parsed strictly, server frames encoded once."""

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def dumps(value: Any) -> str:
    """Compact JSON, UTF-8 kept as is."""
    return _dumps(value)


class Hello(BaseModel):
    """The client's first frame."""

    model_config = ConfigDict(extra="forbid", strict=True)
    type: Literal["hello"]
    token: StrictStr = Field(min_length=1, max_length=200)
    room: StrictStr = Field(min_length=1, max_length=64)
    since: int | dict[str, int | None] | None = None
    epoch: StrictStr | dict[str, str | None] | None = None


class Command(BaseModel):
    """A client command; `data` is validated by the op's own model."""

    model_config = ConfigDict(extra="forbid", strict=True)
    type: Literal["cmd"]
    ref: StrictStr = Field(min_length=1, max_length=64)
    op: StrictStr = Field(min_length=1, max_length=40)
    room: StrictStr | None = Field(default=None, max_length=64)
    data: dict[str, Any] = Field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event a service caused, before it has a seq.

    `redacted` is what everyone outside `visible_to` (and the moderator) sees
    instead of `data`: private notes and hidden tallies travel this way, so
    every peer still gets a gapless sequence.
    """

    room: str
    op: str
    data: dict[str, Any]
    redacted: dict[str, Any] | None = None
    visible_to: str | None = None
    anonymous: bool = False  # `by` is null (vote tallies)


@dataclass(slots=True)
class Outbound:
    """A committed event with its frames encoded once, shared by every socket."""

    room: str
    seq: int
    full: str
    redacted: str | None = None
    visible_to: str | None = None
    committed_at: float = field(default=0.0)  # wall clock, comparable across processes
    _wire: bytes | None = field(default=None, repr=False)

    def wire_full(self) -> bytes:
        """The full frame as WebSocket bytes, built on first use and shared by every socket."""
        wire = self._wire
        if wire is None:
            wire = self._wire = ws_text(self.full.encode())
        return wire

    def frame_for(self, *, privileged: bool, participant_id: str | None) -> str:
        """The frame this recipient may see."""
        if self.redacted is None or privileged:
            return self.full
        # visible_to None means "only the privileged": the projector has no participant
        # id, and None must not match it.
        if participant_id is not None and participant_id == self.visible_to:
            return self.full
        return self.redacted


def wire_room(stream: str) -> str:
    """A stream's name on the wire: `w_x/synthesis` (a workshop-scoped stream) is `synthesis`."""
    return stream.rsplit("/", 1)[-1]


def event_frame(room: str, seq: int, op: str, data_json: str, by: str | None, at: str) -> str:
    """One `event` frame, built around already-encoded data."""
    return (
        f'{{"type":"event","room":{dumps(wire_room(room))},"seq":{seq},"op":{dumps(op)},'
        f'"data":{data_json},"by":{dumps(by)},"at":{dumps(at)}}}'
    )


def ws_text(payload: bytes) -> bytes:
    """A server's WebSocket text frame: FIN, no mask, no extension (RFC 6455, 5.2)."""
    size = len(payload)
    if size < 126:
        return bytes((0x81, size)) + payload
    if size < 65536:
        return b"\x81\x7e" + size.to_bytes(2, "big") + payload
    return b"\x81\x7f" + size.to_bytes(8, "big") + payload


class RunFrames:
    """Consecutive events of one stream as one `events` frame, built once per kind of viewer."""

    __slots__ = ("_by_viewer", "_full", "_redacted", "run")

    def __init__(self, run: list["Outbound"]) -> None:
        self.run = run
        self._full: tuple[str, bytes] | None = None
        self._redacted: tuple[str, bytes] | None = None
        self._by_viewer: dict[str, tuple[str, bytes]] = {}

    def for_identity(self, identity: Any) -> tuple[str, bytes]:
        """The frame (text and WebSocket bytes) this identity may see."""
        run = self.run
        if identity.privileged or all(out.redacted is None for out in run):
            if self._full is None:
                self._full = self._build([out.full for out in run])
            return self._full
        pid = identity.participant_id
        if pid is not None and any(out.visible_to == pid for out in run):
            found = self._by_viewer.get(pid)
            if found is None:
                found = self._by_viewer[pid] = self._build(
                    [out.frame_for(privileged=False, participant_id=pid) for out in run]
                )
            return found
        if self._redacted is None:
            self._redacted = self._build(
                [out.frame_for(privileged=False, participant_id=None) for out in run]
            )
        return self._redacted

    @staticmethod
    def _build(frames: list[str]) -> tuple[str, bytes]:
        text = events_frame(frames)
        return text, ws_text(text.encode())


def events_frame(frames: list[str]) -> str:
    """Several event frames coalesced into one `events` frame, without re-encoding."""
    return '{"type":"events","events":[' + ",".join(frames) + "]}"


def error_frame(ref: str | None, code: str, message: str, **extra: Any) -> str:
    """The answer to a refused command (or a bad frame, with ref null)."""
    return dumps({"type": "error", "ref": ref, "code": code, "message": message, **extra})
