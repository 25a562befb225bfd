"""HTTP routes that read boards: a room's board, the workshop overview, and the reveal."""

import json
from typing import Annotated, Any

from fastapi import APIRouter, Body, Response
from pydantic import BaseModel, ConfigDict, Field, StrictStr
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.boards import notes
from app.boards.erase import erase_workshop
from app.boards.snapshot import board_snapshot
from app.realtime.log import EventRecord, stream_head
from app.rooms import phases
from app.rooms import service as rooms
from app.rooms.api import applied
from app.web import IdentityDep, ModeratorDep, RealtimeDep, ViewerDep

router = APIRouter()


class RevealRequest(BaseModel):
    """`{"rooms": [...]}` or `{}` for every room."""

    model_config = ConfigDict(extra="forbid", strict=True)
    rooms: list[StrictStr] | None = Field(default=None, max_length=64)


@router.get("/api/workshops/{workshop_id}/rooms/{room_id}/board")
async def get_board(
    workshop_id: str, room_id: str, identity: IdentityDep, rt: RealtimeDep
) -> dict[str, Any]:
    """A room's board (with its seq and epoch) for moderator, projector or its participants."""

    def read(session: Session) -> dict[str, Any]:
        rt.gateway.streams_for(session, identity, room_id)
        seq, epoch = stream_head(session, room_id)
        return {**board_snapshot(session, identity, room_id), "seq": seq, "epoch": epoch}

    return await rt.db.read(read)


@router.get("/api/workshops/{workshop_id}")
async def overview(workshop_id: str, _viewer: ViewerDep, rt: RealtimeDep) -> dict[str, Any]:
    """The workshop and every room at a glance, for the console and the projector."""

    def read(session: Session) -> tuple[dict[str, Any], list[str]]:
        workshop = rooms.get_workshop(session, workshop_id)
        all_rooms = rooms.all_rooms(session, workshop_id)
        ids = [r.id for r in all_rooms]
        note_counts = notes.count_notes(session, ids)
        members = rooms.participants_by_room(session, workshop_id)
        labels = rooms.name_labels([p for room in members.values() for p in room])
        last = dict(
            session.exec(
                select(EventRecord.stream, func.max(EventRecord.at))
                .where(col(EventRecord.stream).in_(ids))
                .group_by(col(EventRecord.stream))
            ).all()
        )
        return {
            "id": workshop.id,
            "title": workshop.title,
            "question": workshop.question,
            "method": workshop.method,
            "language": workshop.language,
            "private_notes": workshop.private_notes,
            "hide_tallies": workshop.hide_tallies,
            "room_choice": workshop.room_choice,
            "join_code": workshop.join_code,
            "horizon": workshop.horizon,
            "follows": workshop.follows,
            "previous": json.loads(workshop.previous) if workshop.previous else None,
            "phases": list(phases.PHASES[workshop.method]),
            "rooms": [
                {
                    **rooms.room_summary(room, workshop),
                    "online": 0,  # filled in below, from every process's presence
                    "notes": note_counts.get(room.id, 0),
                    "participants": [
                        {"participant_id": p.id, "name": p.name, "label": labels[p.id]}
                        for p in members.get(room.id, [])
                    ],
                    "last_activity": last.get(room.id),
                }
                for room in all_rooms
            ],
        }, ids

    body, ids = await rt.db.read(read)
    online = await rt.hub.online_counts(ids)
    for room in body["rooms"]:
        room["online"] = online.get(room["id"], 0)
    return body


@router.delete("/api/workshops/{workshop_id}")
async def delete_workshop(workshop_id: str, _mod: ModeratorDep, rt: RealtimeDep) -> Response:
    """Delete the workshop and everything in it; every socket of it closes with 4401."""
    await rt.db.write(lambda s: erase_workshop(s, workshop_id))
    rt.hub.close_workshop(workshop_id)
    return Response(status_code=204)


@router.post("/api/workshops/{workshop_id}/reveal")
async def reveal(
    workshop_id: str,
    _mod: ModeratorDep,
    rt: RealtimeDep,
    body: Annotated[RevealRequest | None, Body()] = None,
) -> dict[str, object]:
    """Make private notes visible to everyone in the rooms (no body: all rooms)."""
    body = body or RevealRequest()
    outs = await rt.commit(
        lambda s: notes.reveal(s, rooms.rooms_of(s, workshop_id, body.rooms, lock=True)),
        "moderator",
    )
    return applied(outs)
