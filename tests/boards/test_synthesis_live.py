"""The synthesis through a real server: build, live edits to the projector, rebuild, exports."""

import asyncio
import csv
import io
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import websockets

from tests.support.client import Api, Peer
from tests.support.server import ServerProcess

ROOM_NOTES = [
    ["Thuiswerken blijft", "Vergrijzing van het personeel", "AI neemt routinetaken over"],
    ["Working from home stays", "Ageing workforce", "Kantoorhond"],
    [
        "Meer thuiswerkdagen",
        "Kunstmatige intelligentie doet het saaie werk",
        "<b>Vet</b> & *schuin*",
    ],
]


class Workshop:
    """A scenario workshop with notes in three rooms, rated."""

    def __init__(self, server: ServerProcess, api: Api, created: dict[str, Any]) -> None:
        self.server, self.api, self.w = server, api, created
        self.mod = created["moderator_token"]
        self.path = f"/api/workshops/{created['id']}"

    @classmethod
    async def filled(cls, server: ServerProcess, api: Api) -> "Workshop":
        w = cls(server, api, await api.create(method="scenario", rooms=3, language="nl"))
        await api.control(w.mod, f"{w.path}/phase", {"phase": "collect"})
        for room, texts in zip(w.w["rooms"], ROOM_NOTES, strict=True):
            member = await api.join(w.w["join_code"], f"In {room['name']}", room=room["id"])
            peer = await Peer.connect(server.ws_url, w.w["id"], member["token"], room["id"])
            for text in texts:
                await peer.ok("note.add", {"text": text})
            await peer.close()
        return w

    async def build(self) -> dict[str, Any]:
        response = await self.api.control(self.mod, f"{self.path}/synthesis", {})
        assert response.status_code == 200, response.text
        return dict(response.json())

    def item_with(self, synthesis: dict[str, Any], text: str) -> dict[str, Any]:
        return next(i for i in synthesis["items"] if any(n["text"] == text for n in i["notes"]))


