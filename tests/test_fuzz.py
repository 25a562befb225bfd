"""Hostile frames from hypothesis against a live server: nothing crashes, nothing half-applies."""

import asyncio
import contextlib
import json
from typing import Any

import websockets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.client import Api, Peer
from tests.support.server import ServerProcess

OPS = [
    "note.add",
    "note.edit",
    "note.delete",
    "cluster.create",
    "cluster.update",
    "cluster.delete",
    "vote.cast",
    "vote.clear",
    "axes.set",
    "story.edit",
    "item.merge",
    "hello",
    "",
    "x" * 50,
]
NASTY_TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "\ud800",
            "\u202e\u202d",
            "🏳️‍🌈" * 80,
            "<script>",
            "' OR 1=1 --",
            "x" * 281,
            " " * 10,
            "\n\n",
            "%s%n",
            "{{7*7}}",
        ]
    ),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    NASTY_TEXT,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
DATA = st.one_of(
    st.dictionaries(
        st.sampled_from(
            [
                "text",
                "id",
                "lane",
                "color",
                "x",
                "y",
                "cluster_id",
                "version",
                "title",
                "note_ids",
                "target",
                "impact",
                "uncertainty",
                "quadrant",
                "metaphor",
                "ids",
                "extra",
            ]
        ),
        VALUES,
        max_size=6,
    ),
    VALUES,
)
FRAMES = st.one_of(
    st.builds(
        lambda op, data, ref: {"type": "cmd", "ref": ref, "op": op, "data": data},
        st.sampled_from(OPS),
        DATA,
        st.one_of(st.text(min_size=1, max_size=70), VALUES),
    ),
    st.dictionaries(
        st.sampled_from(["type", "ref", "op", "data", "room", "token"]), VALUES, max_size=5
    ),
    VALUES,
)


def encode(frame: Any) -> str:
    try:
        return json.dumps(frame, allow_nan=True)
    except ValueError:
        return json.dumps(str(frame))


class Fuzzer:
    def __init__(
        self, server: ServerProcess, created: dict[str, Any], room: str, token: str
    ) -> None:
        self.server, self.created, self.room, self.token = server, created, room, token
        self.peer: Peer | None = None
        self.closes: dict[int, int] = {}

    async def send(self, frame: Any) -> None:
        if self.peer is None or self.peer.closed.done():
            if self.peer is not None:
                code = self.peer.closed.result()[0]
                self.closes[code] = self.closes.get(code, 0) + 1
            self.peer = await Peer.connect(
                self.server.ws_url, self.created["id"], self.token, self.room
            )
        with contextlib.suppress(websockets.ConnectionClosed):
            await self.peer.ws.send(encode(frame))


async def test_hostile_frames_never_crash_or_half_apply(server: ServerProcess, api: Api) -> None:
    created = await api.create(rooms=1, method="free")
    room = created["rooms"][0]["id"]
    await api.control(
        created["moderator_token"], f"/api/workshops/{created['id']}/phase", {"phase": "open"}
    )
    member = await api.join(created["join_code"], "Fuzzer", room=room)
    log_start = server.log_path.stat().st_size
    fuzzer = Fuzzer(server, created, room, member["token"])
    frames: list[Any] = []

    @settings(
        max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(FRAMES)
    def collect(frame: Any) -> None:
        frames.append(frame)

    collect()
    deep = "[" * 100_000 + "]" * 100_000
    frames += [json.loads('{"type":"cmd","ref":"big","op":"note.add","data":{"text":"a"}}')]
    for frame in frames:
        await fuzzer.send(frame)
    assert fuzzer.peer is not None
    await fuzzer.peer.ws.send(deep[:60_000])  # deeply nested, under the frame limit
    await asyncio.sleep(0.5)

    # The server still answers, and the board holds only whole, valid notes.
    assert (await api.http.get("/healthz")).status_code == 200
    calm = await Peer.connect(server.ws_url, created["id"], member["token"], room)
    await calm.ok("note.add", {"text": "nog steeds gezond"})
    board = (
        await api.get(
            created["moderator_token"], f"/api/workshops/{created['id']}/rooms/{room}/board"
        )
    ).json()
    for note in board["notes"]:
        assert isinstance(note["text"], str) and 0 < len(note["text"]) <= 280
        assert "\x00" not in note["text"] and note["text"] == note["text"].strip()
    for story in board["stories"]:
        assert len(story["text"]) <= 4000
    assert board["seq"] >= 1 + len(board["notes"])
    await calm.close()
    with server.log_path.open("rb") as log:
        log.seek(log_start)
        errors = [line for line in log.read().decode().splitlines() if '"level": "error"' in line]
    assert errors == [], errors[:3]
