"""A sample workshop that has run most of the scenario method, so a newcomer sees every part.

Every change goes through the functions the server's own commands and controls
use (the board handlers, the rooms service, polls, the synthesis build) and is
logged with `append_events`, so seqs, events and snapshots are as if people had
typed it all. What the rooms wrote is in app/demo_content.py.
"""

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from app.boards import handlers
from app.boards.notes import on_phase_change
from app.boards.polls import create_poll, publish_results, read_answers, results_of, shut_poll
from app.boards.synthesis_build import read_snapshot, seeds_and_previous, store
from app.boards.synthesis_view import compute_build
from app.db import Database
from app.demo_content import (
    BROADCAST,
    HORIZON,
    POLL_ANSWERS,
    POLL_QUESTION,
    QUESTION,
    ROOMS,
    TIMER_S,
    TITLE,
    Room,
)
from app.realtime.envelope import NewEvent
from app.realtime.gateway import CommandRegistry, Identity
from app.realtime.log import append_events
from app.rooms import phases, service
from app.rooms.tokens import new_id

COMMANDS = CommandRegistry()
handlers.register(COMMANDS)
COMMANDS.register("poll.answer", handlers.poll_answer)


@dataclass
class DemoLinks:
    """Where to go: the console, the projection and the join page."""

    moderate: str
    plenary: str
    join: str


@dataclass
class Group:
    """One room while the demo runs: its script, its people, and the ids of what it made."""

    room_id: str
    script: Room
    people: dict[str, Identity]
    notes: dict[str, str] = field(default_factory=dict)  # text -> note id
    clusters: dict[str, str] = field(default_factory=dict)  # title -> cluster id

    def who(self, n: int) -> Identity:
        """The n-th person of the room, round the table."""
        return list(self.people.values())[n % len(self.people)]


@dataclass
class Demo:
    """The workshop being seeded."""

    created: service.Created
    groups: list[Group]
    poll_id: str

    @property
    def id(self) -> str:
        """The workshop id."""
        return self.created.workshop.id


def command(session: Session, who: Identity, room: str, op: str, data: dict[str, Any]) -> Any:
    """Apply one participant command as the server does; the first event's data."""
    handler = COMMANDS.get(op)
    assert handler is not None, op
    events = handler(session, who, room, data)
    append_events(session, events, who.by)
    return events[0].data if events else None


def control(session: Session, events: list[NewEvent]) -> None:
    """Log a moderator control's events."""
    append_events(session, events, "moderator")


def open_workshop(session: Session) -> Demo:
    """Create the workshop, let everyone in, and ask the opening poll."""
    created = service.create_workshop(
        session,
        title=TITLE,
        question=QUESTION,
        method="scenario",
        rooms=len(ROOMS),
        language="nl",
        private_notes=False,
        horizon=HORIZON,
    )
    wid, code = created.workshop.id, created.workshop.join_code
    groups = []
    for room, script in zip(created.rooms, ROOMS, strict=True):
        people = {}
        for name, _color in script.people:
            member, _token = service.join(session, code=code, name=name, room_id=room.id)
            people[name] = Identity(wid, "participant", member.id, room.id, name)
        groups.append(Group(room.id, script, people))
    poll_id = new_id("q")
    asked = create_poll(
        session,
        poll_id=poll_id,
        workshop_id=wid,
        question=POLL_QUESTION,
        kind="open",
        options=None,
        pick=None,
    )
    control(session, asked)
    everyone = [(g.room_id, who) for g in groups for who in g.people.values()]
    for (room_id, who), text in zip(everyone, POLL_ANSWERS, strict=False):  # not all answer
        command(session, who, room_id, "poll.answer", {"poll": poll_id, "text": text})
    return Demo(created, groups, poll_id)


def close_poll(db: Database, demo: Demo) -> None:
    """Close the poll as the console's button does: stop, count, publish."""
    wid, qid = demo.id, demo.poll_id
    db.write_sync(lambda s: shut_poll(s, workshop_id=wid, poll_id=qid))
    poll, answers = db.read_sync(lambda s: read_answers(s, wid, qid))
    results, count = results_of(poll, answers), len(answers)

    def publish(session: Session) -> None:
        events = publish_results(
            session, workshop_id=wid, poll_id=qid, results=results, answers=count
        )
        control(session, events)

    db.write_sync(publish)


