"""Version 2 methods through a real server: the scenario cross, stories together, the path."""

import asyncio
from typing import Any

from tests.support.client import Api, Peer
from tests.support.server import ServerProcess


class Group:
    """A room of a workshop with three participants on their sockets."""

    def __init__(self, server: ServerProcess, api: Api, w: dict[str, Any]) -> None:
        self.server, self.api, self.w = server, api, w
        self.id = w["rooms"][0]["id"]
        self.path = f"/api/workshops/{w['id']}"
        self.peers: list[Peer] = []

    @classmethod
    async def open(cls, server: ServerProcess, api: Api, **body: Any) -> "Group":
        group = cls(server, api, await api.create(rooms=2, language="nl", **body))
        for name in ("Anna", "Bram", "Cor"):
            member = await api.join(group.w["join_code"], name, room=group.id)
            peer = await Peer.connect(server.ws_url, group.w["id"], member["token"], group.id)
            group.peers.append(peer)
        return group

    async def phase(self, name: str) -> None:
        answer = await self.api.control(
            self.w["moderator_token"], f"{self.path}/phase", {"phase": name}
        )
        assert answer.status_code == 200, answer.text
        await self.peers[0].wait_for(
            lambda p: any(
                e["op"] == "phase.changed" and e["data"]["phase"] == name for e in p.events
            )
        )

    async def note(self, text: str, peer: int = 0, **data: Any) -> str:
        ack = await self.peers[peer].ok("note.add", {"text": text, **data})
        return str((await self.peers[peer].wait_seq(self.id, ack["seq"]))[-1]["data"]["note"]["id"])

    async def board(self) -> dict[str, Any]:
        response = await self.api.get(
            self.w["moderator_token"], f"{self.path}/rooms/{self.id}/board"
        )
        return dict(response.json())

    async def close(self) -> None:
        for peer in self.peers:
            await peer.close()


async def test_the_cross_has_named_poles_on_the_wire_in_snapshots_and_on_resume(
    server: ServerProcess, api: Api
) -> None:
    g = await Group.open(server, api, method="scenario")
    await g.phase("collect")
    connection = await g.note("Verbinding met collega's")
    presence = await g.note("Fysieke aanwezigheid op kantoor")
    await g.phase("plot")
    anna, bram = g.peers[0], g.peers[1]
    axes = {
        "x": {"target": connection, "low": "zwak", "high": "sterk"},
        "y": {"target": presence, "low": "thuis", "high": "kantoor"},
    }
    ack = await anna.ok("axes.set", axes)
    event = (await bram.wait_seq(g.id, ack["seq"]))[-1]
    expected = {
        "x": {
            "target": connection,
            "title": "Verbinding met collega's",
            "low": "zwak",
            "high": "sterk",
        },
        "y": {
            "target": presence,
            "title": "Fysieke aanwezigheid op kantoor",
            "low": "thuis",
            "high": "kantoor",
        },
    }
    assert event["op"] == "axes.set" and event["data"] == expected
    # A bare id keeps the poles of the same target; naming one pole leaves the other.
    await anna.ok("axes.set", {"x": connection, "y": {"target": presence, "high": "op kantoor"}})
    board = await g.board()
    assert board["axes"]["x"] == expected["x"]
    assert board["axes"]["y"]["low"] == "thuis" and board["axes"]["y"]["high"] == "op kantoor"
    # A resume brings the same events; a fresh hello the same snapshot.
    cor = g.peers[2]
    since = cor.events[0]["seq"] - 1
    resumed = await Peer.connect(
        server.ws_url,
        g.w["id"],
        g.w["moderator_token"],
        g.id,
        since=since,
        epoch=cor.welcome["epoch"],
    )
    assert "snapshot" not in resumed.welcome
    await resumed.wait_for(lambda p: len([e for e in p.events if e["op"] == "axes.set"]) == 2)
    fresh = await Peer.connect(server.ws_url, g.w["id"], g.w["moderator_token"], g.id)
    assert fresh.welcome["snapshot"]["axes"]["y"]["high"] == "op kantoor"
    # Renaming what spans an axis says so: the axes again, with the new title.
    await g.phase("collect")
    ack = await anna.ok("note.edit", {"id": presence, "text": "Aanwezig op kantoor"})
    events = await bram.wait_seq(g.id, ack["seq"])  # the ack names its last event
    assert events[-1]["op"] == "axes.set"
    assert events[-1]["data"]["y"]["title"] == "Aanwezig op kantoor"
    # Bad input: the same target twice, a pole too long, an unknown field, a stranger's note.
    await g.phase("plot")
    for bad in (
        {"x": connection, "y": connection},
        {"x": {"target": connection, "low": "x" * 61}, "y": presence},
        {"x": {"target": connection, "side": "left"}, "y": presence},
        {"x": "n_nobody", "y": presence},
    ):
        answer = await anna.send("axes.set", bad)
        assert answer["type"] == "error" and answer["code"] in ("invalid", "not_found"), bad
    assert (await g.board())["axes"]["y"]["high"] == "op kantoor"  # nothing changed
    await fresh.close()
    await resumed.close()
    await g.close()


