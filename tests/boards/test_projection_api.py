"""What the projection needs from the server: a link the console can open, and a chosen view."""

from tests.support.client import Api, Peer
from tests.support.server import ServerProcess


async def test_the_console_mints_a_working_projector_link(server: ServerProcess, api: Api) -> None:
    w = await api.create(rooms=1)
    base = f"/api/workshops/{w['id']}"
    link = await api.control(w["moderator_token"], f"{base}/projector-link", {})
    assert link.status_code == 201 and link.headers["cache-control"] == "no-store"
    token = link.json()["projector_token"]
    assert link.json()["path"] == f"/w/{w['id']}/plenary#token={token}"
    assert (await api.get(token, base)).status_code == 200  # it reads what a projector reads
    assert (await api.control(token, f"{base}/phase", {"phase": "open"})).status_code == 403
    assert (await api.get(w["projector_token"], base)).status_code == 200  # the first still works
    assert (await api.control(token, f"{base}/projector-link", {})).status_code == 403


async def test_the_moderator_picks_what_the_wall_shows(server: ServerProcess, api: Api) -> None:
    w = await api.create(rooms=1)
    wall = await Peer.connect(server.ws_url, w["id"], w["projector_token"], "synthesis")
    assert wall.welcome["snapshot"]["view"] == "auto"
    console = await Peer.connect(server.ws_url, w["id"], w["moderator_token"], "synthesis")
    ack = await console.ok("plenary.view", {"view": "scenarios"})
    event = (await wall.wait_seq("synthesis", ack["seq"]))[-1]
    assert event["op"] == "plenary.view" and event["data"] == {"view": "scenarios"}
    assert (await console.send("plenary.view", {"view": "nonsense"}))["code"] == "invalid"
    assert (await wall.send("plenary.view", {"view": "items"}))["code"] == "forbidden"
    again = await Peer.connect(server.ws_url, w["id"], w["projector_token"], "synthesis")
    assert again.welcome["snapshot"]["view"] == "scenarios"  # a reloaded wall shows the same
    for peer in (wall, console, again):
        await peer.close()
