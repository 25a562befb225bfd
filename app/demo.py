"""A sample workshop with notes in four rooms, so a newcomer sees Plenary working at once."""

from dataclasses import dataclass

from sqlmodel import Session

from app.boards.board import Board
from app.boards.notes import add_note
from app.db import Database
from app.realtime.gateway import Identity
from app.realtime.log import append_events
from app.rooms import service

NOTES = [
    (
        "Anouk",
        ["AI neemt routinetaken over", "Thuiswerken blijft", "Vergrijzing: collega's met pensioen"],
    ),
    (
        "Bart",
        ["Working from home stays", "Kunstmatige intelligentie schrijft de notulen", "Werkdruk"],
    ),
    (
        "Chantal",
        ["Meer thuiswerkdagen", "Personeelstekort", "Van secretaresse naar strategisch partner"],
    ),
    (
        "Dewi",
        ["Hybride werken is de norm", "Krapte op de arbeidsmarkt", "Burn-out klachten nemen toe"],
    ),
]


@dataclass
class DemoLinks:
    """Where to go: the console, the projection and the join page."""

    moderate: str
    plenary: str
    join: str


def seed_demo(db: Database, base_url: str) -> DemoLinks:
    """Create the sample workshop (scenario method, four rooms, in `collect`)."""
    db.create_tables()

    def work(session: Session) -> DemoLinks:
        created = service.create_workshop(
            session,
            title="Werk in 2030 (demo)",
            question="Hoe ziet jouw werk eruit in december 2030?",
            method="scenario",
            rooms=4,
            language="nl",
            private_notes=False,
        )
        wid = created.workshop.id
        phase = service.set_phase(session, workshop_id=wid, phase="collect", room_ids=None)
        append_events(session, phase, "moderator")
        for room, (name, texts) in zip(created.rooms, NOTES, strict=True):
            member, _token = service.join(
                session, code=created.workshop.join_code, name=name, room_id=room.id
            )
            who = Identity(
                workshop_id=wid,
                role="participant",
                participant_id=member.id,
                room_id=room.id,
                name=name,
            )
            board = Board.for_change(session, who, room.id)
            events = [
                e
                for text in texts
                for e in add_note(board, text=text, lane=None, color=None, x=None, y=None)
            ]
            append_events(session, events, who.by)
        base = base_url.rstrip("/")
        return DemoLinks(
            moderate=f"{base}/w/{wid}/moderate#token={created.moderator_token}",
            plenary=f"{base}/w/{wid}/plenary#token={created.projector_token}",
            join=f"{base}/join/{created.workshop.join_code}",
        )

    return db.write_sync(work)