async def test_stories_have_traits_no_author_and_two_writers_keep_every_word(
    server: ServerProcess, api: Api
) -> None:
    g = await Group.open(server, api, method="scenario")
    await g.phase("story")
    anna, bram = g.peers[0], g.peers[1]
    base = "Het kantoor is leeg. Iedereen werkt thuis."
    first = await anna.ok(
        "story.edit",
        {
            "quadrant": "hl",
            "title": "Digitale eilanden",
            "metaphor": "Een archipel",
            "traits": ["alles online", "weinig spontaan contact"],
            "text": base,
        },
    )
    story = (await bram.wait_seq(g.id, first["seq"]))[-1]
    assert story["by"] is None and "updated_by" not in story["data"]["story"]
    version = story["data"]["story"]["version"]
    anna_text = "Het kantoor is leeg op maandag. Iedereen werkt thuis."
    bram_text = "Het kantoor is leeg. Bijna iedereen werkt thuis, ook de baas."
    answers = await asyncio.gather(
        anna.send("story.edit", {"quadrant": "hl", "text": anna_text, "version": version}),
        bram.send("story.edit", {"quadrant": "hl", "text": bram_text, "version": version}),
    )
    assert [a["type"] for a in answers] == ["ack", "ack"]  # different words: both merge
    last = max(a["seq"] for a in answers)
    texts = []
    for peer in g.peers:
        events = await peer.wait_seq(g.id, last)
        texts.append([e for e in events if e["op"] == "story.edited"][-1]["data"]["story"]["text"])
    merged = "Het kantoor is leeg op maandag. Bijna iedereen werkt thuis, ook de baas."
    assert texts == [merged, merged, merged]  # everyone ends with the same text
    for words in ("op maandag", "Bijna", "ook de baas"):
        assert merged.count(words) == 1  # each writer's words exactly once
    board = await g.board()
    stored = next(s for s in board["stories"] if s["quadrant"] == "hl")
    assert stored["text"] == merged and stored["traits"] == [
        "alles online",
        "weinig spontaan contact",
    ]
    # The same words changed by both: the later one is refused with the current story.
    now = stored["version"]
    clash = await asyncio.gather(
        anna.send(
            "story.edit", {"quadrant": "hl", "text": merged.replace("leeg", "stil"), "version": now}
        ),
        bram.send(
            "story.edit",
            {"quadrant": "hl", "text": merged.replace("leeg", "dicht"), "version": now},
        ),
    )
    kinds = sorted(a["type"] for a in clash)
    assert kinds == ["ack", "error"]
    refused = next(a for a in clash if a["type"] == "error")
    assert refused["code"] == "conflict" and refused["story"]["version"] == now + 1
    # Too many traits, a trait too long, a null field: refused, nothing changed.
    for bad in (
        {"quadrant": "hl", "traits": [f"t{n}" for n in range(9)]},
        {"quadrant": "hl", "traits": ["x" * 81]},
        {"quadrant": "hl", "title": None},
        {"quadrant": "xx", "title": "Nergens"},
    ):
        assert (await anna.send("story.edit", bad))["type"] == "error", bad
    export = (await api.get(g.w["moderator_token"], f"{g.path}/export.json")).json()
    assert "updated_by" not in str(export)
    await g.close()


async def test_the_backcast_path_takes_steps_only_in_its_phase(
    server: ServerProcess, api: Api
) -> None:
    g = await Group.open(server, api, method="backcast", horizon="december 2030")
    board = await g.board()
    assert (
        board["horizon"] == "december 2030"
        and "december 2030" in board["instructions"]["collect"]["nl"]
    )
    await g.phase("collect")
    anna, bram = g.peers[0], g.peers[1]
    keep = await g.note("Koffie met collega's blijft", lane="keep")
    refused = await anna.send("note.add", {"text": "Eerst een plan", "lane": "step"})
    assert refused["code"] == "phase_forbids"  # steps come in the path phase
    await g.phase("path")
    assert (await g.board())["instruction"].startswith("Redeneer terug")
    first = await g.note("Pilot met hybride vergaderen", when="Q1 2027")
    second = await g.note("Iedereen getraind", 1)  # no lane: on the path, a step
    assert (await anna.send("note.add", {"text": "Nieuw", "lane": "new"}))[
        "code"
    ] == "phase_forbids"
    assert (await anna.send("note.edit", {"id": keep, "text": "weg"}))["code"] == "phase_forbids"
    assert (await anna.send("note.delete", {"id": keep}))["code"] == "phase_forbids"
    # Anyone may set a step's moment and order; its words only its author.
    await anna.ok("note.edit", {"id": second, "when": "zomer 2027", "x": 0.2})
    await anna.ok("note.edit", {"id": first, "x": 0.6})
    assert (await anna.send("note.edit", {"id": second, "text": "anders"}))["code"] == "forbidden"
    assert (await anna.send("note.edit", {"id": first, "lane": "keep"}))["code"] == "phase_forbids"
    assert (await anna.send("note.add", {"text": "x", "when": "y" * 41}))["code"] == "invalid"
    assert (await bram.send("note.delete", {"id": first}))["code"] == "forbidden"
    board = await g.board()
    steps = sorted((n for n in board["notes"] if n["lane"] == "step"), key=lambda n: n["x"])
    assert [(n["text"], n["when"]) for n in steps] == [
        ("Iedereen getraind", "zomer 2027"),
        ("Pilot met hybride vergaderen", "Q1 2027"),
    ]
    report = (await api.get(g.w["moderator_token"], f"{g.path}/export.md")).text
    assert "december 2030" in report
    path_at = report.index("Iedereen getraind")
    assert path_at < report.index("Pilot met hybride vergaderen", path_at)
    assert "**zomer 2027:** Iedereen getraind" in report
    exported = (await api.get(g.w["moderator_token"], f"{g.path}/export.json")).json()
    room = next(r for r in exported["rooms"] if r["room"] == g.id)
    assert [s["text"] for s in room["path"]] == [
        "Iedereen getraind",
        "Pilot met hybride vergaderen",
    ]
    await g.close()


