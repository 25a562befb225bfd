"""The ceiling: a bare uvicorn + Starlette broadcast loop speaking just enough of the protocol.

    uvicorn bench.bare:app --port 8100 --ws-per-message-deflate false

hello -> welcome; cmd -> ack to the sender and one `note.added` event, encoded once,
sent to every socket of the room in a plain `await send_text` loop. No storage, no
ordering guarantees, no limits: what the transport alone costs.
"""

import json
from collections import defaultdict

from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

rooms: dict[str, set[WebSocket]] = defaultdict(set)
seqs: dict[str, int] = defaultdict(int)


async def endpoint(ws: WebSocket) -> None:
    """One client."""
    await ws.accept()
    hello = json.loads(await ws.receive_text())
    room = hello["room"]
    rooms[room].add(ws)
    await ws.send_text(
        json.dumps(
            {"type": "welcome", "room": room, "seq": seqs[room], "epoch": "bare", "snapshot": {}}
        )
    )
    try:
        while True:
            frame = json.loads(await ws.receive_text())
            if frame.get("type") != "cmd":
                continue
            seqs[room] += 1
            seq = seqs[room]
            await ws.send_text(json.dumps({"type": "ack", "ref": frame["ref"], "seq": seq}))
            event = json.dumps(
                {
                    "type": "event",
                    "room": room,
                    "seq": seq,
                    "op": "note.added",
                    "data": {"note": {"text": frame["data"]["text"]}},
                }
            )
            for peer in list(rooms[room]):
                try:
                    await peer.send_text(event)
                except Exception:
                    rooms[room].discard(peer)
    except WebSocketDisconnect:
        pass
    finally:
        rooms[room].discard(ws)


app = Starlette(routes=[WebSocketRoute("/ws/{workshop}", endpoint)])
