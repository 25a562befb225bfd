"""`plenary serve --demo`: a workshop most of the way through the scenario method, all logged."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import Session, col, func, select

from app.boards.export_md import markdown
from app.boards.report import report
from app.boards.snapshot import board_snapshot
from app.boards.synthesis_build import synthesis_snapshot
from app.db import Database
from app.demo import seed_demo
from app.realtime.gateway import Identity
from app.realtime.log import EventRecord, Stream
from app.rooms import service
from app.rooms.models import Participant, Workshop
from tests.support.server import ServerProcess

FIELDS = ("title", "metaphor", "text")


@dataclass
class Seeded:
    """The demo in a fresh database, read as the moderator sees it."""

    workshop_id: str
    rooms: list[dict[str, Any]]  # board snapshots, in room order
    synthesis: dict[str, Any]
    db: Database


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """Seed once; every test here only reads."""
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'plenary.db'}")
    links = seed_demo(db, "http://127.0.0.1:8000/")
    workshop_id = links.moderate.split("/w/")[1].split("/")[0]

    def read(session: Session) -> Seeded:
        moderator = Identity(workshop_id, "moderator")
        boards = [
            board_snapshot(session, moderator, room.id)
            for room in service.all_rooms(session, workshop_id)
        ]
        return Seeded(workshop_id, boards, synthesis_snapshot(session, moderator), db)

    yield db.read_sync(read)
    db.dispose()


def complete(story: dict[str, Any]) -> bool:
    """A quadrant with a title, a metaphor, traits and a few sentences of story."""
    return (
        all(story[f] for f in FIELDS)
        and len(story["traits"]) >= 3
        and story["text"].count(".") >= 2
    )


def test_the_rooms_end_in_story_but_one_a_phase_behind(seeded: Seeded) -> None:
    assert [b["name"] for b in seeded.rooms] == ["Groep 1", "Groep 2", "Groep 3", "Groep 4"]
    assert [b["phase"] for b in seeded.rooms] == ["story", "story", "story", "plot"]
    assert all(b["method"] == "scenario" and b["language"] == "nl" for b in seeded.rooms)
    writing = [b for b in seeded.rooms if b["phase"] == "story"]
    assert all(b["timer_ends_at"] and b["message"] for b in writing)


def test_every_room_has_notes_clusters_votes_and_a_cross(seeded: Seeded) -> None:
    for board in seeded.rooms:
        assert 6 <= len(board["notes"]) <= 10, board["name"]
        assert 3 <= len(board["clusters"]) <= 5, board["name"]
        assert len({n["author"] for n in board["notes"]}) >= 2  # several people typed
        clustered = {n["id"] for n in board["notes"] if n["cluster_id"]}
        assert clustered == {i for c in board["clusters"] for i in c["note_ids"]}
        tallies = {t["target"]: t for t in board["tallies"]}
        assert set(tallies) == {c["id"] for c in board["clusters"]}
        assert all(t["impact"]["n"] >= 2 and t["uncertainty"]["mean"] for t in tallies.values())
        means = {(t["impact"]["mean"], t["uncertainty"]["mean"]) for t in tallies.values()}
        assert len(means) == len(tallies)  # the averages differ
        titles = {c["id"]: c["title"] for c in board["clusters"]}
        for axis in (board["axes"]["x"], board["axes"]["y"]):
            assert axis["title"] == titles[axis["target"]]
            assert axis["low"] and axis["high"] and axis["low"] != axis["high"]


def test_two_rooms_have_four_complete_stories_and_the_others_some(seeded: Seeded) -> None:
    full = [b for b in seeded.rooms if all(complete(s) for s in b["stories"])]
    assert len(full) >= 2
    for board in seeded.rooms:
        if board["phase"] == "story" and board not in full:
            assert 1 <= sum(bool(s["title"]) for s in board["stories"]) < 4
        if board["phase"] == "plot":
            assert not any(s["title"] for s in board["stories"])


def test_the_synthesis_merges_rooms_with_their_cluster_titles(seeded: Seeded) -> None:
    synthesis = seeded.synthesis
    items = synthesis["items"]
    assert len(items) >= 10
    broad = [i for i in items if len({n["room"] for n in i["notes"]}) >= 3]
    assert broad, "no item merges notes of three rooms"
    assert any(len(i["clusters"]) >= 3 for i in broad)
    assert all(i["clusters"] and i["clusters"][0]["title"] for i in broad)
    assert any(re.search(r"[Tt]huiswerk", n["text"]) for n in items[0]["notes"])
    voted = [i for i in items if i["impact"]["n"]]
    assert len(voted) >= 8 and len({i["impact"]["mean"] for i in voted}) >= 4
    assert items == sorted(items, key=lambda i: -i["score"])
    assert synthesis["axes"]["x"] and synthesis["axes"]["y"]
    assert len(synthesis["scenarios"]) == 4  # every room set its cross
    assert synthesis["suggestions"]  # the console has questions to settle
    (poll,) = synthesis["polls"]
    assert poll["question"] == "Wat maakt je nu onzeker?" and not poll["open"]
    assert poll["answers"] >= 10 and poll["results"][0]["count"] >= 2


def test_the_markdown_report_heads_each_scenario_with_its_title(seeded: Seeded) -> None:
    """Fourth trial: '#### Verbinding: sterk · ...: Title' put the title last after colons."""
    moderator = Identity(seeded.workshop_id, "moderator")
    text = markdown(seeded.db.read_sync(lambda session: report(session, moderator)))
    titles = [
        story["title"]
        for scenario in seeded.synthesis["scenarios"]
        for story in scenario["stories"]
        if story["title"]
    ]
    headings = [line for line in text.splitlines() if line.startswith("#### ")]
    assert titles and all(any(h.startswith(f"#### {t} (") for h in headings) for t in titles)


def test_every_change_is_an_event_in_order(seeded: Seeded) -> None:
    def read(session: Session) -> dict[str, Any]:
        heads = dict(session.exec(select(Stream.id, Stream.seq)).all())
        counts = dict(
            session.exec(
                select(EventRecord.stream, func.count()).group_by(col(EventRecord.stream))
            ).all()
        )
        rows = session.exec(
            select(EventRecord.stream, EventRecord.op).order_by(
                col(EventRecord.stream), col(EventRecord.seq)
            )
        ).all()
        ops: dict[str, list[str]] = {}
        for stream, op in rows:
            ops.setdefault(stream, []).append(op)
        people = set(session.exec(select(Participant.id)).all())
        authors = set(
            session.exec(select(EventRecord.by).where(EventRecord.op == "note.added")).all()
        )
        return {"heads": heads, "counts": counts, "ops": ops, "people": people, "authors": authors}

    log = seeded.db.read_sync(read)
    assert log["heads"] == log["counts"]  # gapless: seq n means n events
    for board in seeded.rooms:
        ops = log["ops"][board["room"]]
        assert ops.count("note.added") == len(board["notes"])
        assert ops.count("cluster.created") == len(board["clusters"])
        assert ops[-1] == "message" and "axes.set" in ops and "vote.tally" in ops
        assert ops.count("phase.changed") == (5 if board["phase"] == "story" else 4)
        assert ops.count("story.edited") >= 2 * sum(bool(s["title"]) for s in board["stories"])
    synthesis = log["ops"][f"{seeded.workshop_id}/synthesis"]
    assert synthesis == ["poll.opened", "poll.closed", "synthesis.rebuilt"]
    assert log["authors"] <= log["people"]  # notes by participants, not the moderator


def grouping(synthesis: dict[str, Any]) -> set[tuple[str, frozenset[str]]]:
    """Which notes each item holds, by item id."""
    return {(i["id"], frozenset(n["note_id"] for n in i["notes"])) for i in synthesis["items"]}


def test_serve_demo_prints_links_that_work(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    server = ServerProcess(f"sqlite:///{tmp_path / 'plenary.db'}", log, "--demo").start()
    try:
        printed = log.read_text()
        links = dict(re.findall(r"^\s+(moderator|plenary|join):\s+(\S+)$", printed, re.M))
        assert set(links) == {"moderator", "plenary", "join"}, printed
        assert all(link.startswith(server.base_url + "/") for link in links.values())
        wid = links["moderator"].split("/w/")[1].split("/")[0]
        moderator = {"Authorization": "Bearer " + links["moderator"].split("#token=")[1]}
        projector = {"Authorization": "Bearer " + links["plenary"].split("#token=")[1]}
        with httpx.Client(base_url=server.base_url, timeout=10) as http:
            for link in links.values():
                page = http.get(link.split("#")[0])
                assert page.status_code == 200 and "text/html" in page.headers["content-type"]
            overview = http.get(f"/api/workshops/{wid}", headers=moderator).json()
            assert overview["title"] == "Werk in 2030 (demo)"
            assert [r["phase"] for r in overview["rooms"]] == ["story", "story", "story", "plot"]
            assert all(r["notes"] >= 6 and len(r["participants"]) >= 2 for r in overview["rooms"])
            shown = http.get(f"/api/workshops/{wid}/synthesis", headers=projector).json()
            assert shown["items"] and shown["scenarios"] and "suggestions" not in shown
            # The server's own build (worker process) finds exactly what the demo stored.
            rebuilt = http.post(f"/api/workshops/{wid}/synthesis", headers=moderator, json={})
            assert grouping(rebuilt.json()) == grouping(shown)
            code = links["join"].rsplit("/", 1)[1]
            joined = http.post("/api/join", json={"code": code, "name": "Nieuw", "room": None})
            assert joined.status_code == 201
            board = http.get(
                f"/api/workshops/{wid}/rooms/{joined.json()['room_id']}/board",
                headers={"Authorization": f"Bearer {joined.json()['token']}"},
            ).json()
            assert board["phase"] == "story"  # a newcomer lands where stories are still open
            assert any(not s["title"] for s in board["stories"])
    finally:
        server.stop()


def test_the_demo_workshop_is_new_each_time(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'plenary.db'}")
    try:
        first, second = seed_demo(db, "http://h/"), seed_demo(db, "http://h/")
        assert first.join != second.join and first.moderate != second.moderate
        count = db.read_sync(lambda s: s.exec(select(func.count()).select_from(Workshop)).one())
        assert count == 2
    finally:
        db.dispose()
