"""Suggestions and room clusters in the synthesis, through a real server (issue 17)."""

import asyncio
import json
from typing import Any

from bench.synthesis_quality import SETS
from tests.support.client import Api, Peer
from tests.support.server import ServerProcess

CLIMATE = json.loads(next(p for p in SETS if p.stem == "climate").read_text(encoding="utf-8"))


async def filled(server: ServerProcess, api: Api) -> tuple[dict[str, Any], dict[str, str]]:
    """The climate workshop as its rooms wrote and clustered it; gold label by note text."""
    w = await api.create(method="scenario", rooms=8, language="nl")
    base = f"/api/workshops/{w['id']}"
    await api.control(w["moderator_token"], f"{base}/phase", {"phase": "collect"})
    rooms = {f"g{n + 1}": room["id"] for n, room in enumerate(w["rooms"])}
    peers: dict[str, Peer] = {}
    note_ids: dict[str, str] = {}
    for code, room in rooms.items():
        member = await api.join(w["join_code"], f"In {code}", room=room)
        peers[code] = await Peer.connect(server.ws_url, w["id"], member["token"], room)
    for note in CLIMATE["notes"]:
        peer = peers[note["room"]]
        ack = await peer.ok("note.add", {"text": note["text"]})
        events = await peer.wait_seq(rooms[note["room"]], ack["seq"])
        note_ids[note["id"]] = events[-1]["data"]["note"]["id"]
    await api.control(w["moderator_token"], f"{base}/phase", {"phase": "cluster"})
    for cluster in CLIMATE["clusters"]:
        members = [note_ids[n["id"]] for n in CLIMATE["notes"] if n["cluster"] == cluster["id"]]
        await peers[cluster["room"]].ok(
            "cluster.create", {"title": cluster["title"], "note_ids": members}
        )
    for peer in peers.values():
        await peer.close()
    return w, {n["text"]: n["label"] for n in CLIMATE["notes"]}


def item_of(board: dict[str, Any], note_id: str) -> dict[str, Any]:
    return next(i for i in board["items"] if any(n["note_id"] == note_id for n in i["notes"]))


async def test_suggestions_settle_with_one_tap_and_rebuilds_keep_the_answer(
    server: ServerProcess, api: Api
) -> None:
    w, _labels = await filled(server, api)
    base, mod = f"/api/workshops/{w['id']}", w["moderator_token"]
    board = (await api.control(mod, f"{base}/synthesis", {})).json()
    assert sum(len(i["notes"]) for i in board["items"]) == len(CLIMATE["notes"])
    # The rooms' cluster titles travel with the items they went into.
    titles = {c["title"] for i in board["items"] for c in i["clusters"]}
    assert titles >= {"Energie", "Water", "Overig"}
    offered = board["suggestions"]
    assert len(offered) >= 2 and all(s["kind"] in ("merge", "move") for s in offered)
    wall = (await api.get(w["projector_token"], f"{base}/synthesis")).json()
    assert "suggestions" not in wall  # the wall shows no moderator's questions
    console = await Peer.connect(server.ws_url, w["id"], mod, "synthesis")
    wall_peer = await Peer.connect(server.ws_url, w["id"], w["projector_token"], "synthesis")
    accepted, rejected = offered[0], offered[1]
    ack = await console.ok("suggestion.accept", {"id": accepted["id"]})
    events = await console.wait_seq("synthesis", ack["seq"])
    assert events[-1]["op"] == "suggestion.settled"
    assert events[-1]["data"] == {"id": accepted["id"], "accepted": True}
    assert events[-2]["op"] in ("item.merged", "item.note_moved")
    ack = await console.ok("suggestion.reject", {"id": rejected["id"]})
    events = await console.wait_seq("synthesis", ack["seq"])
    assert events[-1]["data"] == {"id": rejected["id"], "accepted": False}
    seen_by_wall = await wall_peer.wait_seq("synthesis", ack["seq"])
    settled = [e["data"] for e in seen_by_wall if e["op"] == "suggestion.settled"]
    assert settled == [{}, {}]  # the wall learns nothing of the moderator's questions
    again = await console.send("suggestion.accept", {"id": rejected["id"]})
    assert again["code"] == "not_found"  # settled: no longer open
    # A rebuild keeps the accepted edit and never offers the rejected suggestion again.
    rebuilt = (await api.control(mod, f"{base}/synthesis", {})).json()
    if accepted["kind"] == "merge":
        first, second = accepted["items"]
        kept = next(i for i in rebuilt["items"] if i["id"] == first)
        assert second not in {i["id"] for i in rebuilt["items"]}
        assert kept["edited"]
    else:
        assert item_of(rebuilt, accepted["note_id"])["id"] == accepted["items"][1]
    assert rejected["id"] not in {s["id"] for s in rebuilt["suggestions"]}
    bad = await console.send("suggestion.reject", {"id": "merge:nope:nada"})
    assert bad["code"] == "not_found"
    assert (await wall_peer.send("suggestion.accept", {"id": offered[2]["id"]}))["type"] == "error"
    for peer in (console, wall_peer):
        await peer.close()


