"""`/metrics` reports connections, commands, events and the latency histograms."""

import re
from typing import Any

from tests.support.client import Api, Peer
from tests.support.server import ServerProcess


def value(text: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} ([0-9.e+]+)$", text, re.MULTILINE)
    assert match, f"{name} missing"
    return float(match.group(1))


def value_or_zero(text: str, name: str) -> float:
    """A labelled counter appears only once it has counted something."""
    return value(text, name) if f"{name} " in text else 0.0


async def test_metrics_follow_what_happens(
    server: ServerProcess, api: Api, workshop: dict[str, Any]
) -> None:
    before = (await api.http.get("/metrics")).text
    room = workshop["rooms"][0]["id"]
    member = await api.join(workshop["join_code"], "Meter", room=room)
    peer = await Peer.connect(server.ws_url, workshop["id"], member["token"], room)
    for n in range(3):
        await peer.ok("note.add", {"text": f"gemeten {n}"})
    await peer.send("note.add", {"text": ""})
    response = await api.http.get("/metrics")
    after = response.text
    assert response.headers["content-type"].startswith("text/plain")
    assert value(after, "plenary_connections") >= 1
    acks = 'plenary_commands_total{result="ack"}'
    assert value(after, acks) >= value_or_zero(before, acks) + 3
    assert value(after, 'plenary_commands_total{result="invalid"}') >= 1
    assert value(after, "plenary_events_total") >= value(before, "plenary_events_total") + 3
    assert (
        value(after, "plenary_ack_seconds_count")
        >= value_or_zero(before, "plenary_ack_seconds_count") + 4
    )
    assert value(after, "plenary_fanout_seconds_count") >= 3
    assert "plenary_send_queue_frames " in after and "plenary_send_queue_frames_max " in after
    await peer.close()