async def test_empty_workshop_gives_an_empty_valid_board(api: Api) -> None:
    created = await api.create()
    response = await api.control(
        created["moderator_token"], f"/api/workshops/{created['id']}/synthesis", {}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["items"] == [] and body["seq"] == 1 and body["axes"] == {"x": None, "y": None}


async def test_build_merges_across_rooms_with_provenance(server: ServerProcess, api: Api) -> None:
    w = await Workshop.filled(server, api)
    synthesis = await w.build()
    note_count = sum(len(i["notes"]) for i in synthesis["items"])
    assert note_count == 9
    home = w.item_with(synthesis, "Thuiswerken blijft")
    assert {n["text"] for n in home["notes"]} == {
        "Thuiswerken blijft",
        "Working from home stays",
        "Meer thuiswerkdagen",
    }
    assert home["rooms"] == sorted(r["id"] for r in w.w["rooms"])
    assert all(set(n) == {"room", "note_id", "text"} for n in home["notes"])
    assert [i["score"] for i in synthesis["items"]] == sorted(
        (i["score"] for i in synthesis["items"]), reverse=True
    )
    assert synthesis["items"][0]["id"] == home["id"]  # raised in three rooms: ranked first
    read = await api.get(w.w["projector_token"], f"{w.path}/synthesis")
    assert read.status_code == 200 and read.json()["items"] == synthesis["items"]


async def test_votes_are_pooled_into_the_item(server: ServerProcess, api: Api) -> None:
    w = await Workshop.filled(server, api)
    await api.control(w.mod, f"{w.path}/phase", {"phase": "rate"})
    for room in w.w["rooms"]:
        board = (await api.get(w.mod, f"{w.path}/rooms/{room['id']}/board")).json()
        mod = await Peer.connect(server.ws_url, w.w["id"], w.mod, room["id"])
        for note in board["notes"]:
            if "thuis" in note["text"].lower() or "home" in note["text"].lower():
                await mod.ok("vote.cast", {"target": note["id"], "impact": 4, "uncertainty": 2})
        await mod.close()
    home = w.item_with(await w.build(), "Thuiswerken blijft")
    assert home["impact"] == {"mean": 4.0, "n": 3, "sd": 0.0}
    assert home["uncertainty"]["mean"] == 2.0


async def test_a_rename_never_moves_an_item(server: ServerProcess, api: Api) -> None:
    """Eleventh trial: ties fell to the alphabet, so renaming #2 on the wall made it #1."""
    w = await Workshop.filled(server, api)
    order = [item["id"] for item in (await w.build())["items"]]
    mod = await Peer.connect(server.ws_url, w.w["id"], w.mod, "synthesis")
    for item_id, title in zip(order, ("Zzz als eerste", "Aaa als tweede", "Mmm"), strict=False):
        await mod.ok("item.rename", {"id": item_id, "title": title})
        await mod.ok("item.rename", {"id": order[-1], "title": f"Aaa {title}"})
    await mod.close()
    synthesis = (await api.get(w.mod, f"{w.path}/synthesis")).json()
    assert [item["id"] for item in synthesis["items"]] == order


async def test_live_edits_reach_the_projector_and_rebuild_keeps_them(
    server: ServerProcess, api: Api
) -> None:
    w = await Workshop.filled(server, api)
    synthesis = await w.build()
    projector = await Peer.connect(server.ws_url, w.w["id"], w.w["projector_token"], "synthesis")
    assert projector.welcome["room"] == "synthesis"
    assert projector.welcome["snapshot"]["items"] == synthesis["items"]
    mod = await Peer.connect(server.ws_url, w.w["id"], w.mod, "synthesis")
    home = w.item_with(synthesis, "Thuiswerken blijft")
    ageing = w.item_with(synthesis, "Ageing workforce")
    dog = w.item_with(synthesis, "Kantoorhond")
    markup = w.item_with(synthesis, "<b>Vet</b> & *schuin*")

    ack = await mod.ok("item.rename", {"id": home["id"], "title": "Hybride werken blijft"})
    seen = (await projector.wait_seq("synthesis", ack["seq"]))[-1]
    assert seen["op"] == "item.renamed" and seen["data"]["item"]["title"] == "Hybride werken blijft"
    assert seen["room"] == "synthesis"
    ack = await mod.ok("item.merge", {"ids": [markup["id"], dog["id"]]})
    merged = (await projector.wait_seq("synthesis", ack["seq"]))[-1]["data"]
    assert merged["merged"] == [dog["id"]] and len(merged["item"]["notes"]) == 2
    # The survivor keeps its title, though the shorter "Kantoorhond" would be picked anew.
    assert merged["item"]["title"] == markup["title"]
    dog_note = next(n for n in dog["notes"])
    ack = await mod.ok("item.split", {"id": markup["id"], "note_ids": [dog_note["note_id"]]})
    split = (await projector.wait_seq("synthesis", ack["seq"]))[-1]["data"]
    assert [n["note_id"] for n in split["new_item"]["notes"]] == [dog_note["note_id"]]
    ack = await mod.ok("item.move_note", {"note_id": dog_note["note_id"], "to": ageing["id"]})
    moved = (await projector.wait_seq("synthesis", ack["seq"]))[-1]["data"]
    assert moved["deleted"] == [split["new_item"]["id"]] and moved["from"] is None
    assert dog_note["note_id"] in [n["note_id"] for n in moved["to"]["notes"]]

    # A late note, then a rebuild: the edits stay, the new note is placed.
    room = w.w["rooms"][1]["id"]
    late = await Peer.connect(server.ws_url, w.w["id"], w.mod, room)
    await late.ok("note.add", {"text": "Thuiswerken is normaal"})
    await late.close()
    rebuilt = await w.build()
    again = next(i for i in rebuilt["items"] if i["id"] == home["id"])
    assert again["title"] == "Hybride werken blijft" and again["edited"] is True
    assert "Thuiswerken is normaal" in {n["text"] for n in again["notes"]}
    kept = next(i for i in rebuilt["items"] if i["id"] == ageing["id"])
    assert dog_note["note_id"] in [n["note_id"] for n in kept["notes"]]
    assert sum(len(i["notes"]) for i in rebuilt["items"]) == 10
    event = await projector.wait_for(
        lambda p: p.events[-1]["op"] == "synthesis.rebuilt" and p.events[-1]
    )
    assert event["data"]["synthesis"]["items"] == rebuilt["items"]
    await mod.close()
    await projector.close()


async def test_bad_synthesis_edits_change_nothing(server: ServerProcess, api: Api) -> None:
    w = await Workshop.filled(server, api)
    synthesis = await w.build()
    mod = await Peer.connect(server.ws_url, w.w["id"], w.mod, "synthesis")
    home = w.item_with(synthesis, "Thuiswerken blijft")
    dog = w.item_with(synthesis, "Kantoorhond")
    cases = [
        ("item.merge", {"ids": [home["id"], "i_ghost"]}, "not_found"),
        ("item.merge", {"ids": [home["id"]]}, "invalid"),
        ("item.split", {"id": home["id"], "note_ids": [dog["notes"][0]["note_id"]]}, "invalid"),
        (
            "item.split",
            {"id": home["id"], "note_ids": [n["note_id"] for n in home["notes"]]},
            "invalid",
        ),
        ("item.move_note", {"note_id": "n_ghost", "to": home["id"]}, "not_found"),
        ("item.rename", {"id": home["id"], "title": ""}, "invalid"),
        ("item.rename", {"id": home["id"]}, "invalid"),
    ]
    for op, data, code in cases:
        answer = await mod.send(op, data)
        assert answer["type"] == "error" and answer["code"] == code, (op, answer)
    projector = await Peer.connect(server.ws_url, w.w["id"], w.w["projector_token"], "synthesis")
    answer = await projector.send("item.rename", {"id": home["id"], "title": "x"})
    assert answer["code"] == "forbidden"
    member = await api.join(w.w["join_code"], "Nieuwsgierig")
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await Peer.connect(server.ws_url, w.w["id"], member["token"], "synthesis")
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
    assert (await api.control(member["token"], f"{w.path}/synthesis", {})).status_code == 403
    after = (await api.get(w.mod, f"{w.path}/synthesis")).json()
    assert after["seq"] == synthesis["seq"] and after["items"] == synthesis["items"]
    await mod.close()
    await projector.close()


async def test_exports_carry_the_edited_titles(server: ServerProcess, api: Api) -> None:
    w = await Workshop.filled(server, api)
    synthesis = await w.build()
    mod = await Peer.connect(server.ws_url, w.w["id"], w.mod, "synthesis")
    home = w.item_with(synthesis, "Thuiswerken blijft")
    await mod.ok("item.rename", {"id": home["id"], "title": "Hybride & thuis <werken>"})
    await mod.close()

    markdown = (await api.get(w.w["projector_token"], f"{w.path}/export.md")).text
    assert "Hybride & thuis \\<werken\\>" in markdown  # a lone & stays as typed
    assert "**Vraag:** Hoe ziet mijn werk eruit?" in markdown
    assert "\\<b\\>Vet\\</b\\> & \\*schuin\\*" in markdown  # markup shown literally
    exported = (await api.get(w.mod, f"{w.path}/export.json")).json()
    assert exported["synthesis"]["items"][0]["title"] == "Hybride & thuis <werken>"
    assert exported["participants"] == 3 and len(exported["rooms"]) == 3
    assert "author" not in exported["rooms"][0]["notes"][0]
    response = await api.get(w.mod, f"{w.path}/export.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 9
    assert {r["item"] for r in rows if r["text"] == "Working from home stays"} == {
        "Hybride & thuis <werken>"
    }
    svg = await api.get(w.mod, f"{w.path}/matrix.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    ET.fromstring(svg.text)  # well-formed
    member = await api.join(w.w["join_code"], "Lezer")
    for suffix in ("export.md", "export.json", "export.csv", "matrix.svg"):
        assert (await api.get(member["token"], f"{w.path}/{suffix}")).status_code == 403


async def test_build_and_reveal_accept_an_absent_body(server: ServerProcess, api: Api) -> None:
    created = await api.create()
    auth = {"Authorization": f"Bearer {created['moderator_token']}"}
    for path in ("synthesis", "reveal"):
        response = await api.http.post(f"/api/workshops/{created['id']}/{path}", headers=auth)
        assert response.status_code == 200, response.text
        extra = await api.http.post(
            f"/api/workshops/{created['id']}/{path}", headers=auth, json={"surprise": 1}
        )
        assert extra.status_code == 422


async def test_a_note_moved_into_an_item_keeps_the_items_title(
    server: ServerProcess, api: Api
) -> None:
    """Seventh trial: accepting "move this note to «X»" renamed X after the moved note."""
    w = await api.create(method="free", rooms=2, language="en")
    base, mod = f"/api/workshops/{w['id']}", w["moderator_token"]
    await api.control(mod, f"{base}/phase", {"phase": "open"})
    texts = ["Quiet hours for deep work without any interruptions", "Kitchen renovation"]
    for room, text in zip(w["rooms"], texts, strict=True):
        peer = await Peer.connect(server.ws_url, w["id"], mod, room["id"])
        await peer.ok("note.add", {"text": text})
        await peer.close()
    board = (await api.control(mod, f"{base}/synthesis", {})).json()
    quiet, kitchen = (next(i for i in board["items"] if i["notes"][0]["text"] == t) for t in texts)
    console = await Peer.connect(server.ws_url, w["id"], mod, "synthesis")
    note = kitchen["notes"][0]["note_id"]
    ack = await console.ok("item.move_note", {"note_id": note, "to": quiet["id"]})
    moved = (await console.wait_seq("synthesis", ack["seq"]))[-1]["data"]
    # Two notes tie as the most central; the shorter would have become the title.
    assert moved["to"]["title"] == texts[0] and moved["deleted"] == [kitchen["id"]]
    rebuilt = (await api.control(mod, f"{base}/synthesis", {})).json()
    assert [i["title"] for i in rebuilt["items"]] == [texts[0]]
    await console.close()


def _workers_of(pid: int) -> list[int]:
    """The spawned worker processes of a server (Linux: children whose command line says so)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = next(line for line in status.splitlines() if line.startswith("PPid:"))
        if int(parent.split()[1]) == pid and b"multiprocessing" in cmdline:
            found.append(int(entry.name))
    return found


async def test_the_synthesis_worker_starts_when_the_workshop_gets_going(
    tmp_path: Path, artifacts: Path
) -> None:
    """Eighth trial: the first 'Synthese maken' waited 5-7 s for the worker process and
    its language data; now the first phase control starts it, long before the synthesis."""
    server = ServerProcess(f"sqlite:///{tmp_path}/warm.db", artifacts / "warm-server.log").start()
    try:
        api = Api(server.base_url)
        try:
            w = await api.create(rooms=1)
            assert server.proc is not None
            assert _workers_of(server.proc.pid) == []  # nothing started for an idle server
            base = f"/api/workshops/{w['id']}"
            await api.control(w["moderator_token"], f"{base}/phase", {"phase": "next"})
            deadline = time.monotonic() + 20
            while not _workers_of(server.proc.pid) and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            assert _workers_of(server.proc.pid), "no worker after the first phase control"
        finally:
            await api.http.aclose()
    finally:
        server.stop()