async def test_the_subject_lexicon_can_be_switched_off_and_stays_off(
    server: ServerProcess, api: Api
) -> None:
    w = await api.create(rooms=2, language="nl")
    base, mod = f"/api/workshops/{w['id']}", w["moderator_token"]
    await api.control(mod, f"{base}/phase", {"phase": "open"})
    notes = [("Te veel meetings", 0), ("Te veel vergaderingen", 1)]
    for text, room in notes:
        member = await api.join(w["join_code"], "A", room=w["rooms"][room]["id"])
        peer = await Peer.connect(server.ws_url, w["id"], member["token"], w["rooms"][room]["id"])
        await peer.ok("note.add", {"text": text})
        await peer.close()
    with_lexicon = (await api.control(mod, f"{base}/synthesis", {})).json()
    assert len(with_lexicon["items"]) == 1  # the lexicon reads "meetings" as "vergaderingen"
    assert with_lexicon["lexicon"] is True
    without = (await api.control(mod, f"{base}/synthesis", {"lexicon": False})).json()
    assert len(without["items"]) == 2
    assert without["lexicon"] is False
    again = (await api.control(mod, f"{base}/synthesis", {})).json()
    assert len(again["items"]) == 2  # switched off, it stays off for rebuilds
    refused = await api.control(mod, f"{base}/synthesis", {"lexicon": "no"})
    assert refused.status_code == 422
    await asyncio.sleep(0)


async def test_suggestions_never_offer_to_undo_the_moderators_own_edits(
    server: ServerProcess, api: Api
) -> None:
    """Eighth trial: after a split, a move and an accepted merge, rebuilds asked to merge
    the split parts again, to move the moved note back, and kept the weaker title."""
    w, _labels = await filled(server, api)
    base, mod = f"/api/workshops/{w['id']}", w["moderator_token"]
    board = (await api.control(mod, f"{base}/synthesis", {})).json()
    console = await Peer.connect(server.ws_url, w["id"], mod, "synthesis")
    # Accepting a merge keeps the title of the item ranked higher (the list is by score).
    merge = next(s for s in board["suggestions"] if s["kind"] == "merge")
    rank = {i["id"]: n for n, i in enumerate(board["items"])}
    stronger = min(merge["items"], key=lambda i: rank[i])
    title = next(i["title"] for i in board["items"] if i["id"] == stronger)
    ack = await console.ok("suggestion.accept", {"id": merge["id"]})
    merged = next(
        e for e in await console.wait_seq("synthesis", ack["seq"]) if e["op"] == "item.merged"
    )
    assert merged["data"]["item"]["id"] == stronger and merged["data"]["item"]["title"] == title
    # A split, then a move by hand, in items of several notes.
    big = [i for i in board["items"] if len(i["notes"]) >= 3 and i["id"] not in merge["items"]]
    split_from, move_from = big[0], big[1]
    part = [split_from["notes"][0]["note_id"]]
    await console.ok("item.split", {"id": split_from["id"], "note_ids": part})
    moved = move_from["notes"][0]["note_id"]
    target = next(
        i
        for i in board["items"]
        if i["id"] not in {split_from["id"], move_from["id"], *merge["items"]}
    )
    await console.ok("item.move_note", {"note_id": moved, "to": target["id"]})
    await console.close()
    for _ in range(2):  # and again: the answer holds on every rebuild
        rebuilt = (await api.control(mod, f"{base}/synthesis", {})).json()
        alone = item_of(rebuilt, part[0])
        assert alone["id"] != item_of(rebuilt, split_from["notes"][1]["note_id"])["id"]
        assert item_of(rebuilt, moved)["id"] == target["id"]
        for s in rebuilt["suggestions"]:
            if s["kind"] == "merge":
                assert set(s["items"]) != {alone["id"], split_from["id"]}, s
                assert set(s["items"]) != {target["id"], move_from["id"]}, s
            else:
                placed = {*part, moved, *(n["note_id"] for n in merged["data"]["item"]["notes"])}
                assert s["note_id"] not in placed, s
