"""Forgetting a workshop: every row of it, in every table (names are personal data)."""

from datetime import timedelta

from sqlalchemy import delete, or_
from sqlmodel import Session, col, select

from app.boards.models import (
    Axes,
    Cluster,
    Note,
    Story,
    StoryRevision,
    SynthesisItem,
    SynthesisLease,
    SynthesisLink,
    SynthesisPlacement,
    SynthesisState,
    Vote,
)
from app.clock import utcnow
from app.realtime.log import AppliedCommand, EventRecord, Stream
from app.rooms import service as rooms
from app.rooms.models import Credential, Participant, Room, Workshop


def erase_workshop(session: Session, workshop_id: str) -> None:
    """Delete the workshop and everything in it, children first."""
    rooms.get_workshop(session, workshop_id)
    room_ids = [r.id for r in rooms.all_rooms(session, workshop_id)]
    streams = [*room_ids, rooms.synthesis_stream(workshop_id)]
    people = list(
        session.exec(select(Participant.id).where(Participant.workshop_id == workshop_id)).all()
    )
    session.execute(
        delete(SynthesisPlacement).where(col(SynthesisPlacement.workshop_id) == workshop_id)
    )
    session.execute(delete(SynthesisItem).where(col(SynthesisItem.workshop_id) == workshop_id))
    for kept in (SynthesisLease, SynthesisLink, SynthesisState):
        session.execute(delete(kept).where(col(kept.workshop_id) == workshop_id))
    for table in (Vote, Axes, StoryRevision, Story, Note, Cluster):
        session.execute(delete(table).where(col(table.room_id).in_(room_ids)))
    session.execute(delete(EventRecord).where(col(EventRecord.stream).in_(streams)))
    session.execute(delete(Stream).where(col(Stream.id).in_(streams)))
    actors = [*people, f"moderator:{workshop_id}", f"projector:{workshop_id}"]
    session.execute(delete(AppliedCommand).where(col(AppliedCommand.actor).in_(actors)))
    session.execute(delete(Credential).where(col(Credential.workshop_id) == workshop_id))
    session.execute(delete(Participant).where(col(Participant.workshop_id) == workshop_id))
    session.execute(delete(Room).where(col(Room.workshop_id) == workshop_id))
    session.execute(delete(Workshop).where(col(Workshop.id) == workshop_id))
    rooms.forget_workshop(workshop_id)


def expired_workshops(session: Session, days: float) -> list[str]:
    """Workshops created more than `days` ago."""
    cutoff = utcnow() - timedelta(days=days)
    return list(
        session.exec(select(Workshop.id).where(or_(col(Workshop.created_at) < cutoff))).all()
    )