async def test_merged_paths_read_from_today_to_the_horizon(server: ServerProcess, api: Api) -> None:
    g = await Group.open(server, api, method="backcast", horizon="december 2030")
    other_room = g.w["rooms"][1]["id"]
    member = await api.join(g.w["join_code"], "Dirk", room=other_room)
    dirk = await Peer.connect(server.ws_url, g.w["id"], member["token"], other_room)
    await g.phase("collect")
    coffee = await g.note("Koffie met collega's blijft", lane="keep")
    await g.phase("rate")
    await g.peers[1].ok("vote.cast", {"target": coffee, "impact": 4, "uncertainty": 2})
    for room in (g.id, other_room):
        await g.api.control(
            g.w["moderator_token"], f"{g.path}/rooms/{room}/phase", {"phase": "path"}
        )
    await g.phase("path")
    # Alphabetically this path reads backwards; only its place says where a step goes.
    for text, x in (("Werkgroep starten", 0.1), ("Pilot draaien", 0.5), ("Evaluatie houden", 0.9)):
        await g.note(text, x=x, **({"when": "Q1 2027"} if text == "Pilot draaien" else {}))
    for text, x in (("Pilot draaien", 0.1), ("Evaluatie houden", 0.9)):
        await dirk.ok("note.add", {"text": text, "x": x, "when": "voorjaar"})
    built = await api.control(g.w["moderator_token"], f"{g.path}/synthesis", {})
    assert built.status_code in (200, 201), built.text
    synthesis = built.json()
    by_id = {i["id"]: i for i in synthesis["items"]}
    steps = [by_id[i] for i in synthesis["lanes"]["step"]]
    assert [(s["title"], s["place"]) for s in steps] == [
        ("Werkgroep starten", 0.0),
        ("Pilot draaien", 0.25),  # halfway in one path, first in the other
        ("Evaluatie houden", 1.0),
    ]
    ranked = [i["title"] for i in synthesis["items"] if i["lane"] == "step"]
    # By score: the two steps of both paths tie (ties by id), the one-path step last.
    assert sorted(ranked[:2]) == ["Evaluatie houden", "Pilot draaien"]
    assert ranked[2] == "Werkgroep starten"
    # The lanes in the method's order, whatever ranks first (two-room steps outrank the
    # one-room keep here): the reports number items in this order, as the wall does.
    assert list(synthesis["lanes"]) == ["keep", "step"]
    assert all(i["place"] is None for i in synthesis["items"] if i["lane"] != "step")
    report = (await api.get(g.w["moderator_token"], f"{g.path}/export.md")).text
    merged = report[report.index("Werkgroep starten") :]
    assert merged.index("Pilot draaien") < merged.index("Evaluatie houden")
    # The voted keep item has its score; steps are never voted on and show none (ninth
    # trial: "score 7,5" on every step of the route).
    assert "Koffie met collega's blijft** — score" in report
    assert "**Methode:** Backcasting" in report  # as the PDF writes it (ninth trial)
    step_line = next(line for line in report.splitlines() if "**Pilot draaien**" in line)
    assert "score" not in step_line, step_line
    # A merged step says its moments on the rooms' paths (ninth trial: the "wanneer" was lost).
    assert "**Pilot draaien** (Q1 2027 · voorjaar) —" in step_line, step_line
    pilot = next(i for i in steps if i["title"] == "Pilot draaien")
    assert sorted(n["when"] for n in pilot["notes"]) == ["Q1 2027", "voorjaar"]
    assert all(
        "when" not in n for i in synthesis["items"] if i["lane"] == "keep" for n in i["notes"]
    )
    await dirk.close()
    await g.close()