def write_notes(session: Session, g: Group) -> None:
    """Collect: everyone types notes, and someone corrects one."""
    colors = dict(g.script.people)
    for name, text in g.script.notes:
        data = {"text": text, "color": colors[name]}
        g.notes[text] = command(session, g.people[name], g.room_id, "note.add", data)["note"]["id"]
    for typed, corrected in g.script.edits:
        author = next(name for name, text in g.script.notes if text == typed)
        note_id = g.notes.pop(typed)
        command(
            session, g.people[author], g.room_id, "note.edit", {"id": note_id, "text": corrected}
        )
        g.notes[corrected] = note_id


def make_clusters(session: Session, g: Group) -> None:
    """Cluster: the group names its clusters and puts notes in them."""
    for n, cluster in enumerate(g.script.clusters):
        data = {"title": cluster.title, "note_ids": [g.notes[text] for text in cluster.notes]}
        made = command(session, g.who(n), g.room_id, "cluster.create", data)
        g.clusters[cluster.title] = made["cluster"]["id"]


def vote(session: Session, g: Group) -> None:
    """Rate: everyone scores every cluster on impact and uncertainty."""
    for cluster in g.script.clusters:
        for n, (impact, uncertainty) in enumerate(cluster.votes):
            data = {
                "target": g.clusters[cluster.title],
                "impact": impact,
                "uncertainty": uncertainty,
            }
            command(session, g.who(n), g.room_id, "vote.cast", data)


def plot(session: Session, g: Group) -> None:
    """Plot: the two key uncertainties become the cross, with named poles."""
    x, y = g.script.x, g.script.y
    data = {
        axis: {"target": g.clusters[a.cluster], "low": a.low, "high": a.high}
        for axis, a in (("x", x), ("y", y))
    }
    command(session, g.who(0), g.room_id, "axes.set", data)


def write_stories(session: Session, g: Group) -> None:
    """Story: a title and metaphor first, then the traits, then the story itself."""
    for n, story in enumerate(g.script.stories):
        steps: tuple[dict[str, Any], ...] = (
            {"title": story.title, "metaphor": story.metaphor},
            {"traits": list(story.traits)},
            {"text": story.text},
        )
        for step, fields in enumerate(steps):
            data = {"quadrant": story.quadrant, **{k: v for k, v in fields.items() if v}}
            if len(data) > 1:
                command(session, g.who(n + step), g.room_id, "story.edit", data)


STEPS = (
    ("collect", write_notes),
    ("cluster", make_clusters),
    ("rate", vote),
    ("plot", plot),
    ("story", write_stories),
)


def reached(g: Group, phase: str) -> bool:
    """Whether the room gets as far as this phase."""
    order = phases.PHASES["scenario"]
    return order.index(g.script.phase) >= order.index(phase)


def run_rooms(session: Session, demo: Demo) -> None:
    """Move the rooms through the method, each doing its part in every phase it reaches."""
    wid = demo.id
    for phase, work in STEPS:
        groups = [g for g in demo.groups if reached(g, phase)]
        ids = [g.room_id for g in groups]
        control(session, service.set_phase(session, workshop_id=wid, phase=phase, room_ids=ids))
        for g in groups:
            work(session, g)
    writing = [g.room_id for g in demo.groups if g.script.phase == "story"]
    timer = service.set_timer(session, workshop_id=wid, seconds=TIMER_S, room_ids=writing)
    control(session, timer)
    control(session, service.broadcast(session, workshop_id=wid, message=BROADCAST, room_ids=None))


def build_synthesis(session: Session, workshop_id: str) -> None:
    """What `POST …/synthesis` does, in this process and one transaction: snapshot, group, store."""
    snapshot = read_snapshot(session, workshop_id)
    seeds, previous = seeds_and_previous(snapshot)
    built = compute_build(snapshot.inputs, seeds, previous)
    control(session, store(session, workshop_id, built, snapshot.head))


def seed_demo(db: Database, base_url: str) -> DemoLinks:
    """Create the sample workshop: four rooms near the method's end, a poll, a synthesis."""
    db.create_tables()
    if on_phase_change not in service.PHASE_HOOKS:  # as the app registers it
        service.PHASE_HOOKS.append(on_phase_change)
    demo = db.write_sync(open_workshop)
    close_poll(db, demo)
    db.write_sync(lambda s: run_rooms(s, demo))
    db.write_sync(lambda s: build_synthesis(s, demo.id))
    base, created = base_url.rstrip("/"), demo.created
    return DemoLinks(
        moderate=f"{base}/w/{demo.id}/moderate#token={created.moderator_token}",
        plenary=f"{base}/w/{demo.id}/plenary#token={created.projector_token}",
        join=f"{base}/join/{created.workshop.join_code}",
    )
